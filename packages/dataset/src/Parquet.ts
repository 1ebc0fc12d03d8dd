/**
 * Parquet reading (row group by row group, byte-range based) and writing (one row group per
 * chunk), over the runtime-neutral `ByteSource`/`ByteSink`.
 *
 * Reading uses hyparquet with hyparquet-compressors, so Snappy, gzip, zstd, brotli, LZ4 and
 * LZ4_RAW inputs are read. Only the footer and, for each row group in turn, that row
 * group's byte range are ever fetched; one decoded row group is held at a time.
 *
 * This module is the interface; the body is in `internal/`: `parquetRead.ts` (opening a file,
 * fetching and decoding its row groups), `parquetRawGroup.ts` (decoding a row group fetched
 * raw), `parquetCompressors.ts` and `parquetWriter.ts` (the writer's front on the encoder).
 *
 * @since 0.1.0
 */
import type { Compressors, FileMetaData } from "hyparquet"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Row } from "./AddressColumns.js"
import * as BufferPool from "./BufferPool.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import type * as Chunk from "./Chunk.js"
import type { ColumnarChunk } from "./Chunk.js"
import type * as DatasetError from "./DatasetError.js"
import type * as DatasetWriter from "./DatasetWriter.js"
import * as compressors from "./internal/parquetCompressors.js"
import type { EncodedRowGroup as EncodedGroup } from "./internal/parquetEncode.js"
import type { FlatPlan } from "./internal/parquetFlat.js"
import * as rawGroup from "./internal/parquetRawGroup.js"
import * as read from "./internal/parquetRead.js"
import * as write from "./internal/parquetWriter.js"

/** Options for the Parquet readers. */
export interface ReadOptions {
  /**
   * Fail with `NoAddressColumns` unless at least one of the 14 address columns is present
   * (the input contract). Default `true`.
   */
  readonly requireAddressColumns?: boolean
  /**
   * Row form only: split a row group into chunks of at most this many rows (the row group is
   * still decoded once; only the row objects are built per chunk). Default: no split.
   */
  readonly maxChunkRows?: number
  /** Decompressors by codec; default: all of hyparquet-compressors. */
  readonly compressors?: Compressors
  /**
   * Decode only these columns (those of them the file has, in file order); the others are not
   * decoded. `info.columns` still lists every column. Default: all.
   *
   * @since 0.4.0
   */
  readonly columns?: ReadonlyArray<string> | undefined
}

/** What the footer says about a file. */
export interface ParquetInfo {
  readonly file: string
  /** Top-level column names, in file order. */
  readonly columns: ReadonlyArray<string>
  readonly numRows: number
  /** Rows per row group. */
  readonly rowGroups: ReadonlyArray<number>
  readonly createdBy: string | undefined
  /** Codecs used by the column chunks. */
  readonly codecs: ReadonlyArray<string>
}

/** An opened Parquet file: its footer, and a reader of one row group at a time. */
export interface ParquetFile {
  readonly info: ParquetInfo
  readonly metadata: FileMetaData
  /** Decodes row group `index` (fetching only its byte range). */
  readonly readRowGroup: (index: number) => Effect.Effect<ColumnarChunk, DatasetError.DatasetError>
  /**
   * Fetches row group `index`'s bytes without decoding them ({@link RawRowGroup}: another
   * thread can decode rows of it with {@link decodeRaw}). Undefined when a column is nested
   * (those are decoded by hyparquet's reader, which needs the file). `memory(length)`, when
   * given, provides where the bytes go (exactly `length` bytes, e.g. a view of a
   * `SharedArrayBuffer` the caller reuses once every reader of an earlier group is done with it);
   * by default a new `SharedArrayBuffer` (where the runtime has one). A source with `readInto`
   * reads straight into it.
   */
  readonly readRaw:
    | ((index: number, memory?: (length: number) => Uint8Array) => Effect.Effect<RawRowGroup, DatasetError.DatasetError>)
    | undefined
}

/**
 * A row group's bytes as fetched from its file, not yet decoded, and what decoding them needs.
 * Plain data; the bytes are in a `SharedArrayBuffer` (where the runtime has one), so posting
 * it to several worker threads shares them instead of copying.
 */
export interface RawRowGroup {
  readonly file: string
  /** The row index in the file of the group's first row. */
  readonly firstRow: number
  /** Rows in the group. */
  readonly length: number
  readonly bytes: Uint8Array
  /** @internal */
  readonly plan: FlatPlan
}

/**
 * Decodes rows `[from, to)` of a {@link RawRowGroup} into a columnar chunk of `to - from`
 * rows (values and per-row problems as {@link ParquetFile.readRowGroup} gives them).
 * Synchronous: meant for the thread that then uses the rows.
 */
export const decodeRaw: (
  raw: RawRowGroup,
  from?: number,
  to?: number,
  compressors?: Compressors
) => Effect.Effect<ColumnarChunk, DatasetError.DatasetError> = rawGroup.decodeRaw

/**
 * Rows `[from, to)` of a {@link RawRowGroup}, decoded in order a batch at a time: `next(count)`
 * gives the next `count` rows as a columnar chunk (fewer at the end; values and per-row problems
 * as {@link decodeRaw} gives them). Each page is decompressed once, whatever the batch size, so
 * a caller that handles a few rows at a time can let each batch's strings go young instead of
 * holding the range's strings to its end. Synchronous, like `decodeRaw`. With `keepPlain`,
 * each batch also carries the PLAIN bytes of its text columns read from PLAIN pages
 * (`ColumnarChunk.plain`), for a writer that passes them through. With `pages`, PLAIN pages are
 * held in that pool's memory: a batch's `plain` bytes are valid only until the next batch is
 * taken, and `release()` once done gives the last pages' memory back.
 */
export const decodeRawBatches: (
  raw: RawRowGroup,
  from?: number,
  to?: number,
  compressors?: Compressors,
  options?: { readonly keepPlain?: boolean; readonly pages?: PagePool | undefined }
) => {
  readonly next: (count: number) => Effect.Effect<ColumnarChunk, DatasetError.DatasetError>
  /** `next` without an effect to run: for a caller in a tight synchronous loop (a validation worker's batches). */
  readonly nextEither: (count: number) => Either.Either<ColumnarChunk, DatasetError.DatasetError>
  /** With `pages`: gives the last pages' memory back to the pool, once the batches are done with. */
  readonly release: () => void
} = rawGroup.decodeRawBatches

/**
 * Memory kept for decompressed PLAIN text pages, shared by the {@link decodeRawBatches} of one
 * thread (`pages`): each page is copied at once into a kept buffer, so the decompressor's fresh
 * array dies young instead of being promoted and held until a full collection. Not thread-safe.
 */
export type PagePool = BufferPool.BufferPool

/** A new, empty {@link PagePool} (at most 64 buffers and 64 MB kept). */
export const pagePool = (): PagePool => BufferPool.make({ maxBuffers: 64, maxBytes: 64 << 20 })

/**
 * hyparquet-compressors' decompressors (Snappy, gzip, zstd, brotli, LZ4, LZ4_RAW). Its LZ4
 * decoders reject the one-byte empty block arrow-rs writes for an empty dictionary page, so
 * empty pages are answered without calling them.
 */
export const defaultCompressors: Compressors = compressors.defaultCompressors

/** Opens a Parquet source: checks the magic, reads and parses the footer. */
export const open: (
  source: ByteSource,
  file: string,
  options?: ReadOptions
) => Effect.Effect<ParquetFile, DatasetError.DatasetError> = read.open

/** Reads the footer only. */
export const info = (source: ByteSource, file: string): Effect.Effect<ParquetInfo, DatasetError.DatasetError> =>
  Effect.map(open(source, file, { requireAddressColumns: false }), (f) => f.info)

/**
 * The file's rows in columnar chunks, one chunk per (non-empty) row group. Only the current
 * row group's bytes and values are in memory; the next row group is fetched when the
 * consumer pulls.
 */
export const readColumnar: (
  source: ByteSource,
  file: string,
  options?: ReadOptions
) => Stream.Stream<ColumnarChunk, DatasetError.DatasetError> = read.readColumnar

/**
 * The file's rows, one chunk per row group (or per `maxChunkRows` rows of a row group).
 * Values are strings or null; non-string columns are converted (numbers, booleans, dates as
 * ISO 8601); nested cells become per-row problems (`AddressColumns.RowError`).
 */
export const readRowGroups = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ReadonlyArray<Row>, DatasetError.DatasetError> =>
  readColumnar(source, file, options).pipe(Stream.mapConcat((chunk) => toRowChunks(chunk, options.maxChunkRows)))

/** @internal */
export const toRowChunks: (chunk: ColumnarChunk, maxChunkRows: number | undefined) => Array<ReadonlyArray<Row>> =
  read.toRowChunks

// ---------------------------------------------------------------------------------------------
// Writing

/** Options for the Parquet writer. */
export interface WriteOptions {
  /** Page compression. Default `"SNAPPY"` (what pyarrow writes by default). */
  readonly codec?: "SNAPPY" | "UNCOMPRESSED"
  /**
   * The Snappy compressor of pages: raw Snappy of its argument, in a fresh array (the page
   * buffer is reused). Default the built-in one (JavaScript, any platform); on Node
   * `NodeSnappy.compressor()` is the native `snappy` package's when it is installed, and faster.
   * Any Snappy encoder gives valid pages, though not the same bytes.
   */
  readonly snappy?: ((page: Uint8Array) => Uint8Array) | undefined
  /** Target uncompressed data page size in bytes. Default 1 MiB. */
  readonly pageSize?: number
  /** Key/value metadata stored in the footer. */
  readonly keyValueMetadata?: ReadonlyArray<{ readonly key: string; readonly value: string }>
}

/** The writer's `created_by`. */
export const CREATED_BY = write.CREATED_BY

/** The encoder used by {@link writer}, for callers that drive bytes themselves. */
export const encoder: (columns: ReadonlyArray<DatasetWriter.Column>, options?: WriteOptions) => DatasetWriter.FormatEncoder =
  write.encoder

/**
 * One row group encoded apart from its file: the column chunks' bytes and their metadata
 * (offsets relative to the group's start). Plain data, so a worker thread can encode it and
 * post it (transfer `bytes.buffer`); a writer of the same columns places it with `writeEncoded`.
 */
export interface EncodedRowGroup extends DatasetWriter.EncodedChunk, Omit<EncodedGroup, "rows" | "bytes"> {
  readonly format: "parquet"
}

/** A row group built in batches of rows (see {@link rowGroupEncoder}). */
export interface RowGroupBuilder {
  /**
   * Appends `length` rows; `values(name)` is this batch's values of a column (undefined: all
   * null). `plain(name)`, when given, may return the PLAIN encoding of a text column's non-null
   * values of this batch (each a 4-byte little-endian length and the UTF-8 bytes of the value,
   * in row order; `ColumnarChunk.plain` of a batch passed through): a column being written PLAIN
   * then copies them instead of encoding its strings. They must be exactly the encoding of
   * `values(name)`; bytes whose lengths do not walk to their end over as many values as the
   * column has non-null ones are not used.
   */
  readonly add: (
    length: number,
    values: (name: string) => ReadonlyArray<Chunk.Value> | undefined,
    plain?: (name: string) => Uint8Array | undefined
  ) => void
  /** Rows added so far. */
  readonly rows: () => number
  /**
   * Encodes the rows added as one row group. `allocate(length)`, when given, returns the
   * memory its bytes go into (exactly `length` bytes, e.g. a view of a buffer kept for reuse:
   * see `DatasetWriter.writeEncoded` on when a written group's memory is free again); by
   * default a new buffer of its own.
   */
  readonly finish: (allocate?: (length: number) => Uint8Array) => EncodedRowGroup
}

/**
 * A detached row group encoder for `columns`: `encode(length, values)` gives an
 * {@link EncodedRowGroup} (`values(name)`: a column's values, undefined for all null; a value
 * of the wrong type throws an error naming the column and row). `builder()` builds one from
 * batches of rows: between batches it keeps encoded bytes only, so a producer can hand over
 * small batches whose values die young (cheaper for the garbage collector than one big set
 * of column arrays). Reusable, not thread-safe.
 */
export const rowGroupEncoder: (
  columns: ReadonlyArray<DatasetWriter.Column>,
  options?: WriteOptions
) => {
  readonly encode: (length: number, values: (name: string) => ReadonlyArray<Chunk.Value> | undefined) => EncodedRowGroup
  readonly builder: () => RowGroupBuilder
} = write.rowGroupEncoder

/** Maps encoder failures: a wrong-typed value is `WrongType`, anything else `WriteFailed`. */
export const encodeError: (file: string) => (cause: unknown) => DatasetError.DatasetError = write.encodeError

/**
 * A Parquet writer over `sink`: every `write`/`writeColumnar` call becomes one row group; all
 * columns are OPTIONAL; STRING is `BYTE_ARRAY` annotated UTF8/String, BOOLEAN, DOUBLE and
 * INT64 are the physical types. Pages are Snappy-compressed unless `codec` says otherwise.
 * Memory holds one encoded row group plus the footer's metadata.
 */
export const writer: (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns,
  options?: WriteOptions
) => Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> = write.writer
