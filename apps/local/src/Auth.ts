/**
 * SigV4 verification at the door of the local service: every request must be signed by one of
 * the configured keys (default `test`/`test`), within 15 minutes of the server's clock, and
 * (when a body hash is signed) carry the body it says. The credential scope must name the
 * service's region and the API's signing name (`geo` for the Jobs API, `s3` for S3), as AWS
 * requires. `--no-auth` turns the check off.
 *
 * @since 0.1.0
 */
import type { Sha256Constructor } from "@geojobs/sigv4/SigV4"
import { type SignatureError, type VerifiedRequest, verifyRequest } from "@geojobs/sigv4/SigV4Verify"
import { Hash } from "@smithy/hash-node"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { S3Error } from "./s3/S3Error.js"

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

/** The credential scope an API accepts: the service's region and the API's signing name. */
export interface Scope {
  readonly region: string
  readonly service: "geo" | "s3"
}

/** Verifies a request signed for `scope`; `undefined` when the policy is open. */
export const verify = (
  policy: AuthPolicy,
  request: Incoming,
  scope: Scope
): Effect.Effect<VerifiedRequest | undefined, SignatureError> => {
  if (policy._tag === "Open") return Effect.succeed(undefined)
  const secrets = new Map(policy.keys.map((k) => [k.accessKeyId, k.secretAccessKey]))
  return Effect.flatMap(Clock.currentTimeMillis, (now) =>
    verifyRequest(
      { method: request.method, url: request.url, headers: request.headers, body: request.body },
      { lookupSecret: (id) => secrets.get(id), now: new Date(now), sha256, scope }
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

/**
 * The message of a Jobs API signature failure: AWS's own words for a wrong scope (clients and
 * people search for them), the verifier's explanation otherwise.
 */
export const awsMessageOf = (error: SignatureError, scope: Scope): string =>
  error.reason === "WrongRegion"
    ? `Credential should be scoped to a valid region. The credential names '${error.signedRegion}'; this endpoint serves '${scope.region}'.`
    : error.reason === "WrongService"
    ? `Credential should be scoped to correct service: '${scope.service}'. The credential names '${error.signedService}'.`
    : error.message

/**
 * The S3 answer to a signature failure. A wrong scope is a malformed credential to S3 (400, with
 * the region it expects, which SDKs read to redirect); everything else is 403.
 */
export const s3ErrorOf = (error: SignatureError, scope: Scope): S3Error => {
  if (error.reason === "WrongRegion" || error.reason === "WrongService") {
    const presigned = error.presigned === true
    const what = error.reason === "WrongRegion"
      ? `the region '${error.signedRegion}' is wrong; expecting '${scope.region}'`
      : `incorrect service '${error.signedService}'. This endpoint belongs to '${scope.service}'.`
    return new S3Error({
      code: presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed",
      status: 400,
      message: presigned
        ? `Error parsing the X-Amz-Credential parameter; ${what}`
        : `The authorization header is malformed; ${what}`,
      region: scope.region
    })
  }
  return new S3Error({ code: s3CodeOf(error), status: 403, message: error.message })
}

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
