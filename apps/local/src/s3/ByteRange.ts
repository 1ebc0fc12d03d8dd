/**
 * HTTP byte ranges as S3 reads them: one range, `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header that
 * does not parse (or names several ranges) is ignored and the whole object is sent, as S3 does.
 *
 * @since 0.1.0
 */

/** A requested range, before the object's size is known. */
export type ByteRangeSpec =
  | { readonly _tag: "FromTo"; readonly start: number; readonly end: number | undefined }
  | { readonly _tag: "Suffix"; readonly length: number }

/** A satisfiable range of an object: `start` and `end` inclusive, as in `Content-Range`. */
export interface ResolvedRange {
  readonly start: number
  readonly end: number
}

const SINGLE = /^bytes=(\d*)-(\d*)$/

/** Parses a `Range` header; `undefined` when it is absent or not a single byte range. */
export const parseRangeHeader = (header: string | undefined): ByteRangeSpec | undefined => {
  if (header === undefined) return undefined
  const match = SINGLE.exec(header.trim())
  if (match === null) return undefined
  const [, from = "", to = ""] = match
  if (from === "" && to === "") return undefined
  // Digits past any object size stay numbers (Infinity at worst): a start beyond the object is
  // unsatisfiable and an end or suffix beyond it is clamped, as S3 treats them.
  if (from === "") return { _tag: "Suffix", length: Number(to) }
  const start = Number(from)
  const end = to === "" ? undefined : Number(to)
  if (end !== undefined && end < start) return undefined
  return { _tag: "FromTo", start, end }
}

/**
 * Resolves a range against an object's size: the inclusive byte span to send, or `"unsatisfiable"`
 * (answered 416 `InvalidRange`).
 */
export const resolveRange = (spec: ByteRangeSpec, size: number): ResolvedRange | "unsatisfiable" => {
  if (spec._tag === "Suffix") {
    if (spec.length === 0 || size === 0) return "unsatisfiable"
    return { start: Math.max(0, size - Math.min(spec.length, size)), end: size - 1 }
  }
  if (spec.start >= size) return "unsatisfiable"
  return { start: spec.start, end: spec.end === undefined ? size - 1 : Math.min(spec.end, size - 1) }
}
