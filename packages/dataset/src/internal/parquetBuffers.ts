/**
 * The growable buffers the encoder writes into: bytes (with a hand-written UTF-8 encoder for
 * PLAIN strings) and 32-bit integers, plus the bridge to hyparquet-writer's `ByteWriter`.
 *
 * @internal
 */
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js"

export class Buf {
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
export const withByteWriter = (f: (writer: ByteWriter) => void): Uint8Array => {
  const writer = new ByteWriter(256)
  f(writer)
  return writer.getBytes()
}

/** A growable array of 32-bit integers. */
export class Ints {
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

/** The 4-byte little-endian length of the PLAIN BYTE_ARRAY value at `p`. */
export const lengthAt = (bytes: Uint8Array, p: number): number =>
  (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0
