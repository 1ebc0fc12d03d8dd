/**
 * Why a server refused a SigV4-signed request (`SigV4Verify.verifyRequest`'s failure).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** Why a request was refused. Each becomes a 403 answer. */
export const SignatureErrorReason = Schema.Literal(
  /** No Authorization header and no presigned query. */
  "Missing",
  /** Auth present but unreadable: unknown algorithm, bad credential scope, bad date, missing signed header. */
  "Malformed",
  /** The access key id is not known. */
  "UnknownAccessKey",
  /** Signed too long ago (or too far ahead), or a presigned URL past its expiry. */
  "Expired",
  /** The signature does not match the request. */
  "Mismatch",
  /** The signature matches, but the body is not the one whose hash was signed. */
  "BodyHashMismatch",
  /** The credential scope names another region than the one the server serves. */
  "WrongRegion",
  /** The credential scope names another signing name than the server's (e.g. `s3` at a `geo` endpoint). */
  "WrongService"
)
/** @since 0.1.0 */
export type SignatureErrorReason = typeof SignatureErrorReason.Type

/** A request failed SigV4 verification. The message says why, and never contains a secret. */
export class SignatureError extends Schema.TaggedError<SignatureError>()("SignatureError", {
  reason: SignatureErrorReason,
  message: Schema.String,
  /** For `WrongRegion`/`WrongService`: what the request was signed for, so the caller can word AWS's answer. */
  signedRegion: Schema.optional(Schema.String),
  signedService: Schema.optional(Schema.String),
  /** True when the signature came in the query (a presigned URL) rather than the Authorization header. */
  presigned: Schema.optional(Schema.Boolean)
}) {}
