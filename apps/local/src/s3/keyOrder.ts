/**
 * Byte-order helpers for listing: keys are compared as UTF-8 bytes (as S3 lists them), and a page
 * boundary is carried as "the smallest key still to list".
 *
 * @internal
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { fatal: true })

/** UTF-8 bytes of a string, as a Buffer (bound to SQLite as a BLOB). */
export const utf8 = (text: string): Buffer => Buffer.from(encoder.encode(text))

/** The string of stored key bytes. */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes)

/** Whether `bytes` begins with `prefix`. */
export const startsWith = (bytes: Uint8Array, prefix: Uint8Array): boolean => {
  if (prefix.length > bytes.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false
  return true
}

/** The index of `needle` in `bytes` at or after `from`, or -1. */
export const indexOf = (bytes: Buffer, needle: Buffer, from: number): number =>
  needle.length === 0 ? -1 : bytes.indexOf(needle, from)

/** The smallest key greater than `key`: the key followed by a zero byte. */
export const after = (key: Uint8Array): Buffer => Buffer.concat([key, Buffer.of(0)])

/**
 * The smallest byte string greater than every string that begins with `prefix`: the prefix with its
 * last byte incremented (trailing 0xff bytes dropped; UTF-8 never holds 0xff, so this is exact).
 */
export const pastPrefix = (prefix: Uint8Array): Buffer => {
  const bytes = Buffer.from(prefix)
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0xff) end--
  if (end === 0) return Buffer.of(0xff, 0xff, 0xff, 0xff)
  const out = Buffer.from(bytes.subarray(0, end))
  out[end - 1] = out[end - 1]! + 1
  return out
}

/** The larger of two byte strings. */
export const max = (a: Buffer, b: Buffer): Buffer => (Buffer.compare(a, b) >= 0 ? a : b)

const TOKEN_PREFIX = "1."

/** An opaque continuation token for "list from this key on". */
export const encodeToken = (bound: Buffer): string => TOKEN_PREFIX + bound.toString("base64url")

/** The bound a continuation token stands for; `undefined` if it is not one of ours. */
export const decodeToken = (token: string): Buffer | undefined => {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined
  const body = token.slice(TOKEN_PREFIX.length)
  if (!/^[A-Za-z0-9_-]*$/.test(body)) return undefined
  return Buffer.from(body, "base64url")
}
