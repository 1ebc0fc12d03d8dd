import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fingerprints, goldenSets } from "../bench/data.js"

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
