/**
 * The validation worker pool: slices validated on worker threads equal the same slices
 * validated in this thread; a task that throws in a worker fails alone (the pool goes on);
 * a closed pool refuses work; memory handed back (`recycle`) is reused without changing a byte;
 * workers warmed up on sample rows give the same output; released workers stop and start again
 * on the next task.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Bytes from "@geojobs/dataset/Bytes"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { type Layout, outputColumns, type SliceTask, slicer } from "../src/ValidateChunk.js"
import * as ValidatePool from "../src/ValidatePool.js"
import { sampleRows, warmupTasks } from "../src/ValidateWarmup.js"

const layout: Layout = { inputColumns: ["Id", "AddressLines_1", "AddressComponents_Country"], features: ["Position"] }
const columns = (firstRow: number, length: number) => [
  Array.from({ length }, (_, i) => `r${firstRow + i}`),
  Array.from({ length }, (_, i) => (i % 5 === 4 ? null : `${100 + i} Main St, Springfield, IL 62701`)),
  Array.from({ length }, (_, i) => (i % 3 === 0 ? "USA" : null))
]
const task = (firstRow: number, length: number, parts: ReadonlyArray<number> = [length]): SliceTask => ({
  layout,
  idPrefix: "job-0-",
  firstRow,
  input: {
    _tag: "Columns",
    length,
    data: columns(firstRow, length),
    rowErrors: Array.from({ length }, (_, i) => (i === 7 ? "column AddressLines_1: a list value cannot be read as a string" : null))
  },
  parts
})

/** Rows `[from, to)` of a one-row-group input file (`rows` rows) as an undecoded slice. */
const rawTask = (rows: number, from: number, to: number, parts: ReadonlyArray<number>) =>
  Effect.scoped(Effect.gen(function*() {
    const sink = Bytes.memorySink()
    const writer = yield* Parquet.writer(sink, "in.parquet", layout.inputColumns.map((name) => ({ name, type: "STRING" as const })))
    const data = columns(0, rows)
    yield* writer.writeColumnar({ columns: layout.inputColumns, data: Object.fromEntries(layout.inputColumns.map((c, k) => [c, data[k]!])), length: rows })
    yield* writer.close
    const parquet = yield* Parquet.open(Bytes.fromBytes(sink.bytes()), "in.parquet")
    const raw = yield* parquet.readRaw!(0)
    return { layout, idPrefix: "job-0-", firstRow: from, input: { _tag: "Raw", raw, from, to }, parts } satisfies SliceTask
  }))

/** The rows of encoded row groups, written as one file and read back. */
const rowsOf = (groups: ReadonlyArray<Parquet.EncodedRowGroup>) =>
  Effect.scoped(Effect.gen(function*() {
    const sink = Bytes.memorySink()
    const writer = yield* Parquet.writer(sink, "mem.parquet", outputColumns(layout))
    for (const g of groups) yield* writer.writeEncoded(g)
    yield* writer.close
    const chunks: Array<Record<string, unknown>> = []
    const parquet = yield* Parquet.open(Bytes.fromBytes(sink.bytes()), "mem.parquet", { requireAddressColumns: false })
    for (let g = 0; g < parquet.info.rowGroups.length; g++) {
      const chunk = yield* parquet.readRowGroup(g)
      for (let i = 0; i < chunk.length; i++) chunks.push(Object.fromEntries(chunk.columns.map((c) => [c, chunk.data[c]![i]])))
    }
    return chunks
  }))

describe("ValidatePool", () => {
  it.live("validates on worker threads exactly as in this thread; a failing task fails alone; closed refuses", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const pool = yield* Scope.extend(ValidatePool.make(2), scope)
      expect(pool.size).toBe(2)
      yield* pool.warm
      const tasks = [task(0, 300, [200, 100]), task(300, 50), task(350, 1)]
      const pooled = yield* Effect.forEach(tasks, pool.run, { concurrency: 2 })
      const local = slicer()
      const inThread = tasks.map(local)
      expect(pooled.map((r) => r.encoded.map((e) => e.rows))).toEqual([[200, 100], [50], [1]])
      const rows = yield* rowsOf(pooled.flatMap((r) => r.encoded))
      expect(rows).toEqual(yield* rowsOf(inThread.flatMap((r) => r.encoded)))
      expect(rows[7]!.ErrorType).toBe("InvalidValue")
      expect(rows[301]!.Output_Id).toBe("job-0-301")
      expect(rows[0]!.Output_Address_Locality).toBe("SPRINGFIELD")

      // undecoded input: each worker decodes its own rows of the shared bytes
      const raws = [yield* rawTask(400, 0, 250, [150, 100]), yield* rawTask(400, 250, 400, [150])]
      const pooledRaw = yield* Effect.forEach(raws, pool.run, { concurrency: 2 })
      const rawRows = yield* rowsOf(pooledRaw.flatMap((r) => r.encoded))
      expect(rawRows).toEqual(yield* rowsOf(raws.map(local).flatMap((r) => r.encoded)))
      expect(rawRows.length).toBe(400)
      // the same rows as from decoded columns (no row errors in the file)
      const fromColumns = yield* rowsOf(local({ ...task(0, 400), input: { _tag: "Columns", length: 400, data: columns(0, 400) } }).encoded)
      expect(rawRows).toEqual(fromColumns)

      const broken: SliceTask = { ...task(0, 3), input: { _tag: "Columns", length: 3, data: [] } }
      const failed = yield* Effect.flip(pool.run(broken))
      expect(failed).toBeInstanceOf(ValidatePool.ValidatePoolError)
      expect(failed.input).toBe(false)
      const corrupt = raws[1]!
      if (corrupt.input._tag !== "Raw") throw new Error("raw")
      const garbled = new Uint8Array(corrupt.input.raw.bytes.length).fill(0xee)
      const badInput = yield* Effect.flip(pool.run({ ...corrupt, input: { ...corrupt.input, raw: { ...corrupt.input.raw, bytes: garbled } } }))
      expect(badInput.input).toBe(true)
      expect((yield* pool.run(task(0, 2))).encoded[0]!.rows).toBe(2)

      // a written group's memory handed back: transferred to a worker, the next groups are the same
      const first = yield* pool.run(task(0, 300, [200, 100]))
      for (const e of first.encoded) pool.recycle(e.bytes)
      expect(first.encoded[0]!.bytes.buffer.byteLength).toBe(0)
      const next = yield* Effect.forEach([task(0, 300, [200, 100]), task(0, 300, [200, 100])], pool.run, { concurrency: 2 })
      for (const r of next) expect(yield* rowsOf(r.encoded)).toEqual(rows.slice(0, 300))

      // released: the idle workers stop; the next task starts one again, with the same rows
      expect(pool.running()).toBe(2)
      yield* pool.release
      expect(pool.running()).toBe(0)
      expect(yield* rowsOf((yield* pool.run(task(0, 300, [200, 100]))).encoded)).toEqual(rows.slice(0, 300))
      expect(pool.running()).toBe(1)

      yield* Scope.close(scope, Exit.void)
      const closed = yield* Effect.flip(pool.run(task(0, 1)))
      expect(closed.message).toMatch(/closed/)
    }), 120_000)
})

describe("ValidateWarmup", () => {
  it("sample rows are the same for a seed, varied, and cut into tasks covering every row", () =>
    Effect.gen(function*() {
      const a = sampleRows().columns(500)
      expect(sampleRows().columns(500)).toEqual(a)
      expect(sampleRows(7).columns(500)).not.toEqual(a)
      expect(a.Id!.slice(0, 3)).toEqual(["0", "1", "2"])
      // ten shapes: split lines, one line, components, other countries, empty rows
      expect(a.AddressLines_2!.filter((v) => v !== null).length).toBeGreaterThan(100)
      expect(new Set(a.AddressComponents_Country!.filter((v) => v !== null))).toEqual(new Set(["USA", "United States", "US", "AU", "GBR", "Germany"]))
      expect(a.AddressLines_1).toContain("")
      const tasks = yield* warmupTasks(60_000)
      expect(tasks.map((t) => t.parts)).toEqual([[25_000], [25_000], [10_000]])
      expect(tasks.map((t) => t.input._tag === "Raw" ? [t.input.from, t.input.to] : [])).toEqual([[0, 25_000], [25_000, 50_000], [50_000, 60_000]])
    }), 60_000)

  it.live("workers warmed up on sample rows validate as cold ones do", () =>
    Effect.scoped(Effect.gen(function*() {
      const pool = yield* ValidatePool.make(1, { warmupRows: 3_000 })
      yield* pool.warm
      const tasks = [task(0, 300, [200, 100]), task(300, 50)]
      const warm = yield* Effect.forEach(tasks, pool.run)
      const local = slicer()
      expect(yield* rowsOf(warm.flatMap((r) => r.encoded))).toEqual(yield* rowsOf(tasks.map(local).flatMap((r) => r.encoded)))
    })), 120_000)
})
