import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { parquetMetadata, parquetReadObjects, snappyUncompress } from "hyparquet"
import * as fs from "node:fs"
import * as path from "node:path"
import { RowError } from "../src/AddressColumns.js"
import * as Bytes from "../src/Bytes.js"
import * as Chunk from "../src/Chunk.js"
import * as NodeFile from "../src/NodeFile.js"
import * as Parquet from "../src/Parquet.js"
import { compress } from "../src/internal/snappy.js"
import { ADDRESSES, COLUMNS, collect, failure, fixture, streamFailure, tempDir } from "./fixtures.js"

/** Writes chunks with the Parquet writer into memory and returns the bytes. */
const writeParquet = (
  columns: Parameters<typeof Parquet.writer>[2],
  chunks: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>,
  options?: Parquet.WriteOptions
): Promise<Uint8Array> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sink = Bytes.memorySink()
        const writer = yield* Parquet.writer(sink, "mem.parquet", columns, options)
        for (const rows of chunks) yield* writer.write(rows as ReadonlyArray<Record<string, string | null>>)
        yield* writer.close
        return sink.bytes()
      })
    )
  )

const readAll = (bytes: Uint8Array, options?: Parquet.ReadOptions) =>
  collect(Parquet.readRowGroups(Bytes.fromBytes(bytes), "mem.parquet", options))

/**
 * The PLAIN encoding of `values`' non-null strings (each a 4-byte little-endian length and its
 * UTF-8 bytes), with `extra` zero bytes after them.
 */
const plainBytesOf = (values: ReadonlyArray<string | null>, extra = 0): Uint8Array => {
  const parts = values.filter((v): v is string => v !== null).map((v) => new TextEncoder().encode(v))
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, extra))
  let at = 0
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.length, true)
    out.set(p, at + 4)
    at += 4 + p.length
  }
  return out
}

describe("Parquet round trip", { timeout: 120_000 }, () => {
  it("writes and reads back strings, nulls, unicode and extra columns, one row group per chunk", async () => {
    const bytes = await writeParquet(COLUMNS, [ADDRESSES.slice(0, 2), ADDRESSES.slice(2)])
    const meta = parquetMetadata(bytes.slice().buffer)
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 4])
    expect(meta.row_groups[0]!.columns[0]!.meta_data!.codec).toBe("SNAPPY")
    expect(await readAll(bytes)).toEqual(ADDRESSES)
  })

  it("is readable by hyparquet's own row reader (an independent decode path)", async () => {
    const bytes = await writeParquet(COLUMNS, [ADDRESSES])
    const rows = await parquetReadObjects({ file: bytes.slice().buffer })
    expect(rows).toEqual(ADDRESSES)
  })

  it("writes typed BOOLEAN/DOUBLE/INT64 columns that read back as text, nulls included", async () => {
    const columns = [
      { name: "AddressLines_1", type: "STRING" as const },
      { name: "Mailable", type: "BOOLEAN" as const },
      { name: "Score", type: "DOUBLE" as const },
      { name: "Count", type: "INT64" as const }
    ]
    const rows = [
      { AddressLines_1: "a", Mailable: true, Score: 0.25, Count: 3 },
      { AddressLines_1: null, Mailable: false, Score: null, Count: 9007199254740993n },
      { AddressLines_1: "c", Mailable: null, Score: -1.5e10, Count: null }
    ]
    const bytes = await writeParquet(columns, [rows])
    const meta = parquetMetadata(bytes.slice().buffer)
    expect(meta.schema.slice(1).map((e) => [e.name, e.type, e.repetition_type])).toEqual([
      ["AddressLines_1", "BYTE_ARRAY", "OPTIONAL"],
      ["Mailable", "BOOLEAN", "OPTIONAL"],
      ["Score", "DOUBLE", "OPTIONAL"],
      ["Count", "INT64", "OPTIONAL"]
    ])
    expect(await parquetReadObjects({ file: bytes.slice().buffer })).toEqual([
      { AddressLines_1: "a", Mailable: true, Score: 0.25, Count: 3n },
      { AddressLines_1: null, Mailable: false, Score: null, Count: 9007199254740993n },
      { AddressLines_1: "c", Mailable: null, Score: -1.5e10, Count: null }
    ])
    expect(await readAll(bytes)).toEqual([
      { AddressLines_1: "a", Mailable: "true", Score: "0.25", Count: "3" },
      { AddressLines_1: null, Mailable: "false", Score: null, Count: "9007199254740993" },
      { AddressLines_1: "c", Mailable: null, Score: "-15000000000", Count: null }
    ])
  })

  it("uses dictionaries for repetitive columns and PLAIN for unique ones, across several pages", async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => ({
      Id: `id-${i}`,
      AddressComponents_Country: i % 3 === 0 ? "USA" : i % 3 === 1 ? "CAN" : null,
      AddressLines_1: `${i} Long Street Name ${"x".repeat(i % 40)} é`
    }))
    const bytes = await writeParquet(["Id", "AddressComponents_Country", "AddressLines_1"], [rows], { pageSize: 64 * 1024 })
    const meta = parquetMetadata(bytes.slice().buffer)
    const [id, country] = meta.row_groups[0]!.columns.map((c) => c.meta_data!)
    expect(id!.encodings).not.toContain("RLE_DICTIONARY")
    expect(country!.encodings).toContain("RLE_DICTIONARY")
    expect(country!.dictionary_page_offset).toBeDefined()
    expect(await readAll(bytes)).toEqual(rows)
    expect(await parquetReadObjects({ file: bytes.slice().buffer })).toEqual(rows)
  })

  it("writes uncompressed when asked", async () => {
    const bytes = await writeParquet(COLUMNS, [ADDRESSES], { codec: "UNCOMPRESSED" })
    expect(parquetMetadata(bytes.slice().buffer).row_groups[0]!.columns[0]!.meta_data!.codec).toBe("UNCOMPRESSED")
    expect(await readAll(bytes)).toEqual(ADDRESSES)
  })

  it("accepts columnar chunks and array records aligned with the columns", async () => {
    const bytes = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const sink = Bytes.memorySink()
          const writer = yield* Parquet.writer(sink, "mem.parquet", ["AddressLines_1", "Id"])
          yield* writer.writeColumnar({ columns: ["AddressLines_1", "Id"], data: { AddressLines_1: ["a", null], Id: ["1", "2"] }, length: 2 })
          yield* writer.writeRecords([["b", "3"]])
          yield* writer.close
          expect(writer.rowsWritten()).toBe(3)
          return sink.bytes()
        })
      )
    )
    expect(await readAll(bytes)).toEqual([
      { AddressLines_1: "a", Id: "1" },
      { AddressLines_1: null, Id: "2" },
      { AddressLines_1: "b", Id: "3" }
    ])
  })

  it("rejects a value that does not fit its column type with WrongType naming the column", async () => {
    const error = await failure(
      Effect.scoped(
        Effect.gen(function* () {
          const sink = Bytes.memorySink()
          const writer = yield* Parquet.writer(sink, "out.parquet", [{ name: "Score", type: "DOUBLE" }])
          yield* writer.write([{ Score: 1 }, { Score: "high" }])
        })
      )
    )
    expect(error.reason).toBe("WrongType")
    expect(error.message).toContain("out.parquet")
    expect(error.message).toContain("Score")
  })

  it("discards the output when the scope closes before close()", async () => {
    const sink = Bytes.memorySink()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const writer = yield* Parquet.writer(sink, "out.parquet", ["Id"])
          yield* writer.write([{ Id: "1" }])
        })
      )
    )
    expect(sink.state).toBe("aborted")
  })
})

describe("Parquet fixtures written by other writers", () => {
  const codecFixtures = [
    "duckdb-snappy.parquet",
    "duckdb-gzip.parquet",
    "duckdb-zstd.parquet",
    "duckdb-brotli.parquet",
    "duckdb-lz4.parquet",
    "duckdb-uncompressed.parquet",
    "arrow-rs-snappy.parquet",
    "arrow-rs-gzip.parquet",
    "arrow-rs-zstd.parquet",
    "arrow-rs-brotli.parquet",
    "arrow-rs-lz4_raw.parquet",
    "arrow-rs-v2-delta.parquet",
    "arrow-rs-v2-plain.parquet"
  ]
  for (const name of codecFixtures) {
    it(`reads ${name}`, async () => {
      expect(await collect(NodeFile.read(fixture(name)))).toEqual(ADDRESSES)
    })
  }

  it("covers the codecs it claims", async () => {
    const codecs = new Set<string>()
    for (const name of codecFixtures) {
      const info = await Effect.runPromise(
        Effect.scoped(Effect.flatMap(NodeFile.source(fixture(name)), (source) => Parquet.info(source, name)))
      )
      info.codecs.forEach((c) => codecs.add(c))
    }
    expect([...codecs].sort()).toEqual(["BROTLI", "GZIP", "LZ4_RAW", "SNAPPY", "UNCOMPRESSED", "ZSTD"])
  })

  it("converts non-string physical types to text; bytes that are not UTF-8 are a per-row problem", async () => {
    const rows = await collect(NodeFile.read(fixture("duckdb-typed.parquet")))
    expect(rows[0]).toEqual({
      Id: "1",
      AddressComponents_PostalCode: "98101",
      AddressComponents_AddressNumber: "47.6097",
      AddressLines_3: "true",
      AddressLines_1: "Pike Place",
      AddressLines_2: "2024-01-02",
      extra_timestamp: "2024-01-02T03:04:05.000Z",
      AddressComponents_Unit: "12.5",
      AddressComponents_Street: "7",
      AddressComponents_Region: "1.5"
    })
    expect(rows[1]!.Id).toBeNull()
    expect(rows[2]).toMatchObject({ Id: "-3", AddressLines_1: "été", AddressLines_3: "false", AddressComponents_Unit: "-0.01" })
    expect(rows[3]).toMatchObject({ Id: "4", AddressLines_1: null, AddressLines_2: "2000-02-29" })
    expect(rows[3]![RowError]).toBe("column AddressLines_1: bytes that are not valid UTF-8")
    expect(rows.slice(0, 3).every((row) => !(RowError in row))).toBe(true)
  })

  it("turns nested (list/struct) cells into per-row problems and leaves other rows alone", async () => {
    const rows = await collect(NodeFile.read(fixture("duckdb-nested.parquet")))
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatchObject({ Id: "r1", AddressLines_1: "1 Main St", AddressLines_2: null, AddressComponents_Locality: null })
    expect(rows[0]![RowError]).toBe(
      "column AddressLines_2: a list value cannot be read as a string; column AddressComponents_Locality: a struct/map value cannot be read as a string"
    )
    expect(rows[1]).toEqual({ Id: "r2", AddressLines_1: "2 Main St", AddressLines_2: null, AddressComponents_Locality: null })
    expect(rows[2]![RowError]).toContain("column AddressLines_2: a list value")
    // the columnar form carries the same messages in rowErrors
    const chunks = await Effect.runPromise(Stream.runCollect(NodeFile.readColumnar(fixture("duckdb-nested.parquet"))))
    const [chunk] = [...chunks]
    expect(chunk!.rowErrors?.[1]).toBeNull()
    expect(chunk!.rowErrors?.[0]).toContain("AddressLines_2")
    expect(chunk!.columns).toEqual(["Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Locality"])
  })

  it("reads a multi-row-group file one chunk per row group", async () => {
    const chunks = await Effect.runPromise(Stream.runCollect(NodeFile.readColumnar(fixture("duckdb-rowgroups.parquet"))))
    const lengths = [...chunks].map((c) => c.length)
    expect(lengths.length).toBeGreaterThan(1)
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(10_000)
    const rows = [...chunks].flatMap(Chunk.toRows)
    expect(rows[0]).toEqual({
      Id: "rec-0",
      AddressLines_1: "100 Main St",
      AddressLines_2: null,
      AddressComponents_Locality: "Seattle",
      AddressComponents_Country: "USA"
    })
    expect(rows[9_999]).toEqual({
      Id: "rec-9999",
      AddressLines_1: "199 Main St",
      AddressLines_2: "Apt 49",
      AddressComponents_Locality: "Seattle",
      AddressComponents_Country: "USA"
    })
  })

  it("decodes only the columns asked for, in file order, with the values a whole read gives", async () => {
    const all = [...(await Effect.runPromise(Stream.runCollect(NodeFile.readColumnar(fixture("duckdb-rowgroups.parquet")))))]
    const some = [
      ...(await Effect.runPromise(
        Stream.runCollect(
          NodeFile.readColumnar(fixture("duckdb-rowgroups.parquet"), { columns: ["AddressComponents_Locality", "Id", "NoSuchColumn"] })
        )
      ))
    ]
    expect(some.map((c) => c.length)).toEqual(all.map((c) => c.length))
    for (const [k, chunk] of some.entries()) {
      expect(chunk.columns).toEqual(["Id", "AddressComponents_Locality"])
      expect(Object.keys(chunk.data)).toEqual(["Id", "AddressComponents_Locality"])
      expect(chunk.data.Id).toEqual(all[k]!.data.Id)
      expect(chunk.data.AddressComponents_Locality).toEqual(all[k]!.data.AddressComponents_Locality)
    }
    // the footer still names every column
    const info = await Effect.runPromise(
      Effect.scoped(Effect.flatMap(NodeFile.source(fixture("duckdb-rowgroups.parquet")), (s) => Parquet.info(s, "rowgroups")))
    )
    expect(info.columns).toHaveLength(5)
  })

  it("splits big row groups into row chunks of maxChunkRows", async () => {
    const chunks = await Effect.runPromise(
      Stream.runCollect(
        Stream.unwrapScoped(
          Effect.map(NodeFile.source(fixture("duckdb-rowgroups.parquet")), (source) =>
            Parquet.readRowGroups(source, "rowgroups", { maxChunkRows: 500 })
          )
        )
      )
    )
    expect(Math.max(...[...chunks].map((c) => c.length))).toBe(500)
    expect([...chunks].reduce((n, c) => n + c.length, 0)).toBe(10_000)
  })
})

describe("Parquet errors name the file and say why", () => {
  it("a file that is not Parquet", async () => {
    const dir = tempDir()
    const file = path.join(dir, "addresses.parquet")
    fs.writeFileSync(file, "Id,AddressLines_1\n1,Main St\n")
    const error = await streamFailure(NodeFile.read(file))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.file).toBe(file)
    expect(error.message).toContain(file)
    expect(error.message).toContain("PAR1")
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it("a truncated file", async () => {
    const bytes = fs.readFileSync(fixture("duckdb-snappy.parquet"))
    const error = await streamFailure(Parquet.readRowGroups(Bytes.fromBytes(bytes.subarray(0, bytes.length - 100)), "cut.parquet"))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.message).toMatch(/^cut\.parquet: /)
  })

  it("a corrupt footer", async () => {
    const bytes = new Uint8Array(fs.readFileSync(fixture("duckdb-snappy.parquet")))
    const metaLength = new DataView(bytes.buffer).getUint32(bytes.length - 8, true)
    for (let i = bytes.length - 8 - metaLength; i < bytes.length - 8; i++) bytes[i] = 0xff
    const error = await streamFailure(Parquet.readRowGroups(Bytes.fromBytes(bytes), "bad-footer.parquet"))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.message).toContain("bad-footer.parquet")
  })

  it("a corrupt row group (bytes overwritten in the data pages)", async () => {
    const bytes = new Uint8Array(fs.readFileSync(fixture("duckdb-snappy.parquet")))
    for (let i = 4; i < 400; i++) bytes[i] = 0xff
    const error = await streamFailure(Parquet.readRowGroups(Bytes.fromBytes(bytes), "bad-pages.parquet"))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.message).toMatch(/^bad-pages\.parquet: cannot decode row group 0/)
  })

  it("a missing file", async () => {
    const error = await streamFailure(NodeFile.read("/nonexistent/dir/in.parquet"))
    expect(error.reason).toBe("NotFound")
    expect(error.message).toBe("/nonexistent/dir/in.parquet: no such file")
  })

  it("a Parquet file with none of the address columns", async () => {
    const bytes = await writeParquet(["name", "email"], [[{ name: "a", email: "b" }]])
    const error = await streamFailure(Parquet.readRowGroups(Bytes.fromBytes(bytes), "people.parquet"))
    expect(error.reason).toBe("NoAddressColumns")
    expect(error.headers).toEqual(["name", "email"])
    expect(error.message).toContain('people.parquet: none of the address columns is present (found only "name", "email")')
    // the check can be turned off
    expect(await readAll(bytes, { requireAddressColumns: false })).toEqual([{ name: "a", email: "b" }])
  })
})

describe("Snappy compressor", { timeout: 120_000 }, () => {
  it("round-trips through hyparquet's Snappy decoder", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc.array(fc.constantFrom("Main St ", "Seattle ", "98101 ", "x", "é"), { maxLength: 20_000 }).map((words) => new TextEncoder().encode(words.join("")))
        ),
        (input) => {
          const compressed = compress(input)
          const output = new Uint8Array(input.length)
          snappyUncompress(compressed, output)
          expect(output).toEqual(input)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("compresses repetitive input", () => {
    const input = new TextEncoder().encode("1 Main St, Seattle, WA 98101\n".repeat(10_000))
    expect(compress(input).length).toBeLessThan(input.length / 10)
  })
})

describe("Parquet string encoding", { timeout: 120_000 }, () => {
  it("round-trips ASCII pages, pages with one non-ASCII value, long and empty strings, rope strings", async () => {
    const rope = (i: number) => `${i} ` + "MAIN".toLowerCase() + " ST APT " + String(i % 400) + ", SEATTLE WA " + "x".repeat(i % 30)
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      Id: `id-${i}`,
      AddressLines_1: i === 12_345 ? "Zürich 東京 🏠" : rope(i),
      AddressLines_2: i % 3 === 0 ? "" : i % 3 === 1 ? null : "y".repeat(300 + (i % 50))
    }))
    const bytes = await writeParquet(["Id", "AddressLines_1", "AddressLines_2"], [rows], { pageSize: 32 * 1024 })
    expect(await readAll(bytes)).toEqual(rows)
    expect(await parquetReadObjects({ file: bytes.slice().buffer })).toEqual(rows)
  })
})

describe("Parquet edge cases", () => {
  it("a writer closed without rows makes a valid empty file with the schema", async () => {
    const bytes = await writeParquet(["Id", "AddressLines_1"], [])
    const meta = parquetMetadata(bytes.slice().buffer)
    expect(meta.row_groups).toEqual([])
    // the empty row_groups list is typed as a list of structs (arrow-rs rejects any other type)
    const hex = Buffer.from(bytes).toString("hex")
    expect(hex).toContain("1600190c")
    expect(meta.schema.map((e) => e.name)).toEqual(["schema", "Id", "AddressLines_1"])
    expect(await readAll(bytes)).toEqual([])
    const info = await Effect.runPromise(Parquet.info(Bytes.fromBytes(bytes), "empty.parquet"))
    expect(info).toMatchObject({ columns: ["Id", "AddressLines_1"], numRows: 0, rowGroups: [] })
  })

  it("a column that is null in every row, and a single-value dictionary", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ Id: String(i), AddressLines_1: null, AddressComponents_Country: "USA" }))
    const bytes = await writeParquet(["Id", "AddressLines_1", "AddressComponents_Country"], [rows])
    expect(await readAll(bytes)).toEqual(rows)
    expect(await parquetReadObjects({ file: bytes.slice().buffer })).toEqual(rows)
  })
})

describe("Parquet footer metadata", () => {
  it("stores key/value metadata and the writer's created_by", async () => {
    const bytes = await writeParquet(["Id"], [[{ Id: "1" }]], { keyValueMetadata: [{ key: "geojobs:job", value: "job-1" }] })
    const meta = parquetMetadata(bytes.slice().buffer)
    expect(meta.key_value_metadata).toEqual([{ key: "geojobs:job", value: "job-1" }])
    expect(meta.created_by).toBe(Parquet.CREATED_BY)
    const none = parquetMetadata((await writeParquet(["Id"], [[{ Id: "1" }]], { keyValueMetadata: [] })).slice().buffer)
    expect(none.key_value_metadata).toBeUndefined()
  })
})

describe("Parquet STRING columns given other values", () => {
  it("turn numbers, booleans and bigints into text, dictionary or not", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      Id: i % 2 === 0 ? i : `s${i}`,
      AddressComponents_Country: i % 3 === 0 ? true : "USA",
      AddressComponents_PostalCode: i === 2999 ? 98101n : null
    }))
    const bytes = await writeParquet(["Id", "AddressComponents_Country", "AddressComponents_PostalCode"], [rows])
    const back = await readAll(bytes)
    expect(back[0]).toEqual({ Id: "0", AddressComponents_Country: "true", AddressComponents_PostalCode: null })
    expect(back[1]).toEqual({ Id: "s1", AddressComponents_Country: "USA", AddressComponents_PostalCode: null })
    expect(back[2999]).toEqual({ Id: "s2999", AddressComponents_Country: "USA", AddressComponents_PostalCode: "98101" })
  })

  it("an object in a STRING column → WrongType, and the writer keeps nothing of that chunk", async () => {
    const error = await failure(
      Effect.scoped(
        Effect.gen(function* () {
          const sink = Bytes.memorySink()
          const writer = yield* Parquet.writer(sink, "obj.parquet", ["Id", "AddressLines_1"])
          yield* writer.write([{ Id: "1", AddressLines_1: "a" }, { Id: "2", AddressLines_1: { street: "x" } as unknown as string }])
        })
      )
    )
    expect(error.reason).toBe("WrongType")
    expect(error.message).toBe("obj.parquet: column AddressLines_1, row 1: expected STRING, got an object")
  })
})

describe("Parquet row groups encoded apart (rowGroupEncoder + writeEncoded)", { timeout: 60_000 }, () => {
  const columns = [
    { name: "Name", type: "STRING" as const },
    { name: "Score", type: "DOUBLE" as const },
    { name: "Ok", type: "BOOLEAN" as const },
    { name: "Empty", type: "STRING" as const }
  ]
  const chunkOf = (from: number, length: number) => ({
    columns: columns.map((c) => c.name),
    data: {
      Name: Array.from({ length }, (_, i) => (i % 3 === 0 ? null : `n${(from + i) % 7}`)),
      Score: Array.from({ length }, (_, i) => (i % 4 === 0 ? null : (from + i) / 10)),
      Ok: Array.from({ length }, (_, i) => (from + i) % 2 === 0),
      Empty: Array.from({ length }, () => null)
    },
    length
  })
  const write = (f: (writer: import("../src/DatasetWriter.js").DatasetWriter) => Effect.Effect<void, unknown>) =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const sink = Bytes.memorySink()
          const writer = yield* Parquet.writer(sink, "mem.parquet", columns)
          yield* f(writer)
          yield* writer.close
          return { bytes: sink.bytes(), rows: writer.rowsWritten() }
        })
      )
    )

  it("gives the same file as writing the chunks directly, row groups placed at their offsets", async () => {
    const chunks = [chunkOf(0, 1000), chunkOf(1000, 10), chunkOf(1010, 3000)]
    const direct = await write((w) => Effect.forEach(chunks, (c) => w.writeColumnar(c), { discard: true }))
    // encoded by another encoder instance (as a worker thread would), then placed
    const encoder = Parquet.rowGroupEncoder(columns)
    const encoded = chunks.map((c) => encoder.encode(c.length, (name) => (c.data as Record<string, ReadonlyArray<unknown>>)[name] as never))
    const placed = await write((w) => Effect.forEach(encoded, (e) => w.writeEncoded(e), { discard: true }))
    expect(placed.rows).toBe(4010)
    expect(placed.bytes).toEqual(direct.bytes)
    const rows = await readAll(placed.bytes, { requireAddressColumns: false })
    expect(rows).toHaveLength(4010)
    expect(rows[1]).toEqual({ Name: "n1", Score: "0.1", Ok: "false", Empty: null })
  })

  it("a row group built in small batches is the same as one encoded at once (dictionary, plain, fixed, all-null columns)", () => {
    const length = 5000
    // Name: repetitive (dictionary); Id: distinct (plain); Late: distinct only after the sample (dictionary given up)
    const data: Record<string, Array<unknown>> = {
      Name: Array.from({ length }, (_, i) => (i % 3 === 0 ? null : `n${i % 7}`)),
      Id: Array.from({ length }, (_, i) => `id-${i}-é`),
      Late: Array.from({ length }, (_, i) => (i < 1200 ? "same" : `v${i}`)),
      Score: Array.from({ length }, (_, i) => (i % 4 === 0 ? null : i / 10)),
      Ok: Array.from({ length }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)),
      Empty: Array.from({ length }, () => null)
    }
    const cols = Object.keys(data).map((name) => ({
      name,
      type: name === "Score" ? ("DOUBLE" as const) : name === "Ok" ? ("BOOLEAN" as const) : ("STRING" as const)
    }))
    const encoder = Parquet.rowGroupEncoder(cols, { pageSize: 4096 })
    const whole = encoder.encode(length, (name) => data[name] as never)
    const builder = encoder.builder()
    for (let from = 0; from < length; from += 333) {
      const to = Math.min(length, from + 333)
      builder.add(to - from, (name) => (name === "Empty" ? undefined : (data[name]!.slice(from, to) as never)))
    }
    expect(builder.rows()).toBe(length)
    const batched = builder.finish()
    expect(batched.bytes).toEqual(whole.bytes)
    expect(batched.columns).toEqual(whole.columns)
    const encodings = Object.fromEntries(whole.columns.map((c) => [c.meta_data!.path_in_schema[0], c.meta_data!.encodings]))
    expect(encodings.Name).toContain("RLE_DICTIONARY")
    expect(encodings.Id).not.toContain("RLE_DICTIONARY")
    expect(encodings.Late).not.toContain("RLE_DICTIONARY")
  })

  it("a batch's PLAIN bytes given with its values are copied into a PLAIN column: the same file; bytes that do not fit are not used", async () => {
    const length = 5000
    const data: Record<string, Array<string | null>> = {
      // PLAIN (distinct, some nulls, non-ASCII), a dictionary column, and one given wrong bytes
      Id: Array.from({ length }, (_, i) => (i % 9 === 0 ? null : `id ${i}${i % 61 === 0 ? " Zürich 🏠" : ""}`)),
      Name: Array.from({ length }, (_, i) => ["Verified", "Corrected"][i % 2]!),
      Wrong: Array.from({ length }, (_, i) => `w ${i}`)
    }
    const cols = Object.keys(data).map((name) => ({ name, type: "STRING" as const }))
    const encoder = Parquet.rowGroupEncoder(cols, { pageSize: 4096 })
    const whole = encoder.encode(length, (name) => data[name] as never)
    let offered = 0
    for (const size of [333, 1024, 1]) {
      const builder = encoder.builder()
      for (let from = 0, k = 0; from < length; from += size, k++) {
        const to = Math.min(length, from + size)
        builder.add(to - from, (name) => data[name]!.slice(from, to), (name) => {
          offered++
          const values = data[name]!.slice(from, to)
          // Wrong: one byte too many, or a value short
          return name === "Wrong" ? (k % 2 === 0 ? plainBytesOf(values, 1) : plainBytesOf(values.slice(1))) : plainBytesOf(values)
        })
      }
      const batched = builder.finish()
      expect(batched.bytes).toEqual(whole.bytes)
      expect(batched.columns).toEqual(whole.columns)
    }
    expect(offered).toBeGreaterThan(0)
    const encodings = Object.fromEntries(whole.columns.map((c) => [c.meta_data!.path_in_schema[0], c.meta_data!.encodings]))
    expect(encodings.Id).not.toContain("RLE_DICTIONARY")
    expect(encodings.Name).toContain("RLE_DICTIONARY")
    // the bytes are what is written once the column is PLAIN (after its first 1,000-value
    // sample): given the upper-cased values' bytes, the file holds those from then on
    const lower = { name: "Id", type: "STRING" as const }
    const upper = Parquet.rowGroupEncoder([lower]).builder()
    const ids = data.Id!
    for (let from = 0; from < length; from += 1024) {
      const batch = ids.slice(from, from + 1024)
      upper.add(batch.length, () => batch, () => plainBytesOf(batch.map((v) => (v === null ? null : v.toUpperCase()))))
    }
    const rows = await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const sink = Bytes.memorySink()
      const writer = yield* Parquet.writer(sink, "mem.parquet", [lower])
      yield* writer.writeEncoded(upper.finish())
      yield* writer.close
      return yield* Effect.promise(() => readAll(sink.bytes(), { requireAddressColumns: false }))
    })))
    expect(rows[1]!.Id).toBe("id 1")
    expect(rows[2000]!.Id).toBe("ID 2000")
    expect(rows[4880]!.Id).toBe("ID 4880 ZÜRICH 🏠")
    expect(rows[4941]!.Id).toBeNull()
  })

  it("an encoder reused for many row groups (its column buffers handed on) gives what fresh encoders give", () => {
    // big then small then big: buffers grown by one row group carry stale bytes into the next
    const groups = [chunkOf(0, 6000), chunkOf(6000, 7), chunkOf(6007, 2500), chunkOf(9000, 0), chunkOf(9000, 4000)]
    const valuesOf = (c: ReturnType<typeof chunkOf>) => (name: string) => (c.data as Record<string, ReadonlyArray<unknown>>)[name] as never
    const fresh = groups.map((c) => Parquet.rowGroupEncoder(columns, { pageSize: 4096 }).encode(c.length, valuesOf(c)))
    const reused = Parquet.rowGroupEncoder(columns, { pageSize: 4096 })
    for (let g = 0; g < groups.length; g++) {
      const again = reused.encode(groups[g]!.length, valuesOf(groups[g]!))
      expect(again.bytes).toEqual(fresh[g]!.bytes)
      expect(again.columns).toEqual(fresh[g]!.columns)
    }
    // two builders alive at once do not share buffers
    const a = reused.builder()
    const b = reused.builder()
    a.add(groups[0]!.length, valuesOf(groups[0]!))
    b.add(groups[4]!.length, valuesOf(groups[4]!))
    expect(b.finish().bytes).toEqual(fresh[4]!.bytes)
    expect(a.finish().bytes).toEqual(fresh[0]!.bytes)
  })

  it("refuses a row group encoded for other columns, and formats without a detached encoder", async () => {
    const other = Parquet.rowGroupEncoder([{ name: "Name", type: "STRING" }]).encode(1, () => ["x"])
    const error = await Effect.runPromise(Effect.flip(Effect.scoped(Effect.gen(function* () {
      const writer = yield* Parquet.writer(Bytes.memorySink(), "mem.parquet", columns)
      yield* writer.writeEncoded(other)
    }))))
    expect(error.reason).toBe("WriteFailed")
    const csv = await Effect.runPromise(Effect.flip(Effect.scoped(Effect.gen(function* () {
      const writer = yield* NodeFile.writer(path.join(tempDir(), "x.csv"), ["Name"])
      yield* writer.writeEncoded(other)
    }))))
    expect(csv.reason).toBe("WriteFailed")
  })
})


describe("Parquet row groups fetched undecoded (readRaw + decodeRaw)", { timeout: 120_000 }, () => {
  type Pair = { raw: Chunk.ColumnarChunk; whole: Chunk.ColumnarChunk }
  /** `pairs(raw, whole)` for every row group of `source` (fetched undecoded and decoded), concatenated. */
  const perGroup = (source: Bytes.ByteSource, pairs: (raw: Parquet.RawRowGroup, whole: Chunk.ColumnarChunk) => Effect.Effect<Array<Pair>, unknown>) =>
    Effect.runPromise(Effect.gen(function*() {
      const parquet = yield* Parquet.open(source, "mem.parquet", { requireAddressColumns: false })
      const out: Array<Pair> = []
      for (let g = 0; g < parquet.info.rowGroups.length; g++) out.push(...(yield* pairs(yield* parquet.readRaw!(g), yield* parquet.readRowGroup(g))))
      return out
    }))

  /** Rows [from, to) of every row group of `source`, by decodeRaw and by readRowGroup + slice. */
  const both = (source: Bytes.ByteSource, ranges: (rows: number) => ReadonlyArray<readonly [number, number]>) =>
    perGroup(source, (raw, whole) =>
      Effect.forEach(ranges(whole.length), ([from, to]) =>
        Effect.map(Parquet.decodeRaw(raw, from, to), (decoded): Pair => ({ raw: decoded, whole: Chunk.slice(whole, from, to) }))
      )
    )

  const same = (pairs: ReadonlyArray<Pair>) => {
    for (const { raw, whole } of pairs) {
      expect(raw.columns).toEqual(whole.columns)
      expect(raw.length).toBe(whole.length)
      for (const c of raw.columns) expect(raw.data[c]).toEqual(whole.data[c])
      // (a slice keeps an all-null rowErrors; decodeRaw leaves it out when no row of the range has a problem)
      const problems = (c: Chunk.ColumnarChunk) => (c.rowErrors === undefined || c.rowErrors.every((e) => e === null) ? null : c.rowErrors)
      expect(problems(raw)).toEqual(problems(whole))
    }
  }

  /** Two row groups of 3,000 and 2,000 rows in 2 KiB pages: PLAIN and dictionary columns, nulls, non-ASCII values. */
  const manyPages = () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      Id: `id-${i}`,
      AddressLines_1: i % 7 === 0 ? null : `${i} Main St ${"x".repeat(i % 150)}${i % 97 === 0 ? " é" : ""}`,
      AddressComponents_Country: i % 5 === 0 ? null : ["USA", "CAN", "AUS"][i % 3]!
    }))
    return writeParquet(["Id", "AddressLines_1", "AddressComponents_Country"], [rows.slice(0, 3000), rows.slice(3000)], { pageSize: 2048 })
  }

  it("readRaw puts the bytes in memory the caller gives (read straight into it from a file), refusing the wrong size", async () => {
    const bytes = await manyPages()
    const file = path.join(tempDir(), "raw.parquet")
    fs.writeFileSync(file, bytes)
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      for (const source of [Bytes.fromBytes(bytes), yield* NodeFile.source(file)]) {
        const parquet = yield* Parquet.open(source, "raw.parquet", { requireAddressColumns: false })
        const fresh = yield* parquet.readRaw!(1)
        const memory = new Uint8Array(new SharedArrayBuffer(fresh.bytes.length + 100), 0, fresh.bytes.length)
        const given = yield* parquet.readRaw!(1, (length) => (length === memory.length ? memory : new Uint8Array(0)))
        expect(given.bytes).toBe(memory)
        expect([...given.bytes]).toEqual([...fresh.bytes])
        expect(yield* Parquet.decodeRaw(given)).toEqual(yield* Parquet.decodeRaw(fresh))
        const wrong = yield* Effect.flip(parquet.readRaw!(1, (length) => new Uint8Array(length - 1)))
        expect(wrong.message).toMatch(/the memory given holds \d+ bytes, not \d+/)
      }
    })))
  })

  it("decodes any row range across many pages (plain, dictionary, nulls, non-ASCII) as readRowGroup does", async () => {
    const bytes = await manyPages()
    expect(bytes.buffer).toBeInstanceOf(ArrayBuffer)
    const pairs = await both(Bytes.fromBytes(bytes), (n) => [[0, n], [0, 1], [n - 1, n], [17, 1234], [999, n], [n, n], [500, 501]])
    same(pairs)
    expect(pairs[0]!.raw.data.AddressComponents_Country![1]).toBe("CAN")
  })

  it("shares the bytes (SharedArrayBuffer) and reads the fixtures of other writers, problems by row of the range", async () => {
    for (const name of ["duckdb-snappy.parquet", "arrow-rs-v2-delta.parquet", "arrow-rs-zstd.parquet", "duckdb-typed.parquet", "duckdb-rowgroups.parquet"]) {
      const bytes = new Uint8Array(fs.readFileSync(fixture(name)))
      same(await both(Bytes.fromBytes(bytes), (n) => [[0, n], [1, n], [0, Math.max(0, n - 1)]]))
    }
    const typed = await both(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture("duckdb-typed.parquet")))), () => [[2, 4]])
    expect(typed[0]!.raw.rowErrors).toEqual([null, "column AddressLines_1: bytes that are not valid UTF-8"])
    const raw = await Effect.runPromise(Effect.gen(function*() {
      const parquet = yield* Parquet.open(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture("duckdb-snappy.parquet")))), "f")
      return yield* parquet.readRaw!(0)
    }))
    expect(raw.bytes.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  /** Rows [from, to) of every row group of `source` by decodeRawBatches in batches of `sizes` (cycled), next to readRowGroup + slice. */
  const inBatches = (source: Bytes.ByteSource, from: (rows: number) => number, to: (rows: number) => number, sizes: ReadonlyArray<number>) =>
    perGroup(source, (raw, whole) =>
      Effect.gen(function*() {
        const [a, b] = [from(whole.length), to(whole.length)]
        const batches = Parquet.decodeRawBatches(raw, a, b)
        const out: Array<Pair> = []
        for (let row = a, k = 0; row < b; k++) {
          const batch = yield* batches.next(sizes[k % sizes.length]!)
          expect(batch.length).toBeGreaterThan(0)
          out.push({ raw: batch, whole: Chunk.slice(whole, row, row + batch.length) })
          row += batch.length
        }
        // past the end: empty batches
        expect((yield* batches.next(10)).length).toBe(0)
        return out
      })
    )

  it("decodes a row range batch by batch (pages spanning batches, skipped pages, dictionaries, nulls) as readRowGroup does", async () => {
    const bytes = await manyPages()
    for (const sizes of [[1], [7, 300, 1], [1024], [100_000]]) {
      same(await inBatches(Bytes.fromBytes(bytes), () => 0, (n) => n, sizes))
      same(await inBatches(Bytes.fromBytes(bytes), (n) => Math.floor(n / 3), (n) => n - 11, sizes))
    }
    for (const name of ["duckdb-snappy.parquet", "arrow-rs-v2-delta.parquet", "arrow-rs-zstd.parquet", "duckdb-typed.parquet", "duckdb-rowgroups.parquet"]) {
      same(await inBatches(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture(name)))), () => 1, (n) => n, [1, 2]))
    }
    // a problem is reported by row of its batch
    const typed = await inBatches(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture("duckdb-typed.parquet")))), () => 2, () => 4, [1])
    expect(typed.map((b) => b.raw.rowErrors ?? null)).toEqual([null, ["column AddressLines_1: bytes that are not valid UTF-8"]])
  })

  it("with a page pool, gives the same values and PLAIN bytes (each checked before the next batch), two readers sharing one pool", async () => {
    const bytes = await manyPages()
    const pool = Parquet.pagePool()
    let checked = 0
    for (const sizes of [[1], [7, 300, 1], [1024], [5000]]) {
      const pairs = await perGroup(Bytes.fromBytes(bytes), (raw, whole) =>
        Effect.gen(function*() {
          // two readers of the same rows, taking turns, their pages in one pool: a buffer handed
          // back by one is soon another page of the other
          const pooled = [0, 1].map(() => Parquet.decodeRawBatches(raw, 11, whole.length, undefined, { keepPlain: true, pages: pool }))
          const out: Array<Pair> = []
          for (let row = 11, k = 0; row < whole.length; k++) {
            const size = sizes[k % sizes.length]!
            const [a, b] = [yield* pooled[0]!.next(size), yield* pooled[1]!.next(size)]
            expect(b).toEqual(a)
            // the batch's bytes are checked now: they are valid until the next batch
            for (const [name, plain] of Object.entries(a.plain ?? {})) {
              expect(plain).toEqual(plainBytesOf(a.data[name]!))
              expect(b.plain![name]).toEqual(plain)
              checked++
            }
            const { plain: _plain, ...values } = a
            out.push({ raw: values, whole: Chunk.slice(whole, row, row + a.length) })
            row += a.length
          }
          for (const p of pooled) p.release()
          return out
        }))
      same(pairs)
    }
    expect(checked).toBeGreaterThan(10_000)
  })

  it("with keepPlain, gives each batch's PLAIN text columns as their stored bytes (across pages; never a dictionary column or one with a bad value)", async () => {
    const bytes = await manyPages()
    const seen = new Map<string, number>()
    const batchesOf = (source: Bytes.ByteSource, from: number, sizes: ReadonlyArray<number>) =>
      perGroup(source, (raw, whole) =>
        Effect.gen(function*() {
          const batches = Parquet.decodeRawBatches(raw, from, whole.length, undefined, { keepPlain: true })
          const out: Array<Pair> = []
          for (let row = from, k = 0; row < whole.length; k++) {
            const batch = yield* batches.next(sizes[k % sizes.length]!)
            out.push({ raw: batch, whole: Chunk.slice(whole, row, row + batch.length) })
            row += batch.length
          }
          return out
        })
      )
    for (const sizes of [[1], [7, 300, 1], [1024]]) {
      const pairs = await batchesOf(Bytes.fromBytes(bytes), 11, sizes)
      same(pairs)
      for (const { raw } of pairs) {
        for (const [name, plain] of Object.entries(raw.plain ?? {})) {
          expect(plain).toEqual(plainBytesOf(raw.data[name]!))
          seen.set(name, (seen.get(name) ?? 0) + 1)
        }
        expect(raw.plain?.["AddressComponents_Country"]).toBeUndefined()
      }
    }
    // both PLAIN columns, in batches that span pages (2 KiB pages, 1,024-row batches)
    expect(seen.get("Id")).toBeGreaterThan(5000)
    expect(seen.get("AddressLines_1")).toBeGreaterThan(5000)
    // without keepPlain, none
    const plainless = await inBatches(Bytes.fromBytes(bytes), () => 0, (n) => n, [1024])
    expect(plainless.every(({ raw }) => raw.plain === undefined)).toBe(true)
    // a batch holding a value that is not UTF-8: not that column (its row is a problem, its cell null)
    const typed = await batchesOf(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture("duckdb-typed.parquet")))), 0, [2, 1, 1])
    const bad = typed.find(({ raw }) => raw.rowErrors?.some((e) => e !== null))!
    expect(bad.raw.plain?.["AddressLines_1"]).toBeUndefined()
    expect(typed.filter(({ raw }) => raw.plain?.["AddressLines_1"] !== undefined).length).toBeGreaterThan(0)
  })

  it("a PLAIN value whose length runs past its page fails with UnreadableParquet, read or skipped", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ Id: String(i), AddressLines_1: `distinct value ${String(i).padStart(4, "0")}` }))
    const bytes = await writeParquet(["Id", "AddressLines_1"], [rows], { codec: "UNCOMPRESSED" })
    // the 4-byte length prefix of row 3's value, made far longer than the page
    const at = Buffer.from(bytes).indexOf("distinct value 0003") - 4
    expect(at).toBeGreaterThan(0)
    const broken = bytes.slice()
    broken.set([0xff, 0xff, 0xff, 0x00], at)
    const failureOf = (from: number, to: number, count: number) =>
      Effect.runPromise(Effect.flip(Effect.gen(function*() {
        const parquet = yield* Parquet.open(Bytes.fromBytes(broken), "long.parquet")
        const raw = yield* parquet.readRaw!(0)
        return yield* Parquet.decodeRawBatches(raw, from, to).next(count)
      })))
    // decoded (rows 0-9 hold it; rows 0-3 end with it), and stepped over to reach row 10
    for (const error of [await failureOf(0, 50, 10), await failureOf(0, 50, 4), await failureOf(10, 50, 5)]) {
      expect(error.reason).toBe("UnreadableParquet")
      expect(error.message).toContain("long.parquet")
      expect(error.message).toMatch(/column AddressLines_1: page ends inside a value$/)
    }
    // the rows before it still read when the batch ends first
    const first = await Effect.runPromise(Effect.gen(function*() {
      const parquet = yield* Parquet.open(Bytes.fromBytes(broken), "long.parquet")
      return yield* Parquet.decodeRawBatches(yield* parquet.readRaw!(0), 0, 3).next(3)
    }))
    expect(first.data["AddressLines_1"]).toEqual(["distinct value 0000", "distinct value 0001", "distinct value 0002"])
  })

  it("is not offered for a file with nested columns; corrupt bytes fail with UnreadableParquet", async () => {
    const nested = await Effect.runPromise(
      Parquet.open(Bytes.fromBytes(new Uint8Array(fs.readFileSync(fixture("duckdb-nested.parquet")))), "nested")
    )
    expect(nested.readRaw).toBeUndefined()
    const bytes = await writeParquet(["Id", "AddressLines_1"], [ADDRESSES.map((a) => ({ Id: a.Id, AddressLines_1: a.AddressLines_1 }))])
    const error = await Effect.runPromise(Effect.flip(Effect.gen(function*() {
      const parquet = yield* Parquet.open(Bytes.fromBytes(bytes), "bad.parquet")
      const raw = yield* parquet.readRaw!(0)
      return yield* Parquet.decodeRaw({ ...raw, bytes: new Uint8Array(raw.bytes.length).fill(0xee) })
    })))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.message).toContain("bad.parquet")
    const batchError = await Effect.runPromise(Effect.flip(Effect.gen(function*() {
      const parquet = yield* Parquet.open(Bytes.fromBytes(bytes), "bad.parquet")
      const raw = yield* parquet.readRaw!(0)
      return yield* Parquet.decodeRawBatches({ ...raw, bytes: new Uint8Array(raw.bytes.length).fill(0xee) }).next(5)
    })))
    expect(batchError.reason).toBe("UnreadableParquet")
    expect(batchError.message).toContain("bad.parquet")
  })
})

describe("Parquet builder: levels, plain batches and dictionaries on any mix of nulls and values", { timeout: 120_000 }, () => {
  // nulls: none (levels written without reading them), all, some, or a run at one end; values:
  // few (dictionary), distinct (PLAIN), non-ASCII (encoded value by value), numbers (as text),
  // few then distinct (a dictionary given up)
  const nullsArb = fc.constantFrom("none", "all", "some", "head", "tail")
  const kindArb = fc.constantFrom("few", "distinct", "unicode", "numbers", "late")
  const valueOf = (kind: string, i: number, seed: number): unknown => {
    switch (kind) {
      case "few":
        return ["Verified", "Corrected", "Unverified"][(i * seed) % 3]!
      case "distinct":
        return `value ${seed} ${i} ${"x".repeat(i % 140)}`
      case "unicode":
        return i % 50 === 7 ? `Zürich ${i} 🏠` : `plain ${i}`
      case "numbers":
        return i % 2 === 0 ? i * seed : `${i}`
      default:
        return i < 1500 ? "same" : `late ${i}`
    }
  }
  const isNull = (nulls: string, i: number, length: number, seed: number): boolean =>
    nulls === "all" || (nulls === "some" && (i * 7 + seed) % 5 < 2) || (nulls === "head" && i < length / 3) || (nulls === "tail" && i >= length - 5)

  it("chooses dictionary or PLAIN from the first 1,000 values: more than 700 distinct is PLAIN, at the boundary too", () => {
    const encodingOf = (repeats: number, batch: number) => {
      const length = 5000
      // `repeats` times one value, then distinct values up to the 1,000th, then the first 1,000 again
      const values = Array.from({ length }, (_, i) => (i % 1000 < repeats ? "r" : `d${i % 1000}`))
      const builder = Parquet.rowGroupEncoder([{ name: "v", type: "STRING" }]).builder()
      for (let from = 0; from < length; from += batch) builder.add(Math.min(batch, length - from), () => values.slice(from, from + batch))
      return builder.finish().columns[0]!.meta_data!.encodings
    }
    for (const batch of [1, 333, 1024, 5000]) {
      expect(encodingOf(300, batch)).not.toContain("RLE_DICTIONARY") // 701 distinct
      expect(encodingOf(301, batch)).toContain("RLE_DICTIONARY") // 700
      expect(encodingOf(302, batch)).toContain("RLE_DICTIONARY")
      expect(encodingOf(0, batch)).not.toContain("RLE_DICTIONARY")
    }
  })

  it("reads back what was added, whatever the batch sizes and page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ nulls: nullsArb, kind: kindArb, seed: fc.integer({ min: 1, max: 97 }) }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 1100 }),
        fc.constantFrom(256, 4096, 1 << 20),
        async (specs, length, batch, pageSize) => {
          const columns = specs.map((_, c) => ({ name: `c${c}`, type: "STRING" as const }))
          const data = specs.map((s) =>
            Array.from({ length }, (_, i) => (isNull(s.nulls, i, length, s.seed) ? null : valueOf(s.kind, i, s.seed)))
          )
          const builder = Parquet.rowGroupEncoder(columns, { pageSize }).builder()
          for (let from = 0; from < length; from += batch) {
            const to = Math.min(length, from + batch)
            builder.add(to - from, (name) => {
              const values = data[Number(name.slice(1))]!.slice(from, to)
              return (values.every((v) => v === null) && from % 2 === 0 ? undefined : values) as never
            })
          }
          const encoded = builder.finish()
          const bytes = await Effect.runPromise(
            Effect.scoped(
              Effect.gen(function* () {
                const sink = Bytes.memorySink()
                const writer = yield* Parquet.writer(sink, "mem.parquet", columns)
                yield* writer.writeEncoded(encoded)
                yield* writer.close
                return sink.bytes()
              })
            )
          )
          const rows = await parquetReadObjects({ file: bytes.slice().buffer })
          expect(rows).toHaveLength(length)
          for (let c = 0; c < columns.length; c++) {
            for (let i = 0; i < length; i++) {
              const v = data[c]![i]
              expect(rows[i]![`c${c}`]).toEqual(v === null ? null : String(v))
            }
          }
        }
      ),
      { numRuns: 60 }
    )
  })
})
