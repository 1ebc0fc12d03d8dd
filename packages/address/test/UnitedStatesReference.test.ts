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
})
