/**
 * Bucket-name and object-key rules. Keys are only ever strings here: they are validated for length
 * and encoding, never turned into file paths.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { S3Errors, type S3Error } from "./S3Error.js"

const encoder = new TextEncoder()

/** The most UTF-8 bytes a key may have (S3's limit). */
export const MAX_KEY_BYTES = 1024

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/
const BUCKET_CHARS = /^[a-z0-9.-]+$/

/**
 * Names the local service cannot serve as buckets: its one port routes `/metadata/…` to the Jobs
 * API (path-style S3 would put a bucket there), so such a bucket could be created but never used.
 */
const RESERVED: ReadonlyMap<string, string> = new Map([
  ["metadata", "the name 'metadata' is reserved by the local service, which routes /metadata/… to the Jobs API"]
])

/** Why `name` is not a valid S3 bucket name (general-purpose bucket rules), or undefined if it is. */
export const bucketNameProblem = (name: string): string | undefined => {
  if (name.length < 3 || name.length > 63) return "a bucket name must be 3 to 63 characters long"
  const reserved = RESERVED.get(name)
  if (reserved !== undefined) return reserved
  if (!BUCKET_CHARS.test(name)) return "a bucket name may hold only lowercase letters, digits, dots and hyphens"
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "a bucket name must begin and end with a letter or a digit"
  }
  if (name.includes("..")) return "a bucket name must not hold two adjacent dots"
  if (IPV4.test(name)) return "a bucket name must not be formatted as an IP address"
  if (name.startsWith("xn--") || name.startsWith("sthree-")) return "a bucket name must not use a reserved prefix"
  if (name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith("--x-s3")) {
    return "a bucket name must not use a reserved suffix"
  }
  return undefined
}

/** Fails with `InvalidBucketName` unless `name` follows S3's bucket naming rules. */
export const checkBucketName = (name: string): Effect.Effect<void, S3Error> => {
  const problem = bucketNameProblem(name)
  return problem === undefined ? Effect.void : Effect.fail(S3Errors.invalidBucketName(name, problem))
}

/** A lone UTF-16 surrogate cannot be encoded as UTF-8: such a key could not round-trip. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The key's UTF-8 bytes, failing when it is empty, longer than 1024 bytes or not encodable. */
export const keyBytes = (bucket: string, key: string): Effect.Effect<Uint8Array, S3Error> => {
  if (key.length === 0) return Effect.fail(S3Errors.invalidKey(bucket, "a key must not be empty"))
  if (LONE_SURROGATE.test(key)) return Effect.fail(S3Errors.invalidKey(bucket, "a key must be valid UTF-8"))
  const bytes = encoder.encode(key)
  if (bytes.length > MAX_KEY_BYTES) return Effect.fail(S3Errors.keyTooLong(bucket))
  return Effect.succeed(bytes)
}
