/**
 * What the Parquet encoder is told and what it refuses: the column types it writes, its options,
 * the error for a value of the wrong type, and the file-metadata types of hyparquet-writer.
 *
 * @internal
 */
import type { writeMetadata } from "hyparquet-writer/src/metadata.js"

// hyparquet-writer pins its own hyparquet version: use the metadata types it expects
export type FileMetaData = Parameters<typeof writeMetadata>[1]
export type RowGroup = FileMetaData["row_groups"][number]
export type ColumnChunk = RowGroup["columns"][number]
export type SchemaElement = FileMetaData["schema"][number]
export type CompressionCodec = NonNullable<ColumnChunk["meta_data"]>["codec"]

/** The physical/logical types the writer produces. */
export type ColumnType = "STRING" | "BOOLEAN" | "DOUBLE" | "INT64"

export interface EncoderColumn {
  readonly name: string
  readonly type: ColumnType
}

/** Codecs the writer can produce. */
export type WriteCodec = "SNAPPY" | "UNCOMPRESSED"

export interface EncoderOptions {
  readonly codec: WriteCodec
  /** The Snappy compressor of pages (codec `SNAPPY`); default `./snappy.ts`'s. */
  readonly snappy?: ((page: Uint8Array) => Uint8Array) | undefined
  /** Target uncompressed data page size in bytes. */
  readonly pageSize: number
  readonly createdBy: string
  readonly keyValueMetadata?: ReadonlyArray<{ readonly key: string; readonly value: string }>
}

/** A value was not of the column's type: which column, which row, what it was. */
export class WrongTypeError extends Error {
  constructor(
    readonly column: string,
    readonly row: number,
    readonly expected: ColumnType,
    readonly got: string
  ) {
    super(`column ${column}, row ${row}: expected ${expected}, got ${got}`)
  }
}

export const describeValue = (value: unknown): string => {
  if (Array.isArray(value)) return "an array"
  if (value instanceof Uint8Array) return "bytes"
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`
  if (typeof value === "object") return "an object"
  return `${typeof value} ${String(value)}`
}
