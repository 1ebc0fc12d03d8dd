/**
 * Format-generic reading, writing and conversion over `ByteSource`/`ByteSink`: the format
 * comes from the name's extension or the content (see `Format.detect`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Row } from "./AddressColumns.js"
import { type ByteSink, type ByteSource, concat } from "./Bytes.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as Csv from "./Csv.js"
import * as DatasetError from "./DatasetError.js"
import type * as DatasetWriter from "./DatasetWriter.js"
import * as Format from "./Format.js"
import * as JsonArray from "./JsonArray.js"
import * as JsonLines from "./JsonLines.js"
import * as Parquet from "./Parquet.js"

/** Options for {@link read} / {@link readColumnar}. */
export interface ReadOptions {
  /** The format; by default from the extension, else from the content. */
  readonly format?: Format.Format
  /** Fail with `NoAddressColumns` unless an address column is present. Default `true`. */
  readonly requireAddressColumns?: boolean
  /** CSV/JSON Lines rows per chunk (default 10,000). Parquet: at most this many rows per row-form chunk (default: a whole row group). */
  readonly chunkSize?: number
  /** CSV delimiter (default: detected; a tab for TSV). */
  readonly delimiter?: string
  /**
   * Map CSV/JSON headers to the spec's column names (`AddressColumns.mapHeaders`). Default
   * `true`; `false` keeps the file's own names (duplicates still made unique).
   */
  readonly mapHeaders?: boolean
  /**
   * Parquet: decode only these columns (see `Parquet.ReadOptions.columns`); the text formats
   * read every column.
   *
   * @since 0.4.0
   */
  readonly columns?: ReadonlyArray<string> | undefined
}

/** The delimiter option of the CSV reader for a delimited format. */
const delimiterOf = (format: "csv" | "tsv", options: ReadOptions) =>
  options.delimiter !== undefined ? { delimiter: options.delimiter } : format === "tsv" ? { delimiter: "\t" } : {}

const textOptions = (options: ReadOptions) => ({
  ...(options.mapHeaders !== undefined ? { mapHeaders: options.mapHeaders } : {}),
  ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
  ...(options.requireAddressColumns !== undefined ? { requireAddressColumns: options.requireAddressColumns } : {})
})

/** Reads any supported format in columnar chunks. */
export const readColumnar = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> =>
  Stream.unwrap(
    Effect.map(Format.detect(source, file, options.format ?? Format.fromExtension(file)), (format) => {
      switch (format) {
        case "parquet":
          return Parquet.readColumnar(source, file, {
            ...textOptions(options),
            ...(options.columns !== undefined ? { columns: options.columns } : {})
          })
        case "csv":
        case "tsv":
          return Csv.readColumnar(source, file, { ...textOptions(options), ...delimiterOf(format, options) })
        case "jsonl":
          return JsonLines.readColumnar(source, file, textOptions(options))
        case "json":
          return JsonArray.readColumnar(source, file, textOptions(options))
      }
    })
  )

/** Reads any supported format in row chunks. */
export const read = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ReadonlyArray<Row>, DatasetError.DatasetError> =>
  readColumnar(source, file, options).pipe(
    Stream.mapConcat((chunk) => Parquet.toRowChunks(chunk, options.chunkSize))
  )

/** Options for {@link writer}. */
export interface WriteOptions {
  /** The format; by default from the extension of `file`. */
  readonly format?: Format.Format
  readonly parquet?: Parquet.WriteOptions
  readonly csv?: Csv.WriteOptions
}

/** A writer for the format of `file` (or `options.format`). */
export const writer = (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns,
  options: WriteOptions = {}
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> => {
  const format = options.format ?? Format.fromExtension(file)
  switch (format) {
    case "parquet":
      return Parquet.writer(sink, file, columns, options.parquet)
    case "csv":
      return Csv.writer(sink, file, columns, options.csv)
    case "tsv":
      return Csv.writer(sink, file, columns, { ...options.csv, delimiter: "\t" })
    case "jsonl":
      return JsonLines.writer(sink, file, columns)
    case "json":
      return JsonArray.writer(sink, file, columns)
    case undefined:
      return Effect.fail(
        DatasetError.make(
          file,
          "UnknownFormat",
          "cannot tell the output format: use a .parquet, .csv, .tsv, .jsonl or .json name or pass a format"
        )
      )
  }
}

/**
 * Rows encoded apart from their file, batch after batch, into one `EncodedChunk` that a
 * writer of the same format and columns places with `writeEncoded`: what a worker thread
 * builds while the writing thread keeps the file. `add` takes a batch (`values(name)`: a
 * column's values, undefined for all null); `finish` gives the chunk and starts the next.
 */
export interface ChunkBuilder {
  readonly add: (length: number, values: (name: string) => ReadonlyArray<Value> | undefined) => void
  /** Rows added since the last `finish`. */
  readonly rows: () => number
  readonly finish: () => DatasetWriter.EncodedChunk
}

/**
 * A {@link ChunkBuilder} for `format` (a Parquet chunk is one row group; a CSV, TSV or JSON
 * Lines chunk is whole lines; a JSON chunk is array elements). `columns` must be those of the
 * writer that places the chunks, and `options` its options.
 */
export const chunkEncoder = (
  format: Format.Format,
  columns: ReadonlyArray<DatasetWriter.Column>,
  options: Omit<WriteOptions, "format"> = {}
): ChunkBuilder => {
  if (format === "parquet") {
    const encoder = Parquet.rowGroupEncoder(columns, options.parquet)
    let builder = encoder.builder()
    return {
      add: (length, values) => builder.add(length, values),
      rows: () => builder.rows(),
      finish: () => {
        const group = builder.finish()
        builder = encoder.builder()
        return group
      }
    }
  }
  const textEncoder = new TextEncoder()
  const encode: (length: number, values: (name: string) => ReadonlyArray<Value> | undefined) => ReadonlyArray<Uint8Array> =
    format === "json"
      ? ((json) => (length, values) => [textEncoder.encode(json(length, values))])(JsonArray.detachedEncoder(columns))
      : format === "jsonl"
      ? JsonLines.encoder(columns).encode
      : Csv.encoder(columns, format === "tsv" ? { ...options.csv, delimiter: "\t" } : options.csv).encode
  let pieces: Array<Uint8Array> = []
  let rows = 0
  return {
    add: (length, values) => {
      for (const piece of encode(length, values)) pieces.push(piece)
      rows += length
    },
    rows: () => rows,
    finish: () => {
      const chunk: DatasetWriter.EncodedChunk = { format: format === "tsv" ? "csv" : format, rows, bytes: concat(pieces) }
      pieces = []
      rows = 0
      return chunk
    }
  }
}

/**
 * Writes every chunk of `chunks` with `writer`, then closes it. Returns the number of rows.
 * On failure the writer's scope discards the output.
 */
export const writeAll = <E, R>(
  writer: DatasetWriter.DatasetWriter,
  chunks: Stream.Stream<ColumnarChunk | ReadonlyArray<Row>, E, R>
): Effect.Effect<number, DatasetError.DatasetError | E, R> =>
  Stream.runForEach(chunks, (chunk) => (isColumnar(chunk) ? writer.writeColumnar(chunk) : writer.write(chunk))).pipe(
    Effect.zipRight(writer.close),
    Effect.map(() => writer.rowsWritten())
  )

const isColumnar = (chunk: ColumnarChunk | ReadonlyArray<Row>): chunk is ColumnarChunk => !Array.isArray(chunk)

/**
 * The columns a reader will produce for a file, in order, before reading its rows: the
 * Parquet footer's top-level columns, the CSV header (mapped), or for JSON Lines every key of
 * the file (one streaming pass). Useful to set up an engine's input columns.
 */
export const columnsOf = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Effect.Effect<ReadonlyArray<string>, DatasetError.DatasetError> =>
  Effect.gen(function* () {
    const format = yield* Format.detect(source, file, options.format ?? Format.fromExtension(file))
    switch (format) {
      case "parquet":
        return (yield* Parquet.info(source, file)).columns
      case "csv":
      case "tsv":
        return yield* Csv.header(source, file, { ...textOptions(options), ...delimiterOf(format, options) })
      case "json":
        return yield* Stream.runHead(JsonArray.readColumnar(source, file, textOptions(options))).pipe(
          Effect.map((first) => (first._tag === "Some" ? first.value.columns : []))
        )
      case "jsonl": {
        const seen = new Set<string>()
        yield* Stream.runForEach(JsonLines.readColumnar(source, file, textOptions(options)), (chunk) =>
          Effect.sync(() => chunk.columns.forEach((c) => seen.add(c)))
        )
        return [...seen]
      }
    }
  })

/** Options for {@link convert}. */
export interface ConvertOptions {
  readonly inputFormat?: Format.Format
  readonly outputFormat?: Format.Format
  /** Check the input contract (an address column present). Default `false`: any table converts. */
  readonly requireAddressColumns?: boolean
  readonly chunkSize?: number
  /** CSV input delimiter (default: detected). */
  readonly delimiter?: string
  readonly parquet?: Parquet.WriteOptions
  readonly csv?: Csv.WriteOptions
}

/**
 * Streams `input` into `output` (CSV/JSONL ↔ Parquet, or any other pair), chunk by chunk.
 * The output's columns are the input's (all STRING). For JSON Lines input, whose keys may
 * appear late, the input is read twice: once for the keys, once for the rows.
 */
export const convert = (
  input: { readonly source: ByteSource; readonly file: string },
  output: { readonly sink: ByteSink; readonly file: string },
  options: ConvertOptions = {}
): Effect.Effect<{ readonly rows: number; readonly columns: ReadonlyArray<string> }, DatasetError.DatasetError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const format = yield* Format.detect(input.source, input.file, options.inputFormat ?? Format.fromExtension(input.file))
      const readOptions: ReadOptions = {
        format,
        requireAddressColumns: options.requireAddressColumns ?? false,
        ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
        ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {})
      }
      const chunks = readColumnar(input.source, input.file, readOptions)
      const columns = yield* columnsOf(input.source, input.file, readOptions)
      const writeOptions: WriteOptions = {
        ...(options.outputFormat !== undefined ? { format: options.outputFormat } : {}),
        ...(options.parquet !== undefined ? { parquet: options.parquet } : {}),
        ...(options.csv !== undefined ? { csv: options.csv } : {})
      }
      const out = yield* writer(output.sink, output.file, columns, writeOptions)
      const rows = yield* writeAll(out, chunks)
      return { rows, columns }
    })
  )
