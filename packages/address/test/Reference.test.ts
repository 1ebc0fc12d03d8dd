import { describe, expect, it } from "@effect/vitest"
import * as Reference from "../src/Reference.js"

describe("Reference (US)", () => {
  it("zipsOf answers every (state, city) pair as the index does, and nothing else", () => {
    const index = Reference.us()
    let pairs = 0
    for (const [state, byCity] of index.cities) {
      for (const [cityKey, list] of byCity) {
        pairs++
        expect(Reference.zipsOf(state, cityKey)).toEqual(list)
        // the same text in fresh strings (as parsed input is)
        expect(Reference.zipsOf(` ${state}`.slice(1), ` ${cityKey}`.slice(1))).toEqual(list)
      }
    }
    expect(pairs).toBeGreaterThan(20000)
    expect(Reference.zipsOf("DC", "WASHINGTON").length).toBeGreaterThan(10)
    expect(Reference.zipsOf("DC", "WASHINGTO")).toEqual([])
    expect(Reference.zipsOf("DCW", "ASHINGTON")).toEqual([])
    expect(Reference.zipsOf("ZZ", "WASHINGTON")).toEqual([])
    expect(Reference.zipsOf("DC", "")).toEqual([])
  })
})
