/**
 * `--debug`: every HTTP request and response on stderr, after signing, with secrets redacted
 * (`authorization`, `x-amz-security-token`, presigned-URL credentials, and secret-looking
 * JSON members).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** Header names whose values are never printed. */
export const secretHeaders: ReadonlySet<string> = new Set([
  "authorization",
  "x-amz-security-token",
  "proxy-authorization",
  "cookie",
  "set-cookie"
])

const secretQuery = /([?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&]*/gi
const secretJson = /("(?:SecretAccessKey|secretAccessKey|SessionToken|sessionToken|Password|password|Token)"\s*:\s*)"(?:[^"\\]|\\.)*"/g

/** A URL with presigned credentials redacted. */
export const redactUrl = (url: string): string => url.replace(secretQuery, "$1<redacted>")

/** A header value, redacted when the header carries a secret. */
export const redactHeader = (name: string, value: string): string =>
  secretHeaders.has(name.toLowerCase()) ? "<redacted>" : value

/** A body, with secret-looking JSON members redacted and long bodies cut. */
export const redactBody = (body: string, max = 4000): string => {
  const redacted = body.replace(secretJson, "$1\"<redacted>\"")
  return redacted.length > max ? `${redacted.slice(0, max)}… (${redacted.length} characters)` : redacted
}

const decoder = new TextDecoder()

const printable = (bytes: Uint8Array, contentType: string | undefined): string =>
  contentType !== undefined && !/json|xml|text/.test(contentType)
    ? `<${bytes.length} bytes>`
    : redactBody(decoder.decode(bytes))

const requestLines = (request: HttpClientRequest.HttpClientRequest): Array<string> => {
  const query = request.urlParams.length > 0 ? `?${new URLSearchParams(request.urlParams as Array<[string, string]>)}` : ""
  const lines = [`> ${request.method} ${redactUrl(request.url + query)}`]
  for (const [k, v] of Object.entries(request.headers)) lines.push(`>   ${k}: ${redactHeader(k, v)}`)
  if (request.body._tag === "Uint8Array") lines.push(`> ${printable(request.body.body, request.headers["content-type"])}`)
  return lines
}

/** Wraps a client so each exchange is written with `log`, one line at a time. */
export const wrap = <E, R>(client: HttpClient.HttpClient.With<E, R>, log: (line: string) => void): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(client, (effect, request) =>
    Effect.gen(function*() {
      for (const line of requestLines(request)) log(line)
      const started = Date.now()
      const response = yield* Effect.tapError(effect, (e) =>
        Effect.sync(() => log(`< failed after ${Date.now() - started} ms: ${String((e as { message?: unknown }).message ?? e)}`)))
      const bytes = new Uint8Array(yield* Effect.orElseSucceed(response.arrayBuffer, () => new ArrayBuffer(0)))
      log(`< ${response.status} (${Date.now() - started} ms)`)
      for (const [k, v] of Object.entries(response.headers)) log(`<   ${k}: ${redactHeader(k, v)}`)
      if (bytes.length > 0) log(`< ${printable(bytes, response.headers["content-type"])}`)
      return HttpClientResponse.fromWeb(
        request,
        new Response(bytes.length > 0 ? bytes : null, { status: response.status, headers: response.headers as Record<string, string> })
      )
    }))

/** Replaces the `HttpClient` with a logging one (or leaves it when `log` is undefined). */
export const layer = (log: ((line: string) => void) | undefined): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) => (log === undefined ? client : wrap(client, log)))
  )
