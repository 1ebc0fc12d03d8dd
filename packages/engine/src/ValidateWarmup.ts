/**
 * Sample address rows, and a validation worker's warm-up on them.
 *
 * A worker's first large job used to run partly on code V8 had not yet optimised: its first
 * ~250,000 rows paid the compiling (~1.3 CPU-s on the 2-core machine) and ran in the slower
 * tiers meanwhile, so a service's first job took 10–15 CPU-s per 1,000,000 rows where a later
 * one took 8. A pool made with `warmupRows` (`ValidatePool.make`) has each worker, once its
 * reference indexes are built, validate that many sample rows through exactly the path of a
 * job (Parquet bytes decoded a batch at a time, the engine, the row-group builder, Snappy),
 * output dropped, before it says it is ready: the service's first job then meets optimised
 * code. Worth it for a service that starts its workers ahead of its jobs (`geojobs-local
 * --warm-workers`); a pool started by its first large file skips it.
 *
 * The rows are synthetic but shaped like real inputs: US rows over the real ZIP Codes of the
 * reference data in ten shapes (split lines, one line, lower case, a misspelt city, ZIP+4, a
 * wrong ZIP digit, missing parts, units, extra spaces), Australian, British, Canadian and German
 * rows, and a few empty ones; every cell a string. A seeded generator makes them the same
 * every time. The engine benchmark writes its input files from the same rows.
 *
 * @since 0.1.0
 */
import * as UnitedStatesReference from "@geojobs/address/UnitedStatesReference"
import { InputColumns } from "@geojobs/dataset/AddressColumns"
import * as Bytes from "@geojobs/dataset/Bytes"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import type { SliceTask } from "./SliceTask.js"

/** A deterministic generator of sample rows (linear congruential, seeded). */
export interface SampleRows {
  /** The next `length` rows as one array per column of `InputColumns` (null where a row has no value). */
  readonly columns: (length: number) => Record<string, Array<string | null>>
}

const streets = [
  "Main St", "Oak Avenue", "N Broad Street", "Pennsylvania Ave NW", "Elm Dr", "Sunset Blvd", "2nd St",
  "Lake Shore Drive", "Park Pl", "W Washington Street", "Maple Court", "Highland Rd SE"
]
const units = ["", "", "", " Apt 4B", " Suite 200", " #12", " Unit 3"]
const cap = (s: string) => s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase())
const typo = (s: string) => (s.length > 5 ? s.slice(0, 2) + s.slice(3) : s)

interface Zip {
  readonly name: string
  readonly state: string
  readonly postal: string
}

/** Sample rows from `seed`; row `i` (counted from 0 over all calls) has `Id` = `i`. */
export const sampleRows = (seed = 42): SampleRows => {
  let state = seed >>> 0
  const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)]!
  const zips: ReadonlyArray<Zip> = Array.from(UnitedStatesReference.us().zips.values()).filter((z) => z.latitude !== undefined)
  let next = 0
  const row = (i: number): Record<string, string> => {
    const z = pick(zips)
    const number = String(1 + Math.floor(rand() * 9999))
    const street = pick(streets) + pick(units)
    const city = cap(z.name)
    const id = String(i)
    switch (i % 10) {
      case 0:
        return { Id: id, AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal}` }
      case 1:
        return { Id: id, AddressLines_1: `${number} ${street}, ${city}, ${z.state} ${z.postal}` }
      case 2:
        return {
          Id: id,
          AddressLines_1: `${number} ${street}`.toLowerCase(),
          AddressComponents_Locality: typo(city),
          AddressComponents_PostalCode: z.postal,
          AddressComponents_Country: "USA"
        }
      case 3:
        return { Id: id, AddressLines_1: `${number} ${street}`, AddressComponents_Locality: city, AddressComponents_PostalCode: z.postal }
      case 4:
        return { Id: id, AddressLines_1: `  ${number}   ${street}  `, AddressLines_2: `${city} ${z.state}`, AddressComponents_Country: "United States" }
      case 5:
        return { Id: id, AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal.slice(0, 4)}9` }
      case 6:
        return { Id: id, AddressLines_1: `${number} ${street} ${city} ${z.state} ${z.postal}-${String(1000 + (i % 9000))}` }
      case 7:
        return pick([
          { Id: id, AddressLines_1: `${number} George St, Sydney NSW 2000`, AddressComponents_Country: "AU" },
          { Id: id, AddressLines_1: `${number} Downing Street`, AddressLines_2: "London SW1A 2AA", AddressComponents_Country: "GBR" },
          { Id: id, AddressLines_1: `${number} Wellington St, Ottawa ON K1A 0A9` },
          { Id: id, AddressLines_1: `Unter den Linden ${number}`, AddressLines_2: "10117 Berlin", AddressComponents_Country: "Germany" }
        ])
      case 8:
        return {
          Id: id,
          AddressLines_1: `${number} ${street}`,
          AddressComponents_Locality: city,
          AddressComponents_Region: z.state,
          AddressComponents_PostalCode: z.postal,
          AddressComponents_Country: "US"
        }
      default:
        return i % 100 === 9 ? { Id: id, AddressLines_1: "" } : { Id: id, AddressLines_1: `${street} ${number}`, AddressLines_2: `${city}, ${z.state}` }
    }
  }
  return {
    columns: (length) => {
      const data: Record<string, Array<string | null>> = {}
      for (const c of InputColumns) data[c] = new Array<string | null>(length).fill(null)
      for (let i = 0; i < length; i++) {
        const cells = row(next++)
        for (const k in cells) data[k]![i] = cells[k]!
      }
      return data
    }
  }
}

/**
 * `rows` sample rows as one undecoded Parquet row group (written in memory, Snappy, as a job's
 * input would arrive), cut into tasks of `partRows` rows: what a worker's warm-up validates.
 */
export const warmupTasks = (rows: number, partRows = 25_000): Effect.Effect<ReadonlyArray<SliceTask>, unknown> =>
  Effect.scoped(Effect.gen(function*() {
    const sink = Bytes.memorySink()
    const writer = yield* Parquet.writer(sink, "warmup.parquet", InputColumns.map((name) => ({ name, type: "STRING" as const })))
    yield* writer.writeColumnar({ columns: InputColumns, data: sampleRows().columns(rows), length: rows })
    yield* writer.close
    const parquet = yield* Parquet.open(Bytes.fromBytes(sink.bytes()), "warmup.parquet")
    const raw = yield* parquet.readRaw!(0)
    const layout = { inputColumns: parquet.info.columns, features: ["Position", "CountrySpecificAttributes"] as const }
    const tasks: Array<SliceTask> = []
    for (let from = 0; from < rows; from += partRows) {
      const to = Math.min(rows, from + partRows)
      tasks.push({ layout, idPrefix: "warmup-", firstRow: from, input: { _tag: "Raw", raw, from, to }, parts: [to - from] })
    }
    return tasks
  }))
