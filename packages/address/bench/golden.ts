/**
 * Writes `test/fixtures/golden.json`: per-row fingerprints of the engine's outputs over the
 * golden sets of `bench/data.ts`. Run only to record the outputs of a reviewed engine:
 *
 *   pnpm exec tsx packages/address/bench/golden.ts
 */
import { writeFileSync } from "node:fs"
import { fingerprints, goldenSets } from "./data.js"

const fixture: Record<string, Array<string>> = {}
for (const set of goldenSets()) fixture[set.name] = fingerprints(set)
writeFileSync(new URL("../test/fixtures/golden.json", import.meta.url), JSON.stringify(fixture).replace(/\],/g, "],\n") + "\n")
console.log(Object.entries(fixture).map(([k, v]) => `${k}: ${v.length} rows`).join(", "))
