/**
 * `ValidateParquet`: a Parquet file validated on worker threads holds the same rows as the file
 * validated in this thread (cut into more row groups: one slice per worker); a file that is not Parquet fails as the input's fault, and the hooks
 * run once per row group.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Bytes from "@geojobs/dataset/Bytes"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as ValidateParquet from "../src/ValidateParquet.js"
import * as ResultSummary from "@geojobs/address/ResultSummary"

const columns = ["Id", "AddressLines_1", "AddressComponents_Country"]

/** A row's address line and country, by its group and its index in the group. */
type Address = (g: number, i: number) => readonly [string, string | null]

const springfield: Address = (_, i) => [`${100 + i} Main St, Springfield, IL 62701`, i % 3 === 0 ? "USA" : null]

/** An input file of `groups` row groups of `rows` rows, in memory. */
const input = (groups: number, rows: number, address: Address = springfield) =>
  Effect.scoped(Effect.gen(function*() {
    const sink = Bytes.memorySink()
    const writer = yield* Parquet.writer(sink, "in.parquet", columns.map((name) => ({ name, type: "STRING" as const })))
    for (let g = 0; g < groups; g++) {
      const cells = Array.from({ length: rows }, (_, i) => address(g, i))
      yield* writer.writeColumnar({
        columns,
        data: {
          Id: Array.from({ length: rows }, (_, i) => `g${g}r${i}`),
          AddressLines_1: cells.map(([line]) => line),
          AddressComponents_Country: cells.map(([, country]) => country)
        },
        length: rows
      })
    }
    yield* writer.close
    return sink.bytes()
  }))

/** Every row of a Parquet file, column by column. */
const rowsOf = (path: string) =>
  Effect.gen(function*() {
    const parquet = yield* Parquet.open(Bytes.fromBytes(new Uint8Array(Fs.readFileSync(path))), path, { requireAddressColumns: false })
    const out: Record<string, Array<unknown>> = {}
    for (let g = 0; g < parquet.info.rowGroups.length; g++) {
      const chunk = yield* parquet.readRowGroup(g)
      for (const c of chunk.columns) (out[c] ??= []).push(...chunk.data[c]!)
    }
    return out
  })

/** Rows of every kind of outcome: confirmed, corrected, unconfirmed for several reasons, failed. */
const mixed = [
  "1600 Pennsylvania Ave NW, Washington, DC 20500",
  "1600 Pennsylvania Ave NW, Washingtn, DC 20500",
  "1 City Hall Square, Boston, 02201",
  "24 Sussex Dr, Ottawa, BC K1A 0A9, Canada",
  "10 Downing St, London SW1A 2AA, GB",
  "Bennelong Point, Sydney NSW 2000, Australia",
  "1 Main St, Nowhere, ZZ, Atlantis",
  "",
  "Seattle, WA 98101"
]

/** The mixed addresses in turn, from row `i` of group `g` of `rows`-row groups. */
const mixedOf = (rows: number): Address => (g, i) => [mixed[(g * rows + i * 7) % mixed.length]!, null]

const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-engine-"))

describe("ValidateParquet", () => {
  it.scoped("workers write the same rows as this thread; every row group passes the hooks", () =>
    Effect.gen(function*() {
      const bytes = yield* input(3, 400)
      let before = 0
      let after = 0
      const run = (workers: number, name: string) =>
        Effect.flatMap(ValidateParquet.make({ workers, minRowsForWorkers: 1 }), (validator) =>
          validator.file({
            source: Bytes.fromBytes(bytes),
            file: "in.parquet",
            features: ["Position"],
            idPrefix: "job-0-",
            outputPath: Effect.succeed(Path.join(dir, name)),
            beforeRowGroup: Effect.sync(() => void before++),
            afterRowGroup: Effect.sync(() => void after++)
          }))
      const inThread = yield* run(0, "in-thread.parquet")
      const pooled = yield* run(2, "pooled.parquet")
      expect(inThread.rows).toBe(1200)
      expect(pooled.rows).toBe(1200)
      const expected = yield* rowsOf(inThread.path)
      expect(Object.keys(expected)).toContain("Output_Id")
      expect(yield* rowsOf(pooled.path)).toEqual(expected)
      expect([before, after]).toEqual([6, 6])
    }), 60_000)

  it.scoped("the summary counted while validating is the one counted from the output file", () =>
    Effect.gen(function*() {
      const bytes = yield* input(3, 500, mixedOf(500))
      const limits: ResultSummary.Limits = { attentionLimit: 25, pointLimit: 40 }
      for (const workers of [0, 2]) {
        const validator = yield* ValidateParquet.make({ workers, minRowsForWorkers: 1 })
        const done = yield* validator.file({
          source: Bytes.fromBytes(bytes),
          file: "mixed.parquet",
          features: ["Position"],
          idPrefix: "job-0-",
          outputPath: Effect.succeed(Path.join(dir, `summarised-${workers}.parquet`)),
          beforeRowGroup: Effect.void,
          summary: limits
        })
        // the file's size and MD5, hashed as it was written
        const file = Fs.readFileSync(done.path)
        expect(done.size).toBe(file.length)
        expect(Buffer.from(done.md5).toString("hex")).toBe(createHash("md5").update(file).digest("hex"))
        const counted = ResultSummary.make(limits)
        counted.absorb(done.summary!)
        const data = yield* rowsOf(done.path)
        const read = ResultSummary.make(limits)
        read.add({ columns: Object.keys(data), data, length: done.rows })
        expect(counted.result(), `${workers} workers`).toEqual(read.result())
        const result = read.result()
        expect(result.rows).toBe(1500)
        expect(result.attention.length).toBe(25)
        expect(result.points.length).toBe(40)
        expect(new Set(result.reasons.map(([r]) => r)).size).toBeGreaterThan(4)
      }
    }), 60_000)

  it.scoped("a file that is not Parquet is the input's fault", () =>
    Effect.gen(function*() {
      const validator = yield* ValidateParquet.make({ workers: 0 })
      const error = yield* Effect.flip(validator.file({
        source: Bytes.fromBytes(new TextEncoder().encode("Id,AddressLines_1\n1,x\n")),
        file: "s3://in/not.parquet",
        features: [],
        idPrefix: "job-0-",
        outputPath: Effect.succeed(Path.join(dir, "never.parquet")),
        beforeRowGroup: Effect.void
      }))
      expect(error).toBeInstanceOf(ValidateParquet.ValidateParquetError)
      expect((error as ValidateParquet.ValidateParquetError).reason).toBe("Input")
      expect((error as ValidateParquet.ValidateParquetError).message).toMatch(/not.parquet/)
    }))
})
