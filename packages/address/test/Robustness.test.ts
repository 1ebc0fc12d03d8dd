import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Engine from "../src/Engine.js"

const columns = ["Id", ...Engine.addressInputColumns]
const engine = Engine.make({ inputColumns: columns, features: ["Position", "CountrySpecificAttributes"] })
const cell = fc.oneof(
  fc.constant(null), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("1600 Pennsylvania Ave NW", "Washington, DC 20500", "USA", "CA", "K1A 0A9", "#", ",,,", "APT", "PO BOX"),
  fc.integer(), fc.boolean(), fc.string({ minLength: 1001, maxLength: 1100 })
)

describe("Engine robustness (property)", () => {
  it("any row gives one output row of the fixed width, with an error or an address, never a throw", () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...columns), cell), (row) => {
      const out: Array<unknown> = []
      engine.validateInto(row, out as never)
      expect(out.length).toBe(engine.columns.length)
      const errorType = out[columns.length + 1]
      expect(errorType === null || errorType === "InvalidInput" || errorType === "InvalidValue").toBe(true)
      const score = out[engine.columns.findIndex((c) => c.name === "Output_ValidationResults_MatchConfidenceScore")]
      if (errorType === null) expect(typeof score === "number" && score >= 0 && score <= 1).toBe(true)
      for (let i = 0; i < out.length; i++) {
        const t = engine.columns[i]!.type
        const v = out[i]
        if (v !== null) expect(typeof v).toBe(t === "STRING" ? "string" : t === "BOOLEAN" ? "boolean" : "number")
      }
    }), { numRuns: 2000 })
  })
})
