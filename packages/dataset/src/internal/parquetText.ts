/**
 * Parquet values as text: the conversions of hyparquet's parsers (a DATE as `YYYY-MM-DD`), any
 * decoded value to a string or the reason it cannot be one, and PLAIN strings cut straight out
 * of page bytes.
 *
 * @internal
 */
import { DEFAULT_PARSERS } from "hyparquet/src/convert.js"

/** hyparquet's parsers, except that a DATE becomes `YYYY-MM-DD` rather than a midnight `Date`. */
export const PARSERS: typeof DEFAULT_PARSERS = {
  ...DEFAULT_PARSERS,
  dateFromDays: (days: number) => {
    const date = new Date(days * 86_400_000)
    return Number.isNaN(date.getTime()) ? date : date.toISOString().slice(0, 10)
  }
}

// ignoreBOM: a value that starts with U+FEFF keeps it (by default the decoder drops it)
export const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
// windows-1252 (what "latin1" means to TextDecoder) maps every byte to exactly one UTF-16
// unit, so offsets into the decoded page string equal byte offsets; ASCII bytes decode to
// themselves. Fallback where Node's Buffer is absent.
const latin1 = new TextDecoder("latin1")

/** A value that cannot be a string: the problem message's tail. */
export class NotText {
  constructor(readonly why: string) {}
}

export const toText = (value: unknown): string | null | NotText => {
  switch (typeof value) {
    case "string":
      return value
    case "number":
      return String(value)
    case "bigint":
      return value.toString()
    case "boolean":
      return value ? "true" : "false"
    case "undefined":
      return null
    case "object": {
      if (value === null) return null
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? new NotText("an invalid date") : value.toISOString()
      }
      if (value instanceof Uint8Array) {
        try {
          return utf8.decode(value)
        } catch {
          return new NotText("bytes that are not valid UTF-8")
        }
      }
      if (Array.isArray(value)) return new NotText("a list value cannot be read as a string")
      return new NotText("a struct/map value cannot be read as a string")
    }
    default:
      return new NotText(`a ${typeof value} value cannot be read as a string`)
  }
}

// Node's Buffer decodes one-byte text faster than TextDecoder; used when present.
const NodeBuffer = (globalThis as {
  Buffer?: { from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "latin1"): string } }
}).Buffer

/** The bytes as a string of one UTF-16 unit per byte (so string offsets equal byte offsets). */
export const oneBytePerChar = (bytes: Uint8Array): string =>
  NodeBuffer !== undefined
    ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")
    : latin1.decode(bytes)

export const NON_ASCII = /[^\x00-\x7f]/

/** Whether every byte of `bytes[from, to)` is ASCII. */
export const isAscii = (bytes: Uint8Array, from: number, to: number): boolean => {
  for (let j = from; j < to; j++) if (bytes[j]! > 0x7f) return false
  return true
}

/**
 * PLAIN BYTE_ARRAY values straight from page bytes (a dictionary page): the page is turned into
 * one JS string (one char per byte) once, and each ASCII value is a `substring` of it; values
 * with non-ASCII bytes are decoded on their own (strict UTF-8).
 */
export const readPlainStrings = (
  bytes: Uint8Array,
  offset: number,
  count: number,
  emit: (value: string | null | NotText) => void
): void => {
  const end = bytes.length
  const text = oneBytePerChar(bytes)
  // usual case: the whole page is ASCII (text and lengths < 128) → no per-value checks
  const pageAscii = !NON_ASCII.test(text)
  let p = offset
  for (let k = 0; k < count; k++) {
    if (p + 4 > end) throw new Error("page ends inside a value length")
    const n = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0
    p += 4
    const stop = p + n
    if (stop > end) throw new Error("page ends inside a value")
    if (pageAscii || isAscii(bytes, p, stop)) {
      emit(text.substring(p, stop))
    } else {
      try {
        emit(utf8.decode(bytes.subarray(p, stop)))
      } catch {
        emit(new NotText("bytes that are not valid UTF-8"))
      }
    }
    p = stop
  }
}
