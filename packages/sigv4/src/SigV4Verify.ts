/**
 * Server-side SigV4 verification, for the local service: rebuilds the canonical request exactly as
 * the signer built it (the signed headers it named, its canonical query, its path escaping) and
 * compares signatures in constant time.
 *
 * Supports header auth (`Authorization: AWS4-HMAC-SHA256 …`) and presigned URLs (`X-Amz-*` query
 * parameters); `x-amz-content-sha256` as a hex hash (checked against the body), `UNSIGNED-PAYLOAD`
 * and the streaming forms (seed signature checked, body not hashed; `AwsChunked` decodes the body).
 * Paths are escaped once more for every service but `s3`, as the AWS SDKs sign them. The canonical
 * forms, hashing and key derivation are the signer's own (`internal/signer.ts`): one set of rules.
 * The reading and checking are in `internal/verifier.ts`; the error is `SignatureError`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import {
  BODY_HASH,
  check,
  DEFAULT_MAX_SKEW_MS,
  HEX_SHA256,
  literalPayloadHashes,
  malformed,
  parse,
  type Parsed,
  UNSIGNED_PAYLOAD
} from "./internal/verifier.js"
import { SignatureError } from "./SignatureError.js"
import type { Sha256Constructor } from "./SigV4.js"

export { SignatureError, SignatureErrorReason } from "./SignatureError.js"

/** A request as the server received it. */
export interface IncomingRequest {
  readonly method: string
  /** The raw request target: path and query as received (an absolute URL is accepted too). */
  readonly url: string
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: Uint8Array | undefined
}

/** How to verify. */
export interface VerifyOptions {
  /** The secret of an access key id, or undefined when the key is unknown. */
  readonly lookupSecret: (accessKeyId: string) => string | undefined
  /** The server's time. */
  readonly now: Date
  /** How far the signing time may be from `now` (header auth) or ahead of it (presigned). Default 15 minutes. */
  readonly maxSkewMs?: number | undefined
  readonly sha256: Sha256Constructor
  /**
   * The credential scope the server accepts. AWS refuses a signature made for another region or
   * another signing name even when it is otherwise right, so a key cannot be replayed across
   * services; leave it out to accept any scope.
   */
  readonly scope?: { readonly region: string; readonly service: string } | undefined
}

/** What a verified request was signed with. */
export interface VerifiedRequest {
  readonly accessKeyId: string
  readonly region: string
  readonly service: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signedAt: Date
  readonly presigned: boolean
  /** The payload hash that was signed: a hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-…` value. */
  readonly payloadHash: string
}

/**
 * Verifies a SigV4-signed request (header or presigned). Succeeds with what it was signed with;
 * fails with a `SignatureError` naming why.
 */
export const verifyRequest = (
  request: IncomingRequest,
  options: VerifyOptions
): Effect.Effect<VerifiedRequest, SignatureError> =>
  Effect.suspend(() => {
    let read: ReturnType<typeof parse>
    try {
      read = parse(request)
    } catch (error) {
      if (error instanceof SignatureError) return Effect.fail(error)
      return Effect.die(error)
    }

    let payloadHashes: ReadonlyArray<string | typeof BODY_HASH> = [BODY_HASH]
    let bodyHash: string | undefined
    const declared = read.declaredHash
    if (declared !== undefined) {
      if (HEX_SHA256.test(declared)) bodyHash = declared
      else if (!literalPayloadHashes.has(declared)) {
        return Effect.fail(malformed(`x-amz-content-sha256 '${declared}' is neither a hex SHA-256 nor a known payload mode`))
      }
      payloadHashes = [declared]
    } else if (read.presigned) {
      // A presigned URL that names no payload hash: S3 presigners sign UNSIGNED-PAYLOAD, smithy's
      // generic presigner the body's hash (of nothing, for a GET). Try the likely one first.
      payloadHashes = read.service === "s3" ? [UNSIGNED_PAYLOAD, BODY_HASH] : [BODY_HASH, UNSIGNED_PAYLOAD]
    }
    const parsed: Parsed = { ...read, payloadHashes, bodyHash }

    // The scope is part of the credential, checked as it is read (before the key is looked up), as AWS does.
    const scope = options.scope
    if (scope !== undefined && parsed.service !== scope.service) {
      return Effect.fail(
        new SignatureError({
          reason: "WrongService",
          message: `the credential is scoped to service '${parsed.service}', not '${scope.service}'`,
          signedRegion: parsed.region,
          signedService: parsed.service,
          presigned: parsed.presigned
        })
      )
    }
    if (scope !== undefined && parsed.region !== scope.region) {
      return Effect.fail(
        new SignatureError({
          reason: "WrongRegion",
          message: `the credential is scoped to region '${parsed.region}', not '${scope.region}'`,
          signedRegion: parsed.region,
          signedService: parsed.service,
          presigned: parsed.presigned
        })
      )
    }

    const secret = options.lookupSecret(parsed.accessKeyId)
    if (secret === undefined) {
      return Effect.fail(
        new SignatureError({ reason: "UnknownAccessKey", message: `the access key id ${parsed.accessKeyId} is not known` })
      )
    }

    const now = options.now.getTime()
    const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS
    const signedAtText = new Date(parsed.signedAt).toISOString()
    if (parsed.expiresS !== undefined) {
      if (parsed.signedAt - now > maxSkewMs) {
        return Effect.fail(
          new SignatureError({
            reason: "Expired",
            message: `the URL was signed at ${signedAtText}, ahead of the server time ${options.now.toISOString()}`
          })
        )
      }
      if (now > parsed.signedAt + parsed.expiresS * 1000) {
        return Effect.fail(
          new SignatureError({
            reason: "Expired",
            message: `the URL signed at ${signedAtText} expired after ${parsed.expiresS} s (server time ${options.now.toISOString()})`
          })
        )
      }
    } else if (Math.abs(now - parsed.signedAt) > maxSkewMs) {
      return Effect.fail(
        new SignatureError({
          reason: "Expired",
          message: `the request was signed at ${signedAtText}, more than ${
            Math.round(maxSkewMs / 60000)
          } minutes from the server time ${options.now.toISOString()}`
        })
      )
    }

    // A hash implementation that rejects is a defect, not a property of the request.
    return Effect.flatMap(Effect.promise(() => check(request, parsed, secret, options.sha256)), (result) =>
      typeof result === "string"
        ? Effect.succeed<VerifiedRequest>({
          accessKeyId: parsed.accessKeyId,
          region: parsed.region,
          service: parsed.service,
          signedHeaders: parsed.signedHeaders,
          signedAt: new Date(parsed.signedAt),
          presigned: parsed.presigned,
          payloadHash: result
        })
        : Effect.fail(result))
  })
