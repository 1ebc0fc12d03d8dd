/**
 * `validateFile`: row groups cut into tasks, validated while the next group is read, written in
 * input order; each raw group's memory reused only once every slice of its group is done.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Bytes from "@geojobs/dataset/Bytes"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { type Layout, type SliceTask, slicer } from "../src/ValidateChunk.js"
import { taskBounds, validateFile } from "../src/ValidateFile.js"

const layout: Layout = { inputColumns: ["Id", "AddressLines_1"], features: [] }
const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** A file of `groups` row groups of `rows` rows each, in memory. */
const file = (groups: number, rows: number) =>
  Effect.scoped(Effect.gen(function*() {
    const sink = Bytes.memorySink()
    const writer = yield* Parquet.writer(sink, "in.parquet", layout.inputColumns.map((name) => ({ name, type: "STRING" as const })))
    for (let g = 0; g < groups; g++) {
      const ids = Array.from({ length: rows }, (_, i) => `g${g}r${i}`)
      const lines = Array.from({ length: rows }, (_, i) => `${100 + i} Main St, Springfield, IL 62701`)
      yield* writer.writeColumnar({ columns: layout.inputColumns, data: { Id: ids, AddressLines_1: lines }, length: rows })
    }
    yield* writer.close
    return yield* Parquet.open(Bytes.fromBytes(sink.bytes()), "in.parquet")
  }))

describe("validateFile", () => {
  it("cuts row groups into about one task per worker, each slice at most 50,000 rows and (cut) at least 25,000", () => {
    expect(taskBounds(100_000, 2)).toEqual([{ from: 0, to: 50_000, parts: [50_000] }, { from: 50_000, to: 100_000, parts: [50_000] }])
    expect(taskBounds(120_000, 2).map((t) => t.parts)).toEqual([[40_000, 40_000], [40_000]])
    expect(taskBounds(10, 1)).toEqual([{ from: 0, to: 10, parts: [10] }])
    // small groups stay whole (the workers take consecutive groups instead)
    expect(taskBounds(10_000, 2)).toEqual([{ from: 0, to: 10_000, parts: [10_000] }])
    expect(taskBounds(49_999, 2).map((t) => t.parts)).toEqual([[49_999]])
    expect(taskBounds(50_000, 2).map((t) => t.parts)).toEqual([[25_000], [25_000]])
    expect(taskBounds(80_000, 4).map((t) => t.parts)).toEqual([[26_667], [26_667], [26_666]])
  })

  it.live("reuses a raw group's memory only after its slices are done; the output is as without reuse", () =>
    Effect.gen(function*() {
      const parquet = yield* file(6, 300)
      const run = slicer()
      const given: Array<Uint8Array> = []
      const written: Array<Parquet.EncodedRowGroup> = []
      yield* validateFile({
        layout,
        idPrefix: "job-0-",
        rowGroups: parquet.info.rowGroups,
        read: parquet.readRowGroup,
        readRaw: (g, memory) =>
          parquet.readRaw!(g, (length) => {
            const m = memory!(length)
            given.push(m)
            return m
          }),
        // slow tasks: the next groups are read meanwhile; a group's bytes must not change under them
        validate: (task: SliceTask) =>
          Effect.gen(function*() {
            if (task.input._tag !== "Raw") throw new Error("raw input expected")
            const before = digest(task.input.raw.bytes)
            yield* Effect.sleep("20 millis")
            expect(digest(task.input.raw.bytes)).toBe(before)
            return run(task)
          }),
        parallelism: 2,
        write: (e) => Effect.sync(() => void written.push(e))
      })
      expect(given).toHaveLength(6)
      // fewer buffers than groups: reused
      expect(new Set(given.map((m) => m.buffer)).size).toBeLessThan(6)
      expect(given.every((m) => m.buffer instanceof SharedArrayBuffer)).toBe(true)
      // the same rows as validating each group's own fresh bytes
      const expected = yield* Effect.forEach(parquet.info.rowGroups, (rows, g) =>
        Effect.map(parquet.readRaw!(g), (raw) =>
          taskBounds(rows, 2).map(({ from, parts, to }) =>
            run({ layout, idPrefix: "job-0-", firstRow: g * 300 + from, input: { _tag: "Raw", raw, from, to }, parts }))))
      // a group of 300 rows is one slice
      expect(written).toHaveLength(6)
      expect(written.map((e) => digest(e.bytes))).toEqual(expected.flat().flatMap((r) => r.encoded.map((e) => digest(e.bytes))))
    }), 60_000)
})
