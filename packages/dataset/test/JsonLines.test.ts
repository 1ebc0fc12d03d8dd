import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { RowError } from "../src/AddressColumns.js"
import * as Bytes from "../src/Bytes.js"
import * as JsonLines from "../src/JsonLines.js"
import { ADDRESSES, COLUMNS, collect, streamFailure, text } from "./fixtures.js"

const writeJsonl = (columns: Parameters<typeof JsonLines.writer>[2], rows: ReadonlyArray<Record<string, unknown>>): Promise<string> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sink = Bytes.memorySink()
        const writer = yield* JsonLines.writer(sink, "out.jsonl", columns)
        yield* writer.write(rows as ReadonlyArray<Record<string, string | null>>)
        yield* writer.close
        return new TextDecoder().decode(sink.bytes())
      })
    )
  )

describe("JSON Lines round trip", { timeout: 120_000 }, () => {
  it("writes one object per row with every column in order, and reads it back", async () => {
    const jsonl = await writeJsonl(COLUMNS, ADDRESSES)
    const lines = jsonl.trimEnd().split("\n")
    expect(lines).toHaveLength(ADDRESSES.length)
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual([...COLUMNS])
    expect(await collect(JsonLines.read(text(jsonl), "a.jsonl"))).toEqual(ADDRESSES)
  })

  it("writes typed values as JSON values", async () => {
    const jsonl = await writeJsonl(
      [{ name: "a" }, { name: "b", type: "BOOLEAN" }, { name: "c", type: "DOUBLE" }, { name: "d", type: "INT64" }],
      [{ a: "x", b: true, c: 0.5, d: 12n }, { a: null, b: null, c: Number.NaN, d: null }]
    )
    expect(jsonl).toBe('{"a":"x","b":true,"c":0.5,"d":12}\n{"a":null,"b":null,"c":null,"d":null}\n')
  })

  it("maps key spellings, turns numbers and booleans into text, fills missing keys with null", async () => {
    const input = ['{"id": 1, "address": "1 Main St", "zip": 98101, "verified": true}', "", '{"Address": "2 Oak Ave", "city": "Portland", "note": null}', ""].join("\r\n")
    const chunks = await Effect.runPromise(Stream.runCollect(JsonLines.readColumnar(text(input), "a.jsonl")))
    const [chunk] = [...chunks]
    expect(chunk!.columns).toEqual(["Id", "AddressLines_1", "AddressComponents_PostalCode", "verified", "AddressComponents_Locality", "note"])
    expect(await collect(JsonLines.read(text(input), "a.jsonl"))).toEqual([
      { Id: "1", AddressLines_1: "1 Main St", AddressComponents_PostalCode: "98101", verified: "true", AddressComponents_Locality: null, note: null },
      { Id: null, AddressLines_1: "2 Oak Ave", AddressComponents_PostalCode: null, verified: null, AddressComponents_Locality: "Portland", note: null }
    ])
  })

  it("reads in chunks of chunkSize rows across block boundaries", async () => {
    const line = JSON.stringify({ AddressLines_1: "1 Main St ".repeat(20), AddressComponents_Country: "USA" }) + "\n"
    const n = 12_000 // ~2.7 MB: several 1 MiB blocks, lines split across them
    let rows = 0
    let chunks = 0
    await Effect.runPromise(
      Stream.runForEach(JsonLines.read(text(line.repeat(n)), "big.jsonl", { chunkSize: 5_000 }), (chunk) =>
        Effect.sync(() => {
          rows += chunk.length
          chunks++
          expect(chunk[chunk.length - 1]!.AddressLines_1).toBe("1 Main St ".repeat(20))
        })
      )
    )
    expect(rows).toBe(n)
    expect(chunks).toBe(3)
  })
})

describe("JSON Lines problems", () => {
  it("an object or array value is kept as its JSON text, without a row problem", async () => {
    const input = '{"AddressLines_1": {"street": "Main"}}\n{"AddressLines_1": "2 Oak Ave"}\n{"AddressLines_1": ["a"], "city": "X"}\n'
    const rows = await collect(JsonLines.read(text(input), "a.jsonl"))
    // every row of a chunk has every column seen in it (here: city, from line 3)
    expect(rows[0]).toEqual({ AddressLines_1: '{"street":"Main"}', AddressComponents_Locality: null })
    expect(rows[1]).toEqual({ AddressLines_1: "2 Oak Ave", AddressComponents_Locality: null })
    expect(rows[2]).toEqual({ AddressLines_1: '["a"]', AddressComponents_Locality: "X" })
    expect(rows.some((row) => RowError in row)).toBe(false)
  })

  it("a line that is not JSON → NotJsonLines with the line number", async () => {
    const error = await streamFailure(JsonLines.read(text('{"AddressLines_1": "a"}\n{"AddressLines_1": \n'), "bad.jsonl"))
    expect(error.reason).toBe("NotJsonLines")
    expect(error.message).toMatch(/^bad\.jsonl: not JSON Lines: line 2 is not valid JSON/)
  })

  it("a line that is JSON but not an object → NotJsonLines", async () => {
    const error = await streamFailure(JsonLines.read(text('{"AddressLines_1": "a"}\n[1, 2]\n'), "arr.jsonl"))
    expect(error.message).toBe("arr.jsonl: not JSON Lines: line 2 is an array, not a JSON object")
  })

  it("a CSV file named .jsonl → NotJsonLines", async () => {
    const error = await streamFailure(JsonLines.read(text("address,city\n1 Main St,Seattle\n"), "data.jsonl"))
    expect(error.reason).toBe("NotJsonLines")
    expect(error.message).toContain("data.jsonl: not JSON Lines: line 1 is not valid JSON")
  })

  it("no address keys → NoAddressColumns", async () => {
    const error = await streamFailure(JsonLines.read(text('{"name": "Ada"}\n'), "people.jsonl"))
    expect(error.reason).toBe("NoAddressColumns")
    expect(error.headers).toEqual(["name"])
  })

  it("an empty file → NoAddressColumns", async () => {
    const error = await streamFailure(JsonLines.read(text("\n\n"), "empty.jsonl"))
    expect(error.reason).toBe("NoAddressColumns")
  })
})
