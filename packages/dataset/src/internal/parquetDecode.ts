/**
 * Decoding one Parquet row group into string columns, from the row group's bytes only.
 *
 * Flat columns (the normal case: one leaf under the root) are decoded page by page with
 * hyparquet's primitives (page headers, decompression, level and dictionary decoding, type
 * conversion), except that PLAIN strings are cut straight out of the page bytes instead of
 * becoming one `Uint8Array` and one `TextDecoder` call each, and nulls are placed directly
 * instead of going through hyparquet's generic Dremel assembly. That makes reading ~2-3x
 * faster than `parquetRead` for address data.
 *
 * Nested columns (lists, structs, maps) are read with hyparquet's own `parquetRead` for the
 * same row group; each non-null cell becomes a per-row problem (it cannot be a string).
 */
import type { AsyncBuffer, ColumnMetaData, Compressors, FileMetaData, RowGroup, SchemaElement, SchemaTree } from "hyparquet"
import { parquetRead } from "hyparquet"
import { parquetHeader } from "hyparquet/src/column.js"
import { convert, DEFAULT_PARSERS } from "hyparquet/src/convert.js"
import { decompressPage, readDataPage, readDataPageV2 } from "hyparquet/src/datapage.js"
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js"
import { readPlain } from "hyparquet/src/plain.js"

type ColumnDecoder = Parameters<typeof readDataPageV2>[2]
type PageHeader = ReturnType<typeof parquetHeader>

/** The decoded columns of one row group. */
export interface DecodedGroup {
  readonly data: Record<string, Array<string | null>>
  readonly length: number
  readonly rowErrors: Array<string | null> | undefined
}

/** A column of the file: its top-level schema node and whether it can be decoded flat. */
export interface TopColumn {
  readonly name: string
  readonly node: SchemaTree
  readonly flat: boolean
}

export const topColumns = (schema: SchemaTree): Array<TopColumn> =>
  schema.children.map((node) => ({
    name: node.element.name,
    node,
    flat: node.children.length === 0 && node.element.repetition_type !== "REPEATED"
  }))

/** The byte range `[start, end)` holding every column chunk of a row group. */
export const rowGroupRange = (rowGroup: RowGroup): { start: number; end: number } => {
  let start = Infinity
  let end = 0
  for (const chunk of rowGroup.columns) {
    const meta = chunk.meta_data
    if (meta === undefined) throw new Error("column chunk without metadata")
    if (chunk.file_path) throw new Error(`column chunk stored in another file (${chunk.file_path}) is not supported`)
    const s = chunkStart(meta)
    const e = s + Number(meta.total_compressed_size)
    if (s < start) start = s
    if (e > end) end = e
  }
  return start === Infinity ? { start: 0, end: 0 } : { start, end }
}

const chunkStart = (meta: ColumnMetaData): number => {
  // some writers set dictionary_page_offset to 0 when there is no dictionary
  const dictionary = meta.dictionary_page_offset !== undefined ? Number(meta.dictionary_page_offset) : 0
  const data = Number(meta.data_page_offset)
  return dictionary > 0 && dictionary < data ? dictionary : data
}

// ---------------------------------------------------------------------------------------------
// Values to text

/** hyparquet's parsers, except that a DATE becomes `YYYY-MM-DD` rather than a midnight `Date`. */
const PARSERS: typeof DEFAULT_PARSERS = {
  ...DEFAULT_PARSERS,
  dateFromDays: (days: number) => {
    const date = new Date(days * 86_400_000)
    return Number.isNaN(date.getTime()) ? date : date.toISOString().slice(0, 10)
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true })
// windows-1252 (what "latin1" means to TextDecoder) maps every byte to exactly one UTF-16
// unit, so offsets into the decoded page string equal byte offsets; ASCII bytes decode to
// themselves. Fallback where Node's Buffer is absent.
const latin1 = new TextDecoder("latin1")

/** A value that cannot be a string: the problem message's tail. */
class NotText {
  constructor(readonly why: string) {}
}

const toText = (value: unknown): string | null | NotText => {
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

// ---------------------------------------------------------------------------------------------

// Node's Buffer decodes one-byte text ~3x faster than TextDecoder; used when present.
const NodeBuffer = (globalThis as {
  Buffer?: { from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "latin1"): string } }
}).Buffer

/** The bytes as a string of one UTF-16 unit per byte (so string offsets equal byte offsets). */
const oneBytePerChar = (bytes: Uint8Array): string =>
  NodeBuffer !== undefined
    ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")
    : latin1.decode(bytes)

const NON_ASCII = /[^\x00-\x7f]/

/** Whether every byte of `bytes[from, to)` is ASCII. */
const isAscii = (bytes: Uint8Array, from: number, to: number): boolean => {
  for (let j = from; j < to; j++) if (bytes[j]! > 0x7f) return false
  return true
}

/**
 * PLAIN BYTE_ARRAY values straight from page bytes (a dictionary page): the page is turned into
 * one JS string (one char per byte) once, and each ASCII value is a `substring` of it; values
 * with non-ASCII bytes are decoded on their own (strict UTF-8).
 */
const readPlainStrings = (
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

/**
 * PLAIN BYTE_ARRAY values of a data page's rows `[first, last)` straight into `out` from
 * `out[at]` on (null where `defs`, undefined for no nulls, says so): the values before `first`
 * are stepped over, the bytes of the wanted ones become one JS string (one char per byte),
 * and each ASCII value is a `substring` of it; others are decoded on their own (strict UTF-8),
 * and one that is not UTF-8 is reported to `bad` (its place in `out`) and left null.
 */
const plainStringsInto = (
  bytes: Uint8Array,
  offset: number,
  defs: Uint8Array | undefined,
  first: number,
  last: number,
  out: Array<string | null>,
  at: number,
  bad: (index: number, why: string) => void
): void => {
  const end = bytes.length
  let skip = first
  let take = last - first
  if (defs !== undefined) {
    skip = 0
    for (let i = 0; i < first; i++) skip += defs[i]!
    take = 0
    for (let i = first; i < last; i++) take += defs[i]!
  }
  let p = offset
  for (let k = 0; k < skip; k++) {
    if (p + 4 > end) throw new Error("page ends inside a value length")
    p += 4 + ((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0)
  }
  if (p > end) throw new Error("page ends inside a value")
  let stopAt = p
  for (let k = 0; k < take && stopAt + 4 <= end; k++) {
    stopAt += 4 + ((bytes[stopAt]! | (bytes[stopAt + 1]! << 8) | (bytes[stopAt + 2]! << 16) | (bytes[stopAt + 3]! << 24)) >>> 0)
  }
  if (stopAt > end) stopAt = end
  const base = p
  const text = take > 0 ? oneBytePerChar(bytes.subarray(base, stopAt)) : ""
  // usual case: all of it is ASCII (text and lengths < 128) → no per-value checks
  const ascii = !NON_ASCII.test(text)
  for (let i = first; i < last; i++, at++) {
    if (defs !== undefined && defs[i] === 0) {
      out[at] = null
      continue
    }
    if (p + 4 > end) throw new Error("page ends inside a value length")
    const n = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0
    p += 4
    const stop = p + n
    if (stop > end) throw new Error("page ends inside a value")
    if (ascii || isAscii(bytes, p, stop)) {
      out[at] = text.substring(p - base, stop - base)
    } else {
      try {
        out[at] = utf8.decode(bytes.subarray(p, stop))
      } catch {
        out[at] = null
        bad(at, "bytes that are not valid UTF-8")
      }
    }
    p = stop
  }
}

/** A data page's definition levels (undefined: no nulls) and its decompressed values section. */
interface PageParts {
  readonly defs: Uint8Array | undefined
  readonly present: number
  readonly values: Uint8Array
  readonly valuesOffset: number
}

const pageParts = (
  header: PageHeader,
  pageBytes: Uint8Array,
  decoder: ColumnDecoder,
  optional: boolean,
  numValues: number
): PageParts => {
  let defs: Uint8Array | undefined
  let values: Uint8Array
  let valuesOffset: number
  if (header.type === "DATA_PAGE_V2") {
    const h = header.data_page_header_v2!
    const levelBytes = h.repetition_levels_byte_length + h.definition_levels_byte_length
    if (optional && h.num_nulls > 0) {
      defs = new Uint8Array(numValues)
      readRleBitPackedHybrid(
        {
          view: new DataView(pageBytes.buffer, pageBytes.byteOffset, pageBytes.byteLength),
          offset: h.repetition_levels_byte_length
        },
        1,
        defs,
        h.definition_levels_byte_length
      )
    }
    const compressed = pageBytes.subarray(levelBytes)
    const size = header.uncompressed_page_size - levelBytes
    values = h.is_compressed !== false && size > 0 ? decompressPage(compressed, size, decoder.codec, decoder.compressors) : compressed
    valuesOffset = 0
  } else {
    values = decompressPage(pageBytes, header.uncompressed_page_size, decoder.codec, decoder.compressors)
    const reader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 }
    if (optional) {
      defs = new Uint8Array(numValues)
      readRleBitPackedHybrid(reader, 1, defs)
    }
    valuesOffset = reader.offset
  }
  let present = numValues
  if (defs !== undefined) {
    present = 0
    for (let i = 0; i < numValues; i++) present += defs[i]!
    if (present === numValues) defs = undefined
  }
  return { defs, present, values, valuesOffset }
}

/**
 * Decodes rows `[from, to)` of one flat column chunk of `rows` rows from `bytes` (the chunk's
 * bytes). Pages wholly outside the range are stepped over undecompressed; problems are
 * reported by row index within the range.
 */
const decodeFlatChunk = (
  bytes: Uint8Array,
  decoder: ColumnDecoder,
  rows: number,
  column: string,
  problems: { set(row: number, message: string): void },
  from = 0,
  to = rows
): Array<string | null> => {
  const out = new Array<string | null>(to - from)
  const optional = decoder.element.repetition_type !== "REQUIRED"
  const textual = decoder.type === "BYTE_ARRAY" && !isSpecialBinary(decoder)
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
  let dictionary: Array<string | null | NotText> | undefined
  let dictionaryClean = false // no NotText entries
  // `row`: the chunk's row of the next value; `at`: where it goes in `out` (row - from)
  let row = 0
  const badValue = (at: number, why: string) => problems.set(at, `column ${column}: ${why}`)
  const put = (value: string | null | NotText) => {
    const at = row++ - from
    if (at < 0 || at >= out.length) return
    if (value instanceof NotText) {
      problems.set(at, `column ${column}: ${value.why}`)
      out[at] = null
    } else {
      out[at] = value
    }
  }
  while (row < to) {
    if (reader.offset >= bytes.length) throw new Error(`column chunk ended after ${row} of ${rows} values`)
    const header: PageHeader = parquetHeader(reader)
    const pageBytes = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size)
    if (pageBytes.length !== header.compressed_page_size) throw new Error("page extends past the column chunk")
    reader.offset += header.compressed_page_size

    if (header.type === "DICTIONARY_PAGE") {
      const diph = header.dictionary_page_header
      if (diph === undefined) throw new Error("dictionary page without a header")
      const page = decompressPage(pageBytes, header.uncompressed_page_size, decoder.codec, decoder.compressors)
      const entries: Array<string | null | NotText> = []
      if (textual) {
        readPlainStrings(page, 0, diph.num_values, (value) => entries.push(value))
      } else {
        const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
        const raw = readPlain(pageReader, decoder.type, diph.num_values, decoder.element.type_length)
        const converted = convert(raw, decoder)
        for (let i = 0; i < converted.length; i++) entries.push(toText(converted[i]))
      }
      dictionary = entries
      dictionaryClean = entries.every((entry) => !(entry instanceof NotText))
      continue
    }
    if (header.type !== "DATA_PAGE" && header.type !== "DATA_PAGE_V2") continue // index pages: skip

    const v2 = header.type === "DATA_PAGE_V2"
    const numValues = v2 ? header.data_page_header_v2!.num_values : header.data_page_header!.num_values
    const encoding = v2 ? header.data_page_header_v2!.encoding : header.data_page_header!.encoding
    if (row + numValues > rows) throw new Error(`pages hold more values than the row group's ${rows} rows`)
    if (row + numValues <= from) {
      // wholly before the range: not even decompressed
      row += numValues
      continue
    }
    // the page's values wanted: [first, last) of its numValues
    const first = Math.max(0, from - row)
    const last = Math.min(numValues, to - row)

    // Fast path 1: PLAIN strings
    if (encoding === "PLAIN" && textual) {
      const { defs, values, valuesOffset } = pageParts(header, pageBytes, decoder, optional, numValues)
      plainStringsInto(values, valuesOffset, defs, first, last, out, row + first - from, badValue)
      row += numValues
      continue
    }

    // Fast path 2: dictionary indexes
    if (encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY") {
      if (dictionary === undefined) throw new Error("dictionary-encoded page without a dictionary page")
      const dict = dictionary
      const { defs, present, values, valuesOffset } = pageParts(header, pageBytes, decoder, optional, numValues)
      const indexes = new Int32Array(present)
      if (present > 0) {
        const width = values[valuesOffset]!
        if (width > 32) throw new Error(`dictionary index bit width ${width}`)
        if (width > 0) {
          const indexReader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: valuesOffset + 1 }
          readRleBitPackedHybrid(indexReader, width, indexes, values.length - valuesOffset - 1)
        }
      }
      const size = dict.length
      let k = 0
      if (defs === undefined) k = first
      else for (let i = 0; i < first; i++) k += defs[i]!
      row += first
      for (let i = first; i < last; i++) {
        if (defs !== undefined && !defs[i]) {
          out[row++ - from] = null
          continue
        }
        const index = indexes[k++]!
        if (index >= size || index < 0) throw new Error(`dictionary index ${index} out of range (${size} entries)`)
        if (dictionaryClean) out[row++ - from] = dict[index] as string | null
        else put(dict[index]!)
      }
      row += numValues - last
      continue
    }

    // General path: hyparquet decodes levels and values (any other encoding), we place them
    const page = v2
      ? readDataPageV2(pageBytes, header, decoder)
      : readDataPage(
          decompressPage(pageBytes, header.uncompressed_page_size, decoder.codec, decoder.compressors),
          header.data_page_header!,
          decoder
        )
    const defs = page.definitionLevels
    const values = convert(page.dataPage, decoder)
    if (defs === undefined || defs.length === 0) {
      for (let k = 0; k < numValues; k++) put(toText(values[k]))
    } else {
      let k = 0
      for (let i = 0; i < numValues; i++) put(defs[i] ? toText(values[k++]) : null)
    }
  }
  return out
}

/** BYTE_ARRAY columns whose bytes are not text: decimals, JSON, BSON, geometry… go through `convert`. */
const isSpecialBinary = (decoder: ColumnDecoder): boolean => {
  const { converted_type, logical_type } = decoder.element
  if (converted_type !== undefined && converted_type !== "UTF8" && converted_type !== "ENUM") return true
  if (logical_type !== undefined && logical_type.type !== "STRING" && logical_type.type !== "ENUM") return true
  return false
}

/**
 * What decoding rows of one row group's columns needs besides the row group's bytes: each
 * column's schema element, physical type, codec and place in the bytes. Plain data, so it can
 * be posted to another thread with the bytes. Flat columns only.
 */
export interface FlatPlan {
  readonly index: number
  readonly rows: number
  /** The schema's root element. */
  readonly root: SchemaElement
  readonly columns: ReadonlyArray<FlatColumnPlan>
}

/** One flat column of a {@link FlatPlan}: its chunk is `bytes[start, start + size)`. */
export interface FlatColumnPlan {
  readonly name: string
  readonly element: SchemaElement
  readonly type: ColumnMetaData["type"]
  readonly codec: ColumnMetaData["codec"]
  readonly start: number
  readonly size: number
}

/** The plan of row group `index`'s flat `columns` (byte offsets relative to `range.start`). */
export const flatPlan = (
  metadata: FileMetaData,
  columns: ReadonlyArray<TopColumn>,
  index: number,
  range: { readonly start: number; readonly end: number }
): FlatPlan => {
  const rowGroup = metadata.row_groups[index]!
  const byPath = new Map<string, ColumnMetaData>()
  for (const chunk of rowGroup.columns) {
    if (chunk.meta_data !== undefined) byPath.set(chunk.meta_data.path_in_schema.join("\u0000"), chunk.meta_data)
  }
  const planned: Array<FlatColumnPlan> = []
  for (const column of columns) {
    if (!column.flat) continue
    const meta = byPath.get(column.name)
    if (meta === undefined) throw new Error(`row group ${index} has no chunk for column ${column.name}`)
    planned.push({
      name: column.name,
      element: column.node.element,
      type: meta.type,
      codec: meta.codec,
      start: chunkStart(meta) - range.start,
      size: Number(meta.total_compressed_size)
    })
  }
  return { index, rows: Number(rowGroup.num_rows), root: metadata.schema[0]!, columns: planned }
}

/** A collector of per-row problems for `rows` rows (messages of one row joined with "; "). */
const problemsOf = (rows: number) => {
  let rowErrors: Array<string | null> | undefined
  return {
    set(row: number, message: string) {
      rowErrors ??= new Array<string | null>(rows).fill(null)
      const previous = rowErrors[row]
      rowErrors[row] = previous === null || previous === undefined ? message : `${previous}; ${message}`
    },
    get: () => rowErrors
  }
}

const decodePlanned = (
  plan: FlatPlan,
  column: FlatColumnPlan,
  bytes: Uint8Array,
  compressors: Compressors,
  problems: { set(row: number, message: string): void },
  from: number,
  to: number
): Array<string | null> => {
  const chunkBytes = bytes.subarray(column.start, column.start + column.size)
  const node: SchemaTree = { children: [], count: 1, element: column.element, path: [column.name] }
  const decoder: ColumnDecoder = {
    pathInSchema: [column.name],
    type: column.type,
    element: column.element,
    schemaPath: [{ children: [], count: 1, element: plan.root, path: [] }, node],
    codec: column.codec,
    parsers: PARSERS,
    compressors,
    utf8: true
  }
  try {
    return decodeFlatChunk(chunkBytes, decoder, plan.rows, column.name, problems, from, to)
  } catch (cause) {
    throw new Error(`row group ${plan.index}, column ${column.name}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause
    })
  }
}

/**
 * Decodes rows `[from, to)` of a row group's flat columns from its bytes (see {@link flatPlan}):
 * synchronous, no file needed, so another thread can do it. Problems are by row of the range.
 */
export const decodeFlat = (
  plan: FlatPlan,
  bytes: Uint8Array,
  compressors: Compressors,
  from = 0,
  to = plan.rows
): DecodedGroup => {
  const length = to - from
  const problems = problemsOf(length)
  const data: Record<string, Array<string | null>> = Object.create(null)
  for (const column of plan.columns) data[column.name] = decodePlanned(plan, column, bytes, compressors, problems, from, to)
  return { data, length, rowErrors: problems.get() }
}

/**
 * Decodes row group `index`. `bytes` holds the file range `[range.start, range.end)` (see
 * {@link rowGroupRange}); nested columns are read through `file`, which only serves that range
 * from `bytes`.
 */
export const decodeRowGroup = async (options: {
  readonly metadata: FileMetaData
  readonly columns: ReadonlyArray<TopColumn>
  readonly index: number
  readonly firstRow: number
  readonly bytes: Uint8Array
  readonly range: { readonly start: number; readonly end: number }
  readonly file: AsyncBuffer
  readonly compressors: Compressors
}): Promise<DecodedGroup> => {
  const { metadata, columns, index, firstRow, bytes, range, compressors } = options
  const plan = flatPlan(metadata, columns, index, range)
  const rows = plan.rows
  const problems = problemsOf(rows)
  const data: Record<string, Array<string | null>> = Object.create(null)
  for (const column of plan.columns) data[column.name] = decodePlanned(plan, column, bytes, compressors, problems, 0, rows)
  const nested = columns.filter((column) => !column.flat)
  if (nested.length > 0) {
    const got: Record<string, Array<unknown>> = Object.create(null)
    for (const column of nested) got[column.name] = []
    await parquetRead({
      file: options.file,
      metadata,
      columns: nested.map((column) => column.name),
      rowStart: firstRow,
      rowEnd: firstRow + rows,
      compressors,
      onChunk: (chunk) => {
        const target = got[chunk.columnName]
        if (target === undefined) return
        const base = chunk.rowStart - firstRow
        for (let i = 0; i < chunk.columnData.length; i++) target[base + i] = chunk.columnData[i]
      }
    })
    for (const column of nested) {
      const values = got[column.name]!
      const out = new Array<string | null>(rows)
      for (let i = 0; i < rows; i++) {
        const value = values[i]
        if (value === null || value === undefined) {
          out[i] = null
        } else {
          const text = toText(value)
          if (text instanceof NotText) {
            problems.set(i, `column ${column.name}: ${text.why}`)
            out[i] = null
          } else {
            out[i] = text
          }
        }
      }
      data[column.name] = out
    }
  }
  // columns in file order
  const ordered: Record<string, Array<string | null>> = Object.create(null)
  for (const column of columns) ordered[column.name] = data[column.name]!
  return { data: ordered, length: rows, rowErrors: problems.get() }
}
