/**
 * Result categories over real public addresses: a row is Validated only when every component the
 * reference data can check was confirmed; Corrected names what was corrected; Unconfirmed and
 * Failed say why.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Engine from "../src/Engine.js"
import * as fc from "fast-check"
import * as Outcome from "../src/Outcome.js"

const engine = Engine.make({
  inputColumns: [
    "AddressLines_1", "AddressLines_2", "AddressComponents_Locality", "AddressComponents_Region", "AddressComponents_PostalCode",
    "AddressComponents_Country"
  ],
  features: ["Position"]
})
const outcome = (row: Record<string, string | undefined>) => Outcome.ofRecord(engine.validate(row))
const parts = (line: string, locality: string | undefined, region: string | undefined, postal: string | undefined, country?: string) =>
  outcome({
    AddressLines_1: line, AddressComponents_Locality: locality, AddressComponents_Region: region,
    AddressComponents_PostalCode: postal, AddressComponents_Country: country
  })

describe("Outcome — Validated", () => {
  it("the White House: every checkable component confirmed", () => {
    expect(outcome({ AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washington, DC 20500" })).toEqual({
      category: "Validated", reason: "Confirmed", message: expect.any(String)
    })
  })
  it("Boston City Hall with the state left out: appending the region is not a correction", () => {
    const o = parts("1 City Hall Square", "Boston", undefined, "02201")
    expect(o.category).toBe("Validated")
    expect(o.message).toMatch(/region/i)
  })
})

describe("Outcome — Validated in Australia", () => {
  it("the Sydney Opera House, Bennelong Point, Sydney NSW 2000", () => {
    expect(parts("Bennelong Point", "Sydney", "NSW", "2000", "Australia")).toMatchObject({ category: "Validated", reason: "Confirmed" })
  })
})

describe("Outcome — Corrected names what was corrected", () => {
  it("the Empire State Building in 'New Yrok': the locality", () => {
    const o = outcome({ AddressLines_1: "350 Fifth Avenue", AddressLines_2: "New Yrok, NY 10118" })
    expect(o).toMatchObject({ category: "Corrected", reason: "Corrected" })
    expect(o.message).toMatch(/locality/i)
    expect(o.message).not.toMatch(/region|postal/i)
  })
  it("Boston City Hall in ZIP 2201: the postal code, repaired", () => {
    const o = parts("1 City Hall Square", "Boston", "MA", "2201")
    expect(o.category).toBe("Corrected")
    expect(o.message).toMatch(/postal code/i)
  })
  it("Boston City Hall given as Cambridge, MA 02201: the locality, from the postal code", () => {
    const o = parts("1 City Hall Square", "Cambridge", "MA", "02201")
    expect(o.category).toBe("Corrected")
    expect(o.message).toMatch(/locality/i)
  })
  it("the Sydney Opera House in Sydney VIC 2000: the region", () => {
    const o = parts("Bennelong Point", "Sydney", "VIC", "2000", "Australia")
    expect(o).toEqual({ category: "Corrected", reason: "Corrected", message: "Corrected: region" })
  })
  it("Boston City Hall in CA: the region", () => {
    const o = parts("1 City Hall Square", "Boston", "CA", "02201")
    expect(o.category).toBe("Corrected")
    expect(o.message).toMatch(/region/i)
  })
})

describe("Outcome — Unconfirmed says why", () => {
  it("Parliament Hill (CA): Canadian postal codes cannot be confirmed, so not Validated at MediumLow", () => {
    const o = parts("111 Wellington St", "Ottawa", "ON", "K1A 0A9", "Canada")
    expect(o).toMatchObject({ category: "Unconfirmed", reason: "PostalCodeUnverifiable" })
  })
  it("10 Downing Street (GB): not Corrected because England was appended", () => {
    const o = parts("10 Downing Street", "London", undefined, "SW1A 2AA", "United Kingdom")
    expect(o.category).not.toBe("Corrected")
    expect(o).toMatchObject({ category: "Unconfirmed", reason: "PostalCodeUnverifiable" })
  })
  it("Ottawa, BC, K1A 0A9: not Validated; the region is named", () => {
    const o = parts("111 Wellington St", "Ottawa", "BC", "K1A 0A9", "Canada")
    expect(o.category).not.toBe("Validated")
    expect(o.message).toMatch(/region/i)
  })
  it("10 Downing Street, London, Scotland: the region corrected is named beside the reason", () => {
    const o = parts("10 Downing Street", "London", "Scotland", "SW1A 2AA", "United Kingdom")
    expect(o).toMatchObject({ category: "Unconfirmed", reason: "PostalCodeUnverifiable" })
    expect(o.message).toMatch(/corrected: region$/)
  })
  it("BC with K1A 0A9 and no locality to decide: the region contradicts the postal code", () => {
    expect(parts("111 Wellington St", undefined, "BC", "K1A 0A9", "Canada")).toMatchObject({ category: "Unconfirmed", reason: "RegionMismatch" })
  })
  it("Boston City Hall without a street: not Validated", () => {
    expect(parts("", "Boston", "MA", "02201")).toMatchObject({ category: "Unconfirmed", reason: "StreetMissing" })
  })
  it("the White House with a ZIP that does not exist", () => {
    expect(outcome({ AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washington, DC 20999" })).toMatchObject({
      category: "Unconfirmed", reason: "PostalCodeNotFound"
    })
  })
  it("Pike Place Market with no ZIP (Seattle has many)", () => {
    expect(parts("85 Pike St", "Seattle", "WA", undefined)).toMatchObject({ category: "Unconfirmed", reason: "PostalCodeMissing" })
  })
  it("the Reichstag (DE): no reference data for the country", () => {
    expect(outcome({ AddressLines_1: "Platz der Republik 1", AddressLines_2: "11011 Berlin", AddressComponents_Country: "Germany" }))
      .toMatchObject({ category: "Unconfirmed", reason: "NoReferenceData" })
  })
  it("an unknown country", () => {
    expect(outcome({ AddressLines_1: "1 Main St", AddressComponents_Country: "Atlantis" })).toMatchObject({
      category: "Unconfirmed", reason: "CountryNotFound"
    })
  })
})

describe("Outcome — Failed", () => {
  it("a row with no address: the ErrorType is the reason", () => {
    const o = outcome({ AddressLines_1: "" })
    expect(o.category).toBe("Failed")
    expect(o.reason).toBe("InvalidInput")
    expect(o.message).toMatch(/no address/)
  })
})

describe("Outcome — from any result file's columns", () => {
  it("classify reads cells by column name, as a reader of Amazon Location's own files would", () => {
    const record = engine.validate({ AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washingtn, DC 20500" })
    expect(Outcome.classify((column) => record[column])).toEqual(Outcome.ofRecord(record))
    expect(Outcome.ofRecord(record).category).toBe("Corrected")
  })
  it("every reason has a category and a short text", () => {
    for (const [reason, about] of Object.entries(Outcome.reasons)) {
      expect(Outcome.categories).toContain(about.category)
      expect(about.text.length, reason).toBeGreaterThan(10)
    }
  })
})

describe("Outcome.columnsRead", () => {
  it("names every column classify reads, whatever the row", () => {
    const rows: Array<Record<string, string | undefined>> = [
      { AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washington, DC 20500" },
      { AddressLines_1: "1 City Hall Square", AddressComponents_Locality: "Boston", AddressComponents_PostalCode: "2201" },
      { AddressLines_1: "Bennelong Point", AddressComponents_Locality: "Sydney", AddressComponents_Region: "NSW", AddressComponents_PostalCode: "2000", AddressComponents_Country: "Australia" },
      { AddressLines_1: "24 Sussex Dr", AddressComponents_Locality: "Ottawa", AddressComponents_Region: "BC", AddressComponents_PostalCode: "K1A 0A9", AddressComponents_Country: "Canada" },
      { AddressLines_1: "10 Downing St", AddressComponents_Locality: "London", AddressComponents_PostalCode: "SW1A 2AA", AddressComponents_Country: "GB" },
      { AddressLines_1: "1 Main St", AddressComponents_Locality: "Nowhere", AddressComponents_Region: "ZZ", AddressComponents_Country: "Atlantis" },
      { AddressComponents_Locality: "Seattle", AddressComponents_Region: "WA", AddressComponents_PostalCode: "98101" },
      { AddressLines_1: "" }
    ]
    const read = new Set<string>()
    const records = [...rows.map((row) => engine.validate(row)), { ErrorType: "InvalidInput", ErrorMessage: "no address" }, { ErrorMessage: "boom" }]
    for (const record of records) {
      Outcome.classify((column) => {
        read.add(column)
        return (record as Record<string, unknown>)[column]
      })
    }
    for (const column of read) expect(Outcome.columnsRead, column).toContain(column)
    expect(read.size).toBeGreaterThan(10)
  })
})

describe("Outcome.classifier", () => {
  const values = [undefined, null, "", "Validated", "Unconfirmed", "Corrected", "Appended", "NotFound", "StandardizedNoMatch", "Exact", "US", "AU", "GB", "CA", "XX", "InvalidInput", "boom"]
  const record = fc.record(
    Object.fromEntries(Outcome.columnsRead.map((c) => [c, c.startsWith("Error") ? fc.constantFrom(undefined, undefined, undefined, ...values) : fc.constantFrom(...values)]))
  )
  it("classifies each row of a columnar chunk as classify does the row alone", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (rows) => {
        const columns = Object.fromEntries(Outcome.columnsRead.map((c) => [c, rows.map((r) => (r as Record<string, unknown>)[c])]))
        const classify = Outcome.classifier((c) => columns[c])
        rows.forEach((r, i) => expect(classify(i)).toEqual(Outcome.ofRecord(r)))
      }),
      { numRuns: 500 }
    )
  })
  it("reads an absent column as an absent cell, and shares outcomes between rows", () => {
    const rows = [
      engine.validate({ AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washingtn, DC 20500" }),
      engine.validate({ AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washingtn, DC 20500" })
    ]
    const classify = Outcome.classifier((c) => (c === "Output_Address_Country_Code2" ? undefined : rows.map((r) => r[c])))
    expect(classify(0)).toEqual({ category: "Unconfirmed", reason: "NoReferenceData", message: expect.stringContaining("corrected: locality") })
    expect(classify(1)).toBe(classify(0))
  })
})
