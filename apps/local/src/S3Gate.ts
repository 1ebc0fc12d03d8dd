/**
 * The S3 door of the local service: SigV4 verification with S3's rules in front of the S3
 * routes. Bodies are never buffered for verification: when the signed `x-amz-content-sha256` is
 * a hex hash, the body is hashed while it streams into the store, and a mismatch fails the
 * upload (`XAmzContentSHA256Mismatch`) before anything becomes visible.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { type AuthPolicy, s3ErrorOf, verify } from "./Auth.js"
import { S3Error } from "./s3/S3Error.js"
import * as S3Routes from "./s3/S3Routes.js"
import { S3Store } from "./s3/S3Store.js"

const HEX_SHA256 = /^[0-9a-f]{64}$/

/** The body, checked against the signed SHA-256 as it streams: fails at its end on a mismatch. */
export const checkedBody = <E>(body: Stream.Stream<Uint8Array, E>, expectedHex: string): Stream.Stream<Uint8Array, E | S3Error> =>
  Stream.suspend(() => {
    const hash = createHash("sha256")
    return body.pipe(
      Stream.tap((chunk) => Effect.sync(() => hash.update(chunk))),
      Stream.concat(
        Stream.execute(Effect.suspend(() => {
          const actual = hash.digest("hex")
          return actual === expectedHex ? Effect.void : Effect.fail(
            new S3Error({
              code: "XAmzContentSHA256Mismatch",
              status: 400,
              message: `The provided 'x-amz-content-sha256' header does not match what was computed (${actual}).`
            })
          )
        }))
      )
    )
  })

const headerRecord = (request: HttpServerRequest.HttpServerRequest): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(request.headers)) if (typeof v === "string") out[k.toLowerCase()] = v
  return out
}

/** Builds the S3 handler of the HTTP app. */
export const make = (deps: { readonly auth: AuthPolicy; readonly objects: S3Store; readonly region: string }) =>
(request: HttpServerRequest.HttpServerRequest, requestId: string): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.gen(function*() {
    const headers = headerRecord(request)
    const declared = headers["x-amz-content-sha256"]
    const scope = { region: deps.region, service: "s3" } as const
    const verified = yield* Effect.either(
      verify(deps.auth, { method: request.method, url: request.url, headers, body: undefined }, scope)
    )
    // The raw body stream (a rejected upload must not close the socket before the error is sent).
    const raw = S3Routes.requestBody(request)
    let body: Stream.Stream<Uint8Array, unknown> = raw
    if (verified._tag === "Left") {
      // The signature itself was right (a wrong one is reported as Mismatch before the body is
      // looked at): only the body remains to be checked, which happens as it streams.
      if (verified.left.reason === "BodyHashMismatch" && declared !== undefined && HEX_SHA256.test(declared)) {
        body = checkedBody(raw, declared)
      } else {
        const error = s3ErrorOf(verified.left, scope)
        return S3Routes.toServerResponse(S3Routes.errorResponse(error, requestId, request.method))
      }
    }
    const response = yield* S3Routes.handle(S3Routes.fromServerRequest(request, body), requestId).pipe(
      Effect.provideService(S3Store, deps.objects)
    )
    return S3Routes.toServerResponse(response)
  })
