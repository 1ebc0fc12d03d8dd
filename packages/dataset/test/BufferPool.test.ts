/**
 * `BufferPool`: views over the smallest kept buffer that fits, new buffers with room to spare,
 * only buffers of the pool's kind kept, and both bounds (count and bytes) kept by letting the
 * smallest buffers go.
 */
import { describe, expect, it } from "@effect/vitest"
import * as BufferPool from "../src/BufferPool.js"

describe("BufferPool", () => {
  it("shared pools make and keep SharedArrayBuffers only; plain pools ArrayBuffers only", () => {
    const shared = BufferPool.make({ maxBuffers: 4, shared: true })
    const view = shared.take(1000)
    expect(view.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(view.length).toBe(1000)
    shared.give(new ArrayBuffer(5000))
    shared.give(view.buffer)
    expect(shared.take(900).buffer).toBe(view.buffer)
    expect(shared.take(900).buffer).not.toBe(view.buffer)
    const plain = BufferPool.make({ maxBuffers: 4 })
    plain.give(new SharedArrayBuffer(5000))
    expect(plain.take(10).buffer).toBeInstanceOf(ArrayBuffer)
  })

  it("keeps at most maxBytes, letting the smallest go; a buffer over the bound alone is not kept", () => {
    const pool = BufferPool.make({ maxBuffers: 10, maxBytes: 10_000 })
    const [a, b, c] = [new ArrayBuffer(4000), new ArrayBuffer(5000), new ArrayBuffer(3000)]
    pool.give(a)
    pool.give(b)
    // 9,000 + 3,000 > 10,000: the 4,000 goes
    pool.give(c)
    pool.give(new ArrayBuffer(20_000))
    expect(pool.take(2000).buffer).toBe(c)
    expect(pool.take(2000).buffer).toBe(b)
    const fresh = pool.take(2000).buffer
    expect([a, b, c]).not.toContain(fresh)
    expect(fresh.byteLength).toBe(65536)
  })
})
