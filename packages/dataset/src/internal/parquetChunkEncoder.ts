/**
 * Encoding one flat column chunk: its pages (an optional PLAIN dictionary page, then v1 data
 * pages of about `pageSize` bytes, compressed with the chosen codec) and its metadata.
 *
 * @internal
 */
import { writePageHeader } from "hyparquet-writer/src/datapage.js"
import type { ColumnAccumulator } from "./parquetAccumulator.js"
import { type Buf, lengthAt, withByteWriter } from "./parquetBuffers.js"
import type { ColumnChunk, ColumnType, CompressionCodec, EncoderOptions } from "./parquetEncoderTypes.js"
import { bitWidth, rleHybrid, rleLevels, uniformLevels } from "./parquetLevels.js"
import { compressView as snappyView } from "./snappy.js"

const physicalType = (type: ColumnType) =>
  type === "STRING" ? ("BYTE_ARRAY" as const) : type === "BOOLEAN" ? ("BOOLEAN" as const) : type

/**
 * Encodes one flat column chunk's pages, appending them (header, compressed body) to the row
 * group's output `out`: no array per page. The built-in Snappy compresses into its own scratch
 * array, copied from there into `out`.
 */
class ColumnChunkEncoder {
  private readonly first: number
  private uncompressed = 0

  constructor(
    private readonly options: EncoderOptions,
    private readonly page: Buf, // scratch page buffer, shared by all columns of the writer
    private readonly out: Buf // the row group's bytes so far: this chunk starts at its end (its offset in the row group)
  ) {
    this.first = out.length
  }

  /** The page body as stored: compressed (a view valid until the next page) or the raw bytes. */
  private compress(body: Uint8Array): Uint8Array {
    if (this.options.codec !== "SNAPPY") return body
    return this.options.snappy === undefined ? snappyView(body) : this.options.snappy(body)
  }

  private emit(header: Uint8Array, body: Uint8Array, uncompressedBodySize: number): number {
    const offset = this.out.length
    this.out.append(header)
    this.out.append(body)
    this.uncompressed += header.length + uncompressedBodySize
    return offset
  }

  dictionaryPage(values: ReadonlyArray<string>): number {
    const page = this.page
    page.reset()
    for (const v of values) page.lengthPrefixedUtf8(v)
    const raw = page.subarray()
    const body = this.compress(raw)
    const header = withByteWriter((w) =>
      writePageHeader(w, {
        type: "DICTIONARY_PAGE",
        uncompressed_page_size: raw.length,
        compressed_page_size: body.length,
        dictionary_page_header: { num_values: values.length, encoding: "PLAIN" }
      })
    )
    return this.emit(header, body, raw.length)
  }

  /**
   * One data page for rows `[start, end)`: v1 layout `[def-levels length][def levels][values]`.
   * `writeValues` appends the values of the non-null rows to the page buffer. `uniform`: the
   * level of every row when the column has no null (1) or only nulls (0), so they are not read.
   */
  dataPage(
    defLevels: Uint8Array,
    start: number,
    end: number,
    encoding: "PLAIN" | "RLE_DICTIONARY",
    writeValues: (page: Buf) => void,
    uniform?: 0 | 1
  ): number {
    const page = this.page
    page.reset()
    page.u32(0)
    if (uniform === undefined) rleLevels(page, defLevels, start, end)
    else uniformLevels(page, uniform, start, end)
    page.view.setUint32(0, page.length - 4, true)
    writeValues(page)
    const raw = page.subarray()
    const body = this.compress(raw)
    const header = withByteWriter((w) =>
      writePageHeader(w, {
        type: "DATA_PAGE",
        uncompressed_page_size: raw.length,
        compressed_page_size: body.length,
        data_page_header: {
          num_values: end - start,
          encoding,
          definition_level_encoding: "RLE",
          repetition_level_encoding: "RLE"
        }
      })
    )
    return this.emit(header, body, raw.length)
  }

  result(): { written: number; uncompressed: number } {
    return { written: this.out.length - this.first, uncompressed: this.uncompressed }
  }
}

/** Encodes a column's chunk at the end of `out` (the row group's bytes so far: the chunk's offset in the group). */
export const encodeColumn = (
  options: EncoderOptions,
  page: Buf,
  acc: ColumnAccumulator,
  length: number,
  out: Buf
): { readonly chunk: ColumnChunk; readonly encoded: { written: number; uncompressed: number } } => {
  const column = acc.column
  const chunkStart = out.length
  const encoder = new ColumnChunkEncoder(options, page, out)
  const defLevels = acc.defs.bytes
  const nonNull = acc.nonNull
  const encodings: Array<"PLAIN" | "RLE" | "RLE_DICTIONARY"> = ["RLE", "PLAIN"]
  let dictionaryPageOffset: number | undefined
  let dataPageOffset: number | undefined
  const pageSize = options.pageSize
  // no null (or only nulls): the definition levels need not be read
  const uniform = nonNull === length ? 1 : nonNull === 0 ? 0 : undefined

  if (nonNull === 0) {
    // all null: one page of definition levels (a single RLE run), no values
    dataPageOffset = encoder.dataPage(defLevels, 0, length, "PLAIN", () => undefined, 0)
  } else if (column.type === "STRING") {
    const dictionary = acc.strings()
    if (dictionary !== undefined) {
      dictionaryPageOffset = encoder.dictionaryPage(dictionary.dictionary)
      // bit width at least 1: some readers mishandle 0-bit dictionary indexes
      const width = Math.max(1, bitWidth(dictionary.dictionary.length - 1))
      encodings.push("RLE_DICTIONARY")
      const rowsPerPage = Math.max(1024, Math.floor((pageSize * 8) / width))
      let k = 0
      for (let start = 0; start < length; start += rowsPerPage) {
        const end = Math.min(length, start + rowsPerPage)
        let count = 0
        if (uniform === 1) count = end - start
        else if (start === 0 && end === length) count = nonNull
        else for (let i = start; i < end; i++) count += defLevels[i]!
        const from = k
        k += count
        const offset = encoder.dataPage(defLevels, start, end, "RLE_DICTIONARY", (page) => {
          page.u8(width)
          rleHybrid(page, dictionary.indexes, from, from + count, width)
        }, uniform)
        dataPageOffset ??= offset
      }
    } else {
      const plain = acc.plainValues()
      const bytes = plain.bytes
      let start = 0
      let p = 0
      if (plain.length < pageSize) {
        // all the values fit in one page: the walk below would end at the last row (not read)
        const values = bytes.subarray(0, plain.length)
        dataPageOffset = encoder.dataPage(defLevels, 0, length, "PLAIN", (page) => page.append(values), uniform)
        start = length
      }
      while (start < length) {
        // a page holds about pageSize bytes of values
        let end = start
        const from = p
        while (end < length && p - from < pageSize) {
          if (defLevels[end] === 1) p += 4 + lengthAt(bytes, p)
          end++
        }
        const values = bytes.subarray(from, p)
        const offset = encoder.dataPage(defLevels, start, end, "PLAIN", (page) => page.append(values), uniform)
        dataPageOffset ??= offset
        start = end
      }
    }
  } else {
    const fixed = acc.fixedValues()
    const rowsPerPage = Math.max(1024, column.type === "BOOLEAN" ? pageSize * 8 : Math.floor(pageSize / 8))
    let k = 0
    for (let start = 0; start < length; start += rowsPerPage) {
      const end = Math.min(length, start + rowsPerPage)
      let count = 0
      if (uniform === 1) count = end - start
      else for (let i = start; i < end; i++) count += defLevels[i]!
      const from = k
      k += count
      const offset = encoder.dataPage(defLevels, start, end, "PLAIN", (page) => {
        if (column.type === "BOOLEAN") {
          // PLAIN booleans: bit-packed, least significant bit first
          let bit = 0
          let byte = 0
          for (let j = from; j < from + count; j++) {
            if (fixed.bytes[j] === 1) byte |= 1 << bit
            if (++bit === 8) {
              page.u8(byte)
              bit = 0
              byte = 0
            }
          }
          if (bit > 0) page.u8(byte)
        } else page.append(fixed.bytes.subarray(from * 8, (from + count) * 8))
      }, uniform)
      dataPageOffset ??= offset
    }
  }

  const encoded = encoder.result()
  const codec: CompressionCodec = options.codec
  const chunk: ColumnChunk = {
    file_offset: BigInt(dictionaryPageOffset ?? dataPageOffset ?? chunkStart),
    meta_data: {
      type: physicalType(column.type),
      encodings,
      path_in_schema: [column.name],
      codec,
      num_values: BigInt(length),
      total_uncompressed_size: BigInt(encoded.uncompressed),
      total_compressed_size: BigInt(encoded.written),
      data_page_offset: BigInt(dataPageOffset ?? chunkStart),
      ...(dictionaryPageOffset !== undefined ? { dictionary_page_offset: BigInt(dictionaryPageOffset) } : {}),
      statistics: { null_count: BigInt(length - nonNull) }
    }
  }
  return { chunk, encoded }
}
