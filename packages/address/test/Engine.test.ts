import { describe, expect, it } from "@effect/vitest"
import * as Engine from "../src/Engine.js"
import * as Output from "../src/Output.js"

const inputColumns = [
  "Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Country", "AddressComponents_Region",
  "AddressComponents_Locality", "AddressComponents_PostalCode"
]
const counter = () => {
  let n = 0
  return () => `job-1-${n++}`
}
const engine = Engine.make({ inputColumns, features: ["Position", "CountrySpecificAttributes"], idGenerator: counter() })
const C = "Output_ValidationResults_Components_Address_"
const status = (o: Record<string, unknown>, component: string) => `${o[`${C}${component}_Status`]}/${o[`${C}${component}_StatusDetail`]}`

type Row = Record<string, unknown>

describe("Engine — real public addresses", () => {
  const landmarks: ReadonlyArray<{ name: string; row: Row; line1: string; line2: string; zip: string; county: string }> = [
    { name: "White House", row: { AddressLines_1: "1600 Pennsylvania Ave NW", AddressLines_2: "Washington, DC 20500" }, line1: "1600 PENNSYLVANIA AVE NW", line2: "WASHINGTON DC 20500", zip: "20500", county: "11001" },
    { name: "Empire State Building", row: { AddressLines_1: "350 Fifth Avenue", AddressLines_2: "New York, NY 10118" }, line1: "350 FIFTH AVE", line2: "NEW YORK NY 10118", zip: "10118", county: "36061" },
    { name: "Willis Tower", row: { AddressLines_1: "233 South Wacker Drive, Chicago, Illinois 60606" }, line1: "233 S WACKER DR", line2: "CHICAGO IL 60606", zip: "60606", county: "17031" },
    { name: "Space Needle", row: { AddressLines_1: "400 Broad St", AddressComponents_Locality: "Seattle", AddressComponents_Region: "WA", AddressComponents_PostalCode: "98109", AddressComponents_Country: "USA" }, line1: "400 BROAD ST", line2: "SEATTLE WA 98109", zip: "98109", county: "53033" },
    { name: "Massachusetts State House", row: { AddressLines_1: "24 Beacon Street, Boston, MA 02133, United States" }, line1: "24 BEACON ST", line2: "BOSTON MA 02133", zip: "02133", county: "25025" },
    { name: "Texas State Capitol", row: { AddressLines_1: "1100 Congress Avenue", AddressLines_2: "Austin TX 78701" }, line1: "1100 CONGRESS AVE", line2: "AUSTIN TX 78701", zip: "78701", county: "48453" },
    { name: "Independence Hall", row: { AddressLines_1: "520 Chestnut St, Philadelphia, PA 19106" }, line1: "520 CHESTNUT ST", line2: "PHILADELPHIA PA 19106", zip: "19106", county: "42101" },
    { name: "Griffith Observatory", row: { AddressLines_1: "2800 East Observatory Road", AddressLines_2: "Los Angeles, CA 90027", AddressComponents_Country: "US" }, line1: "2800 E OBSERVATORY RD", line2: "LOS ANGELES CA 90027", zip: "90027", county: "06037" }
  ]
  for (const l of landmarks) {
    it(`${l.name}: validated to locality and ZIP, standardised`, () => {
      const o = engine.validate(l.row)
      expect(o.ErrorType).toBeNull()
      expect(o.Output_AddressLines_1).toBe(l.line1)
      expect(o.Output_AddressLines_2).toBe(l.line2)
      expect(o.Output_Address_Country_Code3).toBe("USA")
      expect(o.Output_Address_PostalCodeDetails_Base).toBe(l.zip)
      expect(status(o, "Locality")).toBe("Validated/Exact")
      expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Exact")
      expect(status(o, "Street")).toBe("Unconfirmed/StandardizedNoMatch")
      expect(status(o, "AddressNumber")).toBe("Unconfirmed/StandardizedNoMatch")
      expect(o.Output_ValidationResults_ValidationGranularity).toBe("LocalityAndPostalCode")
      expect(o.Output_ValidationResults_MatchConfidence).toBe("High")
      expect(o.Output_AddressMetadata_DeliveryIndicators_Mailable).toBe(true)
      expect(o.Output_AddressMetadata_DeliveryIndicators_Locatable).toBe(true)
      expect(o.Output_CountrySpecificAttributes_USA_Census_CountyFipsCode).toBe(l.county)
      expect(o.Output_CountrySpecificAttributes_USA_Usps_ZipValid).toBe(true)
      expect(typeof o.Output_Position_Latitude).toBe("number")
    })
  }

  it("Gateway Arch: ST LOUIS is an alias of SAINT LOUIS", () => {
    const o = engine.validate({ AddressLines_1: "11 N 4th St, St. Louis, MO 63102" })
    expect(o.Output_Address_Locality).toBe("SAINT LOUIS")
    expect(status(o, "Locality")).toBe("Validated/Alias")
    expect(o.Output_Address_StreetComponents_Prefix).toBe("N")
    expect(o.Output_Address_StreetComponents_BaseName).toBe("4TH")
    expect(o.Output_Address_StreetComponents_Type).toBe("ST")
  })
})

describe("Engine — broken variants of the White House", () => {
  const base = { AddressLines_1: "1600 Pennsylvania Ave NW" }
  it("misspelt city is corrected from the ZIP", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washingtn, DC 20500" })
    expect(o.Output_Address_Locality).toBe("WASHINGTON")
    expect(status(o, "Locality")).toBe("Validated/Corrected")
    expect(o.Output_ValidationResults_MatchConfidence).toBe("MediumHigh")
  })
  it("missing state is appended from the ZIP", () => {
    const o = engine.validate({ ...base, AddressComponents_Locality: "Washington", AddressComponents_PostalCode: "20500" })
    expect(o.Output_Address_Region_Code).toBe("DC")
    expect(status(o, "Region")).toBe("Validated/Appended")
    expect(status(o, "Country")).toBe("Validated/Appended")
  })
  it("a ZIP that does not exist is NotFound, confidence drops, granularity is Locality", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washington, DC 20999" })
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/NotFound")
    expect(o.Output_Address_PostalCodeDetails_Base).toBe("20999")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
    expect(o.Output_ValidationResults_MatchConfidence).toBe("Medium")
    expect(o.Output_CountrySpecificAttributes_USA_Usps_ZipValid).toBe(false)
    // no ZIP centroid: the gazetteer's point of Washington, at locality granularity
    expect(o.Output_Position_Latitude as number).toBeCloseTo(38.9, 1)
    expect(o.Output_AddressMetadata_DeliveryIndicators_Mailable).toBe(false)
    expect(o.Output_AddressMetadata_DeliveryIndicators_Locatable).toBe(false)
  })
  it("a ZIP of another state: city and state agree, so the ZIP is not confirmed", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washington, DC 60606" })
    expect(o.Output_Address_Region_Code).toBe("DC")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/StandardizedNoMatch")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
  })
  it("a wrong state is corrected when ZIP and city agree", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washington, VA 20500" })
    expect(o.Output_Address_Region_Code).toBe("DC")
    expect(status(o, "Region")).toBe("Validated/Corrected")
  })
  it("missing ZIP and a city with many ZIPs: Locality granularity, ZIP unconfirmed", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washington, DC" })
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/NotFound")
    expect(o.Output_Address_PostalCode).toBeNull()
  })
  it("lower case and extra spaces are standardised", () => {
    const o = engine.validate({ AddressLines_1: "  1600   pennsylvania  avenue   northwest ", AddressLines_2: "washington ,  dc   20500 " })
    expect(o.Output_AddressLines_1).toBe("1600 PENNSYLVANIA AVE NW")
    expect(o.Output_AddressLines_2).toBe("WASHINGTON DC 20500")
    expect(status(o, "Locality")).toBe("Validated/Exact")
  })
  it("one line without commas is split by the known locality", () => {
    const o = engine.validate({ AddressLines_1: "1600 pennsylvania avenue nw washington dc 20500" })
    expect(o.Output_Address_Street).toBe("PENNSYLVANIA AVE NW")
    expect(o.Output_Address_Locality).toBe("WASHINGTON")
    expect(status(o, "Locality")).toBe("Validated/Exact")
  })
  it("a last line alone (no street) is read as locality, state and ZIP", () => {
    const o = engine.validate({ AddressLines_1: "new york ny 10036" })
    expect(o.Output_Address_Locality).toBe("NEW YORK")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(o.Output_Address_Street).toBeNull()
    expect(o.Output_AddressMetadata_DeliveryIndicators_Mailable).toBe(false)
  })
  it("ZIP+4 is split into base and extension; the extension cannot be confirmed", () => {
    const o = engine.validate({ ...base, AddressLines_2: "Washington DC 20500-0003" })
    expect(o.Output_Address_PostalCode).toBe("20500-0003")
    expect(o.Output_Address_PostalCodeDetails_Base).toBe("20500")
    expect(o.Output_Address_PostalCodeDetails_Extension).toBe("0003")
    expect(status(o, "PostalCodeDetails_Extension")).toBe("Unconfirmed/StandardizedNoMatch")
  })
})

describe("Engine — units", () => {
  const expectUnit = (row: Row) => {
    const o = engine.validate(row)
    expect(o.Output_Address_SecondaryAddressComponents_Unit_Designator).toBe("STE")
    expect(o.Output_Address_SecondaryAddressComponents_Unit_Number).toBe("200")
    expect(o.Output_Address_AddressNumber).toBe("520")
    expect(o.Output_Address_Street).toBe("CHESTNUT ST")
    expect(o.Output_AddressLines_1).toBe("520 CHESTNUT ST STE 200")
    expect(status(o, "SecondaryAddressComponents_Unit")).toBe("Unconfirmed/StandardizedNoMatch")
  }
  it("after the street", () => expectUnit({ AddressLines_1: "520 Chestnut St Suite 200", AddressLines_2: "Philadelphia, PA 19106" }))
  it("before the number", () => expectUnit({ AddressLines_1: "Suite 200 520 Chestnut St", AddressLines_2: "Philadelphia, PA 19106" }))
  it("on its own line", () => expectUnit({ AddressLines_1: "Ste. 200", AddressLines_2: "520 Chestnut Street, Philadelphia PA 19106" }))
  it("with #", () => {
    const o = engine.validate({ AddressLines_1: "520 Chestnut St #200, Philadelphia, PA 19106" })
    expect(o.Output_Address_SecondaryAddressComponents_Unit_Designator).toBe("#")
    expect(o.Output_Address_SecondaryAddressComponents_Unit_Number).toBe("200")
  })
  it("the spec's sample row (Pike Place, Apartment 4B, USA, 98101)", () => {
    const o = engine.validate({ AddressLines_1: "Pike Place", AddressLines_2: "Apartment 4B", AddressComponents_Country: "USA", AddressComponents_PostalCode: "98101" })
    expect(o.Output_Address_Street).toBe("PIKE PL")
    expect(o.Output_Address_SecondaryAddressComponents_Unit_Designator).toBe("APT")
    expect(o.Output_Address_Locality).toBe("SEATTLE")
    expect(status(o, "Locality")).toBe("Validated/Appended")
    expect(o.Output_AddressMetadata_DeliveryIndicators_Mailable).toBe(false) // no address number
  })
})

describe("Engine — PO boxes", () => {
  it("a PO box line is standardised and mailable", () => {
    const o = engine.validate({ AddressLines_1: "P.O. Box 1234", AddressLines_2: "Austin, TX 78701" })
    expect(o.Output_AddressLines_1).toBe("PO BOX 1234")
    expect(o.Output_Address_AddressNumber).toBe("1234")
    expect(o.Output_AddressMetadata_DeliveryIndicators_Mailable).toBe(true)
  })
})

describe("Engine — other countries", () => {
  it("Australia: Parliament House, postcode and locality from reference data", () => {
    const o = engine.validate({ AddressLines_1: "Parliament Dr, Canberra ACT 2600, Australia" })
    expect(o.Output_Address_Country_Code2).toBe("AU")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Exact")
    expect(typeof o.Output_Position_Longitude).toBe("number")
  })
  it("Australia: missing state appended, misspelt suburb corrected", () => {
    const o = engine.validate({ AddressLines_1: "Bennelong Point", AddressComponents_Locality: "Sydny", AddressComponents_PostalCode: "2000", AddressComponents_Country: "AUS" })
    expect(o.Output_Address_Locality).toBe("SYDNEY")
    expect(status(o, "Locality")).toBe("Validated/Corrected")
    expect(o.Output_Address_Region_Code).toBe("NSW")
    expect(status(o, "Region")).toBe("Validated/Appended")
  })
  it("United Kingdom: postcode standardised, region from the postcode area, never validated; the locality from the gazetteer", () => {
    const o = engine.validate({ AddressLines_1: "10 Downing Street", AddressLines_2: "London sw1a2aa", AddressComponents_Country: "United Kingdom" })
    expect(o.Output_Address_PostalCode).toBe("SW1A 2AA")
    expect(o.Output_Address_Region_Code).toBe("ENG")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/StandardizedNoMatch")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
    expect(o.Output_Position_Latitude as number).toBeCloseTo(51.5, 1)
  })
  it("Canada: province appended from the postal code's first letter", () => {
    const o = engine.validate({ AddressLines_1: "111 Wellington St", AddressComponents_Locality: "Ottawa", AddressComponents_PostalCode: "k1a0a9", AddressComponents_Country: "CAN" })
    expect(o.Output_Address_PostalCode).toBe("K1A 0A9")
    expect(o.Output_Address_Region_Code).toBe("ON")
    expect(status(o, "Region")).toBe("Validated/Appended")
    expect(o.Output_AddressLines_2).toBe("OTTAWA ON  K1A 0A9")
  })
  it("Canada: a malformed postal code is NotFound", () => {
    const o = engine.validate({ AddressLines_1: "111 Wellington St", AddressComponents_PostalCode: "K1A 0A", AddressComponents_Country: "Canada" })
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/NotFound")
  })
  it("Germany: parsed and standardised, nothing claimed", () => {
    const o = engine.validate({ AddressLines_1: "Unter den Linden 77", AddressLines_2: "10117 Berlin", AddressComponents_Country: "DEU" })
    expect(o.Output_Address_AddressNumber).toBe("77")
    expect(o.Output_Address_Street).toBe("UNTER DEN LINDEN")
    expect(o.Output_Address_Locality).toBe("BERLIN")
    expect(o.Output_Address_PostalCode).toBe("10117")
    expect(status(o, "Country")).toBe("Validated/Exact")
    expect(status(o, "Locality")).toBe("Unconfirmed/StandardizedNoMatch")
    expect(o.Output_ValidationResults_ValidationGranularity).toBeNull()
    expect(o.Output_ValidationResults_MatchConfidence).toBe("MediumLow")
  })
  it("an unknown country is NotFound", () => {
    const o = engine.validate({ AddressLines_1: "1 Main St", AddressComponents_Country: "Atlantis" })
    expect(status(o, "Country")).toBe("Unconfirmed/NotFound")
    expect(o.Output_Address_Country_Code2).toBeNull()
  })
})

describe("Engine — bad rows", () => {
  const e = Engine.make({ inputColumns, idGenerator: counter() })
  const bad: ReadonlyArray<readonly [string, Row, string, RegExp]> = [
    ["empty", { Id: "a" }, "InvalidInput", /no address/],
    ["blank strings", { Id: "a", AddressLines_1: "   ", AddressComponents_Country: "" }, "InvalidInput", /no address/],
    ["10 kB string", { AddressLines_1: "x".repeat(10_000) }, "InvalidInput", /longer than 1000/],
    ["control characters", { AddressLines_1: "1600 Penn\u0000sylvania" }, "InvalidInput", /control characters/],
    ["number cell", { AddressLines_1: 1600 }, "InvalidValue", /AddressLines_1 must be a string/],
    ["binary cell", { AddressComponents_PostalCode: new Uint8Array([1, 2]) }, "InvalidValue", /binary/],
    ["object cell", { AddressComponents_Locality: { x: 1 } }, "InvalidValue", /object/]
  ]
  for (const [name, row, type, message] of bad) {
    it(`${name} → an error row, not a throw`, () => {
      const o = e.validate(row)
      expect(o.ErrorType).toBe(type)
      expect(String(o.ErrorMessage)).toMatch(message)
      expect(o.Output_AddressLines_1).toBeNull()
      expect(o.Output_ValidationResults_MatchConfidence).toBeNull()
      expect(typeof o.Output_Id).toBe("string")
    })
  }
  it("a file mixing bad and good rows is processed to the end", () => {
    const rows: Array<Row> = [
      { Id: "1", AddressLines_1: "x".repeat(10_000) },
      { Id: "2", AddressLines_1: "24 Beacon St, Boston, MA 02133" },
      { Id: "3", AddressLines_1: 7 },
      { Id: "4", AddressLines_1: "400 Broad St, Seattle WA 98109" }
    ]
    const out = rows.map((r) => e.validate(r))
    expect(out.map((o) => o.ErrorType)).toEqual(["InvalidInput", null, "InvalidValue", null])
    expect(out.map((o) => o.Input_Id)).toEqual(["1", "2", "3", "4"])
    expect(out[3]!.Output_Address_Locality).toBe("SEATTLE")
  })
  it("non-string passthrough values are written as text", () => {
    const o = e.validate({ Id: 12, AddressLines_1: "24 Beacon St, Boston, MA 02133" })
    expect(o.ErrorType).toBeNull()
    expect(o.Input_Id).toBe("12")
    expect(e.validate({ Id: { x: 1 }, AddressLines_1: "24 Beacon St, Boston, MA 02133" }).Input_Id).toBeNull()
  })
})

describe("Engine — columns and ids", () => {
  it("fixed order: Input_*, Output_Id, ErrorType, ErrorMessage, §7.4, Position, CountrySpecificAttributes", () => {
    const names = engine.columns.map((c) => c.name)
    expect(names.slice(0, inputColumns.length)).toEqual(inputColumns.map((c) => `Input_${c}`))
    expect(names.slice(inputColumns.length, inputColumns.length + 3)).toEqual(["Output_Id", "ErrorType", "ErrorMessage"])
    expect(names[inputColumns.length + 3]).toBe("Output_AddressId")
    expect(names).toContain("Output_ValidationResults_Components_Address_SecondaryAddressComponents_Floor_StatusDetail")
    expect(names.indexOf("Output_Position_Longitude")).toBeGreaterThan(names.indexOf("Output_ValidationResults_MatchConfidenceScore"))
    expect(names.at(-1)).toBe("Output_CountrySpecificAttributes_GBR_RoyalMail_Udprn")
    expect(new Set(names).size).toBe(names.length)
    expect(engine.columns.find((c) => c.name === "Output_ValidationResults_MatchConfidenceScore")?.type).toBe("DOUBLE")
    expect(engine.columns.find((c) => c.name === "Output_AddressMetadata_DeliveryIndicators_Mailable")?.type).toBe("BOOLEAN")
  })
  it("feature columns only when requested", () => {
    const plain = Engine.make({ inputColumns: ["AddressLines_1"] })
    const names = plain.columns.map((c) => c.name)
    expect(names.some((n) => n.startsWith("Output_Position_"))).toBe(false)
    expect(names.some((n) => n.startsWith("Output_CountrySpecificAttributes_"))).toBe(false)
    expect(names.length).toBe(1 + Output.generalColumns.length + Output.addressColumns.length)
  })
  it("validateInto fills an array aligned with columns; ids are unique", () => {
    const e = Engine.make({ inputColumns: ["AddressLines_1"] })
    const out: Array<Output.Cell> = []
    const ids = new Set<unknown>()
    for (let i = 0; i < 100; i++) {
      e.validateInto({ AddressLines_1: "24 Beacon St, Boston, MA 02133" }, out)
      expect(out.length).toBe(e.columns.length)
      ids.add(out[1])
    }
    expect(ids.size).toBe(100)
    expect(out[e.columns.findIndex((c) => c.name === "Output_Address_Locality")]).toBe("BOSTON")
  })
  it("default ids are unique across engines", () => {
    Engine.warmUp()
    const a = Engine.make({ inputColumns: [] })
    const b = Engine.make({ inputColumns: [] })
    const ids = [a, b, a, b].map((e) => e.validate({ AddressLines_1: "1 Main St" }).Output_Id)
    expect(new Set(ids).size).toBe(4)
  })
  it("the deterministic id generator is used", () => {
    const e = Engine.make({ inputColumns: [], idGenerator: counter() })
    expect(e.validate({ AddressLines_1: "1 Main St" }).Output_Id).toBe("job-1-0")
    expect(e.validate({ AddressLines_1: "1 Main St" }).Output_Id).toBe("job-1-1")
  })
})

describe("Engine — a street that ends like a region", () => {
  const engine = Engine.make({
    inputColumns: ["AddressLines_1", "AddressComponents_Locality", "AddressComponents_Region", "AddressComponents_PostalCode"]
  })
  const run = (line: string, locality: string, region: string, zip: string) =>
    engine.validate({ AddressLines_1: line, AddressComponents_Locality: locality, AddressComponents_Region: region, AddressComponents_PostalCode: zip })

  it("a directional or type that is also a state code stays in the street when the region is given apart", () => {
    // Oregon State Capitol: "NE" is the directional, not Nebraska.
    const capitol = run("900 Court St NE", "Salem", "OR", "97301")
    expect(capitol.Output_Address_Street).toBe("COURT ST NE")
    expect(capitol.Output_Address_StreetComponents_Suffix).toBe("NE")
    expect(capitol.Output_Address_Region_Code).toBe("OR")
    // "CT" is the street type here, not Connecticut.
    const court = run("74234 Park Ct", "Kenmare", "ND", "58746")
    expect(court.Output_Address_Street).toBe("PARK CT")
    expect(court.Output_Address_Region_Code).toBe("ND")
  })

  it("the same region written at the end of the line is still read as the region", () => {
    const r = run("123 Main St Salem OR", "Salem", "OR", "97301")
    expect(r.Output_Address_Street).toBe("MAIN ST")
    expect(r.Output_Address_Locality).toBe("SALEM")
  })
})

describe("Engine — validateCellsInto", () => {
  const columnsIn = [...inputColumns, "Extra"]
  const rows: ReadonlyArray<ReadonlyArray<unknown>> = [
    ["1", "1600 Pennsylvania Ave NW", "Washington, DC 20500", null, null, null, null, "x"],
    ["2", "400 Broad St", null, "USA", "WA", "Seattle", "98109", undefined],
    ["3", "1 Macquarie St", "Sydney NSW 2000", "Australia", null, null, null, null],
    ["4", null, null, null, null, null, null, "no address"],
    ["5", "12 Main\u0001 St", null, null, null, null, null, null],
    ["6", "x".repeat(1001), null, null, null, null, null, null],
    ["7", 42, null, null, null, null, null, 7],
    [null, null, null, "Canada", "ON", "Toronto", "M5V 3L9", null],
    ["9", "Flat 2, 10 Downing Street", "London SW1A 2AA", "GB", null, null, null, null]
  ]
  for (const features of [[], ["Position"], ["Position", "CountrySpecificAttributes"]] as ReadonlyArray<ReadonlyArray<Output.Feature>>) {
    it(`writes the cells of validateCells into the filled columns only (features ${features.join("+") || "none"})`, () => {
      const a = Engine.make({ inputColumns: columnsIn, features, idGenerator: counter() })
      const b = Engine.make({ inputColumns: columnsIn, features, idGenerator: counter() })
      const inputs = columnsIn.map((_, c) => rows.map((row) => row[c]))
      const filled = new Set(b.filled)
      const columns = b.columns.map((_, c) => (filled.has(c) ? Array.from({ length: rows.length + 2 }, (): Output.Cell => null) : undefined))
      for (let r = 0; r < rows.length; r++) b.validateCellsInto(inputs, r, columns, r + 2)
      const errors = new Set<unknown>()
      for (let r = 0; r < rows.length; r++) {
        const out: Array<Output.Cell> = []
        a.validateCells(rows[r]!, out)
        errors.add(out[columnsIn.length + 1])
        for (let c = 0; c < out.length; c++) {
          if (filled.has(c)) expect(columns[c]![r + 2], `${b.columns[c]!.name} row ${r}`).toStrictEqual(out[c])
          else expect(out[c]).toBeNull()
        }
      }
      expect([...errors].sort()).toStrictEqual(["InvalidInput", "InvalidValue", null].sort())
      columns.forEach((column, c) => (filled.has(c) ? expect(column).toHaveLength(rows.length + 2) : expect(column).toBeUndefined()))
    })
  }
})
