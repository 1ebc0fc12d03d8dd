/**
 * Parquet's RLE / bit-packing hybrid, written straight into a `Buf`: for definition levels and
 * for dictionary indexes, plus the varints of its run headers.
 *
 * @internal
 */
import type { Buf } from "./parquetBuffers.js"

export const bitWidth = (max: number): number => (max === 0 ? 0 : 32 - Math.clz32(max))

/**
 * RLE / bit-packing hybrid encoding of `values[start, end)` at `width` bits (Parquet's
 * encoding for levels and dictionary indexes), written straight into `buf`. Runs of 8 or
 * more equal values become RLE runs; the rest is bit-packed in groups of 8.
 *
 * Two copies of one algorithm, for definition levels (`Uint8Array`) and for dictionary indexes
 * (`Int32Array`): one function taking both had polymorphic element loads in its hottest loop.
 */
export const rleHybrid = (buf: Buf, values: Int32Array, start: number, end: number, width: number): void => {
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
export const rleLevels = (buf: Buf, values: Uint8Array, start: number, end: number): void => {
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
export const uniformLevels = (buf: Buf, level: 0 | 1, start: number, end: number): void => {
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
