/** Shared test doubles: a fake HttpClient that records what it is sent, and request conversions. */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Hash } from "@smithy/hash-node"
import * as Effect from "effect/Effect"
import { makeDecoder } from "../src/AwsChunked.js"
import type { Sha256Constructor } from "../src/SigV4.js"
import type { IncomingRequest } from "../src/SigV4Verify.js"

export const nodeSha256: Sha256Constructor = Hash.bind(null, "sha256")

export const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/** What a transport would put on the wire for this request, as a server would receive it. */
export const toIncoming = (request: HttpClientRequest.HttpClientRequest, url: URL): IncomingRequest => ({
  method: request.method,
  url: url.pathname + url.search,
  headers: { ...request.headers, host: url.host },
  body: request.body._tag === "Uint8Array" ? request.body.body : undefined
})

export interface FakeAnswer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string
}

export interface Sent {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
}

/** An HttpClient that answers with `handler` and records every request it was sent. */
export const fakeClient = (
  handler: (request: HttpClientRequest.HttpClientRequest, url: URL) => Effect.Effect<FakeAnswer>
) => {
  const sent: Array<Sent> = []
  const client = HttpClient.make((request, url) =>
    Effect.map(handler(request, url), (answer) => {
      sent.push({ request, url })
      return HttpClientResponse.fromWeb(
        request,
        new Response(answer.body ?? null, { status: answer.status, headers: answer.headers ?? {} })
      )
    })
  )
  return { client, sent }
}

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

export const sha256Hex = async (data: Uint8Array | string): Promise<string> => {
  const hash = new nodeSha256()
  hash.update(typeof data === "string" ? new TextEncoder().encode(data) : data)
  return hex(await hash.digest())
}

/** A whole aws-chunked body's data, through the streaming decoder (its trailers checked, then dropped). */
export const decodeWhole = (body: Uint8Array): Uint8Array => {
  const decoder = makeDecoder()
  const pieces = decoder.push(body)
  decoder.finish()
  const out = new Uint8Array(pieces.reduce((length, piece) => length + piece.length, 0))
  let offset = 0
  for (const piece of pieces) {
    out.set(piece, offset)
    offset += piece.length
  }
  return out
}
