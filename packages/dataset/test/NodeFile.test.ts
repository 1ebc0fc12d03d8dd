import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Bytes from "../src/Bytes.js"
import * as Format from "../src/Format.js"
import * as NodeFile from "../src/NodeFile.js"
import { ADDRESSES, COLUMNS, collect, failure, fixture, streamFailure, tempDir } from "./fixtures.js"

const dir = tempDir()
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const at = (name: string) => path.join(dir, name)
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

describe("NodeFile writers", () => {
  it("write atomically: nothing at the path until close, no temp file left", async () => {
    const file = at("atomic.parquet")
    await run(
      Effect.scoped(
        Effect.gen(function* () {
          const writer = yield* NodeFile.writer(file, COLUMNS)
          yield* writer.write(ADDRESSES)
          expect(fs.existsSync(file)).toBe(false)
          yield* writer.close
          expect(fs.existsSync(file)).toBe(true)
        })
      )
    )
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([])
    expect(await collect(NodeFile.read(file))).toEqual(ADDRESSES)
  })

  it("remove the temp file and leave an existing output untouched when the write fails", async () => {
    const file = at("keep.csv")
    fs.writeFileSync(file, "old content\n")
    const error = await failure(
      Effect.scoped(
        Effect.gen(function* () {
          const writer = yield* NodeFile.writer(file, ["AddressLines_1"])
          yield* writer.write([{ AddressLines_1: "a" }])
          return yield* Effect.fail(new Error("engine crashed")).pipe(Effect.orDie)
        })
      ).pipe(Effect.catchAllDefect(() => Effect.fail({ reason: "defect" } as never)))
    )
    expect(error).toEqual({ reason: "defect" })
    expect(fs.readFileSync(file, "utf8")).toBe("old content\n")
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([])
  })

  it("writeAll writes a stream of chunks in any format", async () => {
    for (const name of ["all.parquet", "all.csv", "all.jsonl"]) {
      const rows = await run(NodeFile.writeAll(at(name), COLUMNS, Stream.make(ADDRESSES.slice(0, 3), ADDRESSES.slice(3))))
      expect(rows).toBe(ADDRESSES.length)
      expect(await collect(NodeFile.read(at(name)))).toEqual(ADDRESSES)
    }
  })

  it("a missing directory → WriteFailed naming the file", async () => {
    const file = at("no/such/dir/out.parquet")
    const error = await failure(Effect.scoped(NodeFile.writer(file, ["Id"])))
    expect(error.reason).toBe("WriteFailed")
    expect(error.message).toContain(file)
    expect(error.message).toContain("does not exist")
  })

  it("an output name without a known extension → UnknownFormat", async () => {
    const error = await failure(Effect.scoped(NodeFile.writer(at("out.txt"), ["Id"])))
    expect(error.reason).toBe("UnknownFormat")
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([])
  })
})

describe("convert", () => {
  it("CSV → Parquet → JSON Lines → CSV keeps every value", async () => {
    const csv = at("in.csv")
    await run(NodeFile.writeAll(csv, COLUMNS, Stream.make(ADDRESSES)))
    expect(await run(NodeFile.convert(csv, at("conv.parquet")))).toEqual({ rows: ADDRESSES.length, columns: [...COLUMNS] })
    await run(NodeFile.convert(at("conv.parquet"), at("conv.jsonl")))
    await run(NodeFile.convert(at("conv.jsonl"), at("back.csv")))
    expect(fs.readFileSync(at("back.csv"), "utf8")).toBe(fs.readFileSync(csv, "utf8"))
    expect(await collect(NodeFile.read(at("conv.parquet")))).toEqual(ADDRESSES)
  })

  it("maps header aliases on the way in, keeps a header-only CSV's columns, converts any table", async () => {
    fs.writeFileSync(at("alias.csv"), "zip,city,notes\n98101,Seattle,hi\n")
    await run(NodeFile.convert(at("alias.csv"), at("alias.parquet")))
    expect(await collect(NodeFile.read(at("alias.parquet")))).toEqual([
      { AddressComponents_PostalCode: "98101", AddressComponents_Locality: "Seattle", notes: "hi" }
    ])
    fs.writeFileSync(at("header-only.csv"), "address,city\n")
    expect(await run(NodeFile.convert(at("header-only.csv"), at("header-only.parquet")))).toEqual({
      rows: 0,
      columns: ["AddressLines_1", "AddressComponents_Locality"]
    })
    fs.writeFileSync(at("people.csv"), "name\nAda\n")
    expect((await run(NodeFile.convert(at("people.csv"), at("people.jsonl")))).rows).toBe(1)
  })

  it("JSON Lines with keys that appear late still converts every column", async () => {
    fs.writeFileSync(at("late.jsonl"), '{"address": "a"}\n'.repeat(5) + '{"address": "b", "zip": "1"}\n')
    const result = await run(NodeFile.convert(at("late.jsonl"), at("late.parquet"), { chunkSize: 2 }))
    expect(result.columns).toEqual(["AddressLines_1", "AddressComponents_PostalCode"])
    const rows = await collect(NodeFile.read(at("late.parquet")))
    expect(rows[5]).toEqual({ AddressLines_1: "b", AddressComponents_PostalCode: "1" })
  })

  it("fails without leaving an output when the input is bad", async () => {
    fs.writeFileSync(at("bad.jsonl"), '{"address": "a"}\nnot json\n')
    const error = await failure(NodeFile.convert(at("bad.jsonl"), at("bad.parquet")))
    expect(error.reason).toBe("NotJsonLines")
    expect(fs.existsSync(at("bad.parquet"))).toBe(false)
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([])
  })
})

describe("Format detection", () => {
  it("by extension, and by content when the extension says nothing", async () => {
    expect(Format.fromExtension("a/B.PARQUET")).toBe("parquet")
    expect(Format.fromExtension("x.ndjson")).toBe("jsonl")
    expect(Format.fromExtension("x.txt")).toBeUndefined()
    fs.copyFileSync(fixture("duckdb-snappy.parquet"), at("no-extension"))
    expect(await collect(NodeFile.read(at("no-extension")))).toEqual(ADDRESSES)
    fs.writeFileSync(at("data.txt"), '{"address": "1 Main St"}\n')
    expect(await collect(NodeFile.read(at("data.txt")))).toEqual([{ AddressLines_1: "1 Main St" }])
    fs.writeFileSync(at("table.dat"), "address\n1 Main St\n")
    expect(await collect(NodeFile.read(at("table.dat")))).toEqual([{ AddressLines_1: "1 Main St" }])
  })

  it("a .parquet name without the PAR1 magic → UnreadableParquet naming the file", async () => {
    fs.writeFileSync(at("fake.parquet"), '{"address": "x"}\n')
    const error = await streamFailure(NodeFile.read(at("fake.parquet")))
    expect(error.reason).toBe("UnreadableParquet")
    expect(error.message).toBe(
      `${at("fake.parquet")}: not a Parquet file: it does not start with the PAR1 magic bytes (the content looks like JSON Lines)`
    )
  })

  it("gzip or binary content without a known extension → UnknownFormat", async () => {
    const error = await failure(Format.detect(Bytes.fromBytes(new Uint8Array([0x1f, 0x8b, 8, 0])), "blob"))
    expect(error.reason).toBe("UnknownFormat")
    expect(error.message).toContain("gzip")
  })

  it("a directory → ReadFailed", async () => {
    const error = await streamFailure(NodeFile.read(dir))
    expect(error.reason).toBe("ReadFailed")
  })
})

describe("columnsOf", () => {
  it("gives the columns before the rows, for every format", async () => {
    expect(await run(NodeFile.columnsOf(fixture("duckdb-nested.parquet")))).toEqual(["Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Locality"])
    fs.writeFileSync(at("cols.csv"), "zip,notes\n1,x\n")
    expect(await run(NodeFile.columnsOf(at("cols.csv")))).toEqual(["AddressComponents_PostalCode", "notes"])
    fs.writeFileSync(at("cols.jsonl"), '{"city": "a"}\n{"city": "b", "zip": "1"}\n')
    expect(await run(NodeFile.columnsOf(at("cols.jsonl"), { chunkSize: 1 }))).toEqual(["AddressComponents_Locality", "AddressComponents_PostalCode"])
  })
})
