/**
 * The lean transport's send over an undici dispatcher: the request dispatched with a handler that
 * reads the answer whole into one buffer. Holds no undici code (types only), so that a module
 * loading undici lazily can use it without pulling undici in.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { Dispatcher } from "undici"
import { BufferedResponse, concat, parseHeaders, type Send, settleOnce } from "./buffered.js"

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

/** The bare send over `dispatcher`. */
export const makeSend = (dispatcher: Dispatcher): Send => (request, url, bytes, contentType, timeoutMs) =>
  send(dispatcher, request, url, bytes, contentType, timeoutMs)
