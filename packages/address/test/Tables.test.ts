import { describe, expect, it } from "@effect/vitest"
import * as Countries from "../src/Countries.js"
import { boundedDistance, cleanCell, closest } from "../src/internal/text.js"
import * as Normalize from "../src/Normalize.js"
import * as PostalCodes from "../src/PostalCodes.js"
import * as Regions from "../src/Regions.js"

describe("Normalize (USPS Publication 28)", () => {
  it("maps suffix names and variants to the standard abbreviation", () => {
    expect(Normalize.streetType("AVENUE")?.abbreviation).toBe("AVE")
    expect(Normalize.streetType("AVNUE")?.abbreviation).toBe("AVE")
    expect(Normalize.streetType("BOULEVARD")?.abbreviation).toBe("BLVD")
    expect(Normalize.streetType("CROSSING")?.abbreviation).toBe("XING")
    expect(Normalize.streetType("PKWY")?.name).toBe("PARKWAY")
    expect(Normalize.streetType("PENNSYLVANIA")).toBeUndefined()
  })
  it("maps directionals and unit designators", () => {
    expect(Normalize.directional("NORTHWEST")).toBe("NW")
    expect(Normalize.directional("SOUTH")).toBe("S")
    expect(Normalize.unitDesignator("SUITE")?.abbreviation).toBe("STE")
    expect(Normalize.unitDesignator("APARTMENT")?.abbreviation).toBe("APT")
    expect(Normalize.unitDesignator("PENTHOUSE")?.needsRange).toBe(false)
    expect(Normalize.unitDesignator("FLOOR")?.floor).toBe(true)
  })
  it("place keys fold ST/MT/FT and punctuation", () => {
    expect(Normalize.placeKey("St. Louis")).toBe("SAINT LOUIS")
    expect(Normalize.placeKey("MT  VERNON")).toBe("MOUNT VERNON")
    expect(Normalize.placeKey("O'Fallon")).toBe("OFALLON")
  })
})

describe("Countries", () => {
  it("resolves alpha-2, alpha-3 and names", () => {
    expect(Countries.resolve("US")?.country.code3).toBe("USA")
    expect(Countries.resolve("CAN")?.via).toBe("code3")
    expect(Countries.resolve("United States of America")?.country.code2).toBe("US")
    expect(Countries.resolve("great britain")?.country.code2).toBe("GB")
    expect(Countries.resolve("Côte d'Ivoire")?.country.code2).toBe("CI")
    expect(Countries.resolve("Narnia")).toBeUndefined()
    expect(Countries.all().length).toBe(250)
  })
})

describe("Regions", () => {
  it("knows US states with FIPS, provinces, AU states, UK countries", () => {
    expect(Regions.lookup("US", "DISTRICT OF COLUMBIA")?.region.fips).toBe("11")
    expect(Regions.lookup("US", "PR")?.region.name).toBe("Puerto Rico")
    expect(Regions.lookup("CA", "QC")?.region.name).toBe("Quebec")
    expect(Regions.lookup("CA", "PQ")?.via).toBe("alias")
    expect(Regions.lookup("AU", "NEW SOUTH WALES")?.region.code).toBe("NSW")
    expect(Regions.lookup("GB", "SCOTLAND")?.region.code).toBe("SCT")
    expect(Regions.UnitedStates.length).toBe(51 + 9 + 3)
  })
})

describe("PostalCodes", () => {
  it("parses and standardises the four formats", () => {
    expect(PostalCodes.parse("US", "205000003")).toEqual({ full: "20500-0003", base: "20500", extension: "0003" })
    expect(PostalCodes.parse("US", "2050")).toBeUndefined()
    expect(PostalCodes.parse("CA", "K1A0A9")?.full).toBe("K1A 0A9")
    expect(PostalCodes.parse("CA", "D1A 0A9")).toBeUndefined() // D is never used
    expect(PostalCodes.parse("AU", "2600")?.base).toBe("2600")
    expect(PostalCodes.parse("GB", "EC1A1BB")?.full).toBe("EC1A 1BB")
    expect(PostalCodes.parse("GB", "EC1A 1CB")).toBeUndefined() // C is not an inward letter
  })
  it("implies regions from the code's shape", () => {
    expect(PostalCodes.impliedRegions("CA", PostalCodes.parse("CA", "H2X 1Y4")!)).toEqual(["QC"])
    expect(PostalCodes.impliedRegions("CA", PostalCodes.parse("CA", "X0A 0H0")!)).toEqual(["NT", "NU"])
    expect(PostalCodes.impliedRegions("AU", PostalCodes.parse("AU", "2600")!)).toEqual(["ACT"])
    expect(PostalCodes.impliedRegions("AU", PostalCodes.parse("AU", "3000")!)).toEqual(["VIC"])
    expect(PostalCodes.impliedRegions("GB", PostalCodes.parse("GB", "EH99 1SP")!)).toEqual(["SCT"])
    expect(PostalCodes.impliedRegions("GB", PostalCodes.parse("GB", "BT1 1AA")!)).toEqual(["NIR"])
    expect(PostalCodes.impliedRegions("GB", PostalCodes.parse("GB", "CH5 1AA")!)).toBeUndefined()
  })
})

describe("text", () => {
  it("cleans cells", () => {
    expect(cleanCell("  a\tb  ")).toBe("A B")
    expect(cleanCell("ABC")).toBe("ABC")
    expect(cleanCell("a\u0007")).toBe("control")
    expect(cleanCell("a\u0085")).toBe("control")
    expect(cleanCell("x".repeat(1001))).toBe("tooLong")
  })
  it("bounded edit distance and the unique nearest name", () => {
    expect(boundedDistance("WASHINGTN", "WASHINGTON", 2)).toBe(1)
    expect(boundedDistance("ABCDEFGH", "ZZZZZZZZ", 2)).toBe(3)
    expect(closest("SEATLE", ["SEATTLE", "TACOMA"])).toBe("SEATTLE")
    expect(closest("BOSTN", ["BOSTON", "BASTN"])).toBeUndefined() // a tie is no correction
    expect(closest("ABC", ["ABD"])).toBeUndefined() // too short to correct
  })
})
