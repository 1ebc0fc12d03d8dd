/**
 * A fast encoder for flat, nullable Parquet columns (STRING, BOOLEAN, DOUBLE, INT64), built
 * on hyparquet-writer's primitives: its page-header and file-metadata (thrift) writers and its
 * RLE/bit-packing hybrid encoder (Snappy: see `./snappy.ts`).
 *
 * Why not `ParquetWriter.write`: for string columns it allocates one `Uint8Array` per value
 * (`TextEncoder.encode`) and computes min/max statistics, which made writing ~5x slower than
 * the rest of the pipeline (measured: ~150k rows/s for 7 string columns). Here strings are
 * UTF-8 encoded straight into the page buffer, dictionaries are keyed by the JS string, and
 * statistics carry only `null_count`.
 *
 * Output layout: one row group per `encodeRowGroup` call; per column chunk an optional
 * dictionary page (PLAIN) and data pages (v1, RLE definition levels, PLAIN or RLE_DICTIONARY
 * values) of about `pageSize` bytes; pages compressed with the chosen codec.
 */
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js"
import { writePageHeader } from "hyparquet-writer/src/datapage.js"
import { writeMetadata } from "hyparquet-writer/src/metadata.js"
import { compressView as snappyView } from "./snappy.js"

// hyparquet-writer pins its own hyparquet version: use the metadata types it expects
type FileMetaData = Parameters<typeof writeMetadata>[1]
type RowGroup = FileMetaData["row_groups"][number]
type ColumnChunk = RowGroup["columns"][number]
type SchemaElement = FileMetaData["schema"][number]
type CompressionCodec = NonNullable<ColumnChunk["meta_data"]>["codec"]

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

const describeValue = (value: unknown): string => {
  if (Array.isArray(value)) return "an array"
  if (value instanceof Uint8Array) return "bytes"
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`
  if (typeof value === "object") return "an object"
  return `${typeof value} ${String(value)}`
}

// ---------------------------------------------------------------------------------------------
// A growable byte buffer with a hand-written UTF-8 encoder.

const textEncoder = new TextEncoder()

class Buf {
  bytes: Uint8Array
  view: DataView
  length = 0
  constructor(size = 1 << 16) {
    this.bytes = new Uint8Array(size)
    this.view = new DataView(this.bytes.buffer)
  }
  reset(): this {
    this.length = 0
    return this
  }
  ensure(extra: number): void {
    const needed = this.length + extra
    if (needed <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < needed) size *= 2
    const next = new Uint8Array(size)
    next.set(this.bytes.subarray(0, this.length))
    this.bytes = next
    this.view = new DataView(next.buffer)
  }
  u8(value: number): void {
    this.ensure(1)
    this.bytes[this.length++] = value
  }
  u32(value: number): void {
    this.ensure(4)
    this.view.setUint32(this.length, value, true)
    this.length += 4
  }
  append(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.bytes.set(bytes, this.length)
    this.length += bytes.length
  }
  /** Appends a PLAIN BYTE_ARRAY value: 4-byte little-endian length, then the UTF-8 bytes. */
  lengthPrefixedUtf8(value: string): void {
    const n = value.length
    this.ensure(4 + n * 3)
    const bytes = this.bytes
    const start = this.length + 4
    let p = start
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i)
      if (c < 0x80) {
        bytes[p++] = c
      } else if (c < 0x800) {
        bytes[p++] = 0xc0 | (c >> 6)
        bytes[p++] = 0x80 | (c & 0x3f)
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? value.charCodeAt(i + 1) : 0
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          bytes[p++] = 0xf0 | (cp >> 18)
          bytes[p++] = 0x80 | ((cp >> 12) & 0x3f)
          bytes[p++] = 0x80 | ((cp >> 6) & 0x3f)
          bytes[p++] = 0x80 | (cp & 0x3f)
          i++
        } else {
          // lone surrogate: U+FFFD, as TextEncoder does
          bytes[p++] = 0xef
          bytes[p++] = 0xbf
          bytes[p++] = 0xbd
        }
      } else {
        bytes[p++] = 0xe0 | (c >> 12)
        bytes[p++] = 0x80 | ((c >> 6) & 0x3f)
        bytes[p++] = 0x80 | (c & 0x3f)
      }
    }
    this.view.setUint32(this.length, p - start, true)
    this.length = p
  }
  subarray(start = 0, end = this.length): Uint8Array {
    return this.bytes.subarray(start, end)
  }
}

/** Adapts hyparquet-writer's `Writer` calls onto a fresh ByteWriter and returns its bytes. */
const withByteWriter = (f: (writer: ByteWriter) => void): Uint8Array => {
  const writer = new ByteWriter(256)
  f(writer)
  return writer.getBytes()
}

// ---------------------------------------------------------------------------------------------

const bitWidth = (max: number): number => (max === 0 ? 0 : 32 - Math.clz32(max))

/** A growable array of 32-bit integers. */
class Ints {
  values = new Int32Array(1024)
  length = 0
  reset(): this {
    this.length = 0
    return this
  }
  push(v: number): void {
    if (this.length === this.values.length) {
      const next = new Int32Array(this.values.length * 2)
      next.set(this.values)
      this.values = next
    }
    this.values[this.length++] = v
  }
}

/**
 * A column accumulator's buffers, kept by its encoder after a row group is encoded and handed
 * to the same column of the next one: allocating (zeroed) and growing them afresh per row
 * group cost ~5% of encoding, and their sizes fit the column.
 */
interface Spare {
  readonly defs: Buf
  readonly plain: Buf | undefined
  readonly fixed: Buf | undefined
  readonly indexes: Ints
}

/**
 * One column of a row group being built: its definition levels and its non-null values, kept
 * in encoded form (bytes, dictionary indexes) rather than as JS values, so a caller can add
 * rows in small batches and let each batch's values go (short-lived strings never reach the
 * old generation). `finish` writes the column chunk's pages.
 */
class ColumnAccumulator {
  /** Definition levels: 1 where the row has a value. */
  readonly defs: Buf
  nonNull = 0
  // STRING: undecided (sampling) → dictionary or plain
  private mode: "sample" | "dictionary" | "plain" = "sample"
  private sample: Array<string> = []
  private sampleSet = new Set<string>()
  private dictIndex: Record<string, number | undefined> = Object.create(null)
  private dictionary: Array<string> = []
  private dictBytes = 0
  private last: string | undefined
  private lastAt = 0
  private indexes: Ints
  // STRING plain: the PLAIN encoding of the values (4-byte little-endian length, UTF-8 bytes)
  private plain: Buf | undefined
  // BOOLEAN (0/1 per value), DOUBLE and INT64 (8 little-endian bytes per value)
  private fixed: Buf | undefined

  private readonly sparePlain: Buf | undefined
  private readonly spareFixed: Buf | undefined

  constructor(readonly column: EncoderColumn, spare: Spare | undefined) {
    this.defs = spare?.defs.reset() ?? new Buf(1 << 12)
    this.indexes = spare?.indexes.reset() ?? new Ints()
    this.sparePlain = spare?.plain
    this.spareFixed = spare?.fixed
  }

  /** This column's buffers, for the same column of the next row group (this accumulator is done). */
  release(): Spare {
    return { defs: this.defs, plain: this.plain, fixed: this.fixed, indexes: this.indexes }
  }

  private newPlain(): Buf {
    return this.sparePlain?.reset() ?? new Buf(1 << 16)
  }

  private newFixed(): Buf {
    return this.spareFixed?.reset() ?? new Buf(1 << 12)
  }

  /**
   * Appends rows `[from, to)` of `values` (undefined: all null); `row0` is the row index of
   * `values[0]` in the group. `plain`: the PLAIN encoding of these rows' non-null values, if the
   * caller has it (see `RowGroupBuilder.add`).
   */
  add(values: ReadonlyArray<unknown> | undefined, from: number, to: number, row0: number, plain?: Uint8Array): void {
    const defs = this.defs
    defs.ensure(to - from)
    if (values === undefined) {
      defs.bytes.fill(0, defs.length, defs.length + (to - from))
      defs.length += to - from
      return
    }
    switch (this.column.type) {
      case "STRING":
        if (plain !== undefined && this.mode === "plain" && this.addPlainBytes(values, from, to, plain)) return
        return this.addStrings(values, from, to, row0)
      case "BOOLEAN":
        return this.addBooleans(values, from, to, row0)
      case "DOUBLE":
        return this.addDoubles(values, from, to, row0)
      case "INT64":
        return this.addInt64s(values, from, to, row0)
    }
  }

  private addStrings(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    if (this.mode === "plain") return this.addPlainStrings(values, from, to, row0)
    if (this.mode === "dictionary") return this.addDictionaryStrings(values, from, to, row0)
    const defs = this.defs
    const bytes = defs.bytes
    let d = defs.length
    for (let i = from; i < to; i++) {
      let v = values[i]
      if (v === null || v === undefined) {
        bytes[d++] = 0
        continue
      }
      if (typeof v !== "string") v = this.asString(v, row0 + i)
      bytes[d++] = 1
      this.nonNull++
      this.addString(v as string) // sampling, then whichever mode it decided on
    }
    defs.length = d
  }

  /**
   * A batch of a PLAIN column whose values' PLAIN bytes the caller already has (a column passed
   * through from a PLAIN page): the definition levels from `values`, then the bytes copied as
   * they are. False, nothing written, when the bytes do not hold exactly one value per non-null
   * cell (their lengths walked to their end) or a non-null cell is not a string.
   */
  private addPlainBytes(values: ReadonlyArray<unknown>, from: number, to: number, plain: Uint8Array): boolean {
    // the levels go past `defs.length` (room made by `add`) and count only once the bytes fit
    const defs = this.defs
    const bytes = defs.bytes
    let d = defs.length
    let count = 0
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (v === null || v === undefined) {
        bytes[d++] = 0
        continue
      }
      if (typeof v !== "string") return false
      bytes[d++] = 1
      count++
    }
    let p = 0
    for (let k = 0; k < count; k++) {
      if (p + 4 > plain.length) return false
      p += 4 + lengthAt(plain, p)
    }
    if (p !== plain.length) return false
    defs.length = d
    this.nonNull += count
    const out = (this.plain ??= this.newPlain())
    out.append(plain)
    return true
  }

  /** A non-string value of a STRING column: numbers, booleans and bigints as their text; anything else is an error. */
  private asString(v: unknown, row: number): string {
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v)
    throw new WrongTypeError(this.column.name, row, "STRING", describeValue(v))
  }

  /**
   * A batch of a PLAIN column: the values behind their length prefixes concatenated into one
   * string (`PREFIXES`; V8 makes a rope, flattened once by `encodeInto` — cheaper than pushing
   * the parts into an array and joining it) and written with one `encodeInto` when every value
   * is ASCII and shorter than 128 (its prefix then encodes as itself); otherwise the batch is
   * encoded value by value.
   */
  private addPlainStrings(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    const defs = this.defs
    const bytes = defs.bytes
    let d = defs.length
    let all = ""
    let count = 0
    for (let i = from; i < to; i++) {
      let v = values[i]
      if (v === null || v === undefined) {
        bytes[d++] = 0
        continue
      }
      if (typeof v !== "string") v = this.asString(v, row0 + i)
      bytes[d++] = 1
      count++
      const n = (v as string).length
      all += (n < 128 ? PREFIXES[n]! : LONG) + (v as string)
    }
    defs.length = d
    this.nonNull += count
    if (count === 0 || this.encodeAsciiPlain(all)) return
    const plain = this.plain!
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (v !== null && v !== undefined) plain.lengthPrefixedUtf8(typeof v === "string" ? v : String(v))
    }
  }

  /** A batch of a dictionary column (see {@link addToDictionary}). */
  private addDictionaryStrings(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    const defs = this.defs
    const bytes = defs.bytes
    let d = defs.length
    for (let i = from; i < to; i++) {
      let v = values[i]
      if (v === null || v === undefined) {
        bytes[d++] = 0
        continue
      }
      if (typeof v !== "string") v = this.asString(v, row0 + i)
      bytes[d++] = 1
      this.nonNull++
      if (this.mode === "dictionary") this.addToDictionary(v as string)
      else this.addPlain(v as string) // the dictionary grew too big in this batch
    }
    defs.length = d
  }

  private addString(v: string): void {
    if (this.mode === "dictionary") return this.addToDictionary(v)
    if (this.mode === "plain") return this.addPlain(v)
    // sampling: mostly distinct values (ids, street lines) go PLAIN, decided on the first values
    this.sample.push(v)
    this.sampleSet.add(v)
    // decided as soon as the rest of the sample cannot change the outcome (more than 70% of
    // SAMPLE distinct already, or more than 30% repeats): what `decide` would say at SAMPLE
    // values, or at fewer when the row group ends first; fresh strings cost a hash each here
    const n = this.sample.length
    const distinct = this.sampleSet.size
    if (n >= SAMPLE || distinct > SAMPLE_DISTINCT || n - distinct > SAMPLE - SAMPLE_DISTINCT) this.decide()
  }

  /** Ends sampling: dictionary unless the sample was mostly distinct. */
  private decide(): void {
    const sample = this.sample
    const distinct = this.sampleSet.size
    this.sample = []
    this.sampleSet = new Set()
    if (distinct > sample.length * (SAMPLE_DISTINCT / SAMPLE)) {
      this.mode = "plain"
      this.addPlainList(sample, undefined)
    } else {
      this.mode = "dictionary"
      for (const v of sample) this.addToDictionary(v)
    }
  }

  private addToDictionary(v: string): void {
    // runs of one value (statuses, codes) skip the hash look-up
    if (v === this.last) {
      this.indexes.push(this.lastAt)
      return
    }
    let at = this.dictIndex[v]
    if (at === undefined) {
      at = this.dictionary.length
      this.dictionary.push(v)
      this.dictIndex[v] = at
      this.dictBytes += v.length + 4
      if (this.dictBytes > MAX_DICTIONARY_BYTES) {
        this.indexes.push(at)
        return this.toPlain()
      }
    }
    this.indexes.push(at)
    this.last = v
    this.lastAt = at
  }

  /** Turns the dictionary-encoded values so far into plain values (the dictionary grew too big). */
  private toPlain(): void {
    const dictionary = this.dictionary
    const indexes = this.indexes
    this.mode = "plain"
    this.dictionary = []
    this.dictIndex = Object.create(null)
    this.indexes = new Ints()
    this.addPlainList(dictionary, indexes)
  }

  /**
   * Appends PLAIN values: `values` in order, or `values[indexes[k]]` for each index; encoded
   * together as in {@link addPlainStrings} (a sample or a dictionary's values going plain).
   */
  private addPlainList(values: ReadonlyArray<string>, indexes: Ints | undefined): void {
    const n = indexes === undefined ? values.length : indexes.length
    if (n === 0) return
    let all = ""
    for (let k = 0; k < n; k++) {
      const v = values[indexes === undefined ? k : indexes.values[k]!]!
      const length = v.length
      all += (length < 128 ? PREFIXES[length]! : LONG) + v
    }
    if (this.encodeAsciiPlain(all)) return
    for (let k = 0; k < n; k++) this.addPlain(values[indexes === undefined ? k : indexes.values[k]!]!)
  }

  /**
   * Writes `all` (values behind their `PREFIXES`) as PLAIN bytes with one `encodeInto` when it
   * is all ASCII, so that it encodes as itself; false (nothing written) otherwise.
   */
  private encodeAsciiPlain(all: string): boolean {
    const plain = (this.plain ??= this.newPlain())
    plain.ensure(3 * all.length)
    const { read, written } = textEncoder.encodeInto(all, plain.bytes.subarray(plain.length))
    if (read !== all.length || written !== all.length) return false
    plain.length += written
    return true
  }

  private addPlain(v: string): void {
    const plain = (this.plain ??= this.newPlain())
    plain.lengthPrefixedUtf8(v)
  }

  private addBooleans(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    const defs = this.defs
    const fixed = (this.fixed ??= this.newFixed())
    fixed.ensure(to - from)
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (v === true || v === false) {
        defs.bytes[defs.length++] = 1
        fixed.bytes[fixed.length++] = v ? 1 : 0
        this.nonNull++
      } else if (v === null || v === undefined) defs.bytes[defs.length++] = 0
      else throw new WrongTypeError(this.column.name, row0 + i, "BOOLEAN", describeValue(v))
    }
  }

  private addDoubles(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    const defs = this.defs
    const fixed = (this.fixed ??= this.newFixed())
    fixed.ensure(8 * (to - from))
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (typeof v === "number" || typeof v === "bigint") {
        defs.bytes[defs.length++] = 1
        fixed.view.setFloat64(fixed.length, Number(v), true)
        fixed.length += 8
        this.nonNull++
      } else if (v === null || v === undefined) defs.bytes[defs.length++] = 0
      else throw new WrongTypeError(this.column.name, row0 + i, "DOUBLE", describeValue(v))
    }
  }

  private addInt64s(values: ReadonlyArray<unknown>, from: number, to: number, row0: number): void {
    const defs = this.defs
    const fixed = (this.fixed ??= this.newFixed())
    fixed.ensure(8 * (to - from))
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (v === null || v === undefined) defs.bytes[defs.length++] = 0
      else if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) {
        defs.bytes[defs.length++] = 1
        fixed.view.setBigInt64(fixed.length, BigInt(v), true)
        fixed.length += 8
        this.nonNull++
      } else throw new WrongTypeError(this.column.name, row0 + i, "INT64", describeValue(v))
    }
  }

  /** The string encoding chosen: the dictionary, or undefined for PLAIN. */
  strings(): { readonly dictionary: ReadonlyArray<string>; readonly indexes: Int32Array } | undefined {
    if (this.mode === "sample") {
      if (this.sample.length < 2) {
        this.mode = "plain"
        const sample = this.sample
        this.sample = []
        this.addPlainList(sample, undefined)
      } else this.decide()
    }
    // a dictionary pays only with few distinct values compared with the values
    if (this.mode === "dictionary" && this.dictionary.length > this.nonNull / 2 + 16) this.toPlain()
    return this.mode === "dictionary" ? { dictionary: this.dictionary, indexes: this.indexes.values } : undefined
  }

  /** PLAIN strings: the encoded values (each a 4-byte length and its bytes). */
  plainValues(): Buf {
    return this.plain ?? new Buf(0)
  }

  fixedValues(): Buf {
    return this.fixed ?? new Buf(0)
  }
}

/**
 * RLE / bit-packing hybrid encoding of `values[start, end)` at `width` bits (Parquet's
 * encoding for levels and dictionary indexes), written straight into `buf`. Runs of 8 or
 * more equal values become RLE runs; the rest is bit-packed in groups of 8.
 *
 * Two copies of one algorithm, for definition levels (`Uint8Array`) and for dictionary indexes
 * (`Int32Array`): one function taking both had polymorphic element loads in its hottest loop.
 */
const rleHybrid = (buf: Buf, values: Int32Array, start: number, end: number, width: number): void => {
  // the bit accumulator holds < 8 pending bits plus one value: widths up to 24 fit in 32 bits
  // (dictionaries are capped at 1 MiB, so indexes never need more than ~18 bits)
  if (width > 24) throw new Error(`bit width ${width} is not supported`)
  const valueBytes = (width + 7) >> 3
  let i = start
  let packedStart = -1 // first value of the pending bit-packed groups
  let packedGroups = 0
  while (i < end) {
    const v = values[i]!
    let run = i + 1
    while (run < end && values[run] === v) run++
    if (run - i >= 8) {
      if (packedGroups > 0) packInts(buf, values, packedStart, packedGroups, end, width)
      packedGroups = 0
      varint(buf, (run - i) << 1)
      buf.ensure(valueBytes)
      for (let b = 0; b < valueBytes; b++) buf.bytes[buf.length++] = (v >>> (8 * b)) & 0xff
      i = run
    } else {
      if (packedGroups === 0) packedStart = i
      packedGroups++
      i += 8
    }
  }
  if (packedGroups > 0) packInts(buf, values, packedStart, packedGroups, end, width)
}

/** Bit-packs `groups` groups of 8 values from `values[from]` (zeros past `end`), after their header. */
const packInts = (buf: Buf, values: Int32Array, from: number, groups: number, end: number, width: number): void => {
  varint(buf, (groups << 1) | 1)
  buf.ensure(groups * width)
  const bytes = buf.bytes
  let p = buf.length
  let acc = 0
  let bits = 0
  const stop = from + groups * 8
  for (let j = from; j < stop; j++) {
    const v = j < end ? values[j]! : 0
    acc |= v << bits
    bits += width
    while (bits >= 8) {
      bytes[p++] = acc & 0xff
      acc >>>= 8
      bits -= 8
    }
  }
  if (bits > 0) bytes[p++] = acc & 0xff
  buf.length = p
}

/**
 * {@link rleHybrid} at width 1 for definition levels (0/1 bytes): the same runs and groups, so
 * the same bytes; a group of 8 levels packs into one byte.
 */
const rleLevels = (buf: Buf, values: Uint8Array, start: number, end: number): void => {
  let i = start
  let packedStart = -1
  let packedGroups = 0
  while (i < end) {
    const v = values[i]!
    let run = i + 1
    while (run < end && values[run] === v) run++
    if (run - i >= 8) {
      if (packedGroups > 0) packLevels(buf, values, packedStart, packedGroups, end)
      packedGroups = 0
      varint(buf, (run - i) << 1)
      buf.ensure(1)
      buf.bytes[buf.length++] = v
      i = run
    } else {
      if (packedGroups === 0) packedStart = i
      packedGroups++
      i += 8
    }
  }
  if (packedGroups > 0) packLevels(buf, values, packedStart, packedGroups, end)
}

const packLevels = (buf: Buf, values: Uint8Array, from: number, groups: number, end: number): void => {
  varint(buf, (groups << 1) | 1)
  buf.ensure(groups)
  const bytes = buf.bytes
  let p = buf.length
  const stop = from + groups * 8
  for (let j = from; j < stop; j += 8) {
    let byte = 0
    for (let b = 0; b < 8; b++) if (j + b < end) byte |= values[j + b]! << b
    bytes[p++] = byte
  }
  buf.length = p
}

/**
 * The definition levels of rows `[start, end)` when every one of them is `level` (a column
 * with no null, or only nulls): what {@link rleLevels} writes for them, without reading them.
 */
const uniformLevels = (buf: Buf, level: 0 | 1, start: number, end: number): void => {
  const n = end - start
  if (n >= 8) {
    varint(buf, n << 1)
    buf.u8(level)
  } else if (n > 0) {
    varint(buf, 3) // one bit-packed group
    buf.u8(level === 1 ? (1 << n) - 1 : 0)
  }
}

const varint = (buf: Buf, value: number): void => {
  buf.ensure(5)
  while (value > 0x7f) {
    buf.bytes[buf.length++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf.bytes[buf.length++] = value
}

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

const physicalType = (type: ColumnType) =>
  type === "STRING" ? ("BYTE_ARRAY" as const) : type === "BOOLEAN" ? ("BOOLEAN" as const) : type

/** Dictionary-encode only when it pays: few distinct values compared with the values. */
const SAMPLE = 1000
/** More distinct values than this among the first SAMPLE: PLAIN (70%). */
const SAMPLE_DISTINCT = 700

/**
 * The PLAIN length prefix of a value of n < 128 UTF-16 units as a 4-char string (n, 0, 0, 0):
 * ASCII, so `encodeInto` writes it as exactly those 4 bytes. `LONG` (not ASCII) marks longer
 * values: their batch is encoded value by value.
 */
/** The 4-byte little-endian length of the PLAIN BYTE_ARRAY value at `p`. */
const lengthAt = (bytes: Uint8Array, p: number): number =>
  (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0

const PREFIXES: ReadonlyArray<string> = Array.from({ length: 128 }, (_, n) => String.fromCharCode(n, 0, 0, 0))
const LONG = "\u0080"
const MAX_DICTIONARY_BYTES = 1 << 20

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
          const { chunk, encoded } = this.encodeColumn(accumulators[c]!, rows, out)
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

  /** Encodes a column's chunk at the end of `out` (the row group's bytes so far: the chunk's offset in the group). */
  private encodeColumn(acc: ColumnAccumulator, length: number, out: Buf) {
    const column = acc.column
    const chunkStart = out.length
    const encoder = new ColumnChunkEncoder(this.options, this.page, out)
    const defLevels = acc.defs.bytes
    const nonNull = acc.nonNull
    const encodings: Array<"PLAIN" | "RLE" | "RLE_DICTIONARY"> = ["RLE", "PLAIN"]
    let dictionaryPageOffset: number | undefined
    let dataPageOffset: number | undefined
    const pageSize = this.options.pageSize
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
    const codec: CompressionCodec = this.options.codec
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
