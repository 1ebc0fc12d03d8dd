/**
 * The small parts of S3's HTTP dialect every route uses: XML answers, its date formats, its URL
 * encoding of listed keys, and its integer query parameters.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { S3Errors, type S3Error } from "./S3Error.js"
import type { S3Response } from "./S3Routes.js"

const encoder = new TextEncoder()

/** A response carrying an XML document. */
export const xmlResponse = (status: number, xml: string, headers: Record<string, string> = {}): S3Response => {
  const body = encoder.encode(xml)
  return {
    status,
    headers: { ...headers, "content-type": "application/xml", "content-length": String(body.length) },
    body
  }
}

export const isoDate = (date: Date): string => date.toISOString()
export const httpDate = (date: Date): string => date.toUTCString()

/** `encoding-type=url` as S3 does it: percent-encoding, spaces as `+`, slashes kept. */
export const urlEncode = (text: string): string => encodeURIComponent(text).replace(/%20/g, "+").replace(/%2F/g, "/")

/** An integer query parameter (at most 9 digits), or `fallback` when absent. */
export const parseInteger = (name: string, value: string | null, fallback: number): Effect.Effect<number, S3Error> => {
  if (value === null) return Effect.succeed(fallback)
  return /^\d{1,9}$/.test(value)
    ? Effect.succeed(Number(value))
    : Effect.fail(S3Errors.invalidArgument(`${name} must be a non-negative integer`))
}
