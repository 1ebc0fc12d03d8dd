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

const measure = async <A>(label: string, rows: number, run: () => Promise<A>): Promise<A> => {
  global.gc?.()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await run()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
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
  let genMs = 0
  yield* Effect.promise(() =>
    measure("write Parquet (columnar)", ROWS, () =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const writer = yield* NodeFile.writer(input, InputColumns)
            for (let start = 0; start < ROWS; start += GROUP) {
              const g0 = performance.now()
              const chunk = makeChunk(start, Math.min(GROUP, ROWS - start))
              genMs += performance.now() - g0
              yield* writer.writeColumnar(chunk)
            }
            yield* writer.close
          })
        )
      ).then(() => undefined)
    )
  )
  console.log(`  (of which generating the data: ${(genMs / 1000).toFixed(2)} s; file ${(fs.statSync(input).size / 1e6).toFixed(1)} MB, Snappy)`)

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
  fs.rmSync(dir, { recursive: true, force: true })
})

Effect.runPromise(main).catch((error) => {
  console.error(error)
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
