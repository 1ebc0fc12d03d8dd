import { describe, expect, it } from "@effect/vitest"
import * as AddressColumns from "../src/AddressColumns.js"
import * as Chunk from "../src/Chunk.js"

describe("AddressColumns", () => {
  it("has the 15 spec input columns with exact names", () => {
    expect(AddressColumns.InputColumns).toHaveLength(15)
    expect(AddressColumns.InputColumns[0]).toBe("Id")
    expect(AddressColumns.AddressColumns).toContain("AddressComponents_UnitDesignator")
  })

  it.each([
    ["address", "AddressLines_1"],
    ["Address1", "AddressLines_1"],
    ["Street Address", "AddressLines_1"],
    ["line1", "AddressLines_1"],
    ["address2", "AddressLines_2"],
    ["LINE 2", "AddressLines_2"],
    ["city", "AddressComponents_Locality"],
    ["Town", "AddressComponents_Locality"],
    ["locality", "AddressComponents_Locality"],
    ["state", "AddressComponents_Region"],
    ["Province", "AddressComponents_Region"],
    ["region", "AddressComponents_Region"],
    ["county", "AddressComponents_SubRegion"],
    ["zip", "AddressComponents_PostalCode"],
    ["ZipCode", "AddressComponents_PostalCode"],
    ["postcode", "AddressComponents_PostalCode"],
    ["postal_code", "AddressComponents_PostalCode"],
    ["Postal Code", "AddressComponents_PostalCode"],
    ["country", "AddressComponents_Country"],
    ["country_code", "AddressComponents_Country"],
    ["street", "AddressComponents_Street"],
    ["number", "AddressComponents_AddressNumber"],
    ["house_number", "AddressComponents_AddressNumber"],
    ["unit", "AddressComponents_Unit"],
    ["apt", "AddressComponents_Unit"],
    ["suite", "AddressComponents_Unit"],
    ["id", "Id"],
    ["addresslines_1", "AddressLines_1"],
    ["address_components_postal_code", "AddressComponents_PostalCode"],
    ["AddressComponents_UnitDesignator", "AddressComponents_UnitDesignator"]
  ])("maps %j to %s", (header, column) => {
    expect(AddressColumns.canonicalColumn(header)).toBe(column)
  })

  it("leaves unknown headers alone and makes duplicates unique", () => {
    expect(AddressColumns.mapHeaders(["notes", "City", "notes", "zip", "postcode"])).toEqual([
      "notes",
      "AddressComponents_Locality",
      "notes_2",
      "AddressComponents_PostalCode",
      "postcode"
    ])
  })

  it("never produces the row-problem key as a column name", () => {
    expect(AddressColumns.mapHeaders([AddressColumns.RowError])).toEqual([`${AddressColumns.RowError}_2`])
  })

  it("rowError / dataColumns read the marker", () => {
    const row = { AddressLines_1: null, [AddressColumns.RowError]: "bad" }
    expect(AddressColumns.rowError(row)).toBe("bad")
    expect(AddressColumns.rowError({ AddressLines_1: "x" })).toBeUndefined()
    expect(AddressColumns.dataColumns(row)).toEqual(["AddressLines_1"])
  })
})

describe("Chunk", () => {
  it("converts between row and columnar forms, carrying row problems", () => {
    const rows = [{ a: "1", b: null }, { a: null, b: "2", [AddressColumns.RowError]: "bad" }]
    const columnar = Chunk.fromRows(rows)
    expect(columnar).toEqual({ columns: ["a", "b"], data: { a: ["1", null], b: [null, "2"] }, length: 2, rowErrors: [null, "bad"] })
    expect(Chunk.toRows(columnar)).toEqual(rows)
    expect(Chunk.toRows(Chunk.slice(columnar, 1, 2))).toEqual([rows[1]])
  })

  it("handles column names that are not identifiers", () => {
    const columnar = { columns: ["a b", "c\"d", "__proto__x", "1"], data: { "a b": ["x"], "c\"d": ["y"], "__proto__x": ["z"], "1": ["w"] }, length: 1 }
    expect(Chunk.toRows(columnar)).toEqual([{ "a b": "x", "c\"d": "y", "__proto__x": "z", "1": "w" }])
    const data = Object.fromEntries([["__proto__", ["p"]], ["a", ["q"]]]) as Record<string, Array<string>>
    const [row] = Chunk.toRows({ columns: ["__proto__", "a"], data, length: 1 })
    expect(Object.keys(row!)).toEqual(["__proto__", "a"])
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
  })
})

describe("Chunk.transpose", () => {
  it("reads every column of every row, missing keys as undefined, __proto__ only when own", () => {
    const rows = [{ a: "1", b: 2 }, { b: null }, Object.fromEntries([["__proto__", "p"], ["a", "x"]])]
    expect(Chunk.transpose(rows, ["a", "b", "__proto__", "c d"])).toEqual([
      ["1", undefined, "x"],
      [2, null, undefined],
      [undefined, undefined, "p"],
      [undefined, undefined, undefined]
    ])
  })
})
