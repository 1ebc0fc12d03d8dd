/**
 * Reading a Parquet file over a `ByteSource`: the footer first, then one row group's byte range
 * at a time, decoded here (flat columns by our decoder, nested ones by hyparquet's reader) or
 * handed over raw for another thread to decode.
 *
 * @internal
 */
import type { AsyncBuffer, Compressors, FileMetaData } from "hyparquet"
import { parquetMetadataAsync, parquetSchema } from "hyparquet"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Row } from "../AddressColumns.js"
import type { ByteSource } from "../Bytes.js"
import * as Chunk from "../Chunk.js"
import type { ColumnarChunk } from "../Chunk.js"
import * as Contract from "../Contract.js"
import * as DatasetError from "../DatasetError.js"
import * as Format from "../Format.js"
import type { ParquetFile, ParquetInfo, RawRowGroup, ReadOptions } from "../Parquet.js"
import { defaultCompressors } from "./parquetCompressors.js"
import { decodeRowGroup } from "./parquetDecode.js"
import { flatPlan } from "./parquetFlat.js"
import { rowGroupRange, type TopColumn, topColumns } from "./parquetRowGroup.js"

const FOOTER_FETCH = 64 * 1024

/** Opens a Parquet source: checks the magic, reads and parses the footer (see `Parquet.open`). */
export const open = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Effect.Effect<ParquetFile, DatasetError.DatasetError> =>
  Effect.gen(function* () {
    yield* Format.checkParquetMagic(source, file)
    const asyncBuffer: AsyncBuffer = { byteLength: source.byteLength, slice: (start, end) => source.slice(start, end ?? source.byteLength) }
    const metadata = yield* Effect.tryPromise({
      try: () => parquetMetadataAsync(asyncBuffer, { initialFetchSize: FOOTER_FETCH }),
      catch: (cause) =>
        DatasetError.make(file, "UnreadableParquet", `corrupt Parquet footer: ${DatasetError.describe(cause)}`, { cause })
    })
    const { columns, info } = yield* Effect.try({
      try: () => {
        const schema = parquetSchema(metadata)
        const columns = topColumns(schema)
        const codecs = new Set<string>()
        for (const group of metadata.row_groups) for (const chunk of group.columns) if (chunk.meta_data) codecs.add(chunk.meta_data.codec)
        const info: ParquetInfo = {
          file,
          columns: columns.map((c) => c.name),
          numRows: Number(metadata.num_rows),
          rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)),
          createdBy: metadata.created_by,
          codecs: [...codecs]
        }
        return { columns, info }
      },
      catch: (cause) =>
        DatasetError.make(file, "UnreadableParquet", `unsupported Parquet schema: ${DatasetError.describe(cause)}`, { cause })
    })
    if (options.requireAddressColumns ?? true) yield* Contract.requireAddressColumns(file, info.columns)
    const compressors = options.compressors ?? defaultCompressors
    const wanted = options.columns === undefined ? undefined : new Set(options.columns)
    const decoded = wanted === undefined ? columns : columns.filter((c) => wanted.has(c.name))
    // first row of each row group
    const firstRows: Array<number> = []
    let rows = 0
    for (const group of metadata.row_groups) {
      firstRows.push(rows)
      rows += Number(group.num_rows)
    }
    return {
      info,
      metadata,
      readRowGroup: (index) => readRowGroup(source, file, metadata, decoded, compressors, index, firstRows[index] ?? 0),
      readRaw: decoded.every((c) => c.flat)
        ? (index, memory) => readRaw(source, file, metadata, decoded, index, firstRows[index] ?? 0, memory)
        : undefined
    }
  })

/** Row group `index`'s byte range, checked against the source's size. */
const rowGroupRangeIn = (source: ByteSource, metadata: FileMetaData, index: number) => {
  const rowGroup = metadata.row_groups[index]
  if (rowGroup === undefined) throw new Error(`no row group ${index}`)
  const range = rowGroupRange(rowGroup)
  if (range.end > source.byteLength || range.start < 4) {
    throw new Error(`row group ${index} points outside the file (bytes ${range.start}-${range.end} of ${source.byteLength})`)
  }
  return range
}

/** The bytes of row group `index` (checked against the file's size) and its range. */
const fetchRowGroup = async (source: ByteSource, metadata: FileMetaData, index: number) => {
  const range = rowGroupRangeIn(source, metadata, index)
  return { range, buffer: await source.slice(range.start, range.end) }
}

const readRaw = (
  source: ByteSource,
  file: string,
  metadata: FileMetaData,
  columns: ReadonlyArray<TopColumn>,
  index: number,
  firstRow: number,
  memory?: (length: number) => Uint8Array
): Effect.Effect<RawRowGroup, DatasetError.DatasetError> =>
  Effect.tryPromise({
    try: async () => {
      const range = rowGroupRangeIn(source, metadata, index)
      const plan = flatPlan(metadata, columns, index, range)
      const length = range.end - range.start
      const target = memory !== undefined
        ? memory(length)
        : typeof SharedArrayBuffer === "function"
        ? new Uint8Array(new SharedArrayBuffer(length))
        : undefined
      if (target === undefined) return { file, firstRow, length: plan.rows, bytes: new Uint8Array(await source.slice(range.start, range.end)), plan }
      if (target.length !== length) throw new Error(`the memory given holds ${target.length} bytes, not ${length}`)
      if (source.readInto !== undefined) await source.readInto(range.start, target)
      else target.set(new Uint8Array(await source.slice(range.start, range.end)))
      return { file, firstRow, length: plan.rows, bytes: target, plan }
    },
    catch: (cause) =>
      DatasetError.make(file, "UnreadableParquet", `cannot read row group ${index}: ${DatasetError.describe(cause)}`, { cause })
  })

const readRowGroup = (
  source: ByteSource,
  file: string,
  metadata: FileMetaData,
  columns: ReadonlyArray<TopColumn>,
  compressors: Compressors,
  index: number,
  firstRow: number
): Effect.Effect<ColumnarChunk, DatasetError.DatasetError> =>
  Effect.tryPromise({
    try: async () => {
      const { range, buffer } = await fetchRowGroup(source, metadata, index)
      const bytes = new Uint8Array(buffer)
      // nested columns are read by hyparquet itself; serve their ranges from the bytes we have
      const file: AsyncBuffer = {
        byteLength: source.byteLength,
        slice: (start, end = source.byteLength) =>
          start >= range.start && end <= range.end
            ? bytes.slice(start - range.start, end - range.start).buffer
            : source.slice(start, end)
      }
      const decoded = await decodeRowGroup({ metadata, columns, index, firstRow, bytes, range, file, compressors })
      const chunk: ColumnarChunk = {
        columns: columns.map((c) => c.name),
        data: decoded.data,
        length: decoded.length,
        ...(decoded.rowErrors !== undefined ? { rowErrors: decoded.rowErrors } : {})
      }
      return chunk
    },
    catch: (cause) =>
      cause instanceof DatasetError.DatasetError
        ? cause
        : DatasetError.make(file, "UnreadableParquet", `cannot decode row group ${index}: ${DatasetError.describe(cause)}`, {
            cause
          })
  })

/** The file's rows in columnar chunks, one per non-empty row group (see `Parquet.readColumnar`). */
export const readColumnar = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> =>
  Stream.unwrap(
    Effect.map(open(source, file, options), (parquet) =>
      Stream.unfoldEffect(0, (index): Effect.Effect<Option.Option<readonly [ColumnarChunk | undefined, number]>, DatasetError.DatasetError> => {
        if (index >= parquet.info.rowGroups.length) return Effect.succeed(Option.none())
        if (parquet.info.rowGroups[index] === 0) return Effect.succeed(Option.some([undefined, index + 1] as const))
        return Effect.map(parquet.readRowGroup(index), (chunk) => Option.some([chunk, index + 1] as const))
      }).pipe(Stream.filter((chunk): chunk is ColumnarChunk => chunk !== undefined))
    )
  )

/** A columnar chunk as row chunks of at most `maxChunkRows` rows (one chunk when undefined). */
export const toRowChunks = (chunk: ColumnarChunk, maxChunkRows: number | undefined): Array<ReadonlyArray<Row>> => {
  if (maxChunkRows === undefined || chunk.length <= maxChunkRows) return [Chunk.toRows(chunk)]
  const out: Array<ReadonlyArray<Row>> = []
  for (let start = 0; start < chunk.length; start += maxChunkRows) {
    out.push(Chunk.toRows(Chunk.slice(chunk, start, start + maxChunkRows)))
  }
  return out
}
