/**
 * What the lean Node transports share: a response read whole into one buffer, the request body as
 * bytes, raw header lines to `Headers`, the attempt timer's error, and the `HttpClient` around a
 * transport's `send` (the platform's `HttpClient.make` when a request is traced, the bare send
 * otherwise).
 *
 * @internal
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
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"

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

const decoder = new TextDecoder()

/** Effect's built-in tracer (what runs when no tracer is installed). */
const builtInTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)
const emptyBytes = new Uint8Array(0)

/** A response whose body has been read whole. */
export class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
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
export const bodyOf = (
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

export const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
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
export const parseHeaders = (raw: ReadonlyArray<Buffer | string>): { headers: Headers.Headers; setCookies: Array<string> | undefined } => {
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

/** One request's outcome, settled once (see `settleOnce`). */
export interface Settle {
  /** Whether the outcome is decided (answered, failed, timed out or interrupted). */
  readonly done: () => boolean
  /** Fails with a `Transport` `RequestError` of `cause`, unless already settled. */
  readonly fail: (cause: unknown) => void
  /** Marks the request answered (clears the timer); false when it was already settled. */
  readonly answer: () => boolean
  /** Starts the `timeoutMs` timer, when there is one and nothing is settled yet. */
  readonly startTimer: () => void
  /** Settles without resuming (the fiber is being interrupted). */
  readonly interrupt: () => void
}

/**
 * The settle-once state a lean transport's request needs: the first of answer, failure, timeout
 * and interruption wins and clears the timer. On timeout the request fails with a `RequestTimeout`
 * cause, then `abort(cause)` is called so the transport drops the request.
 */
export const settleOnce = (
  request: HttpClientRequest.HttpClientRequest,
  resume: (effect: Effect.Effect<never, HttpClientError.RequestError>) => void,
  timeoutMs: number | undefined,
  abort: (cause: RequestTimeout) => void
): Settle => {
  let done = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const settle = (): boolean => {
    if (done) return false
    done = true
    if (timer !== undefined) clearTimeout(timer)
    return true
  }
  const fail = (cause: unknown) => {
    if (settle()) resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
  }
  return {
    done: () => done,
    fail,
    answer: settle,
    startTimer: () => {
      if (timeoutMs === undefined || done) return
      timer = setTimeout(() => {
        if (done) return
        const cause = new RequestTimeout(timeoutMs)
        fail(cause)
        abort(cause)
      }, timeoutMs)
    },
    interrupt: () => {
      settle()
    }
  }
}

/** Sends one request whose body is already bytes (or a string, or none). */
export type Send = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  bytes: string | Uint8Array | null,
  contentType: string | undefined,
  timeoutMs: number | undefined
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>

/** The body, then the request (string and byte bodies go straight to `send`). */
const sendRequest = (send: Send, request: HttpClientRequest.HttpClientRequest, url: URL, timeoutMs: number | undefined) => {
  const body = request.body
  if (body._tag === "Empty") return send(request, url, null, undefined, timeoutMs)
  if (body._tag === "Uint8Array") return send(request, url, body.body, undefined, timeoutMs)
  return Effect.flatMap(
    Effect.mapError(bodyOf(body), (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })),
    ({ bytes, contentType }) => send(request, url, bytes, contentType, timeoutMs)
  )
}

/**
 * The `HttpClient` around `send`. With tracing on for a request, it is exactly `HttpClient.make`
 * over `send` (the platform's client span, trace propagation headers). With tracing off it sends
 * directly, without what a streamed body needs and a buffered one does not (an `AbortController`,
 * a `FinalizationRegistry` entry and a wrapping response per request).
 */
export const makeClient = (send: Send, settings: ClientSettings, name: string): HttpClient.HttpClient => {
  const timeoutMs = settings.requestTimeout
  const spansOnlyWithTracer = settings.spansOnlyWithTracer === true
  if (timeoutMs !== undefined && !(timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError(`${name}: requestTimeout must be in (0, 2^31-1] ms, got ${timeoutMs}`)
  }
  const traced = HttpClient.make((request, url) => sendRequest(send, request, url, timeoutMs))
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
          return sendRequest(send, request, url.right, timeoutMs)
        })),
    Effect.succeed
  )
}
