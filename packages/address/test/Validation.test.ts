/**
 * How the engine decides when the parts of an address disagree, over real public addresses:
 * postal codes that lost their leading zeros, a valid postal code against a locality it does not
 * serve, and a region that contradicts the postal code (US, CA, AU, GB).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Engine from "../src/Engine.js"

const engine = Engine.make({
  inputColumns: [
    "AddressLines_1", "AddressComponents_Locality", "AddressComponents_Region", "AddressComponents_PostalCode", "AddressComponents_Country"
  ],
  features: ["Position"]
})
const C = "Output_ValidationResults_Components_Address_"
const status = (o: Record<string, unknown>, component: string) => `${o[`${C}${component}_Status`]}/${o[`${C}${component}_StatusDetail`]}`
const row = (line: string, locality: string | undefined, region: string | undefined, postal: string | undefined, country?: string) =>
  engine.validate({
    AddressLines_1: line, AddressComponents_Locality: locality, AddressComponents_Region: region,
    AddressComponents_PostalCode: postal, AddressComponents_Country: country
  })

describe("Validation — postal codes that lost their leading zeros", () => {
  it("Boston City Hall, ZIP 2201 → 02201, corrected and validated", () => {
    const o = row("1 City Hall Square", "Boston", "MA", "2201")
    expect(o.Output_Address_PostalCode).toBe("02201")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Corrected")
    expect(status(o, "Locality")).toBe("Validated/Exact")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("LocalityAndPostalCode")
  })
  it("the Massachusetts State House written on one line, Boston MA 2133 → 02133", () => {
    const o = engine.validate({ AddressLines_1: "24 Beacon St, Boston, MA 2133" })
    expect(o.Output_Address_PostalCode).toBe("02133")
    expect(o.Output_Address_Locality).toBe("BOSTON")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Corrected")
  })
  it("ZIP+4 with its leading zero lost: 2201-1001 → 02201-1001", () => {
    const o = row("1 City Hall Square", "Boston", "MA", "2201-1001")
    expect(o.Output_Address_PostalCodeDetails_Base).toBe("02201")
    expect(o.Output_Address_PostalCodeDetails_Extension).toBe("1001")
  })
  it("Darwin, NT 800 (Australia's NT postcodes begin with 0) → 0800", () => {
    const o = row("Darwin Waterfront", "Darwin", "NT", "800", "Australia")
    expect(o.Output_Address_PostalCode).toBe("0800")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Corrected")
  })
  it("a padded code that does not exist is not invented: Boston MA 9999 stays NotFound", () => {
    const o = row("1 City Hall Square", "Boston", "MA", "9999")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Unconfirmed/NotFound")
  })
})

describe("Validation — a valid postal code against a locality it does not serve", () => {
  it("Boston City Hall given as Cambridge, MA 02201: the ZIP (in MA) outweighs the locality", () => {
    const o = row("1 City Hall Square", "Cambridge", "MA", "02201")
    expect(o.Output_Address_PostalCode).toBe("02201")
    expect(status(o, "PostalCodeDetails_Base")).toBe("Validated/Exact")
    expect(o.Output_Address_Locality).toBe("BOSTON")
    expect(status(o, "Locality")).toBe("Validated/Corrected")
    // a replaced locality is less certain than a misspelt one put right
    const typo = row("1 City Hall Square", "Bostn", "MA", "02201")
    expect(status(typo, "Locality")).toBe("Validated/Corrected")
    expect(o.Output_ValidationResults_MatchConfidenceScore as number).toBeLessThan(typo.Output_ValidationResults_MatchConfidenceScore as number)
  })
  it("the White House given as Arlington, DC 20500 (no Arlington in DC): the ZIP decides", () => {
    const o = row("1600 Pennsylvania Ave NW", "Arlington", "DC", "20500")
    expect(o.Output_Address_Locality).toBe("WASHINGTON")
    expect(status(o, "Locality")).toBe("Validated/Corrected")
  })
  it("a ZIP of another state, where locality and state agree, is still doubted (two of three)", () => {
    const o = row("1 City Hall Square", "Boston", "MA", "20500")
    expect(o.Output_Address_Locality).toBe("BOSTON")
    expect(o.Output_Address_Region_Code).toBe("MA")
    expect(status(o, "PostalCodeDetails_Base")).not.toBe("Validated/Exact")
  })
})

describe("Validation — a region that contradicts the postal code", () => {
  it("US: Boston City Hall in CA 02201 → MA, corrected", () => {
    const o = row("1 City Hall Square", "Boston", "CA", "02201")
    expect(o.Output_Address_Region_Code).toBe("MA")
    expect(status(o, "Region")).toBe("Validated/Corrected")
  })
  it("CA: Parliament Hill in Ottawa, BC, K1A 0A9 → ON (the postal code and Ottawa agree)", () => {
    const o = row("111 Wellington St", "Ottawa", "BC", "K1A 0A9", "Canada")
    expect(o.Output_Address_Region_Code).toBe("ON")
    expect(status(o, "Region")).toBe("Validated/Corrected")
    expect(o.Output_AddressLines_2).toBe("OTTAWA ON  K1A 0A9")
  })
  it("CA: a province contradicting the postal code with nothing to decide between them is unconfirmed", () => {
    const o = row("111 Wellington St", undefined, "BC", "K1A 0A9", "Canada")
    expect(o.Output_Address_Region_Code).toBe("BC")
    expect(status(o, "Region")).toBe("Unconfirmed/StandardizedNoMatch")
  })
  it("AU: the Sydney Opera House in Sydney VIC 2000 → NSW", () => {
    const o = row("Bennelong Point", "Sydney", "VIC", "2000", "Australia")
    expect(o.Output_Address_Region_Code).toBe("NSW")
    expect(status(o, "Region")).toBe("Validated/Corrected")
  })
  it("GB: 10 Downing Street, London, Scotland SW1A 2AA → England", () => {
    const o = row("10 Downing Street", "London", "Scotland", "SW1A 2AA", "United Kingdom")
    expect(o.Output_Address_Region_Code).toBe("ENG")
    expect(status(o, "Region")).toBe("Validated/Corrected")
  })
  it("GB: Wales with a London postcode and no locality is unconfirmed", () => {
    const o = row("10 Downing Street", undefined, "Wales", "SW1A 2AA", "United Kingdom")
    expect(status(o, "Region")).toBe("Unconfirmed/StandardizedNoMatch")
  })
})

describe("Validation — Canadian and British localities from the gazetteer", () => {
  it("Notre-Dame Basilica, Montreal QC H2Y 1T2: the locality confirmed under its accented name", () => {
    const o = row("110 Notre-Dame St W", "Montreal", "QC", "H2Y 1T2", "Canada")
    expect(o.Output_Address_Locality).toBe("MONTRÉAL")
    expect(status(o, "Locality")).toBe("Validated/Alias")
    expect(o.Output_ValidationResults_ValidationGranularity).toBe("Locality")
  })
  it("Edinburgh Castle, Castlehill, Edinburgh EH1 2NG: Scotland appended from the postcode, the locality confirmed", () => {
    const o = row("Castlehill", "Edinburgh", undefined, "EH1 2NG", "United Kingdom")
    expect(o.Output_Address_Region_Code).toBe("SCT")
    expect(status(o, "Region")).toBe("Validated/Appended")
    expect(status(o, "Locality")).toBe("Validated/Exact")
  })
})
