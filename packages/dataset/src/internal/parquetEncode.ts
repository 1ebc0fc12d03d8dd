/**
 * A fast encoder for flat, nullable Parquet columns (STRING, BOOLEAN, DOUBLE, INT64), built
 * on hyparquet-writer's primitives: its page-header and file-metadata (thrift) writers (the
 * RLE/bit-packing hybrid is ours, `./parquetLevels.ts`; Snappy: `./snappy.ts`).
 *
 * Why not `ParquetWriter.write`: for string columns it allocates one `Uint8Array` per value
 * (`TextEncoder.encode`) and computes min/max statistics, which made it the slowest stage of
 * the pipeline (figures: bench/README.md). Here strings are UTF-8 encoded straight into the page
 * buffer, dictionaries are keyed by the JS string, and statistics carry only `null_count`.
 *
 * Output layout: one row group per `rowGroup` call; per column chunk an optional dictionary
 * page (PLAIN) and data pages (v1, RLE definition levels, PLAIN or RLE_DICTIONARY values) of
 * about `pageSize` bytes; pages compressed with the chosen codec.
 *
 * This module is the file encoder (row groups placed in the file, the footer); a column is
 * accumulated in `./parquetAccumulator.ts` and its chunk encoded in `./parquetChunkEncoder.ts`.
 */
import { writeMetadata } from "hyparquet-writer/src/metadata.js"
import { ColumnAccumulator, type Spare } from "./parquetAccumulator.js"
import { Buf, withByteWriter } from "./parquetBuffers.js"
import { encodeColumn } from "./parquetChunkEncoder.js"
import type { ColumnChunk, EncoderColumn, EncoderOptions, FileMetaData, RowGroup, SchemaElement } from "./parquetEncoderTypes.js"

const schemaElement = (column: EncoderColumn): SchemaElement => {
  switch (column.type) {
    case "STRING":
      return {
        name: column.name,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
        repetition_type: "OPTIONAL"
      }
    case "BOOLEAN":
      return { name: column.name, type: "BOOLEAN", repetition_type: "OPTIONAL" }
    case "DOUBLE":
      return { name: column.name, type: "DOUBLE", repetition_type: "OPTIONAL" }
    case "INT64":
      return { name: column.name, type: "INT64", repetition_type: "OPTIONAL" }
  }
}

/**
 * A row group encoded apart from its file (offsets relative to its first byte): what
 * `FlatParquetEncoder.encodeDetached` returns and `append` takes. Plain data (bytes, numbers,
 * bigints, strings), so it can be posted between threads (transfer `bytes.buffer`).
 */
export interface EncodedRowGroup {
  readonly rows: number
  readonly bytes: Uint8Array
  readonly columns: ReadonlyArray<ColumnChunk>
  readonly uncompressed: number
  /** The column names and types it was encoded for. */
  readonly schema: string
}

/** A row group built in batches (see `FlatParquetEncoder.builder`). */
export interface RowGroupBuilder {
  readonly add: (
    length: number,
    values: (name: string) => ReadonlyArray<unknown> | undefined,
    plain?: (name: string) => Uint8Array | undefined
  ) => void
  readonly rows: () => number
  /** Encodes the group; `allocate(length)`, when given, provides the memory its bytes are copied into. */
  readonly finish: (allocate?: (length: number) => Uint8Array) => EncodedRowGroup
}

/** A row group's bytes copied out of its build buffer, into `allocate`'s memory if given. */
const copyOut = (out: Buf, allocate: ((length: number) => Uint8Array) | undefined): Uint8Array => {
  if (allocate === undefined) return out.bytes.slice(0, out.length)
  const bytes = allocate(out.length)
  if (bytes.length !== out.length) throw new Error(`the allocated memory holds ${bytes.length} bytes, not ${out.length}`)
  bytes.set(out.bytes.subarray(0, out.length))
  return bytes
}

/**
 * The streaming encoder: `header()` once, `rowGroup()` per chunk, `footer()` once. Each call
 * returns the bytes to append to the file; the encoder keeps only the footer metadata.
 */
export class FlatParquetEncoder {
  private offset = 0
  private readonly rowGroups: Array<RowGroup> = []
  private numRows = 0n
  private readonly schema: Array<SchemaElement>
  private readonly page = new Buf(1 << 20)
  /** The buffers of the last row group's columns (see `Spare`). */
  private spares: Array<Spare | undefined> = []
  /** The last row group's output buffer, for the next one (its bytes were copied out). */
  private spareOut: Buf | undefined
  private readonly schemaKey: string

  constructor(
    readonly columns: ReadonlyArray<EncoderColumn>,
    private readonly options: EncoderOptions
  ) {
    this.schema = [{ name: "schema", num_children: columns.length }, ...columns.map(schemaElement)]
    this.schemaKey = columns.map((c) => `${c.name}:${c.type}`).join("\u0000")
  }

  header(): Uint8Array {
    this.offset = 4
    return new Uint8Array([0x50, 0x41, 0x52, 0x31])
  }

  /** Encodes `length` rows; `values(name)` gives a column's values (or undefined: all null). */
  rowGroup(length: number, values: (name: string) => ReadonlyArray<unknown> | undefined): Array<Uint8Array> {
    const encoded = this.encodeDetached(length, values)
    return this.append(encoded)
  }

  /**
   * Encodes `length` rows as a row group placed at file offset 0: its bytes and its metadata,
   * not yet part of the file (another thread can do this; {@link append} places it).
   */
  encodeDetached(length: number, values: (name: string) => ReadonlyArray<unknown> | undefined): EncodedRowGroup {
    // every column is added before any is encoded, so a type error leaves no half-written row group
    const builder = this.builder()
    builder.add(length, values)
    return builder.finish()
  }

  /**
   * A row group built in batches of rows: `add(length, values)` appends `length` rows
   * (`values(name)`: that batch's values of a column), `finish()` encodes the group. Adding
   * small batches keeps only encoded bytes between them, not the batches' values.
   */
  builder(): RowGroupBuilder {
    // a second builder alive at once allocates its own buffers
    const spares = this.spares
    this.spares = []
    const accumulators = this.columns.map((column, c) => new ColumnAccumulator(column, spares[c]))
    let rows = 0
    return {
      add: (length, values, plain) => {
        for (const acc of accumulators) {
          const name = acc.column.name
          acc.add(values(name), 0, length, rows, plain === undefined ? undefined : plain(name))
        }
        rows += length
      },
      rows: () => rows,
      finish: (allocate) => {
        // the pages go straight into one buffer (kept for the next row group), copied out once
        const out = this.spareOut?.reset() ?? new Buf(1 << 20)
        this.spareOut = undefined
        const chunks: Array<ColumnChunk> = []
        let uncompressedTotal = 0
        for (let c = 0; c < accumulators.length; c++) {
          const { chunk, encoded } = encodeColumn(this.options, this.page, accumulators[c]!, rows, out)
          this.spares[c] = accumulators[c]!.release()
          accumulators[c] = undefined as unknown as ColumnAccumulator // let the column go
          uncompressedTotal += encoded.uncompressed
          chunks.push(chunk)
        }
        const bytes = copyOut(out, allocate)
        this.spareOut = out
        return { rows, bytes, columns: chunks, uncompressed: uncompressedTotal, schema: this.schemaKey }
      }
    }
  }

  /** Places a row group encoded by {@link encodeDetached} (by any encoder of the same columns) at the end of the file. */
  append(group: EncodedRowGroup): Array<Uint8Array> {
    if (group.schema !== this.schemaKey) throw new Error("the encoded row group has other columns than this writer")
    const base = BigInt(this.offset)
    const columns = group.columns.map((chunk): ColumnChunk => {
      const meta = chunk.meta_data!
      return {
        ...chunk,
        file_offset: chunk.file_offset + base,
        meta_data: {
          ...meta,
          data_page_offset: meta.data_page_offset + base,
          ...(meta.dictionary_page_offset !== undefined ? { dictionary_page_offset: meta.dictionary_page_offset + base } : {})
        }
      }
    })
    this.rowGroups.push({
      columns,
      total_byte_size: BigInt(group.uncompressed),
      num_rows: BigInt(group.rows),
      file_offset: base,
      total_compressed_size: BigInt(group.bytes.length)
    })
    this.offset += group.bytes.length
    this.numRows += BigInt(group.rows)
    return [group.bytes]
  }

  /** The footer: file metadata, its length and the closing magic. */
  footer(): Uint8Array {
    const metadata: FileMetaData = {
      version: 2,
      schema: this.schema,
      num_rows: this.numRows,
      row_groups: this.rowGroups,
      metadata_length: 0,
      created_by: this.options.createdBy,
      // (an empty list would be written with an untyped element type: leave it out)
      ...(this.options.keyValueMetadata !== undefined && this.options.keyValueMetadata.length > 0
        ? { key_value_metadata: this.options.keyValueMetadata.map((kv) => ({ key: kv.key, value: kv.value })) }
        : {})
    }
    // metadata_length is computed by the reader, not serialised
    delete (metadata as { metadata_length?: number }).metadata_length
    if (this.rowGroups.length > 0) {
      return withByteWriter((w) => {
        writeMetadata(w, metadata)
        w.appendUint32(0x31524150)
      })
    }
    return emptyFileFooter(metadata)
  }
}

/**
 * The footer of a file without row groups. hyparquet-writer's thrift writer infers a list's
 * element type from its first element, so it writes the empty `row_groups` list with element
 * type 0, which strict readers (arrow-rs: "Expected list element type of Struct") reject.
 * So: serialise with a placeholder row count whose bytes cannot occur by accident, then patch
 * `num_rows: <placeholder>, row_groups: list<?>[0]` into `num_rows: 0, row_groups: list<struct>[0]`.
 */
const emptyFileFooter = (metadata: FileMetaData): Uint8Array => {
  const placeholder = 0x3a5c_1f2e_6b7d_4c09n
  const thriftAndLength = withByteWriter((w) => writeMetadata(w, { ...metadata, num_rows: placeholder }))
  const thrift = thriftAndLength.subarray(0, thriftAndLength.length - 4)
  // field 3 (i64, delta 1): 0x16 + zigzag varint; field 4 (list, delta 1): 0x19 + list header 0x00
  const varint: Array<number> = []
  for (let v = placeholder << 1n; ; v >>= 7n) {
    if (v < 0x80n) {
      varint.push(Number(v))
      break
    }
    varint.push(Number(v & 0x7fn) | 0x80)
  }
  const pattern = [0x16, ...varint, 0x19, 0x00]
  let at = -1
  for (let i = 0; i + pattern.length <= thrift.length && at < 0; i++) {
    let k = 0
    while (k < pattern.length && thrift[i + k] === pattern[k]) k++
    if (k === pattern.length) at = i
  }
  if (at < 0) throw new Error("cannot write the footer of an empty file")
  const patched = new Uint8Array(thrift.length - pattern.length + 4 + 8)
  patched.set(thrift.subarray(0, at), 0)
  patched.set([0x16, 0x00, 0x19, 0x0c], at) // num_rows 0; empty list of structs
  const rest = thrift.subarray(at + pattern.length)
  patched.set(rest, at + 4)
  const length = at + 4 + rest.length
  new DataView(patched.buffer).setUint32(length, length, true)
  patched.set([0x50, 0x41, 0x52, 0x31], length + 4)
  return patched
}
