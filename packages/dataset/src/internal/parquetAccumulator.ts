/**
 * One column of a row group being built, in encoded form: definition levels, then either a
 * dictionary (strings with few distinct values) or PLAIN bytes, decided on a sample.
 *
 * @internal
 */
import { Buf, Ints, lengthAt } from "./parquetBuffers.js"
import { describeValue, type EncoderColumn, WrongTypeError } from "./parquetEncoderTypes.js"

const textEncoder = new TextEncoder()

/** Dictionary-encode only when it pays: few distinct values compared with the values. */
const SAMPLE = 1000
/** More distinct values than this among the first SAMPLE: PLAIN (70%). */
const SAMPLE_DISTINCT = 700

/**
 * The PLAIN length prefix of a value of n < 128 UTF-16 units as a 4-char string (n, 0, 0, 0):
 * ASCII, so `encodeInto` writes it as exactly those 4 bytes. `LONG` (not ASCII) marks longer
 * values: their batch is encoded value by value.
 */
const PREFIXES: ReadonlyArray<string> = Array.from({ length: 128 }, (_, n) => String.fromCharCode(n, 0, 0, 0))
const LONG = "\u0080"
const MAX_DICTIONARY_BYTES = 1 << 20

/**
 * A column accumulator's buffers, kept by its encoder after a row group is encoded and handed
 * to the same column of the next one: allocating (zeroed) and growing them afresh per row
 * group showed in encoding profiles, and their sizes fit the column.
 */
export interface Spare {
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
export class ColumnAccumulator {
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
