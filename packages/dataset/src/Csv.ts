/**
 * CSV reading (csv-parse, streamed block by block, chunks of N rows) and writing
 * (csv-stringify, one chunk at a time).
 *
 * Reading: the first record is the header; headers are mapped to spec column names through
 * `AddressColumns.mapHeaders` (so `zip`, `City`, `postal code`… work), unknown headers pass
 * through. Empty fields are `null` (CSV cannot tell an empty string from a missing value). A
 * record with the wrong number of fields does not fail the file: its row carries a per-row
 * problem (`AddressColumns.RowError`). Row numbers in problems count data rows from 1 (the
 * header is row 0).
 *
 * The delimiter is detected from the first lines (`,` `;` tab `|`) unless given; the text is
 * UTF-8 (with or without a byte-order mark) or UTF-16 with its mark (see `TextEncoding`).
 *
 * Uses csv-parse's Node stream API (`stream` module): runs on Node, Bun and Deno.
 *
 * @since 0.1.0
 */
import { Parser } from "csv-parse"
import { parse as parseSync } from "csv-parse/sync"
import { stringify } from "csv-stringify/sync"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { mapHeaders } from "./AddressColumns.js"
import type { Row } from "./AddressColumns.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import * as Chunk from "./Chunk.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as Contract from "./Contract.js"
import * as DatasetError from "./DatasetError.js"
import * as DatasetWriter from "./DatasetWriter.js"
import * as Format from "./Format.js"
import * as TextEncoding from "./TextEncoding.js"

/** Options for the CSV readers. */
export interface ReadOptions {
  /** Rows per chunk. Default 10,000. */
  readonly chunkSize?: number
  /** Field delimiter. Default: detected from the first lines (see {@link detectDelimiter}). */
  readonly delimiter?: string
  /** Fail with `NoAddressColumns` unless an address column is among the (mapped) headers. Default `true`. */
  readonly requireAddressColumns?: boolean
  /** Map common header spellings to spec names (see README). Default `true`. */
  readonly mapHeaders?: boolean
}

const DEFAULT_CHUNK = 10_000

const waitDrainOrClose = (parser: Parser): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      parser.off("drain", done)
      parser.off("close", done)
      resolve()
    }
    parser.on("drain", done)
    parser.on("close", done)
  })


/** The delimiters {@link detectDelimiter} considers, in order of preference. */
export const delimiters: ReadonlyArray<string> = [",", ";", "\t", "|"]

/**
 * The delimiter of a CSV text from its first lines: of `,` `;` tab `|`, the one that splits the
 * header into the most fields while the next lines have as many (quotes respected). `,` when
 * none splits the header.
 */
export const detectDelimiter = (sample: string): string => {
  // whole lines only (a line cut in the middle would look inconsistent); a text with no line
  // break at all is one header line
  const end = Math.max(sample.lastIndexOf("\n"), sample.lastIndexOf("\r"))
  const text = end > 0 ? sample.slice(0, end) : sample
  let best = ","
  let bestScore = 0
  for (const delimiter of delimiters) {
    let records: Array<Array<string>>
    try {
      records = parseSync(text, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to_line: 20
      }) as Array<Array<string>>
    } catch {
      continue // e.g. a quoted field cut by the sample's end
    }
    const width = records[0]?.length ?? 0
    if (width < 2) continue
    const rows = records.slice(1)
    const consistent = rows.length === 0 ? 1 : rows.filter((r) => r.length === width).length / rows.length
    // consistency first, then the number of fields
    const score = consistent * 1000 + Math.min(width, 999)
    if (score > bestScore) {
      best = delimiter
      bestScore = score
    }
  }
  return best
}

/** What a CSV file is written in: its delimiter (given or detected) and character encoding. */
export interface Dialect {
  readonly delimiter: string
  readonly encoding: TextEncoding.Encoding
}

const dialectOf = async (source: ByteSource, options: { readonly delimiter?: string | undefined }): Promise<Dialect> => {
  const head = new Uint8Array(await source.slice(0, Math.min(source.byteLength, 4)))
  const { encoding } = TextEncoding.detect(head)
  const delimiter = options.delimiter ?? detectDelimiter(await TextEncoding.sample(source))
  return { delimiter, encoding }
}

/** The delimiter and encoding the readers will use for a CSV source (with `options.delimiter`, that one). */
export const dialect = (
  source: ByteSource,
  file: string,
  options: { readonly delimiter?: string | undefined } = {}
): Effect.Effect<Dialect, DatasetError.DatasetError> =>
  Effect.tryPromise({ try: () => dialectOf(source, options), catch: readError(file) })

/**
 * The csv-parse options the readers use (with the delimiter): the parallel conversion
 * (`NodeParallel`) gives its csv-parse the same, so that both read a text alike.
 *
 * @internal
 */
export const parserOptions = (delimiter: string) => ({ delimiter, relax_column_count: true, skip_empty_lines: true }) as const

/**
 * The column names of a header record as the readers name them: a blank header is
 * `column_<n>`; then mapped to the spec's names (`mapHeaders`), or with `mapped` false only made
 * unique.
 *
 * @internal
 */
export const columnNames = (header: ReadonlyArray<string>, mapped = true): Array<string> => {
  const headers = header.map((name, i) => (name.trim() === "" ? `column_${i + 1}` : name))
  return mapped ? mapHeaders(headers) : Chunk.uniqueNames(headers)
}

async function* chunks(
  source: ByteSource,
  file: string,
  options: ReadOptions & { readonly headerOnly?: boolean }
): AsyncGenerator<ColumnarChunk> {
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK)
  const { delimiter } = await dialectOf(source, options)
  const parser = new Parser({ bom: true, ...parserOptions(delimiter) })
  // feed the parser block by block, as UTF-8 (checked, or converted from UTF-16)
  void (async () => {
    try {
      for await (const block of TextEncoding.utf8Blocks(source)) {
        if (parser.destroyed) return
        if (!parser.write(block)) await waitDrainOrClose(parser)
      }
      parser.end()
    } catch (cause) {
      const error = cause instanceof TextEncoding.InvalidText
        ? DatasetError.make(file, "NotCsv", `not CSV: ${TextEncoding.explain(cause, file)}`)
        : cause
      parser.destroy(error instanceof Error ? error : new Error(String(error)))
    }
  })()

  let names: Array<string> | undefined
  let width = 0
  let data: Array<Array<string | null>> = []
  let rowErrors: Array<string | null> | undefined
  let n = 0
  const flush = (): ColumnarChunk => {
    const record: Record<string, Array<string | null>> = Object.create(null)
    for (let c = 0; c < width; c++) {
      const array = data[c]!
      if (array.length !== n) array.length = n
      record[names![c]!] = array
    }
    const chunk: ColumnarChunk =
      rowErrors === undefined ? { columns: names!, data: record, length: n } : { columns: names!, data: record, length: n, rowErrors: rowErrors.slice(0, n) }
    data = names!.map(() => new Array<string | null>(chunkSize))
    rowErrors = undefined
    n = 0
    return chunk
  }

  let dataRow = 0
  for await (const record of parser as AsyncIterable<Array<string>>) {
    if (names === undefined) {
      names = columnNames(record, options.mapHeaders !== false)
      width = names.length
      if (options.requireAddressColumns ?? true) {
        const problem = Contract.checkAddressColumns(file, names)
        if (problem !== undefined) throw problem
      }
      data = names.map(() => new Array<string | null>(chunkSize))
      if (options.headerOnly) {
        yield { columns: names, data: Object.fromEntries(names.map((name) => [name, []])), length: 0 }
        return
      }
      continue
    }
    dataRow++
    const count = record.length
    for (let c = 0; c < width; c++) {
      const value = c < count ? record[c]! : ""
      data[c]![n] = value === "" ? null : value
    }
    if (count !== width) {
      rowErrors ??= new Array<string | null>(chunkSize).fill(null)
      rowErrors[n] = `row ${dataRow}: ${count} field${count === 1 ? "" : "s"}, but the header has ${width}`
    }
    n++
    if (n === chunkSize) yield flush()
  }
  if (names === undefined) {
    // empty file: no header at all
    if (options.requireAddressColumns ?? true) {
      const problem = Contract.checkAddressColumns(file, [])
      if (problem !== undefined) throw problem
    }
    return
  }
  if (n > 0) yield flush()
}

const readError = (file: string) => (cause: unknown): DatasetError.DatasetError => {
  if (cause instanceof DatasetError.DatasetError) return cause
  const code = (cause as { code?: unknown } | null)?.code
  if (typeof code === "string" && code.startsWith("CSV_")) {
    return DatasetError.make(file, "NotCsv", `not CSV: ${DatasetError.describe(cause)}`, { cause })
  }
  return DatasetError.make(file, "ReadFailed", `could not read: ${DatasetError.describe(cause)}`, { cause })
}

/** The rows of a CSV source in columnar chunks of `chunkSize` rows. */
export const readColumnar = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> =>
  Stream.unwrap(
    Effect.as(
      Format.detect(source, file, "csv"),
      Stream.fromAsyncIterable(chunks(source, file, options), readError(file))
    )
  )

/** The column names of a CSV source (its header, mapped like the readers map it). */
export const header = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Effect.Effect<ReadonlyArray<string>, DatasetError.DatasetError> =>
  Stream.unwrap(
    Effect.as(
      Format.detect(source, file, "csv"),
      Stream.fromAsyncIterable(chunks(source, file, { ...options, headerOnly: true }), readError(file))
    )
  ).pipe(
    Stream.runHead,
    Effect.map((first) => (first._tag === "Some" ? first.value.columns : []))
  )

/** The rows of a CSV source in chunks of `chunkSize` rows. */
export const read = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ReadonlyArray<Row>, DatasetError.DatasetError> => Stream.map(readColumnar(source, file, options), Chunk.toRows)

// ---------------------------------------------------------------------------------------------

/** Options for the CSV writer. */
export interface WriteOptions {
  readonly delimiter?: string
  /** Start the file with a UTF-8 BOM (helps Excel). Default `false`. */
  readonly bom?: boolean
}

/** Text of a value in CSV: null → empty field; booleans `true`/`false`; numbers as JS prints them. */
export const cellText = (value: Value): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "boolean") return value ? "true" : "false"
  return String(value)
}

/**
 * One CSV field as csv-stringify writes it with its defaults (what the header goes through): an
 * empty string as nothing; a value holding the delimiter, a quote, `\n` or `\r` in quotes, its
 * quotes doubled; anything else as it is. Written out here for the rows because csv-stringify's
 * per-field option handling made writing a validated file (62 columns) cost several times
 * reading it; `Csv.test.ts` checks both give the same bytes over hostile values.
 */
export const field = (value: string, special: RegExp): string =>
  value.length === 0 || !special.test(value) ? value : `"${value.replaceAll("\"", "\"\"")}"`

/** The characters that make a field need quotes, for `delimiter`. */
export const specialFor = (delimiter: string): RegExp =>
  new RegExp(`["\\n\\r${delimiter.replace(/[\\\]^-]/g, "\\$&")}]`)

/** Rows per encoded piece: a piece's strings die young, so the collector's work stays small. */
const slice = 32

/** The encoder used by {@link writer}. */
export const encoder = (columns: ReadonlyArray<DatasetWriter.Column>, options: WriteOptions = {}): DatasetWriter.FormatEncoder => {
  const textEncoder = new TextEncoder()
  const delimiter = options.delimiter ?? ","
  const special = specialFor(delimiter)
  const names = columns.map((c) => c.name)
  return {
    start: () => [textEncoder.encode((options.bom ? "\ufeff" : "") + stringify([names], { delimiter }))],
    encode: (length, values) => {
      const arrays = names.map((name) => values(name))
      const pieces: Array<Uint8Array> = []
      for (let from = 0; from < length; from += slice) {
        const to = Math.min(length, from + slice)
        let text = ""
        for (let i = from; i < to; i++) {
          for (let c = 0; c < arrays.length; c++) {
            const array = arrays[c]
            if (c > 0) text += delimiter
            if (array !== undefined) text += field(cellText(array[i]), special)
          }
          text += "\n"
        }
        pieces.push(textEncoder.encode(text))
      }
      return pieces
    },
    // a chunk encoded apart is whole lines of the same columns (see `Dataset.chunkEncoder`)
    append: (chunk) => {
      if (chunk.format !== "csv") throw new Error(`a ${chunk.format} chunk cannot go into a CSV file`)
      return [chunk.bytes]
    },
    finish: () => []
  }
}

/**
 * A CSV writer over `sink`: a header row with the column names, then one line per row.
 * Fields with the delimiter, quotes or line breaks are quoted. `null` is an empty field, so
 * CSV cannot tell `null` from `""` (the reader reads both as `null`).
 */
export const writer = (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns,
  options: WriteOptions = {}
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.flatMap(DatasetWriter.resolveColumns(file, columns), (resolved) =>
    DatasetWriter.make(file, sink, resolved, encoder(resolved, options))
  )
