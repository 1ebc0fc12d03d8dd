/**
 * The Parquet writer's front on the flat encoder: the options' defaults, the `DatasetWriter`
 * encoder (one row group per write), detached row groups for worker threads, and the mapping
 * of encoder failures to `DatasetError`s.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { ByteSink } from "../Bytes.js"
import type * as Chunk from "../Chunk.js"
import * as DatasetError from "../DatasetError.js"
import * as DatasetWriter from "../DatasetWriter.js"
import type { EncodedRowGroup, RowGroupBuilder, WriteOptions } from "../Parquet.js"
import { FlatParquetEncoder } from "./parquetEncode.js"
import { WrongTypeError } from "./parquetEncoderTypes.js"

/** The writer's `created_by`. */
export const CREATED_BY = "geojobs @geojobs/dataset 0.1.0 (hyparquet-writer)"

const flatEncoder = (columns: ReadonlyArray<DatasetWriter.Column>, options: WriteOptions) =>
  new FlatParquetEncoder(columns, {
    codec: options.codec ?? "SNAPPY",
    snappy: options.snappy,
    pageSize: options.pageSize ?? 1 << 20,
    createdBy: CREATED_BY,
    ...(options.keyValueMetadata !== undefined ? { keyValueMetadata: options.keyValueMetadata } : {})
  })

/** The encoder a Parquet `DatasetWriter` drives (see `Parquet.encoder`). */
export const encoder = (columns: ReadonlyArray<DatasetWriter.Column>, options: WriteOptions = {}): DatasetWriter.FormatEncoder => {
  const flat = flatEncoder(columns, options)
  return {
    start: () => [flat.header()],
    encode: (length, values) => flat.rowGroup(length, values),
    append: (chunk) => {
      if (chunk.format !== "parquet") throw new Error(`a ${chunk.format} chunk cannot go into a Parquet file`)
      return flat.append(chunk as EncodedRowGroup)
    },
    finish: () => [flat.footer()]
  }
}

/** A detached row group encoder (see `Parquet.rowGroupEncoder`). */
export const rowGroupEncoder = (
  columns: ReadonlyArray<DatasetWriter.Column>,
  options: WriteOptions = {}
): {
  readonly encode: (length: number, values: (name: string) => ReadonlyArray<Chunk.Value> | undefined) => EncodedRowGroup
  readonly builder: () => RowGroupBuilder
} => {
  const flat = flatEncoder(columns, options)
  return {
    encode: (length, values) => ({ format: "parquet", ...flat.encodeDetached(length, values) }),
    builder: () => {
      const b = flat.builder()
      return { add: b.add, rows: b.rows, finish: (allocate) => ({ format: "parquet", ...b.finish(allocate) }) }
    }
  }
}

/** Maps encoder failures: a wrong-typed value is `WrongType`, anything else `WriteFailed`. */
export const encodeError = (file: string) => (cause: unknown): DatasetError.DatasetError =>
  cause instanceof WrongTypeError
    ? DatasetError.make(file, "WrongType", cause.message, { cause })
    : DatasetError.fromUnknown(file, "WriteFailed", "could not encode Parquet")(cause)

/** A Parquet writer over `sink` (see `Parquet.writer`). */
export const writer = (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns,
  options: WriteOptions = {}
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.flatMap(DatasetWriter.resolveColumns(file, columns), (resolved) =>
    resolved.length === 0
      ? Effect.fail(DatasetError.make(file, "WriteFailed", "a Parquet file needs at least one column"))
      : DatasetWriter.make(file, sink, resolved, encoder(resolved, options), encodeError(file))
  )
