import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fingerprints, goldenSets } from "../bench/data.js"
import * as Engine from "../src/Engine.js"
import type { Cell } from "../src/Output.js"

// Recorded from the engine before the performance work (bench/golden.ts); every optimisation
// must reproduce these outputs exactly, row for row, in any row order.
const golden = JSON.parse(readFileSync(new URL("./fixtures/golden.json", import.meta.url), "utf8")) as Record<string, Array<string>>

describe("Engine — golden outputs", () => {
  for (const set of goldenSets()) {
    it(`${set.name}: ${set.rows.length} varied rows give the recorded outputs`, () => {
      const expected = golden[set.name]!
      expect(expected.length).toBe(set.rows.length)
      const actual = fingerprints(set)
      const differing = actual.flatMap((h, i) => (h === expected[i] ? [] : [i]))
      expect(differing.slice(0, 20).map((i) => ({ i, row: set.rows[i] }))).toEqual([])
    })
    it(`${set.name}: the same outputs when the rows come in reverse order (no order-dependent caches)`, () => {
      expect(fingerprints(set, "reverse")).toEqual(golden[set.name])
    })
  }
})

describe("Engine — filled columns", () => {
  for (const set of goldenSets()) {
    it(`${set.name}: every column outside engine.filled is null in every row; the country-specific ones that are filled hold values`, () => {
      const engine = Engine.make({ inputColumns: set.inputColumns, features: set.features })
      const filled = new Set(engine.filled)
      expect(engine.filled).toEqual([...engine.filled].sort((a, b) => a - b))
      const everFilled = new Set<number>()
      const out: Array<Cell> = []
      for (const row of set.rows) {
        engine.validateInto(row, out)
        out.forEach((v, c) => v !== null && everFilled.add(c))
      }
      expect([...everFilled].filter((c) => !filled.has(c))).toEqual([])
      const names = (cs: Iterable<number>) => [...cs].map((c) => engine.columns[c]!.name)
      expect(names(everFilled).filter((n) => n.includes("CountrySpecific")).sort()).toEqual(
        names(engine.filled).filter((n) => n.includes("CountrySpecific")).sort()
      )
    })
  }
  it("without the country-specific feature every column counts as filled", () => {
    const engine = Engine.make({ inputColumns: ["Id", "AddressLines_1"], features: ["Position"] })
    expect(engine.filled).toEqual(engine.columns.map((_, c) => c))
  })
})
