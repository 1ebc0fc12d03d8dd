/**
 * A lean `HttpClient` for Node over `node:http` / `node:https` with keep-alive agents: each answer is
 * read whole into one buffer and handed out as a small response object, like `UndiciHttpClient`,
 * but with Node's own HTTP parser (native code) instead of undici's WebAssembly one, which costs a
 * compilation of its parser on a process's first request (which a short-lived process waits for).
 * Made for small JSON APIs such as the Jobs API; answers are held in memory, so do not use it to
 * download large files.
 *
 * Errors: a failure to connect or send, or a connection lost before the whole answer came, is a
 * `RequestError` with reason `Transport`; an invalid URL is `InvalidUrl`; with `requestTimeout`,
 * no whole answer in time is a `Transport` error whose cause is a `RequestTimeout`. Interrupting a
 * call destroys its request.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as http from "node:http"
import * as https from "node:https"
import { type SocketTimeouts, watchSocket } from "./internal/socketTimeouts.js"
import { BufferedResponse, type ClientSettings, concat, makeClient, parseHeaders, type Send, settleOnce } from "./internal/buffered.js"

export { type ClientSettings, RequestTimeout } from "./internal/buffered.js"
export { SocketTimeout, type SocketTimeouts } from "./internal/socketTimeouts.js"

/** The keep-alive agents requests go through, one per scheme. */
export interface Agents {
  readonly http: http.Agent
  readonly https: https.Agent
  /** Per-request socket limits (see `AgentOptions`). */
  readonly timeouts?: SocketTimeouts | undefined
}

/** Settings of the agents `layer` makes, and of the client. */
export interface AgentOptions extends ClientSettings {
  /** Idle time before a kept-alive connection is closed, ms. Default 4 s. */
  readonly keepAliveTimeout?: number | undefined
  /** Most connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** Verify the server's TLS certificate. Default true. */
  readonly rejectUnauthorized?: boolean | undefined
  /** CA certificates (PEM) to verify TLS with, instead of Node's bundled ones. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined
  /** Time to open a connection, ms. Default: none. */
  readonly connectTimeout?: number | undefined
  /** Time a socket may stay silent while a request waits for its answer, ms. Default: none. */
  readonly readTimeout?: number | undefined
}

/** Hostname as `node:http` takes it: IPv6 literals without their brackets. */
const hostnameOf = (url: URL): string =>
  url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname

const send = (
  agents: Agents,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  bytes: string | Uint8Array | null,
  contentType: string | undefined,
  timeoutMs: number | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    let outgoing: http.ClientRequest | undefined
    const state = settleOnce(request, resume, timeoutMs, (cause) => outgoing?.destroy(cause))
    const headers: Record<string, string> = contentType === undefined
      ? { ...request.headers }
      : { ...request.headers, "content-type": contentType }
    if (bytes !== null && headers["content-length"] === undefined) {
      headers["content-length"] = String(typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength)
    }
    const secure = url.protocol === "https:"
    try {
      outgoing = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: hostnameOf(url),
        port: url.port === "" ? undefined : url.port,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        agent: secure ? agents.https : agents.http,
        ...(agents.timeouts?.read !== undefined ? { timeout: agents.timeouts.read } : {})
      }, (incoming) => {
        const chunks: Array<Uint8Array> = []
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
        incoming.on("error", state.fail)
        incoming.on("aborted", () => state.fail(new Error("the connection closed before the whole answer came")))
        incoming.on("end", () => {
          if (state.done()) return
          if (!incoming.complete) return state.fail(new Error("the connection closed before the whole answer came"))
          state.answer()
          const parsed = parseHeaders(incoming.rawHeaders)
          resume(Effect.succeed(
            new BufferedResponse(request, incoming.statusCode ?? 0, parsed.headers, parsed.setCookies, concat(chunks))
          ))
        })
      })
      outgoing.on("error", state.fail)
      const timeouts = agents.timeouts
      if (timeouts !== undefined) watchSocket(outgoing, timeouts, url, state.fail)
      state.startTimer()
      outgoing.end(bytes ?? undefined)
    } catch (cause) {
      state.fail(cause)
    }
    return Effect.sync(() => {
      state.interrupt()
      outgoing?.destroy(new Error("interrupted"))
    })
  })

/**
 * The `HttpClient` over the given agents. Traced requests go through `HttpClient.make` (the
 * platform's span and propagation headers); untraced ones are sent directly.
 */
export const make = (agents: Agents, settings: ClientSettings = {}): HttpClient.HttpClient =>
  makeClient(makeSend(agents), settings, "NodeHttpTransport")

/**
 * The bare send over `agents` (what `make` wraps), for transports that combine it with another.
 *
 * @internal
 */
export const makeSend = (agents: Agents): Send => (request, url, bytes, contentType, timeoutMs) =>
  send(agents, request, url, bytes, contentType, timeoutMs)

/**
 * New keep-alive agents for http and https (not closed for you: `destroy()` both when done).
 *
 * @internal
 */
export const newAgents = (options: AgentOptions = {}): Agents => {
  const settings = {
    keepAlive: true,
    timeout: options.keepAliveTimeout ?? 4_000,
    maxSockets: options.connections ?? Infinity,
    scheduling: "lifo" as const
  }
  const tls = {
    ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    ...(options.ca !== undefined ? { ca: options.ca as string | Buffer | Array<string | Buffer> } : {})
  }
  const timeouts = options.connectTimeout !== undefined || options.readTimeout !== undefined
    ? { connect: options.connectTimeout, read: options.readTimeout }
    : undefined
  return {
    http: new http.Agent(settings),
    https: new https.Agent({ ...settings, ...tls }),
    ...(timeouts !== undefined ? { timeouts } : {})
  }
}

/** Keep-alive agents for http and https, destroyed when the scope ends. */
export const makeAgents = (options: AgentOptions = {}) =>
  Effect.acquireRelease(
    Effect.sync(() => newAgents(options)),
    (agents) =>
      Effect.sync(() => {
        agents.http.destroy()
        agents.https.destroy()
      })
  )

/** The lean client over its own keep-alive agents (closed with the layer). */
export const layerWith = (options: AgentOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgents(options), (agents) => make(agents, options)))

/** The lean client over its own keep-alive agents with the default settings. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
