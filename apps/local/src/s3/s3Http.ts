/**
 * The small parts of S3's HTTP dialect every route uses: empty and XML answers, small XML request
 * bodies, its date formats, its URL encoding of listed keys, and its integer query parameters.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { S3Error, S3Errors } from "./S3Error.js"
import type { S3Response } from "./S3Routes.js"
import * as Xml from "./s3Xml.js"

const encoder = new TextEncoder()
const MAX_XML_BODY = 1024 * 1024

/** An answer without a body. */
export const empty = (status: number, headers: Record<string, string> = {}): S3Response => ({
  status,
  headers: { ...headers, "content-length": "0" },
  body: new Uint8Array(0)
})

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

/** Reads a small XML request body; too large or malformed is `MalformedXML`. */
export const readXml = (body: Stream.Stream<Uint8Array, unknown>): Effect.Effect<Xml.XmlElement, S3Error> =>
  Effect.gen(function*() {
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* body.pipe(
      // A digest failure from a checked body is reported as itself.
      Stream.mapError((cause) => cause instanceof S3Error ? cause : S3Errors.malformedXML("The request body could not be read")),
      Stream.runForEach((chunk) => {
        size += chunk.length
        if (size > MAX_XML_BODY) return Effect.fail(S3Errors.malformedXML("The XML request body is too large"))
        chunks.push(chunk)
        return Effect.void
      })
    )
    const text = Buffer.concat(chunks).toString("utf8")
    return yield* Effect.try({ try: () => Xml.parse(text), catch: () => S3Errors.malformedXML() })
  })
