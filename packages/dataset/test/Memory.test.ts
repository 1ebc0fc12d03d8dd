/**
 * Memory stays flat: the readers only ever fetch and decode one row group (Parquet) or a
 * bounded window of blocks (CSV/JSONL) at a time, and fetch the next one only when the
 * consumer pulls. Checked by instrumenting the byte source, not by timing or RSS.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { parquetMetadata } from "hyparquet"
import * as Bytes from "../src/Bytes.js"
import type { ByteSource } from "../src/Bytes.js"
import * as Csv from "../src/Csv.js"
import * as Parquet from "../src/Parquet.js"

const ROWS = 200_000
const GROUP = 2_000

/** A source that records every slice it serves. */
const tracking = (inner: ByteSource) => {
  const slices: Array<{ start: number; end: number }> = []
  const source: ByteSource = {
    byteLength: inner.byteLength,
    slice: (start, end) => {
      slices.push({ start, end })
      return inner.slice(start, end)
    }
  }
  return { source, slices }
}

const makeParquet = (): Promise<Uint8Array> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sink = Bytes.memorySink()
        const columns = ["Id", "AddressLines_1", "AddressComponents_Locality", "AddressComponents_PostalCode"]
        const writer = yield* Parquet.writer(sink, "big.parquet", columns)
        for (let start = 0; start < ROWS; start += GROUP) {
          const data = {
            Id: Array.from({ length: GROUP }, (_, i) => `rec-${start + i}`),
            AddressLines_1: Array.from({ length: GROUP }, (_, i) => `${(start + i) % 9000} Main St`),
            AddressComponents_Locality: Array.from({ length: GROUP }, (_, i) => ((start + i) % 3 === 0 ? "Seattle" : null)),
            AddressComponents_PostalCode: Array.from({ length: GROUP }, (_, i) => String(10000 + ((start + i) % 90000)))
          }
          yield* writer.writeColumnar({ columns, data, length: GROUP })
        }
        yield* writer.close
        return sink.bytes()
      })
    )
  )

describe("memory stays flat", { timeout: 120_000 }, () => {
  it("Parquet: 200k rows in 100 row groups; each pull fetches exactly one row group's bytes, lazily", async () => {
    const bytes = await makeParquet()
    const metadata = parquetMetadata(bytes.slice().buffer)
    expect(metadata.row_groups).toHaveLength(ROWS / GROUP)
    const groupRanges = metadata.row_groups.map((group) => {
      const starts = group.columns.map((c) => Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset))
      const ends = group.columns.map((c, i) => starts[i]! + Number(c.meta_data!.total_compressed_size))
      return { start: Math.min(...starts), end: Math.max(...ends) }
    })
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true)

    const { source, slices } = tracking(Bytes.fromBytes(bytes))
    const groupSlices = () => slices.filter((s) => s.start >= 4 && s.end <= footerStart)
    let chunkIndex = 0
    let rows = 0
    let maxChunkRows = 0
    await Effect.runPromise(
      Stream.runForEach(Parquet.readColumnar(source, "big.parquet"), (chunk) =>
        Effect.sync(() => {
          // when chunk k arrives, row groups 0..k have been fetched and nothing beyond
          const fetched = groupSlices()
          expect(fetched).toHaveLength(chunkIndex + 1)
          expect(fetched[chunkIndex]).toEqual(groupRanges[chunkIndex])
          maxChunkRows = Math.max(maxChunkRows, chunk.length)
          rows += chunk.length
          chunkIndex++
        })
      )
    )
    expect(rows).toBe(ROWS)
    expect(maxChunkRows).toBe(GROUP)
    // every other read is the magic bytes or the footer, and no read is bigger than a row group or the 64 KiB footer fetch
    const largestGroup = Math.max(...groupRanges.map((r) => r.end - r.start))
    for (const s of slices) {
      const isGroup = groupRanges.some((r) => r.start === s.start && r.end === s.end)
      const isFooterOrMagic = s.end - s.start <= 64 * 1024 && (s.end === bytes.length || s.start === 0)
      expect(isGroup || isFooterOrMagic).toBe(true)
      expect(s.end - s.start).toBeLessThanOrEqual(Math.max(largestGroup, 64 * 1024))
    }
    expect(largestGroup).toBeLessThan(bytes.length / 50)
  })

  it("CSV: 100k rows stream through 1 MiB blocks with a bounded read-ahead", async () => {
    const CSV_ROWS = 100_000
    const line = (i: number) => `${String(i).padStart(7, "0")},"${String(i % 9000).padStart(4, "0")} Main St, Apt 1",Seattle,98101\n`
    const header = "id,address,city,zip\n"
    let csv = header
    for (let i = 0; i < CSV_ROWS; i++) csv += line(i)
    const lineBytes = line(0).length
    const { source, slices } = tracking(Bytes.fromString(csv))
    const bytesRead = () => slices.reduce((n, s) => (s.start === 0 && s.end <= 4096 ? n : n + s.end - s.start), 0)
    let rows = 0
    let maxAhead = 0
    await Effect.runPromise(
      Stream.runForEach(Csv.readColumnar(source, "big.csv", { chunkSize: 5_000 }), (chunk) =>
        Effect.sync(() => {
          rows += chunk.length
          expect(chunk.length).toBeLessThanOrEqual(5_000)
          maxAhead = Math.max(maxAhead, bytesRead() - (header.length + rows * lineBytes))
        })
      )
    )
    expect(rows).toBe(CSV_ROWS)
    expect(csv.length).toBeGreaterThan(4 * 1024 * 1024)
    expect(Math.max(...slices.map((s) => s.end - s.start))).toBeLessThanOrEqual(1024 * 1024)
    // never more than a few blocks ahead of what the consumer has taken, out of ~4.2 MiB
    expect(maxAhead).toBeLessThan(3 * 1024 * 1024)
  })
})

describe("early exit", { timeout: 120_000 }, () => {
  it("taking the first chunk of a big CSV stops reading and does not hang", async () => {
    const csv = "address\n" + "1 Main St\n".repeat(300_000)
    const { source, slices } = tracking(Bytes.fromString(csv))
    const first = await Effect.runPromise(Stream.runCollect(Stream.take(Csv.read(source, "big.csv", { chunkSize: 100 }), 1)))
    expect([...first][0]).toHaveLength(100)
    const read = slices.reduce((n, s) => n + s.end - s.start, 0)
    expect(read).toBeLessThan(csv.length / 2)
  })

  it("taking the first chunk of a Parquet file fetches only the first row group", async () => {
    const bytes = await makeParquet()
    const { source, slices } = tracking(Bytes.fromBytes(bytes))
    await Effect.runPromise(Stream.runDrain(Stream.take(Parquet.readColumnar(source, "big.parquet"), 1)))
    const big = slices.filter((s) => s.end - s.start > 64 * 1024)
    expect(big.length).toBeLessThanOrEqual(1)
    expect(slices.reduce((n, s) => n + s.end - s.start, 0)).toBeLessThan(bytes.length / 20)
  })
})
