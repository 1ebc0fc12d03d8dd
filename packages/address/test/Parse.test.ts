import { describe, expect, it } from "@effect/vitest"
import { cleanCell } from "../src/internal/text.js"
import * as Parse from "../src/Parse.js"
import { knownLocality } from "../src/Validation.js"

const parse = (lines: ReadonlyArray<string>, extra: Partial<Parse.RawAddress> = {}) =>
  Parse.parse({ lines: lines.map((l) => cleanCell(l) as string), ...extra }, knownLocality)

describe("Parse", () => {
  it("splits a US first line into number, prefix, base, type, suffix", () => {
    const p = parse(["233 South Wacker Drive"], { locality: "CHICAGO", region: "IL", country: "US" })
    expect(p.addressNumber).toBe("233")
    expect(p.street).toEqual({ prefix: "SOUTH", baseName: "WACKER", type: "DRIVE", suffix: undefined })
  })
  it("keeps a directional that is the street name (N ST NW)", () => {
    const p = parse(["1 N St NW"], { country: "US" })
    expect(p.street).toEqual({ prefix: undefined, baseName: "N", type: "ST", suffix: "NW" })
  })
  it("reads the last line backwards: locality, two-word state, ZIP+4", () => {
    const p = parse(["350 5th Ave", "New York, New York 10118-0110"])
    expect(p.locality).toBe("NEW YORK")
    expect(p.region).toBe("NEW YORK")
    expect(p.postalCode).toBe("10118-0110")
    expect(p.country?.country.code2).toBe("US")
    expect(p.countrySource).toBe("inferred")
  })
  it("takes the country from a trailing segment or alpha-3 code", () => {
    expect(parse(["24 Beacon St, Boston, MA 02133, United States"]).countrySource).toBe("line")
    expect(parse(["24 Beacon St, Boston, MA 02133 USA"]).country?.country.code3).toBe("USA")
  })
  it("does not read a state code as a country (…, CA)", () => {
    const p = parse(["2800 E Observatory Rd, Los Angeles, CA"])
    expect(p.country?.country.code2).toBe("US")
    expect(p.region).toBe("CA")
    expect(p.locality).toBe("LOS ANGELES")
  })
  it("finds the unit before the number, after the street, on its own line, after #", () => {
    for (const lines of [["APT 4B 123 MAIN ST"], ["123 MAIN ST APT 4B"], ["123 MAIN ST", "APT 4B"], ["APT 4B", "123 MAIN ST"]]) {
      const p = parse(lines, { country: "US" })
      expect([p.unitDesignator, p.unitNumber, p.addressNumber, p.street?.baseName]).toEqual(["APT", "4B", "123", "MAIN"])
    }
    const h = parse(["123 MAIN ST #4B"], { country: "US" })
    expect([h.unitDesignator, h.unitNumber]).toEqual(["#", "4B"])
  })
  it("reads floors: FL 34 and 34TH FLOOR", () => {
    expect(parse(["350 5TH AVE FL 34"], { country: "US" }).floorNumber).toBe("34")
    expect(parse(["350 5TH AVE 34TH FLOOR"], { country: "US" }).floorNumber).toBe("34")
  })
  it("reads PO boxes", () => {
    const p = parse(["P.O. Box 1234"], { country: "US" })
    expect(p.poBox).toBe(true)
    expect(p.addressNumber).toBe("1234")
    expect(p.street?.baseName).toBe("PO BOX")
  })
  it("reads Australian unit/number", () => {
    const p = parse(["4/123 George St", "Sydney NSW 2000"], { country: "AU" })
    expect([p.unitDesignator, p.unitNumber, p.addressNumber, p.locality, p.region, p.postalCode]).toEqual(["UNIT", "4", "123", "SYDNEY", "NSW", "2000"])
  })
  it("reads Canadian and British postal codes split over two tokens", () => {
    expect(parse(["111 Wellington St, Ottawa ON K1A 0A9"]).postalCode).toBe("K1A 0A9")
    const gb = parse(["10 Downing Street", "London SW1A 2AA"])
    expect(gb.country?.country.code2).toBe("GB")
    expect(gb.postalCode).toBe("SW1A 2AA")
    expect(gb.locality).toBe("LONDON")
  })
  it("reads continental order: street number, postcode locality", () => {
    const p = parse(["Unter den Linden 77", "10117 Berlin"], { country: "GERMANY" })
    expect([p.street?.baseName, p.addressNumber, p.postalCode, p.locality, p.numberAfterStreet]).toEqual(["UNTER DEN LINDEN", "77", "10117", "BERLIN", true])
  })
  it("component columns win over parsed values", () => {
    const p = parse(["1600 Pennsylvania Ave NW, Washington, DC 20500"], { postalCode: "20501", locality: "WASHINGTON", country: "US" })
    expect(p.postalCode).toBe("20501")
  })
  it("joins multi-word parts as written, also across periods, commas and #", () => {
    const p = parse(["5398 Lake Shore Drive #12, Lyon Station, PA 19536"])
    expect([p.street?.baseName, p.unitDesignator, p.unitNumber, p.locality, p.region]).toEqual(["LAKE SHORE", "#", "12", "LYON STATION", "PA"])
    const q = parse(["12 N.W. Broad St.", "St. Paul, MN 55101"], { country: "US" })
    expect([q.street?.prefix, q.street?.baseName, q.street?.type, q.locality]).toEqual(["NW", "BROAD", "ST", "ST PAUL"])
    expect(parse(["8 Elm Dr", "Dept 4 B, Ward Cove AK 99928"]).unitNumber).toBe("4 B")
    expect(parse(["1 Main St, Ward  Cove,AK 99928"]).locality).toBe("WARD COVE")
  })
  it("reads each record on its own (no words left over from a longer one)", () => {
    const long = parse(["8057 Sunset Blvd Suite 200 Ward Cove AK 99928-1016"])
    expect([long.addressNumber, long.unitDesignator, long.unitNumber, long.locality, long.postalCode]).toEqual(["8057", "STE", "200", "WARD COVE", "99928-1016"])
    const short = parse(["12 Elm Dr"], { country: "US" })
    expect([short.addressNumber, short.street?.baseName, short.street?.type, short.unitNumber, short.locality]).toEqual(["12", "ELM", "DR", undefined, undefined])
  })
})

describe("cleanCell", () => {
  it("gives back short cells that need nothing, and cleans the others", () => {
    expect(cleanCell("US")).toBe("US")
    expect(cleanCell("K1A 0A9")).toBe("K1A 0A9")
    expect(cleanCell("us")).toBe("US")
    expect(cleanCell(" US")).toBe("US")
    expect(cleanCell("US ")).toBe("US")
    expect(cleanCell("K1A  0A9")).toBe("K1A 0A9")
    expect(cleanCell("MT\t")).toBe("MT")
    expect(cleanCell("É1")).toBe("É1")
    expect(cleanCell("A\u0085")).toBe("control")
    expect(cleanCell("")).toBe("")
  })
  it("collapses runs of white space and trims", () => {
    expect(cleanCell("  9500   Highland Rd SE Unit 3  ")).toBe("9500 HIGHLAND RD SE UNIT 3")
    expect(cleanCell("8215 Oak\tAvenue \u00a0#12\r\nCosta  Mesa ")).toBe("8215 OAK AVENUE #12 COSTA MESA")
    expect(cleanCell("a \u3000b c")).toBe("A B C")
    expect(cleanCell(" \t ")).toBe("")
  })
})
