import { describe, expect, it } from "@effect/vitest"
import * as PostalCodes from "../src/PostalCodes.js"

describe("PostalCodes.parse (remembers its last answer)", () => {
  it("answers repeated and interleaved questions as fresh ones", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["US", "20500"], ["US", "20500"], ["AU", "20500"], ["US", "205000003"], ["US", "205000003"],
      ["CA", "K1A0A9"], ["GB", "K1A0A9"], ["CA", "K1A0A9"], ["US", "2050"], ["US", "2050"], ["AU", "2050"]
    ]
    const expected = [
      { full: "20500", base: "20500", extension: undefined }, { full: "20500", base: "20500", extension: undefined }, undefined,
      { full: "20500-0003", base: "20500", extension: "0003" }, { full: "20500-0003", base: "20500", extension: "0003" },
      { full: "K1A 0A9", base: "K1A 0A9", extension: undefined }, undefined, { full: "K1A 0A9", base: "K1A 0A9", extension: undefined },
      undefined, undefined, { full: "2050", base: "2050", extension: undefined }
    ]
    cases.forEach(([country, text], i) => expect(PostalCodes.parse(country, text)).toEqual(expected[i]))
  })
})
