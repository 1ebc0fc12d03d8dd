/**
 * One flat column chunk read page by page (the fast path): PLAIN strings cut straight out of the
 * page bytes, dictionary indexes looked up, nulls placed from the definition levels; any other
 * encoding goes through hyparquet's own page decoder.
 *
 * @internal
 */
import { parquetHeader } from "hyparquet/src/column.js"
import { convert } from "hyparquet/src/convert.js"
import { decompressPage, readDataPage, readDataPageV2 } from "hyparquet/src/datapage.js"
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js"
import { readPlain } from "hyparquet/src/plain.js"
import type { BufferPool } from "../BufferPool.js"
import { isAscii, NON_ASCII, NotText, oneBytePerChar, readPlainStrings, toText, utf8 } from "./parquetText.js"

export type ColumnDecoder = Parameters<typeof readDataPageV2>[2]
type PageHeader = ReturnType<typeof parquetHeader>

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

/** How the loaded page of a {@link FlatColumnCursor} holds its values. */
const enum PageKind {
  /** No page loaded yet. */
  None,
  /** PLAIN text: cut out of the page's bytes value by value. */
  Plain,
  /** Dictionary indexes. */
  Dictionary,
  /** Any other encoding: every value decoded when the page is loaded. */
  Values
}

const NO_BYTES = new Uint8Array(0)
const NO_INDEXES = new Int32Array(0)

/** Reads the 4-byte little-endian length of a PLAIN BYTE_ARRAY value at `p`. */
const lengthAt = (bytes: Uint8Array, p: number): number =>
  (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0

/** Where `count` PLAIN values starting at `p` end, each one's length checked against the page's end. */
const pastValues = (values: Uint8Array, p: number, count: number): number => {
  for (let k = 0; k < count; k++) {
    if (p + 4 > values.length) throw new Error("page ends inside a value length")
    p += 4 + lengthAt(values, p)
    if (p > values.length) throw new Error("page ends inside a value")
  }
  return p
}

/** How many of rows `[a, b)` have a value (all of them without definition levels). */
const presentIn = (defs: Uint8Array | undefined, a: number, b: number): number => {
  if (defs === undefined) return b - a
  let present = 0
  for (let i = a; i < b; i++) present += defs[i]!
  return present
}

/**
 * One flat column chunk's rows, read in order: each page is decompressed, and its levels,
 * dictionary indexes or text prepared, once; `take` hands out the values of the next rows.
 *
 * A caller can so take a few rows at a time (the local service validates 1,024 rows at a time)
 * and let each batch's strings go while they are young, instead of holding the whole range's
 * strings until its last row is done (they outlived several young-generation collections and
 * were copied and promoted, a cost the bench shows). Pages wholly before the first
 * row taken are stepped over undecompressed.
 *
 * PLAIN strings are cut straight out of the page bytes: the values section becomes one JS
 * string (one char per byte) and each ASCII value a `substring` of it; other values are decoded
 * on their own (strict UTF-8), and one that is not UTF-8 is a problem of its row (left null).
 */
export class FlatColumnCursor {
  private readonly reader: { view: DataView; offset: number }
  private readonly optional: boolean
  private readonly textual: boolean
  private dictionary: Array<string | null | NotText> | undefined
  /** No NotText entry in `dictionary`. */
  private dictionaryClean = false
  /** The chunk's row of the next value to hand out. */
  private row = 0
  /** The loaded page holds rows `[pageFirst, pageEnd)`. */
  private pageFirst = 0
  private pageEnd = 0
  private kind = PageKind.None
  /** The loaded page's definition levels (undefined: no nulls). */
  private defs: Uint8Array | undefined
  // PageKind.Plain: the values section and where the next present value starts
  private values: Uint8Array = NO_BYTES
  private p = 0
  // PageKind.Dictionary: the present values' indexes and the next one's place
  private indexes: Int32Array = NO_INDEXES
  private k = 0
  // PageKind.Values: every row's value
  private decoded: Array<string | null | NotText> = []
  /**
   * With `keepPlain`: the PLAIN bytes of the rows `take` handed out last (see
   * `DecodedGroup.plain`), one piece per page they came from; undefined once a row came from
   * another encoding or was not valid UTF-8.
   */
  private pieces: Array<Uint8Array> | undefined
  /** With a pool: its buffer holding the loaded PLAIN page. */
  private pageBuffer: Uint8Array | undefined
  /** With a pool: buffers of earlier pages that the last `take`'s `pieces` still view. */
  private readonly held: Array<Uint8Array> = []

  constructor(
    private readonly bytes: Uint8Array,
    private readonly decoder: ColumnDecoder,
    private readonly rows: number,
    private readonly keepPlain = false,
    private readonly pages?: BufferPool
  ) {
    this.reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
    this.optional = decoder.element.repetition_type !== "REQUIRED"
    this.textual = decoder.type === "BYTE_ARRAY" && !isSpecialBinary(decoder)
  }

  /**
   * The values of rows `[from, to)` into `out` from `out[at]` on; a value that cannot be text
   * is left null and reported to `bad` (its place in `out`). `from` must not be before the
   * rows already taken.
   */
  take(from: number, to: number, out: Array<string | null>, at: number, bad: (index: number, why: string) => void): void {
    if (from < this.row) throw new Error(`rows ${from}.. asked after rows up to ${this.row} were read`)
    if (to > this.rows) throw new Error(`rows up to ${to} asked of a ${this.rows}-row column chunk`)
    if (from > this.row) {
      if (from < this.pageEnd) this.skipInPage(from)
      else this.row = from // the pages before `from` are stepped over as they are reached
    }
    // the last take's PLAIN bytes have been used (see `DecodedGroup.plain`): their pages' buffers go back
    this.giveHeld()
    this.pieces = this.keepPlain ? [] : undefined
    while (this.row < to) {
      if (this.row >= this.pageEnd) this.loadPage()
      const last = Math.min(to, this.pageEnd)
      const a = this.row - this.pageFirst
      const b = last - this.pageFirst
      switch (this.kind) {
        case PageKind.Plain:
          this.plainInto(a, b, out, at, bad)
          break
        case PageKind.Dictionary:
          this.pieces = undefined
          this.dictionaryInto(a, b, out, at, bad)
          break
        default:
          this.pieces = undefined
          for (let i = a; i < b; i++) {
            const value = this.decoded[i]!
            if (value instanceof NotText) {
              out[at + i - a] = null
              bad(at + i - a, value.why)
            } else out[at + i - a] = value
          }
      }
      at += last - this.row
      this.row = last
    }
  }

  /**
   * The PLAIN bytes of the rows the last `take` handed out (see `DecodedGroup.plain`), when it
   * was made with `keepPlain` and they all came clean from PLAIN text pages: a view of the page
   * when they came from one, else a copy.
   */
  takenPlain(): Uint8Array | undefined {
    const pieces = this.pieces
    if (pieces === undefined) return undefined
    if (pieces.length === 1) return pieces[0]!
    let length = 0
    for (const piece of pieces) length += piece.length
    const all = new Uint8Array(length)
    length = 0
    for (const piece of pieces) {
      all.set(piece, length)
      length += piece.length
    }
    return all
  }

  /**
   * The loaded page is done with (another is being loaded, or the cursor is released): its pool
   * buffer goes back, or, while the current take's PLAIN bytes still view it, once the next
   * take begins.
   */
  private retirePage(): void {
    const buffer = this.pageBuffer
    if (buffer === undefined) return
    this.pageBuffer = undefined
    this.values = NO_BYTES
    if (this.pieces !== undefined && this.pieces.length > 0) this.held.push(buffer)
    else this.pages!.give(buffer.buffer)
  }

  /** The buffers of earlier pages that the last take's PLAIN bytes viewed, back to the pool. */
  private giveHeld(): void {
    for (const buffer of this.held) this.pages!.give(buffer.buffer)
    this.held.length = 0
  }

  /** Hands every pool buffer back; the cursor is not used afterwards. */
  release(): void {
    this.pieces = undefined
    this.retirePage()
    this.giveHeld()
  }

  /** Moves to row `target` of the loaded page, stepping over the values before it. */
  private skipInPage(target: number): void {
    const a = this.row - this.pageFirst
    const b = target - this.pageFirst
    const present = presentIn(this.defs, a, b)
    if (this.kind === PageKind.Plain) this.p = pastValues(this.values, this.p, present)
    else if (this.kind === PageKind.Dictionary) this.k += present
    this.row = target
  }

  /** Reads page headers up to the data page holding `this.row` (dictionary pages on the way are kept). */
  private loadPage(): void {
    const decoder = this.decoder
    const reader = this.reader
    const bytes = this.bytes
    for (;;) {
      if (reader.offset >= bytes.length) throw new Error(`column chunk ended after ${this.pageEnd} of ${this.rows} values`)
      const header: PageHeader = parquetHeader(reader)
      const pageBytes = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size)
      if (pageBytes.length !== header.compressed_page_size) throw new Error("page extends past the column chunk")
      reader.offset += header.compressed_page_size

      if (header.type === "DICTIONARY_PAGE") {
        const diph = header.dictionary_page_header
        if (diph === undefined) throw new Error("dictionary page without a header")
        const page = decompressPage(pageBytes, header.uncompressed_page_size, decoder.codec, decoder.compressors)
        const entries: Array<string | null | NotText> = []
        if (this.textual) {
          readPlainStrings(page, 0, diph.num_values, (value) => entries.push(value))
        } else {
          const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
          const raw = readPlain(pageReader, decoder.type, diph.num_values, decoder.element.type_length)
          const converted = convert(raw, decoder)
          for (let i = 0; i < converted.length; i++) entries.push(toText(converted[i]))
        }
        this.dictionary = entries
        this.dictionaryClean = entries.every((entry) => !(entry instanceof NotText))
        continue
      }
      if (header.type !== "DATA_PAGE" && header.type !== "DATA_PAGE_V2") continue // index pages: skip

      const v2 = header.type === "DATA_PAGE_V2"
      const numValues = v2 ? header.data_page_header_v2!.num_values : header.data_page_header!.num_values
      const encoding = v2 ? header.data_page_header_v2!.encoding : header.data_page_header!.encoding
      const first = this.pageEnd
      if (first + numValues > this.rows) throw new Error(`pages hold more values than the row group's ${this.rows} rows`)
      this.pageFirst = first
      this.pageEnd = first + numValues
      this.kind = PageKind.None
      // wholly before the rows wanted: not even decompressed
      const target = this.row
      if (this.pageEnd <= target) continue
      this.preparePage(header, pageBytes, encoding, numValues, v2)
      this.row = first
      if (target > first) this.skipInPage(target)
      return
    }
  }

  private preparePage(header: PageHeader, pageBytes: Uint8Array, encoding: string, numValues: number, v2: boolean): void {
    const decoder = this.decoder
    this.retirePage()
    if (encoding === "PLAIN" && this.textual) {
      const { defs, values, valuesOffset } = pageParts(header, pageBytes, decoder, this.optional, numValues)
      this.kind = PageKind.Plain
      this.defs = defs
      this.values = values
      // decompressed (not a view of the chunk's bytes): into the pool's memory, the fresh array let go young
      if (this.pages !== undefined && values.buffer !== this.bytes.buffer) {
        const kept = this.pages.take(values.length)
        kept.set(values)
        this.values = this.pageBuffer = kept
      }
      this.p = valuesOffset
      return
    }
    if (encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY") {
      if (this.dictionary === undefined) throw new Error("dictionary-encoded page without a dictionary page")
      const { defs, present, values, valuesOffset } = pageParts(header, pageBytes, decoder, this.optional, numValues)
      const indexes = new Int32Array(present)
      if (present > 0) {
        const width = values[valuesOffset]!
        if (width > 32) throw new Error(`dictionary index bit width ${width}`)
        if (width > 0) {
          const indexReader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: valuesOffset + 1 }
          readRleBitPackedHybrid(indexReader, width, indexes, values.length - valuesOffset - 1)
        }
      }
      this.kind = PageKind.Dictionary
      this.defs = defs
      this.indexes = indexes
      this.k = 0
      return
    }
    // General path: hyparquet decodes levels and values (any other encoding)
    const page = v2
      ? readDataPageV2(pageBytes, header, decoder)
      : readDataPage(
          decompressPage(pageBytes, header.uncompressed_page_size, decoder.codec, decoder.compressors),
          header.data_page_header!,
          decoder
        )
    const defs = page.definitionLevels
    const values = convert(page.dataPage, decoder)
    const decoded = new Array<string | null | NotText>(numValues)
    if (defs === undefined || defs.length === 0) {
      for (let k = 0; k < numValues; k++) decoded[k] = toText(values[k])
    } else {
      let k = 0
      for (let i = 0; i < numValues; i++) decoded[i] = defs[i] ? toText(values[k++]) : null
    }
    this.kind = PageKind.Values
    this.defs = undefined
    this.decoded = decoded
  }

  /**
   * PLAIN text rows `[a, b)` of the loaded page. The bytes of these rows' values (lengths
   * included) become one JS string, one char per byte, and each ASCII value is a `substring` of
   * it. Only these rows' bytes: a string of a whole page would be a large object, allocated in
   * the old generation and freed by a full collection only, while one of a batch's values is
   * young and dies with the batch.
   */
  private plainInto(a: number, b: number, out: Array<string | null>, at: number, bad: (index: number, why: string) => void): void {
    const values = this.values
    const defs = this.defs
    const p0 = this.p
    // where these rows' values end (lengths checked here, once)
    const q = pastValues(values, p0, presentIn(defs, a, b))
    if (this.pieces !== undefined) this.pieces.push(values.subarray(p0, q))
    const text = q > p0 ? oneBytePerChar(values.subarray(p0, q)) : ""
    // usual case: all of it is ASCII (text and lengths < 128) → no per-value checks
    const ascii = !NON_ASCII.test(text)
    let p = p0
    for (let i = a; i < b; i++, at++) {
      if (defs !== undefined && defs[i] === 0) {
        out[at] = null
        continue
      }
      const n = lengthAt(values, p)
      p += 4
      const stop = p + n
      if (ascii || isAscii(values, p, stop)) {
        out[at] = text.substring(p - p0, stop - p0)
      } else {
        try {
          out[at] = utf8.decode(values.subarray(p, stop))
        } catch {
          out[at] = null
          bad(at, "bytes that are not valid UTF-8")
          this.pieces = undefined
        }
      }
      p = stop
    }
    this.p = p
  }

  /** Dictionary rows `[a, b)` of the loaded page. */
  private dictionaryInto(a: number, b: number, out: Array<string | null>, at: number, bad: (index: number, why: string) => void): void {
    const dict = this.dictionary!
    const size = dict.length
    const defs = this.defs
    const indexes = this.indexes
    let k = this.k
    for (let i = a; i < b; i++, at++) {
      if (defs !== undefined && !defs[i]) {
        out[at] = null
        continue
      }
      const index = indexes[k++]!
      if (index >= size || index < 0) throw new Error(`dictionary index ${index} out of range (${size} entries)`)
      const value = dict[index]!
      if (this.dictionaryClean || !(value instanceof NotText)) out[at] = value as string | null
      else {
        out[at] = null
        bad(at, value.why)
      }
    }
    this.k = k
  }
}

/** BYTE_ARRAY columns whose bytes are not text: decimals, JSON, BSON, geometry… go through `convert`. */
const isSpecialBinary = (decoder: ColumnDecoder): boolean => {
  const { converted_type, logical_type } = decoder.element
  if (converted_type !== undefined && converted_type !== "UTF8" && converted_type !== "ENUM") return true
  if (logical_type !== undefined && logical_type.type !== "STRING" && logical_type.type !== "ENUM") return true
  return false
}
