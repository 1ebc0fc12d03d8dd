/**
 * Engine-alone throughput: rows per second of `Engine.validateInto` over 1,000,000 varied rows
 * (US landmarks-style addresses over real ZIP Codes with misspellings, missing parts, units, lower
 * case, one-line inputs; plus AU, GB, CA, DE rows and a few bad rows). No Parquet I/O.
 *
 *   pnpm exec tsx packages/address/bench/engine.ts [rows]
 */
import * as Engine from "../src/Engine.js"
import type { Cell } from "../src/Output.js"
import * as Reference from "../src/Reference.js"

const total = Number(process.argv[2] ?? 1_000_000)
let seed = 42
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32)
const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)]!

const streets = ["Main St", "Oak Avenue", "N Broad Street", "Pennsylvania Ave NW", "Elm Dr", "Sunset Blvd", "2nd St", "Lake Shore Drive", "Park Pl", "W Washington Street", "Maple Court", "Highland Rd SE"]
const units = ["", "", "", " Apt 4B", " Suite 200", " #12", " Unit 3"]
const zips = Array.from(Reference.us().zips.values()).filter((z) => z.latitude !== undefined)
const cap = (s: string) => s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase())
const typo = (s: string) => (s.length > 5 ? s.slice(0, 2) + s.slice(3) : s)

type Row = Record<string, unknown>
const makeRow = (i: number): Row => {
  const z = pick(zips)
  const number = String(1 + Math.floor(rand() * 9999))
  const street = pick(streets) + pick(units)
  const city = cap(z.name)
  switch (i % 10) {
    case 0: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal}` }
    case 1: return { Id: String(i), AddressLines_1: `${number} ${street}, ${city}, ${z.state} ${z.postal}` }
    case 2: return { Id: String(i), AddressLines_1: `${number} ${street}`.toLowerCase(), AddressComponents_Locality: typo(city), AddressComponents_PostalCode: z.postal, AddressComponents_Country: "USA" }
    case 3: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressComponents_Locality: city, AddressComponents_PostalCode: z.postal }
    case 4: return { Id: String(i), AddressLines_1: `  ${number}   ${street}  `, AddressLines_2: `${city} ${z.state}`, AddressComponents_Country: "United States" }
    case 5: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal.slice(0, 4)}9` }
    case 6: return { Id: String(i), AddressLines_1: `${number} ${street} ${city} ${z.state} ${z.postal}-${String(1000 + (i % 9000))}` }
    case 7: return pick([
      { Id: String(i), AddressLines_1: `${number} George St, Sydney NSW 2000`, AddressComponents_Country: "AU" },
      { Id: String(i), AddressLines_1: `${number} Downing Street`, AddressLines_2: "London SW1A 2AA", AddressComponents_Country: "GBR" },
      { Id: String(i), AddressLines_1: `${number} Wellington St, Ottawa ON K1A 0A9` },
      { Id: String(i), AddressLines_1: `Unter den Linden ${number}`, AddressLines_2: "10117 Berlin", AddressComponents_Country: "Germany" }
    ])
    case 8: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressComponents_Locality: city, AddressComponents_Region: z.state, AddressComponents_PostalCode: z.postal, AddressComponents_Country: "US" }
    default: return i % 100 === 9 ? { Id: String(i), AddressLines_1: i % 200 === 9 ? 42 : "" } : { Id: String(i), AddressLines_1: `${street} ${number}`, AddressLines_2: `${city}, ${z.state}` }
  }
}

const distinct = 50_000
const rows = Array.from({ length: distinct }, (_, i) => makeRow(i))
const inputColumns = ["Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Country", "AddressComponents_Region", "AddressComponents_Locality", "AddressComponents_PostalCode"]
const engine = Engine.make({ inputColumns, features: ["Position", "CountrySpecificAttributes"], idGenerator: (() => { let n = 0; return () => `bench-${n++}` })() })
const out: Array<Cell> = []
for (let i = 0; i < 20_000; i++) engine.validateInto(rows[i % distinct]!, out) // warm-up (and index build)

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
const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
console.log(`engine alone: ${fmt(total)} rows (${fmt(distinct)} distinct, ${errors} error rows)`)
console.log(`  wall ${seconds.toFixed(2)} s = ${fmt(total / seconds)} rows/s; CPU ${cpuSeconds.toFixed(2)} s = ${fmt(total / cpuSeconds)} rows/s per core`)
