/**
 * Benchmark (not a test): write, read and read+write 1,000,000 address-like rows through
 * Parquet with this package's readers and writers, on local files. Prints rows/s (wall clock
 * and per CPU-second, since the machine may be shared) and peak RSS.
 *
 *   pnpm --filter @geojobs/dataset bench             # or: node_modules/.bin/tsx packages/dataset/bench/readwrite.ts
 *   ROWS=200000 GROUP=50000 tsx packages/dataset/bench/readwrite.ts
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { InputColumns } from "../src/AddressColumns.js"
import type { ColumnarChunk } from "../src/Chunk.js"
import * as NodeFile from "../src/NodeFile.js"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const GROUP = Number(process.env.GROUP ?? 100_000)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "geojobs-bench-"))
const input = path.join(dir, "input.parquet")
const output = path.join(dir, "output.parquet")

const streets = ["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Lake View Ter", "E Madison St", "Pike Pl"]
const cities = ["Seattle", "Portland", "Austin", "Denver", "Boston", "Chicago", "Miami", "Phoenix", "Spokane", "Tacoma"]
const regions = ["WA", "OR", "TX", "CO", "MA", "IL", "FL", "AZ", "WA", "WA"]
const counties = ["King", "Multnomah", "Travis", "Denver", "Suffolk", "Cook", "Miami-Dade", "Maricopa", "Spokane", "Pierce"]

/** One chunk of address-like rows: all 15 spec columns, realistic fill and cardinality. */
const makeChunk = (start: number, length: number): ColumnarChunk => {
  const data: Record<string, Array<string | null>> = {}
  for (const c of InputColumns) data[c] = new Array<string | null>(length).fill(null)
  for (let i = 0; i < length; i++) {
    const k = start + i
    const city = (k * 7) % 10
    const number = String(1 + ((k * 7919) % 19_999))
    const street = streets[(k * 13) % 10]!
    data.Id![i] = `rec-${k}`
    data.AddressLines_1![i] = `${number} ${street}`
    data.AddressLines_2![i] = k % 5 === 0 ? `Apt ${1 + (k % 400)}` : null
    data.AddressComponents_Country![i] = "USA"
    data.AddressComponents_Region![i] = regions[city]!
    data.AddressComponents_SubRegion![i] = k % 2 === 0 ? counties[city]! : null
    data.AddressComponents_Locality![i] = cities[city]!
    data.AddressComponents_PostalCode![i] = String(98_000 + ((k * 31) % 2_000))
    data.AddressComponents_Street![i] = k % 3 === 0 ? street : null
    data.AddressComponents_AddressNumber![i] = k % 3 === 0 ? number : null
    data.AddressComponents_Unit![i] = k % 10 === 0 ? String(1 + (k % 50)) : null
    data.AddressComponents_UnitDesignator![i] = k % 10 === 0 ? "Apt" : null
  }
  return { columns: InputColumns, data, length }
}

/** Time spent generating test data inside a measured run (subtracted from its wall and CPU time). */
class Excluded {
  wallMs = 0
  cpuMs = 0
  run<A>(f: () => A): A {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const result = f()
    this.wallMs += performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    this.cpuMs += (cpu.user + cpu.system) / 1000
    return result
  }
}

/** Times `run`, minus `excluded`. */
const measure = async <A>(label: string, rows: number, run: () => Promise<A>, excluded = new Excluded()): Promise<A> => {
  global.gc?.()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await run()
  const seconds = (performance.now() - t0 - excluded.wallMs) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = ((cpu.user + cpu.system) / 1000 - excluded.cpuMs) / 1000
  const rss = process.resourceUsage().maxRSS / 1024
  console.log(
    `${label.padEnd(34)} ${(rows / seconds).toFixed(0).padStart(9)} rows/s wall  ${(rows / cpuSeconds).toFixed(0).padStart(9)} rows/CPU-s  ` +
      `(${seconds.toFixed(2)} s, ${cpuSeconds.toFixed(2)} CPU-s)  peak RSS so far ${rss.toFixed(0)} MiB`
  )
  return result
}

const main = Effect.gen(function* () {
  console.log(`${ROWS} rows, ${InputColumns.length} columns, row groups of ${GROUP}; node ${process.version}, ${os.cpus().length} CPUs`)
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`)

  // 1. write (chunk generation excluded from the timing)
  const gen = new Excluded()
  yield* Effect.promise(() =>
    measure("write Parquet (columnar)", ROWS, () =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const writer = yield* NodeFile.writer(input, InputColumns)
            for (let start = 0; start < ROWS; start += GROUP) {
              const chunk = gen.run(() => makeChunk(start, Math.min(GROUP, ROWS - start)))
              yield* writer.writeColumnar(chunk)
            }
            yield* writer.close
          })
        )
      ).then(() => undefined),
      gen
    )
  )
  console.log(`  (generating the data, ${(gen.cpuMs / 1000).toFixed(2)} CPU-s, not counted; file ${(fs.statSync(input).size / 1e6).toFixed(1)} MB, Snappy)`)

  // 2. read, columnar
  yield* Effect.promise(() =>
    measure("read Parquet (columnar chunks)", ROWS, () =>
      Effect.runPromise(Stream.runFold(NodeFile.readColumnar(input), 0, (n, c) => n + c.length))
    )
  )

  // 3. read, row objects
  yield* Effect.promise(() =>
    measure("read Parquet (row objects)", ROWS, () =>
      Effect.runPromise(Stream.runFold(NodeFile.read(input), 0, (n, c) => n + c.length))
    )
  )

  // 4. read + write, columnar (the engine's place is between the two)
  yield* Effect.promise(() =>
    measure("read+write Parquet (columnar)", ROWS, () => Effect.runPromise(NodeFile.writeAll(output, InputColumns, NodeFile.readColumnar(input))))
  )

  // 5. read + write, row objects in and out
  yield* Effect.promise(() =>
    measure("read+write Parquet (row objects)", ROWS, () => Effect.runPromise(NodeFile.writeAll(output, InputColumns, NodeFile.read(input))))
  )

  // 6. write an engine-shaped output: Input_* + ~60 Output_* columns + 37 mostly-null country columns
  const wide = wideColumns()
  const wideGen = new Excluded()
  yield* Effect.promise(() =>
    measure(
      `write output-shaped Parquet (${wide.length} cols)`,
      ROWS,
      () =>
        Effect.runPromise(
          Effect.scoped(
            Effect.gen(function* () {
              const writer = yield* NodeFile.writer(output, wide)
              for (let start = 0; start < ROWS; start += GROUP) {
                const chunk = wideGen.run(() => makeWideChunk(wide, start, Math.min(GROUP, ROWS - start)))
                yield* writer.writeColumnar(chunk)
              }
              yield* writer.close
            })
          )
        ),
      wideGen
    )
  )
  console.log(`  (generating the data, ${(wideGen.cpuMs / 1000).toFixed(2)} CPU-s, not counted; file ${(fs.statSync(output).size / 1e6).toFixed(1)} MB)`)
  fs.rmSync(dir, { recursive: true, force: true })
})

type WideColumn = { readonly name: string; readonly type: "STRING" | "BOOLEAN" | "DOUBLE" }

/** Roughly the engine's output: 15 Input_*, Output_Id/ErrorType/ErrorMessage, ~60 Output_*, 37 country-specific. */
const wideColumns = (): Array<WideColumn> => {
  const columns: Array<WideColumn> = InputColumns.map((c) => ({ name: `Input_${c}`, type: "STRING" }))
  for (const name of ["Output_Id", "ErrorType", "ErrorMessage"]) columns.push({ name, type: "STRING" })
  for (let i = 0; i < 40; i++) columns.push({ name: `Output_Address_${i}`, type: "STRING" })
  columns.push({ name: "Output_AddressMetadata_DeliveryIndicators_Mailable", type: "BOOLEAN" })
  columns.push({ name: "Output_AddressMetadata_DeliveryIndicators_Locatable", type: "BOOLEAN" })
  columns.push({ name: "Output_ValidationResults_MatchConfidenceScore", type: "DOUBLE" })
  for (let i = 0; i < 18; i++) columns.push({ name: `Output_ValidationResults_Components_${i}`, type: "STRING" })
  for (let i = 0; i < 37; i++) columns.push({ name: `Output_CountrySpecificAttributes_${i}`, type: "STRING" })
  return columns
}

const makeWideChunk = (columns: ReadonlyArray<WideColumn>, start: number, length: number): ColumnarChunk<string | number | boolean | null> => {
  const input = makeChunk(start, length)
  const data: Record<string, Array<string | number | boolean | null>> = {}
  for (const c of InputColumns) data[`Input_${c}`] = input.data[c] as Array<string | null>
  const small = Array.from({ length: 50 }, (_, i) => `v${i}`)
  for (const column of columns) {
    const name = column.name
    if (data[name] !== undefined) continue
    const array = new Array<string | number | boolean | null>(length).fill(null)
    const kind =
      name === "Output_Id" ? 0 : name === "ErrorType" ? 1 : name === "ErrorMessage" ? 2 : column.type === "BOOLEAN" ? 3 : column.type === "DOUBLE" ? 4
      : name === "Output_Address_0" ? 5 : name.startsWith("Output_Address_") ? 6 : name.startsWith("Output_ValidationResults_") ? 7 : name.endsWith("_1") ? 8 : 9
    const salt = name.length
    for (let i = 0; i < length; i++) {
      const k = start + i
      const error = k % 100 === 0
      if (kind === 0) array[i] = `job-1-${k}`
      else if (kind === 1) array[i] = error ? "InvalidInput" : null
      else if (kind === 2) array[i] = error ? "every address cell is empty" : null
      else if (error || kind === 9) continue
      else if (kind === 3) array[i] = k % 7 !== 0
      else if (kind === 4) array[i] = (k % 100) / 100
      else if (kind === 5) array[i] = `${k % 19_999} MAIN ST APT ${k % 400}`
      else if (kind === 6) array[i] = small[(k * 31 + salt) % 50]!
      else if (kind === 7) array[i] = k % 3 === 0 ? "Validated" : "Unconfirmed"
      else if (k % 10 === 0) array[i] = `C${k % 900}`
    }
    data[name] = array
  }
  return { columns: columns.map((c) => c.name), data, length }
}

Effect.runPromise(main).catch((error) => {
  console.error(error)
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
