/// <reference path="./internal/undici-agent.d.ts" />
/**
 * A lean `HttpClient` for Node, made with the public `HttpClient.make` over an undici `Agent`
 * (keep-alive connection pools per origin). Unlike `NodeHttpClient.layerUndici` it reads each
 * answer whole into one buffer while it arrives (undici's dispatch handler: no `Readable`, no web
 * `Response`), and answers a small response object over that buffer. Made for small JSON APIs such
 * as the Jobs API; answers are held in memory, so do not use it to download large files.
 *
 * Errors: a failure to connect or send, or a connection lost before the whole answer came, is a
 * `RequestError` with reason `Transport`; an invalid URL is `InvalidUrl`. Time limits are left to
 * the caller (`Effect.timeout`); interrupting a call aborts its request.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Dispatcher } from "undici"
// undici's Agent alone: importing "undici" would load all of undici (see internal/undici-agent.d.ts).
import Agent from "undici/lib/dispatcher/agent.js"
import { BufferedResponse, type ClientSettings, concat, makeClient, parseHeaders, type Send, settleOnce } from "./internal/buffered.js"

export { type ClientSettings, RequestTimeout } from "./internal/buffered.js"

/** Settings of the agent `layer` makes. */
export interface AgentOptions extends ClientSettings {
  /** Idle time before a kept-alive connection is closed. Default 4 s (undici's default). */
  readonly keepAliveTimeout?: number | undefined
  /** Most connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** Time to establish a connection, ms. Default 10 s. */
  readonly connectTimeout?: number | undefined
}

const send = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  bytes: string | Uint8Array | null,
  contentType: string | undefined,
  timeoutMs: number | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    let abort: ((reason?: Error) => void) | undefined
    let interrupted = false
    let status = 0
    let parsed: ReturnType<typeof parseHeaders> | undefined
    const chunks: Array<Uint8Array> = []
    const state = settleOnce(request, resume, timeoutMs, (cause) => {
      interrupted = true
      abort?.(cause)
    })
    const headers: Record<string, string> = contentType === undefined
      ? request.headers
      : { ...request.headers, "content-type": contentType }
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        if (interrupted) abortRequest(new Error("interrupted"))
        else abort = abortRequest
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx informational answers come before the real one.
        if (statusCode < 200) return true
        status = statusCode
        parsed = parseHeaders(rawHeaders as Array<Buffer>)
        return true
      },
      onData(chunk) {
        chunks.push(chunk)
        return true
      },
      onComplete() {
        if (!state.answer()) return
        const response = new BufferedResponse(request, status, parsed!.headers, parsed!.setCookies, concat(chunks))
        // Resumed once undici is done with the answer: a caller that sends again at once then finds
        // this connection free (resuming here, inside undici's callback, would open a second one).
        queueMicrotask(() => resume(Effect.succeed(response)))
      },
      onError: state.fail
    }
    try {
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: bytes,
        // time limits are the caller's (Effect.timeout) or the client's requestTimeout
        headersTimeout: 0,
        bodyTimeout: 0
      }, handler)
    } catch (cause) {
      state.fail(cause)
    }
    state.startTimer()
    return Effect.sync(() => {
      interrupted = true
      state.interrupt()
      abort?.(new Error("interrupted"))
    })
  })

/**
 * The `HttpClient` over a given undici dispatcher (an `Agent`, a `Pool`, a `MockAgent`, …).
 *
 * With tracing on for a request, it is exactly `HttpClient.make` over this transport (the
 * platform's client span, trace propagation headers). With tracing off (`withTracerDisabledWhen`,
 * or no tracer wanted, as the Jobs client does by default) it skips what a streamed body needs and a
 * buffered one does not — an `AbortController`, a `FinalizationRegistry` entry and a wrapping
 * response per request — since the whole answer is already read when the response is handed out.
 */
export const make = (dispatcher: Dispatcher, settings: ClientSettings = {}): HttpClient.HttpClient =>
  makeClient(makeSend(dispatcher), settings, "UndiciHttpClient")

/**
 * The bare send over `dispatcher` (what `make` wraps), for transports that combine it with another.
 *
 * @internal
 */
export const makeSend = (dispatcher: Dispatcher): Send => (request, url, bytes, contentType, timeoutMs) =>
  send(dispatcher, request, url, bytes, contentType, timeoutMs)

/**
 * A new keep-alive undici `Agent` (not closed for you: `destroy()` it when done).
 *
 * @internal
 */
export const newAgent = (options: AgentOptions = {}): Agent =>
  new Agent({
    keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    connectTimeout: options.connectTimeout ?? 10_000
  })

/** A keep-alive undici `Agent`, closed when the scope ends. */
export const makeAgent = (options: AgentOptions = {}) =>
  Effect.acquireRelease(
    Effect.sync(() => newAgent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** The lean client over its own keep-alive agent (closed with the layer). */
export const layerWith = (options: AgentOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgent(options), (agent) => make(agent, options)))

/** The lean client over its own keep-alive agent with the default settings. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
