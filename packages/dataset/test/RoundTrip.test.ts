/**
 * Every value survives a round trip through each format, and through the path `geojobs
 * validate` takes (the input file → the job's Parquet → a result file in the same format):
 * quotes, delimiters and line breaks in cells, unicode, a 1 MB cell, leading zeros, nested JSON,
 * numbers as written. `""` and null stay apart where the format can tell them (not in CSV/TSV,
 * where both are an empty field).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Row } from "../src/AddressColumns.js"
import * as Dataset from "../src/Dataset.js"
import type * as Format from "../src/Format.js"
import * as NodeFile from "../src/NodeFile.js"
import * as NodeSnappy from "../src/NodeSnappy.js"
import { tempDir } from "./fixtures.js"

const COLUMNS = ["Id", "AddressLines_1", "AddressComponents_PostalCode", "Note"]

const HOSTILE: ReadonlyArray<Row> = [
  { Id: "00001", AddressLines_1: 'He said "hi", then; left|\there', AddressComponents_PostalCode: "00501", Note: "line one\nline two\r\nline three" },
  { Id: "2", AddressLines_1: "Zürich Straße 1 — 東京都 🏠 مرحبا e\u0301 \u2028 x", AddressComponents_PostalCode: "8001", Note: '{"tags":["a","b"],"n":1.50}' },
  { Id: "3", AddressLines_1: "  padded  ", AddressComponents_PostalCode: "", Note: null },
  { Id: "4", AddressLines_1: "x".repeat(1 << 20), AddressComponents_PostalCode: "0", Note: "=1+2" },
  { Id: "5", AddressLines_1: "NULL", AddressComponents_PostalCode: "null", Note: "\"\"" },
  { Id: "6", AddressLines_1: "\ufeffstarts with a byte-order mark", AddressComponents_PostalCode: "\ufeff", Note: "a\ufeffb" }
]

/** Where the format cannot tell `""` from null, what reading gives back. */
const expected = (format: Format.Format): ReadonlyArray<Row> =>
  format === "csv" || format === "tsv"
    ? HOSTILE.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === "" ? null : v])))
    : HOSTILE

const readAll = (file: string, options: Parameters<typeof NodeFile.read>[1] = {}) =>
  Effect.runPromise(
    Stream.runCollect(NodeFile.read(file, { requireAddressColumns: false, ...options })).pipe(Effect.map((chunks) => [...chunks].flat()))
  )

const formats: ReadonlyArray<Format.Format> = ["csv", "tsv", "jsonl", "json", "parquet"]

describe("round trip over hostile values", { timeout: 120_000 }, () => {
  for (const format of formats) {
    it(`${format}: write, then read back, every value`, async () => {
      const file = path.join(tempDir(), `hostile.${format}`)
      await Effect.runPromise(NodeFile.writeAll(file, COLUMNS, Stream.make(HOSTILE)))
      expect(await readAll(file)).toEqual(expected(format))
    })

    it(`${format}: the validate path (file → the job's Parquet → the same format) keeps every value`, async () => {
      const dir = tempDir()
      const input = path.join(dir, `in.${format}`)
      await Effect.runPromise(NodeFile.writeAll(input, COLUMNS, Stream.make(HOSTILE)))
      const jobInput = path.join(dir, "job.parquet")
      await Effect.runPromise(NodeFile.convert(input, jobInput, { requireAddressColumns: true }))
      const output = path.join(dir, `out.${format}`)
      await Effect.runPromise(NodeFile.convert(jobInput, output, { outputFormat: format }))
      expect(await readAll(output)).toEqual(expected(format))
    })
  }

  it("tsv writes tabs between fields, json writes one array", async () => {
    const dir = tempDir()
    const rows = [{ Id: "1", AddressLines_1: "1 Main St", AddressComponents_PostalCode: "00501", Note: null }]
    await Effect.runPromise(NodeFile.writeAll(path.join(dir, "a.tsv"), COLUMNS, Stream.make(rows)))
    expect(fs.readFileSync(path.join(dir, "a.tsv"), "utf8")).toBe(`${COLUMNS.join("\t")}\n1\t1 Main St\t00501\t\n`)
    await Effect.runPromise(NodeFile.writeAll(path.join(dir, "a.json"), COLUMNS, Stream.make([...rows, ...rows])))
    expect(JSON.parse(fs.readFileSync(path.join(dir, "a.json"), "utf8"))).toEqual([rows[0], rows[0]])
  })
})

describe("JSON Lines values as written", () => {
  it("numbers keep their text, nested values their JSON, empty strings stay empty strings", async () => {
    const dir = tempDir()
    const input = path.join(dir, "in.jsonl")
    fs.writeFileSync(
      input,
      [
        '{"Id": 1.50, "AddressLines_1": "1 Main St", "zip": "02139", "tags": ["a", {"b": 1.0}], "meta": {"big": 12345678901234567890}}',
        '{"Id": 12345678901234567890, "AddressLines_1": "", "zip": null, "tags": [], "meta": {}, "ok": true, "e": 1e3, "z": -0}'
      ].join("\n") + "\n"
    )
    const rows = await readAll(input)
    expect(rows[0]).toMatchObject({
      Id: "1.50",
      AddressLines_1: "1 Main St",
      AddressComponents_PostalCode: "02139",
      tags: '["a",{"b":1.0}]',
      meta: '{"big":12345678901234567890}'
    })
    expect(rows[1]).toMatchObject({
      Id: "12345678901234567890",
      AddressLines_1: "",
      AddressComponents_PostalCode: null,
      tags: "[]",
      meta: "{}",
      ok: "true",
      e: "1e3",
      z: "-0"
    })
    // and through the job's Parquet and back to JSON Lines
    await Effect.runPromise(NodeFile.convert(input, path.join(dir, "job.parquet"), { requireAddressColumns: true }))
    await Effect.runPromise(NodeFile.convert(path.join(dir, "job.parquet"), path.join(dir, "out.jsonl")))
    expect(await readAll(path.join(dir, "out.jsonl"))).toEqual(rows)
  })
})

describe("chunks encoded apart (Dataset.chunkEncoder → writeEncoded)", () => {
  for (const format of formats) {
    it(`${format}: the same file as writing the chunks in place, and the values back`, async () => {
      const dir = tempDir()
      const inPlace = path.join(dir, `in-place.${format}`)
      const apart = path.join(dir, `apart.${format}`)
      // three chunks of the hostile rows: a chunk placed first, in the middle and last
      const chunks = [HOSTILE.slice(0, 2), HOSTILE.slice(2, 3), HOSTILE.slice(3)]
      const columnar = (rows: ReadonlyArray<Row>) => ({
        length: rows.length,
        values: (name: string) => rows.map((r) => r[name] ?? null)
      })
      await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const w = yield* NodeFile.writer(inPlace, COLUMNS, { format })
        for (const rows of chunks) yield* w.writeColumnar({ columns: COLUMNS, data: Object.fromEntries(COLUMNS.map((c) => [c, columnar(rows).values(c)])), length: rows.length })
        yield* w.close
        const v = yield* NodeFile.writer(apart, COLUMNS, { format })
        const encoder = Dataset.chunkEncoder(format, v.columns, { parquet: { snappy: NodeSnappy.compressor() } })
        for (const rows of chunks) {
          const { length, values } = columnar(rows)
          // each chunk in two batches
          encoder.add(1, (name) => values(name).slice(0, 1))
          encoder.add(length - 1, (name) => values(name).slice(1))
          expect(encoder.rows()).toBe(length)
          yield* v.writeEncoded(encoder.finish())
        }
        yield* v.close
        expect(v.rowsWritten()).toBe(HOSTILE.length)
      })))
      if (format !== "parquet") expect(fs.readFileSync(apart).equals(fs.readFileSync(inPlace))).toBe(true)
      expect(await readAll(apart, { format })).toEqual(expected(format))
    })
  }
})
