/**
 * `validateColumns` (the engine storing each row straight into the batch's columns) gives the
 * cells a row-by-row `validateCells` gives, transposed: error rows, reader `rowErrors`, columns
 * that are null in every row (undefined) and columns outside `engine.filled` (never written).
 * `OutputBuffers`: a slicer given kept memory encodes the same bytes into it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Engine from "@geojobs/address/Engine"
import type { Cell, Feature } from "@geojobs/address/Output"
import type * as Chunk from "@geojobs/dataset/Chunk"
import { errorTypeIndex, outputBuffers, type SliceTask, slicer, validateColumns } from "../src/ValidateChunk.js"

const inputColumns = [
  "Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Country", "AddressComponents_Region",
  "AddressComponents_Locality", "AddressComponents_PostalCode", "Notes"
]
/** Varied rows: US and Australian addresses, components only, empty, control characters, too long. */
const samples: ReadonlyArray<ReadonlyArray<string | null>> = [
  ["a", "1600 Pennsylvania Ave NW", "Washington, DC 20500", null, null, null, null, "x"],
  ["b", "350 Fifth Avenue", "New York, NY 10118", "USA", null, null, null, null],
  ["c", "400 Broad St", null, "US", "WA", "Seattle", "98109", null],
  ["d", "1 Macquarie St", "Sydney NSW 2000", "Australia", null, null, null, "note"],
  ["e", null, null, null, null, null, null, "no address"],
  ["f", "12 Main\u0007 St", null, null, null, null, null, null],
  ["g", "9".repeat(1001), null, null, null, null, null, null],
  ["h", "Apt 4B, 233 South Wacker Drive, Chicago, Illinois 60606", null, null, null, null, null, null],
  ["i", null, null, "Canada", "ON", "Toronto", "M5V 3L9", null],
  [null, "PO Box 123", "Springfield IL 62701", null, null, null, null, ""]
]

const chunkOf = (length: number, withErrors: boolean): Chunk.ColumnarChunk => {
  const data: Record<string, ReadonlyArray<string | null>> = Object.create(null)
  inputColumns.forEach((name, c) => (data[name] = Array.from({ length }, (_, r) => samples[(r * 7 + (r >> 3)) % samples.length]![c]!)))
  const rowErrors = Array.from({ length }, (_, r) => (r % 11 === 5 ? `row ${r}: not UTF-8` : null))
  return { columns: inputColumns, data, length, ...(withErrors ? { rowErrors } : {}) }
}

/** What `validateColumns` must give: `validateCells` row by row, then the rows transposed. */
const expected = (engine: Engine.Engine, chunk: Chunk.ColumnarChunk, from: number, to: number) => {
  const at = errorTypeIndex(engine)
  const width = engine.columns.length
  const rows: Array<Array<Cell>> = []
  for (let r = from; r < to; r++) {
    const out: Array<Cell> = []
    engine.validateCells(chunk.columns.map((name) => chunk.data[name]![r] ?? null), out)
    const problem = chunk.rowErrors?.[r]
    if (typeof problem === "string") {
      out[at] = "InvalidValue"
      out[at + 1] = problem
      for (let c = at + 2; c < width; c++) out[c] = null
    }
    rows.push(out)
  }
  return Array.from({ length: width }, (_, c) => {
    const column = rows.map((row) => row[c]!)
    return column.some((v) => v !== null) ? column : undefined
  })
}

const engines = (features: ReadonlyArray<Feature>) => {
  const make = () => {
    let n = 0
    return Engine.make({ inputColumns, features, idGenerator: () => `id-${n++}` })
  }
  return [make(), make()] as const
}

describe("validateColumns", () => {
  for (const features of [[], ["Position"], ["Position", "CountrySpecificAttributes"]] as ReadonlyArray<ReadonlyArray<Feature>>) {
    for (const withErrors of [false, true]) {
      it(`the cells of validateCells, by column (features ${features.join("+") || "none"}, rowErrors ${withErrors})`, () => {
        const [a, b] = engines(features)
        const chunk = chunkOf(2600, withErrors)
        const filled = new Set(a.filled)
        let errorRows = 0
        for (const [from, to] of [[0, 1024], [1024, 2048], [2048, 2600], [3, 4]] as const) {
          const want = expected(a, chunk, from, to)
          const got = validateColumns(b, errorTypeIndex(b), chunk, from, to)
          expect(got.length).toBe(a.columns.length)
          for (let c = 0; c < got.length; c++) {
            if (!filled.has(c)) expect(got[c]).toBeUndefined()
            expect(got[c]).toStrictEqual(want[c])
          }
          errorRows += (got[errorTypeIndex(b)] ?? []).filter((v) => v !== null).length
        }
        expect(errorRows).toBeGreaterThan(0)
      })
    }
  }

  it("a column null in every row of the batch is undefined", () => {
    const [, b] = engines(["Position", "CountrySpecificAttributes"])
    const got = validateColumns(b, errorTypeIndex(b), chunkOf(64, false), 40, 41)
    const name = (c: number) => b.columns[c]!.name
    got.forEach((column, c) => {
      if (column !== undefined) expect(column.some((v) => v !== null), name(c)).toBe(true)
    })
    expect(got.filter((column) => column === undefined).length).toBeGreaterThan(0)
  })
})

describe("OutputBuffers", () => {
  it("takes a kept buffer that fits (the smallest), else a new one with room to spare; keeps two", () => {
    const buffers = outputBuffers()
    const first = buffers.take(100_000)
    expect(first.length).toBe(100_000)
    expect(first.byteOffset).toBe(0)
    expect(first.buffer.byteLength).toBeGreaterThanOrEqual(100_000 + 12_500)
    const small = new ArrayBuffer(50_000)
    const large = new ArrayBuffer(400_000)
    buffers.give(large)
    buffers.give(small)
    // a detached or empty buffer is not kept
    const detached = new ArrayBuffer(1_000_000)
    structuredClone(detached, { transfer: [detached] })
    buffers.give(detached)
    expect(buffers.take(40_000).buffer).toBe(small)
    expect(buffers.take(60_000).buffer).toBe(large)
    // nothing kept fits: a new one
    const fresh = buffers.take(300_000).buffer
    expect(fresh).not.toBe(large)
    expect(fresh).not.toBe(small)
    // at most two kept: the smallest goes
    const kept = [1, 2, 3].map((k) => new ArrayBuffer(k * 1000))
    for (const b of kept) buffers.give(b)
    const taken = [1, 2].map(() => buffers.take(1).buffer)
    expect(taken).toEqual(kept.slice(1))
    expect(buffers.take(1).buffer).not.toBe(kept[0])
  })

  it("a slicer given buffers encodes the same bytes into them, and reuses a buffer given back", () => {
    const chunk = chunkOf(600, true)
    const layout = { inputColumns, features: ["Position"] as const }
    const task: SliceTask = {
      layout,
      idPrefix: "job-0-",
      firstRow: 0,
      input: { _tag: "Columns", length: 600, data: inputColumns.map((name) => chunk.data[name]!), rowErrors: chunk.rowErrors },
      parts: [400, 200]
    }
    const plain = slicer()(task).encoded
    const buffers = outputBuffers()
    const run = slicer(buffers)
    const pooled = run(task).encoded
    expect(pooled.map((e) => [...e.bytes])).toEqual(plain.map((e) => [...e.bytes]))
    for (const e of pooled) buffers.give(e.bytes.buffer)
    const again = run(task).encoded
    expect(again.map((e) => [...e.bytes])).toEqual(plain.map((e) => [...e.bytes]))
    // both groups came out of the memory given back
    expect(new Set(again.map((e) => e.bytes.buffer))).toEqual(new Set(pooled.map((e) => e.bytes.buffer)))
  })
})
