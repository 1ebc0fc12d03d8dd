/**
 * The flexible checksums S3 accepts (`x-amz-checksum-<algorithm>`, as a header or an aws-chunked
 * trailer), computed while a body streams so a mismatch fails the upload before it is published.
 * CRC32, CRC32C, SHA-1 and SHA-256 are checked; CRC64NVME is accepted unchecked.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { type S3Error, S3Errors } from "./S3Error.js"

/** A running checksum. */
export interface Checksummer {
  readonly update: (bytes: Uint8Array) => void
  /** The base64 checksum, as S3 writes it. */
  readonly digest: () => string
}

const crcTable = (polynomial: number): Uint32Array => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}

const tables = { crc32: crcTable(0xedb88320), crc32c: crcTable(0x82f63b78) }

const crc = (table: Uint32Array): Checksummer => {
  let value = 0xffffffff
  return {
    update: (bytes) => {
      let c = value
      for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
      value = c
    },
    digest: () => {
      const out = Buffer.alloc(4)
      out.writeUInt32BE((value ^ 0xffffffff) >>> 0)
      return out.toString("base64")
    }
  }
}

const hash = (algorithm: "sha1" | "sha256"): Checksummer => {
  const h = createHash(algorithm)
  return { update: (bytes) => h.update(bytes), digest: () => h.digest("base64") }
}

/** The checksum algorithms S3 names, lowercase as in the header names. */
export const CHECKSUM_ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] as const

/** A checksummer for an algorithm, or undefined when it is not checked here. */
export const checksummer = (algorithm: string): Checksummer | undefined => {
  switch (algorithm) {
    case "crc32":
      return crc(tables.crc32)
    case "crc32c":
      return crc(tables.crc32c)
    case "sha1":
      return hash("sha1")
    case "sha256":
      return hash("sha256")
    default:
      return undefined
  }
}

/** The 16 bytes of a `Content-MD5` header (base64), `InvalidDigest` when it is not one. */
export const decodeMd5 = (bucket: string, key: string, header: string | undefined): Effect.Effect<Buffer | undefined, S3Error> => {
  if (header === undefined) return Effect.succeed(undefined)
  const trimmed = header.trim()
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0)
  return bytes.length === 16 ? Effect.succeed(bytes) : Effect.fail(S3Errors.invalidDigest(bucket, key))
}
