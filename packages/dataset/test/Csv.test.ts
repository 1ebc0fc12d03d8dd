import { describe, expect, it } from "@effect/vitest"
import { stringify } from "csv-stringify/sync"
import * as fc from "fast-check"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import { RowError } from "../src/AddressColumns.js"
import * as Bytes from "../src/Bytes.js"
import * as Csv from "../src/Csv.js"
import { ADDRESSES, COLUMNS, collect, fixture, streamFailure, text } from "./fixtures.js"

const writeCsv = (columns: Parameters<typeof Csv.writer>[2], rows: ReadonlyArray<Record<string, unknown>>): Promise<string> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sink = Bytes.memorySink()
        const writer = yield* Csv.writer(sink, "out.csv", columns)
        yield* writer.write(rows as ReadonlyArray<Record<string, string | null>>)
        yield* writer.close
        return new TextDecoder().decode(sink.bytes())
      })
    )
  )

describe("CSV round trip", { timeout: 120_000 }, () => {
  it("writes a header with the column names and reads back nulls, unicode, commas, quotes and newlines", async () => {
    const csv = await writeCsv(COLUMNS, ADDRESSES)
    expect(csv.split("\n")[0]).toBe(COLUMNS.join(","))
    expect(csv).toContain('"1 Main St, Suite 100","Floor ""2"""')
    expect(csv).toContain('"multi\nline"')
    expect(await collect(Csv.read(text(csv), "a.csv"))).toEqual(ADDRESSES)
  })

  it("writes booleans and numbers as text", async () => {
    const csv = await writeCsv(
      [{ name: "AddressLines_1" }, { name: "ok", type: "BOOLEAN" }, { name: "score", type: "DOUBLE" }],
      [{ AddressLines_1: "x", ok: true, score: 0.5 }, { AddressLines_1: null, ok: false, score: null }]
    )
    expect(csv).toBe("AddressLines_1,ok,score\nx,true,0.5\n,false,\n")
  })

  it("reads in chunks of chunkSize rows", async () => {
    const body = Array.from({ length: 25 }, (_, i) => `${i},${i} Main St`).join("\n")
    const chunks = await Effect.runPromise(Stream.runCollect(Csv.read(text(`id,address\n${body}\n`), "a.csv", { chunkSize: 10 })))
    expect([...chunks].map((c) => c.length)).toEqual([10, 10, 5])
    expect([...chunks][2]![4]).toEqual({ Id: "24", AddressLines_1: "24 Main St" })
  })

  it("handles a BOM, CRLF line ends, blank lines and a missing final newline", async () => {
    const rows = await collect(Csv.read(text("\ufeffAddress,City\r\n1 Main St,Seattle\r\n\r\n2 Oak Ave,Portland"), "a.csv"))
    expect(rows).toEqual([
      { AddressLines_1: "1 Main St", AddressComponents_Locality: "Seattle" },
      { AddressLines_1: "2 Oak Ave", AddressComponents_Locality: "Portland" }
    ])
  })

  it("reads a big file streamed across many 1 MiB blocks", async () => {
    const line = "123,\"1 Main St, Apt 4\",Seattle,WA,98101,USA\n"
    const n = 60_000 // ~2.6 MB
    const csv = "id,address,city,state,zip,country\n" + line.repeat(n)
    let rows = 0
    await Effect.runPromise(Stream.runForEach(Csv.read(text(csv), "big.csv"), (chunk) => Effect.sync(() => (rows += chunk.length))))
    expect(rows).toBe(n)
  })
})

describe("CSV headers", () => {
  it("maps common header spellings to spec columns and passes unknown headers through", async () => {
    const csv = "ID,Address,Address2,City,State,ZIP,Country,County,Street,House Number,Apt,Customer Notes\n" + "7,1 Main St,Unit 2,Seattle,WA,98101,US,King,Main St,1,2,call first\n"
    expect(await collect(Csv.read(text(csv), "a.csv"))).toEqual([
      {
        Id: "7",
        AddressLines_1: "1 Main St",
        AddressLines_2: "Unit 2",
        AddressComponents_Locality: "Seattle",
        AddressComponents_Region: "WA",
        AddressComponents_PostalCode: "98101",
        AddressComponents_Country: "US",
        AddressComponents_SubRegion: "King",
        AddressComponents_Street: "Main St",
        AddressComponents_AddressNumber: "1",
        AddressComponents_Unit: "2",
        "Customer Notes": "call first"
      }
    ])
  })

  it("keeps the exact spec names and lets an exact name win over an alias", async () => {
    const rows = await collect(Csv.read(text("zip,AddressComponents_PostalCode,postcode\n1,2,3\n"), "a.csv"))
    expect(rows).toEqual([{ zip: "1", AddressComponents_PostalCode: "2", postcode: "3" }])
  })

  it("can turn the mapping off", async () => {
    const rows = await collect(Csv.read(text("address,AddressLines_1\na,b\n"), "a.csv", { mapHeaders: false }))
    expect(rows).toEqual([{ address: "a", AddressLines_1: "b" }])
  })
})

describe("CSV problems", () => {
  it("no address columns → NoAddressColumns naming the file and the headers found", async () => {
    const error = await streamFailure(Csv.read(text("name,email\nAda,ada@example.com\n"), "people.csv"))
    expect(error.reason).toBe("NoAddressColumns")
    expect(error.headers).toEqual(["name", "email"])
    expect(error.message).toMatch(/^people\.csv: none of the address columns is present \(found only "name", "email"\)/)
  })

  it("an empty file → NoAddressColumns with no headers", async () => {
    const error = await streamFailure(Csv.read(text(""), "empty.csv"))
    expect(error.reason).toBe("NoAddressColumns")
    expect(error.headers).toEqual([])
  })

  it("a row with the wrong number of fields is a per-row problem; the other rows are fine", async () => {
    const rows = await collect(Csv.read(text("address,city\n1 Main St,Seattle\n2 Oak Ave\n3 Pine Rd,Austin,extra\n4 Elm St,Boston\n"), "a.csv"))
    expect(rows).toHaveLength(4)
    expect(rows[0]).toEqual({ AddressLines_1: "1 Main St", AddressComponents_Locality: "Seattle" })
    expect(rows[1]).toEqual({ AddressLines_1: "2 Oak Ave", AddressComponents_Locality: null, [RowError]: "row 2: 1 field, but the header has 2" })
    expect(rows[2]![RowError]).toBe("row 3: 3 fields, but the header has 2")
    expect(rows[3]).toEqual({ AddressLines_1: "4 Elm St", AddressComponents_Locality: "Boston" })
  })

  it("a Parquet file named .csv → NotCsv", async () => {
    const error = await streamFailure(Csv.read(Bytes.fromBytes(fs.readFileSync(fixture("duckdb-snappy.parquet"))), "really.csv"))
    expect(error.reason).toBe("NotCsv")
    expect(error.message).toBe("really.csv: not CSV: the content is a Parquet file")
  })

  it("binary content → NotCsv", async () => {
    const error = await streamFailure(Csv.read(Bytes.fromBytes(new Uint8Array([0x41, 0x00, 0x01, 0x02, 0xff])), "bin.csv"))
    expect(error.reason).toBe("NotCsv")
  })

  it("text that is not UTF-8 (Latin-1 from a spreadsheet) → NotCsv saying so", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode("city\n"), 0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x0a]) // "Zürich" in Latin-1
    const error = await streamFailure(Csv.read(Bytes.fromBytes(latin1), "latin1.csv"))
    expect(error.reason).toBe("NotCsv")
    expect(error.message).toContain("not valid UTF-8")
  })

  it("an unclosed quote → NotCsv with the parser's reason", async () => {
    const error = await streamFailure(Csv.read(text('address,city\n"1 Main St,Seattle\n'), "quote.csv"))
    expect(error.reason).toBe("NotCsv")
    expect(error.message).toMatch(/^quote\.csv: not CSV: .*quote/i)
  })
})

describe("Csv.field: csv-stringify's bytes", () => {
  const pieces = ["", "a", " ", ",", ";", "\t", "|", "\"", "\"\"", "\n", "\r", "\r\n", "é", "𝄞", "=1+2", "-3", "0042", "x\\y", "]", "^", "-"]
  const values = fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((parts) => parts.join(""))
  it("rows written field by field equal csv-stringify's output, for each delimiter", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t", "|"),
        fc.array(fc.array(values, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 20 }),
        (delimiter, rows) => {
          const special = Csv.specialFor(delimiter)
          const ours = rows.map((row) => row.map((v) => Csv.field(v, special)).join(delimiter) + "\n").join("")
          expect(ours).toBe(stringify(rows, { delimiter }))
        }
      ),
      { numRuns: 300 }
    )
  })
})
