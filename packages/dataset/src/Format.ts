/**
 * Telling Parquet, CSV, TSV, JSON Lines and JSON apart: by the name's extension, and by content
 * (the `PAR1` magic for Parquet). A file whose content contradicts its extension is an error that
 * names the file. TSV is CSV with tabs; JSON is one array of objects.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { ByteSource } from "./Bytes.js"
import * as DatasetError from "./DatasetError.js"
import * as TextEncoding from "./TextEncoding.js"

/** The formats this package reads and writes. */
export type Format = "parquet" | "csv" | "tsv" | "jsonl" | "json"

/** All formats. */
export const formats: ReadonlyArray<Format> = ["parquet", "csv", "tsv", "jsonl", "json"]

/** The usual extension of a format's files (without the dot). */
export const extensionOf: Readonly<Record<Format, string>> = {
  parquet: "parquet",
  csv: "csv",
  tsv: "tsv",
  jsonl: "jsonl",
  json: "json"
}

/** Whether the format is text read by the CSV reader (CSV or TSV). */
export const isDelimited = (format: Format): format is "csv" | "tsv" => format === "csv" || format === "tsv"

const extensions: ReadonlyArray<readonly [string, Format]> = [
  [".parquet", "parquet"],
  [".pq", "parquet"],
  [".parq", "parquet"],
  [".csv", "csv"],
  [".tsv", "tsv"],
  [".tab", "tsv"],
  [".jsonl", "jsonl"],
  [".ndjson", "jsonl"],
  [".jsonlines", "jsonl"],
  [".json", "json"]
]

/** The format a name's extension claims (case-insensitive), if any. */
export const fromExtension = (name: string): Format | undefined => {
  const lower = name.toLowerCase()
  for (const [extension, format] of extensions) if (lower.endsWith(extension)) return format
  return undefined
}

/** The bytes every Parquet file starts and ends with. */
export const PARQUET_MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]) // "PAR1"

const isMagic = (bytes: Uint8Array, offset: number): boolean =>
  bytes.length >= offset + 4 &&
  bytes[offset] === 0x50 &&
  bytes[offset + 1] === 0x41 &&
  bytes[offset + 2] === 0x52 &&
  bytes[offset + 3] === 0x31

/** What the first bytes of a file look like. */
export type Sniffed = Format | "gzip" | "zip" | "binary" | "empty" | undefined

/**
 * Guesses a format from the first bytes of a file: `PAR1` → parquet; `{` (after a BOM and
 * whitespace) → jsonl; `[` → json; other text → csv (UTF-8, or UTF-16 with its byte-order
 * mark); gzip/zip magic and control bytes are reported as such.
 */
export const sniff = (head: Uint8Array): Sniffed => {
  if (head.length === 0) return "empty"
  if (isMagic(head, 0)) return "parquet"
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip"
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "zip"
  const { encoding, bom } = TextEncoding.detect(head)
  const text = encoding === "utf-8" ? head.subarray(bom) : new TextEncoder().encode(
    new TextDecoder(encoding, { ignoreBOM: true }).decode(head.subarray(bom, bom + ((head.length - bom) & ~1)))
  )
  for (let j = 0; j < text.length; j++) {
    const b = text[j]!
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)) return "binary"
  }
  let i = 0
  while (i < text.length && (text[i] === 0x20 || text[i] === 0x09 || text[i] === 0x0a || text[i] === 0x0d)) i++
  if (i === text.length) return "empty"
  return text[i] === 0x7b ? "jsonl" : text[i] === 0x5b ? "json" : "csv"
}

const describeSniffed = (sniffed: Sniffed): string => {
  switch (sniffed) {
    case "parquet":
      return "a Parquet file"
    case "jsonl":
      return "JSON Lines"
    case "json":
      return "a JSON array"
    case "tsv":
    case "csv":
      return "text"
    case "gzip":
      return "gzip-compressed data (decompress it first)"
    case "zip":
      return "a zip archive"
    case "binary":
      return "binary data"
    case "empty":
      return "empty"
    default:
      return "unrecognised content"
  }
}

/** Reads up to `n` bytes from the start of a source. */
export const head = (source: ByteSource, n = 4096): Promise<Uint8Array> =>
  source.byteLength === 0
    ? Promise.resolve(new Uint8Array(0))
    : source.slice(0, Math.min(n, source.byteLength)).then((buffer) => new Uint8Array(buffer))

/**
 * Checks that `source` looks like a Parquet file: at least 12 bytes, `PAR1` at both ends.
 * Fails with `UnreadableParquet` naming the file otherwise.
 */
export const checkParquetMagic = (source: ByteSource, file: string): Effect.Effect<void, DatasetError.DatasetError> =>
  Effect.tryPromise({
    try: async () => {
      if (source.byteLength < 12) {
        return `not a Parquet file: ${source.byteLength} bytes is too short to hold the PAR1 header and footer`
      }
      const first = new Uint8Array(await source.slice(0, 4))
      if (!isMagic(first, 0)) {
        const looks = sniff(await head(source, 512))
        return `not a Parquet file: it does not start with the PAR1 magic bytes (the content looks like ${describeSniffed(looks)})`
      }
      const last = new Uint8Array(await source.slice(source.byteLength - 4, source.byteLength))
      if (!isMagic(last, 0)) return "not a complete Parquet file: it does not end with the PAR1 magic bytes (truncated?)"
      return undefined
    },
    catch: DatasetError.fromUnknown(file, "ReadFailed", "could not read the file")
  }).pipe(
    Effect.flatMap((problem) =>
      problem === undefined ? Effect.void : Effect.fail(DatasetError.make(file, "UnreadableParquet", problem))
    )
  )

/**
 * The format of a file: its extension decides when it has a known one, and the content must
 * agree (a `.parquet` without the magic is `UnreadableParquet`; a `.csv` or `.jsonl` that is
 * really Parquet, gzip or binary is `NotCsv`/`NotJsonLines`). Without a known extension the
 * content decides; if it cannot, `UnknownFormat`.
 */
export const detect = (
  source: ByteSource,
  file: string,
  claimed: Format | undefined = fromExtension(file)
): Effect.Effect<Format, DatasetError.DatasetError> =>
  Effect.gen(function* () {
    if (claimed === "parquet") {
      yield* checkParquetMagic(source, file)
      return "parquet" as const
    }
    const sniffed = yield* Effect.tryPromise({
      try: () => head(source),
      catch: DatasetError.fromUnknown(file, "ReadFailed", "could not read the file")
    }).pipe(Effect.map(sniff))
    if (claimed !== undefined) {
      const bad = sniffed === "parquet" || sniffed === "gzip" || sniffed === "zip" || sniffed === "binary"
      if (bad) {
        const [reason, name] = isDelimited(claimed)
          ? ["NotCsv" as const, claimed.toUpperCase()]
          : ["NotJsonLines" as const, claimed === "json" ? "JSON" : "JSON Lines"]
        return yield* Effect.fail(
          DatasetError.make(file, reason, `not ${name}: the content is ${describeSniffed(sniffed)}`)
        )
      }
      // a .json file of one object per line is JSON Lines
      if (claimed === "json" && sniffed === "jsonl") return "jsonl" as const
      return claimed
    }
    if (sniffed === "parquet") {
      yield* checkParquetMagic(source, file)
      return "parquet" as const
    }
    if (sniffed === "jsonl" || sniffed === "json" || sniffed === "csv") return sniffed
    return yield* Effect.fail(
      DatasetError.make(
        file,
        "UnknownFormat",
        `cannot tell the format: the name has no .parquet, .csv, .tsv, .jsonl or .json extension and the content is ${describeSniffed(sniffed)}`
      )
    )
  })
