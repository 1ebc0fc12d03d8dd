import { describe, expect, it } from "@effect/vitest"
import * as UnitedStatesReference from "../src/UnitedStatesReference.js"

describe("Reference (US)", () => {
  it("zipsOf answers every (state, city) pair as the index does, and nothing else", () => {
    const index = UnitedStatesReference.us()
    let pairs = 0
    for (const [state, byCity] of index.cities) {
      for (const [cityKey, list] of byCity) {
        pairs++
        expect(UnitedStatesReference.zipsOf(state, cityKey)).toEqual(list)
        // the same text in fresh strings (as parsed input is)
        expect(UnitedStatesReference.zipsOf(` ${state}`.slice(1), ` ${cityKey}`.slice(1))).toEqual(list)
      }
    }
    expect(pairs).toBeGreaterThan(20000)
    expect(UnitedStatesReference.zipsOf("DC", "WASHINGTON").length).toBeGreaterThan(10)
    expect(UnitedStatesReference.zipsOf("DC", "WASHINGTO")).toEqual([])
    expect(UnitedStatesReference.zipsOf("DCW", "ASHINGTON")).toEqual([])
    expect(UnitedStatesReference.zipsOf("ZZ", "WASHINGTON")).toEqual([])
    expect(UnitedStatesReference.zipsOf("DC", "")).toEqual([])
  })

  it("zip, listOf and the index's maps agree on every ZIP Code", () => {
    const index = UnitedStatesReference.us()
    expect(index.zips.size).toBeGreaterThan(41_000)
    expect(index.lists.size).toBe(index.zips.size)
    for (const [code, record] of index.zips) {
      expect(UnitedStatesReference.zip(code)).toBe(record)
      // one list per ZIP, the same each time it is asked for
      const list = UnitedStatesReference.listOf(code)
      expect(list).toEqual([record])
      expect(UnitedStatesReference.listOf(code)).toBe(list)
      expect(index.lists.get(code)).toBe(list)
      expect(index.cities.get(record.state)?.get(record.key)).toContain(record)
    }
    expect(UnitedStatesReference.zip("00000")).toBeUndefined()
    expect(UnitedStatesReference.listOf("2050")).toEqual([])
    const dc = UnitedStatesReference.zip("20500")!
    expect([dc.name, dc.state, dc.countyFips]).toEqual(["WASHINGTON", "DC", "11001"])
    const apo = [...index.zips.values()].find((z) => z.name === "APO" && z.state === "AE")!
    expect([apo.latitude, apo.longitude, apo.countyFips]).toEqual([undefined, undefined, undefined])
  })
})
