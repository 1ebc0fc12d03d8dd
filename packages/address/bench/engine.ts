/**
 * Engine-alone throughput: rows per second of `Engine.validateInto` over 1,000,000 varied rows
 * (US landmarks-style addresses over real ZIP Codes with misspellings, missing parts, units, lower
 * case, one-line inputs; plus AU, GB, CA, DE rows and a few bad rows). No Parquet I/O.
 *
 *   pnpm exec tsx packages/address/bench/engine.ts [rows] [runs]
 *
 * Prints wall-clock and CPU-time rows/s of each run and, with several runs, their medians
 * (CPU time is the figure to compare on a shared machine).
 */
import * as Engine from "../src/Engine.js"
import type { Cell } from "../src/Output.js"
import { benchRows } from "./data.js"

const total = Number(process.argv[2] ?? 1_000_000)
const runs = Number(process.argv[3] ?? 1)

const distinct = 50_000
const rows = benchRows(distinct)
const inputColumns = ["Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Country", "AddressComponents_Region", "AddressComponents_Locality", "AddressComponents_PostalCode"]
const engine = Engine.make({ inputColumns, features: ["Position", "CountrySpecificAttributes"], idGenerator: (() => { let n = 0; return () => `bench-${n++}` })() })
const out: Array<Cell> = []
for (let i = 0; i < 20_000; i++) engine.validateInto(rows[i % distinct]!, out) // warm-up (and index build)

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
const median = (xs: Array<number>) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const walls: Array<number> = []
const cpus: Array<number> = []
for (let r = 0; r < runs; r++) {
  let errors = 0
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    engine.validateInto(rows[i % distinct]!, out)
    if (out[inputColumns.length + 1] !== null) errors++
  }
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  walls.push(total / seconds)
  cpus.push(total / cpuSeconds)
  console.log(`engine alone: ${fmt(total)} rows (${fmt(distinct)} distinct, ${errors} error rows)`)
  console.log(`  wall ${seconds.toFixed(2)} s = ${fmt(total / seconds)} rows/s; CPU ${cpuSeconds.toFixed(2)} s = ${fmt(total / cpuSeconds)} rows/s per core`)
}
if (runs > 1) console.log(`median of ${runs} runs: wall ${fmt(median(walls))} rows/s; CPU ${fmt(median(cpus))} rows/s per core`)
