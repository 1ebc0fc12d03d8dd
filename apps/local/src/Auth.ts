/**
 * SigV4 verification at the door of the local service: every request must be signed by one of
 * the configured keys (default `test`/`test`), within 15 minutes of the server's clock, and
 * (when a body hash is signed) carry the body it says. `--no-auth` turns the check off.
 *
 * @since 0.1.0
 */
import type { Sha256Constructor } from "@geojobs/sigv4/SigV4"
import { type SignatureError, type VerifiedRequest, verifyRequest } from "@geojobs/sigv4/SigV4Verify"
import { Hash } from "@smithy/hash-node"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/** One access key the service accepts. */
export interface AccessKey {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** Who may call: a set of keys, or anyone. */
export type AuthPolicy = { readonly _tag: "Keys"; readonly keys: ReadonlyArray<AccessKey> } | { readonly _tag: "Open" }

/** The default: the single key `test`/`test`, as local AWS emulators commonly use. */
export const defaultPolicy: AuthPolicy = { _tag: "Keys", keys: [{ accessKeyId: "test", secretAccessKey: "test" }] }

/** node:crypto SHA-256, one constructor for every verification. */
const sha256 = Hash.bind(null, "sha256") as unknown as Sha256Constructor

/** The request parts verification needs. */
export interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body when it was read whole; undefined for streamed bodies (their hash is checked as they are stored). */
  readonly body: Uint8Array | undefined
}

/** Verifies a request; `undefined` when the policy is open. */
export const verify = (
  policy: AuthPolicy,
  request: Incoming
): Effect.Effect<VerifiedRequest | undefined, SignatureError> => {
  if (policy._tag === "Open") return Effect.succeed(undefined)
  const secrets = new Map(policy.keys.map((k) => [k.accessKeyId, k.secretAccessKey]))
  return Effect.flatMap(Clock.currentTimeMillis, (now) =>
    verifyRequest(
      { method: request.method, url: request.url, headers: request.headers, body: request.body },
      { lookupSecret: (id) => secrets.get(id), now: new Date(now), sha256 }
    ))
}

/**
 * The AWS error code for a signature failure, as AWS JSON services name them: no signature →
 * `MissingAuthenticationTokenException`, unknown key → `UnrecognizedClientException`, anything
 * else (malformed, expired, mismatch, body hash) → `InvalidSignatureException`. All are 403.
 */
export const awsCodeOf = (error: SignatureError): string =>
  error.reason === "Missing"
    ? "MissingAuthenticationTokenException"
    : error.reason === "UnknownAccessKey"
    ? "UnrecognizedClientException"
    : "InvalidSignatureException"

/** The S3 error code for a signature failure. */
export const s3CodeOf = (error: SignatureError): string =>
  error.reason === "Missing"
    ? "AccessDenied"
    : error.reason === "UnknownAccessKey"
    ? "InvalidAccessKeyId"
    : error.reason === "Expired"
    ? "RequestTimeTooSkewed"
    : error.reason === "BodyHashMismatch"
    ? "XAmzContentSHA256Mismatch"
    : "SignatureDoesNotMatch"
