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
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as Cookies from "@effect/platform/Cookies"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import type { Dispatcher } from "undici"
// undici's Agent alone: importing "undici" would load all of undici (see internal/undici-agent.d.ts).
import Agent from "undici/lib/dispatcher/agent.js"

/**
 * The `cause` of the `RequestError` a request fails with when it has no whole answer within the
 * client's `requestTimeout`. Its `_tag` is what `@geojobs/core`'s client reads as an attempt timeout
 * (`LocationJobsClientError` with reason `Timeout`).
 */
export class RequestTimeout extends Error {
  readonly _tag = "AttemptTimeout" as const
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = "RequestTimeout"
  }
}

/** Settings of the client itself. */
export interface ClientSettings {
  /**
   * Time limit of one request, from dispatch to the last byte of the answer, in ms; on expiry the
   * request is aborted and fails with a `RequestError` whose cause is a `RequestTimeout`. Enforced
   * with one timer inside the request (no extra fiber). Default: none (use `Effect.timeout`).
   */
  readonly requestTimeout?: number | undefined
  /**
   * Make the platform's client span (and trace propagation headers) only when a tracer other than
   * Effect's built-in one is installed: with the built-in tracer spans reach no exporter. Default
   * false (spans whenever tracing is enabled, as `HttpClient.make` does).
   */
  readonly spansOnlyWithTracer?: boolean | undefined
}

/** Settings of the agent `layer` makes. */
export interface AgentOptions extends ClientSettings {
  /** Idle time before a kept-alive connection is closed. Default 4 s (undici's default). */
  readonly keepAliveTimeout?: number | undefined
  /** Most connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** Time to establish a connection, ms. Default 10 s. */
  readonly connectTimeout?: number | undefined
}

const decoder = new TextDecoder()

/** Effect's built-in tracer (what runs when no tracer is installed). */
const builtInTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)
const emptyBytes = new Uint8Array(0)

/** A response whose body has been read whole. */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly headers: Headers.Headers,
    private readonly setCookies: ReadonlyArray<string> | undefined,
    private readonly body: Uint8Array
  ) {
    super()
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get cookies(): Cookies.Cookies {
    return this.setCookies === undefined ? Cookies.empty : Cookies.fromSetCookie(this.setCookies)
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => decoder.decode(this.body))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => {
        const text = decoder.decode(this.body)
        return text === "" ? null : JSON.parse(text) as unknown
      },
      catch: (cause) => this.decodeError(cause)
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() =>
      this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return this.body.byteLength === 0 ? Stream.empty : Stream.succeed(this.body)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => UrlParams.fromInput(new URLSearchParams(decoder.decode(this.body))),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () =>
        new Response(this.body as Uint8Array<ArrayBuffer>, {
          headers: this.headers["content-type"] === undefined ? {} : { "content-type": this.headers["content-type"] }
        }).formData() as Promise<FormData>,
      catch: (cause) => this.decodeError(cause)
    })
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/** The body to dispatch, with the content type a form adds. */
const bodyOf = (
  body: HttpBody.HttpBody
): Effect.Effect<{ readonly bytes: string | Uint8Array | null; readonly contentType?: string | undefined }, unknown> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ bytes: null })
    case "Uint8Array":
      return Effect.succeed({ bytes: body.body })
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string" || raw instanceof Uint8Array) return Effect.succeed({ bytes: raw })
      if (raw instanceof ArrayBuffer) return Effect.succeed({ bytes: new Uint8Array(raw) })
      return Effect.fail(new TypeError("UndiciHttpClient: unsupported raw body (use a string or bytes)"))
    }
    case "FormData":
      return Effect.tryPromise(async () => {
        const encoded = new Response(body.formData)
        return {
          bytes: new Uint8Array(await encoded.arrayBuffer()),
          contentType: encoded.headers.get("content-type") ?? undefined
        }
      })
    case "Stream":
      return Effect.map(
        Stream.runCollect(body.stream),
        (chunks) => ({ bytes: concat(Array.from(chunks)) })
      )
  }
}

const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (chunks.length === 0) return emptyBytes
  if (chunks.length === 1) return chunks[0]!
  let length = 0
  for (const c of chunks) length += c.byteLength
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** Raw header lines (name, value, name, value, …) to lower-cased `Headers`, repeated names joined by `, `. */
const parseHeaders = (raw: ReadonlyArray<Buffer | string>): { headers: Headers.Headers; setCookies: Array<string> | undefined } => {
  const out: Record<string, string> = {}
  let setCookies: Array<string> | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase()
    const value = raw[i + 1]!.toString("latin1")
    if (name === "set-cookie") (setCookies ??= []).push(value)
    const existing = out[name]
    out[name] = existing === undefined ? value : `${existing}, ${value}`
  }
  return { headers: Headers.unsafeFromRecord(out), setCookies }
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
    let done = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let status = 0
    let parsed: ReturnType<typeof parseHeaders> | undefined
    const chunks: Array<Uint8Array> = []
    const fail = (cause: unknown) => {
      if (done) return
      done = true
      if (timer !== undefined) clearTimeout(timer)
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    }
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
        if (done) return
        done = true
        if (timer !== undefined) clearTimeout(timer)
        const response = new BufferedResponse(request, status, parsed!.headers, parsed!.setCookies, concat(chunks))
        // Resumed once undici is done with the answer: a caller that sends again at once then finds
        // this connection free (resuming here, inside undici's callback, would open a second one).
        queueMicrotask(() => resume(Effect.succeed(response)))
      },
      onError: fail
    }
    try {
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: bytes,
        // time limits are the caller's (Effect.timeout)
        headersTimeout: 0,
        bodyTimeout: 0
      }, handler)
    } catch (cause) {
      fail(cause)
    }
    if (timeoutMs !== undefined && !done) {
      timer = setTimeout(() => {
        if (done) return
        const cause = new RequestTimeout(timeoutMs)
        fail(cause)
        interrupted = true
        abort?.(cause)
      }, timeoutMs)
    }
    return Effect.sync(() => {
      interrupted = true
      done = true
      if (timer !== undefined) clearTimeout(timer)
      abort?.(new Error("interrupted"))
    })
  })

/** The body, then the request (string and byte bodies go straight to the dispatcher). */
const sendRequest = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  timeoutMs: number | undefined
) => {
  const body = request.body
  if (body._tag === "Empty") return send(dispatcher, request, url, null, undefined, timeoutMs)
  if (body._tag === "Uint8Array") return send(dispatcher, request, url, body.body, undefined, timeoutMs)
  return Effect.flatMap(
    Effect.mapError(bodyOf(body), (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })),
    ({ bytes, contentType }) => send(dispatcher, request, url, bytes, contentType, timeoutMs)
  )
}

/**
 * The `HttpClient` over a given undici dispatcher (an `Agent`, a `Pool`, a `MockAgent`, …).
 *
 * With tracing on for a request, it is exactly `HttpClient.make` over this transport (the
 * platform's client span, trace propagation headers). With tracing off (`withTracerDisabledWhen`,
 * or no tracer wanted, as the Jobs client does by default) it skips what a streamed body needs and a
 * buffered one does not — an `AbortController`, a `FinalizationRegistry` entry and a wrapping
 * response per request — since the whole answer is already read when the response is handed out.
 */
export const make = (dispatcher: Dispatcher, settings: ClientSettings = {}): HttpClient.HttpClient => {
  const timeoutMs = settings.requestTimeout
  const spansOnlyWithTracer = settings.spansOnlyWithTracer === true
  if (timeoutMs !== undefined && !(timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError(`UndiciHttpClient: requestTimeout must be in (0, 2^31-1] ms, got ${timeoutMs}`)
  }
  const traced = HttpClient.make((request, url) => sendRequest(dispatcher, request, url, timeoutMs))
  const tracedPostprocess = (traced as unknown as {
    readonly postprocess: (
      request: Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.HttpClientError>
    ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
  }).postprocess
  return HttpClient.makeWith(
    (effect: Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.HttpClientError>) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
          const tracerDisabled = !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
            fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request) ||
            (spansOnlyWithTracer && Context.get(fiber.getFiberRef(DefaultServices.currentServices), Tracer.Tracer) === builtInTracer)
          if (!tracerDisabled) return tracedPostprocess(Effect.succeed(request))
          const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
          if (url._tag === "Left") {
            return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
          }
          return sendRequest(dispatcher, request, url.right, timeoutMs)
        })),
    Effect.succeed
  )
}

/** A keep-alive undici `Agent`, closed when the scope ends. */
export const makeAgent = (options: AgentOptions = {}) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      new Agent({
        keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
        ...(options.connections === undefined ? {} : { connections: options.connections }),
        connectTimeout: options.connectTimeout ?? 10_000
      })
    ),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** The lean client over its own keep-alive agent (closed with the layer). */
export const layerWith = (options: AgentOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgent(options), (agent) => make(agent, options)))

/** The lean client over its own keep-alive agent with the default settings. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
