/**
 * Snappy compression (raw format, as Parquet pages use it), writing straight into one
 * preallocated output array.
 *
 * Same algorithm as hyparquet-writer's `snappyCompress` (both derive from snappyjs, MIT,
 * Copyright (c) 2016 Zhipeng Jia), but that one appends byte by byte through a growable
 * `ByteWriter` and was the writer's largest cost; this one processes 64 KiB fragments like
 * the reference implementation, and is faster for it (figures: the bench). The output is standard
 * Snappy: any Snappy decoder reads it (tests check it against hyparquet's decoder and DuckDB).
 */

const BLOCK_SIZE = 1 << 16
const MAX_HASH_TABLE_BITS = 14
const INPUT_MARGIN = 15
const hashTables: Array<Uint16Array | undefined> = []

/** The largest output `compress` can produce for `n` input bytes. */
export const maxCompressedLength = (n: number): number => 32 + n + Math.floor(n / 6)

const emitLiteral = (input: Uint8Array, ip: number, len: number, output: Uint8Array, op: number): number => {
  const n = len - 1
  if (len <= 60) {
    output[op++] = n << 2
  } else if (len <= 256) {
    output[op++] = 60 << 2
    output[op++] = n
  } else {
    output[op++] = 61 << 2
    output[op++] = n & 0xff
    output[op++] = n >>> 8
  }
  if (len < 32) {
    for (let i = 0; i < len; i++) output[op + i] = input[ip + i]!
  } else {
    output.set(input.subarray(ip, ip + len), op)
  }
  return op + len
}

const emitCopyLessThan64 = (output: Uint8Array, op: number, offset: number, len: number): number => {
  if (len < 12 && offset < 2048) {
    output[op++] = 1 + ((len - 4) << 2) + ((offset >>> 8) << 5)
    output[op++] = offset & 0xff
  } else {
    output[op++] = 2 + ((len - 1) << 2)
    output[op++] = offset & 0xff
    output[op++] = offset >>> 8
  }
  return op
}

const emitCopy = (output: Uint8Array, op: number, offset: number, len: number): number => {
  while (len >= 68) {
    op = emitCopyLessThan64(output, op, offset, 64)
    len -= 64
  }
  if (len > 64) {
    op = emitCopyLessThan64(output, op, offset, 60)
    len -= 60
  }
  return emitCopyLessThan64(output, op, offset, len)
}

/**
 * One fragment (≤ 64 KiB) of `input` from `start`. `view` reads `input` four bytes at a time
 * (little-endian): hashes, match checks and match extension read words, not bytes. Loads past
 * the last position a match may start at are skipped (their hashes were never used).
 */
const compressFragment = (input: Uint8Array, view: DataView, start: number, size: number, output: Uint8Array, op: number): number => {
  let bits = 1
  while (1 << bits <= size && bits <= MAX_HASH_TABLE_BITS) bits++
  bits--
  const shift = 32 - bits
  let table = hashTables[bits]
  if (table === undefined) {
    table = new Uint16Array(1 << bits)
    hashTables[bits] = table
  } else {
    table.fill(0)
  }
  const end = start + size
  let ip = start
  let nextEmit = start
  if (size >= INPUT_MARGIN) {
    const limit = end - INPUT_MARGIN
    ip++
    let nextHash = Math.imul(view.getUint32(ip, true), 0x1e35a7bd) >>> shift
    outer: for (;;) {
      let skip = 32
      let nextIp = ip
      let candidate = 0
      let word = 0
      do {
        ip = nextIp
        const hash = nextHash
        const step = skip >>> 5
        skip++
        nextIp = ip + step
        if (ip > limit) break outer
        word = view.getUint32(ip, true)
        nextHash = nextIp <= limit ? Math.imul(view.getUint32(nextIp, true), 0x1e35a7bd) >>> shift : 0
        candidate = start + table[hash]!
        table[hash] = ip - start
      } while (word !== view.getUint32(candidate, true))

      op = emitLiteral(input, nextEmit, ip - nextEmit, output, op)

      do {
        const base = ip
        let matched = 4
        while (ip + matched + 4 <= end && view.getUint32(ip + matched, true) === view.getUint32(candidate + matched, true)) matched += 4
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++
        ip += matched
        op = emitCopy(output, op, base - candidate, matched)
        nextEmit = ip
        if (ip >= limit) break outer
        const prevHash = Math.imul(view.getUint32(ip - 1, true), 0x1e35a7bd) >>> shift
        table[prevHash] = ip - 1 - start
        word = view.getUint32(ip, true)
        const curHash = Math.imul(word, 0x1e35a7bd) >>> shift
        candidate = start + table[curHash]!
        table[curHash] = ip - start
      } while (word === view.getUint32(candidate, true))

      ip++
      nextHash = Math.imul(view.getUint32(ip, true), 0x1e35a7bd) >>> shift
    }
  }
  if (nextEmit < end) op = emitLiteral(input, nextEmit, end - nextEmit, output, op)
  return op
}

// compressed into here, then copied out at its real size: a fresh worst-case-sized (zeroed)
// array per page cost a fill of ~1.17x the input, and the caller kept it whole
let scratch = new Uint8Array(0)

/** Snappy-compresses `input` into a new array (exactly as long as the compressed data). */
export const compress = (input: Uint8Array): Uint8Array => {
  const view = compressView(input)
  return view.buffer === scratch.buffer ? view.slice() : view
}

/**
 * Snappy-compresses `input` into this module's scratch array and returns the view of it holding
 * the compressed data: valid only until the next call (a caller copying it into its own output
 * at once saves an array per page).
 */
export const compressView = (input: Uint8Array): Uint8Array => {
  const worst = maxCompressedLength(input.length)
  if (worst > MAX_SCRATCH) return compressInto(input, new Uint8Array(worst)) // rare (pages are ~1 MiB): not kept
  if (scratch.length < worst) scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(worst, 2 * scratch.length)))
  return compressInto(input, scratch)
}

const MAX_SCRATCH = 1 << 23

const compressInto = (input: Uint8Array, output: Uint8Array): Uint8Array => {
  let op = 0
  let n = input.length
  while (n >= 0x80) {
    output[op++] = (n & 0x7f) | 0x80
    n >>>= 7
  }
  output[op++] = n
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength)
  for (let pos = 0; pos < input.length; pos += BLOCK_SIZE) {
    op = compressFragment(input, view, pos, Math.min(BLOCK_SIZE, input.length - pos), output, op)
  }
  return output.subarray(0, op)
}
