/**
 * The main job as a user runs it: `geojobs validate` (the built bundle, apps/cli/dist, plain node)
 * on a generated file of realistic mixed addresses (US, CA, AU, GB; 10 columns) on the embedded
 * service, beside the floor of reading and writing the same file with the same library in one
 * process: csv-parse → csv-stringify for CSV, `@geojobs/dataset`'s Parquet reader → writer for
 * Parquet. Wall time and peak RSS per process (GNU time), at BENCH_MAINJOB_ROWS (default
 * 1,000,000) and at a fifth of it (is memory flat in the number of rows?). Each is run
 * BENCH_MAINJOB_RUNS times (default 5), a floor and its job one after the other, so that a
 * slow spell of the machine falls on both: the median wall time and the highest peak RSS count.
 *
 * Part of `pnpm bench` (section "mainjob"); alone: `pnpm exec tsx bench/src/mainjob.ts`.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const benchDir = path.join(repoDir, "bench")
const rowsLarge = Number(process.env.BENCH_MAINJOB_ROWS ?? 1_000_000)
const rowsSmall = Math.round(rowsLarge / 5)
const runs = Math.max(1, Number(process.env.BENCH_MAINJOB_RUNS ?? 5))

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

interface Sample {
  readonly wallS: number
  readonly rssMiB: number
}

/** The median wall time and the highest peak RSS of several runs. */
const summarize = (samples: ReadonlyArray<Sample>): Sample => {
  const walls = samples.map((x) => x.wallS).sort((a, b) => a - b)
  const mid = Math.floor(walls.length / 2)
  return {
    wallS: walls.length % 2 === 1 ? walls[mid]! : (walls[mid - 1]! + walls[mid]!) / 2,
    rssMiB: Math.max(...samples.map((x) => x.rssMiB))
  }
}

/** One process under GNU time (run from `cwd`). */
const measure = (args: ReadonlyArray<string>, cwd: string): Sample => {
  const r = spawnSync("/usr/bin/time", ["-f", "GNUTIME %e %M", process.execPath, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH, HOME: cwd, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" }
  })
  const m = /GNUTIME ([\d.]+) (\d+)/.exec(r.stderr)
  if (r.status !== 0 || m === null) throw new Error(`${args.slice(0, 3).join(" ")} failed (${r.status}): ${r.stderr.slice(-800)}`)
  return { wallS: Number(m[1]), rssMiB: Number(m[2]) / 1024 }
}

const places: ReadonlyArray<readonly [city: string, region: string, postal: string, country: string]> = [
  ["Boston", "MA", "02201", "USA"], ["Seattle", "WA", "98101", "USA"], ["Austin", "TX", "78701", "USA"],
  ["Denver", "CO", "80202", "USA"], ["Chicago", "IL", "60603", "USA"], ["New York", "NY", "10118", "USA"],
  ["Miami", "FL", "33131", "USA"], ["Portland", "OR", "97204", "USA"], ["Springfield", "IL", "62701", "USA"],
  ["Ottawa", "ON", "K1A 0A9", "CAN"], ["Toronto", "ON", "M5V 3L9", "CAN"], ["Vancouver", "BC", "V6B 1A1", "CAN"],
  ["Sydney", "NSW", "2000", "AUS"], ["Melbourne", "VIC", "3000", "AUS"], ["Darwin", "NT", "0800", "AUS"],
  ["London", "", "SW1A 2AA", "GBR"], ["Manchester", "", "M1 1AE", "GBR"]
]
const streets = ["Main St", "Oak Avenue", "Pine Rd", "Maple Drive", "Cedar Ln", "Elm Street", "Washington Blvd", "Lake View Dr", "Park Ave", "High Street", "King St W"]

/** Writes `rows` CSV rows: id, name, email, street, unit, city, region, postal code, country, phone. */
const generate = (file: string, rows: number) => {
  const fd = fs.openSync(file, "w")
  let seed = 42
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % n
  }
  fs.writeSync(fd, "id,name,email,street,unit,city,region,postal_code,country,phone\n")
  let buffer = ""
  for (let i = 1; i <= rows; i++) {
    const [city, region, postal, country] = places[rand(places.length)]!
    const typo = rand(50) === 0 ? city.slice(0, -1) : city
    const zip = rand(40) === 0 && postal.startsWith("0") ? postal.slice(1) : postal
    buffer += `${i},"Customer ${i}, Inc.",c${i}@example.com,${1 + rand(9999)} ${streets[rand(streets.length)]},` +
      `${rand(5) === 0 ? `Apt ${1 + rand(40)}` : ""},${typo},${region},${zip},${country},+1-555-${String(rand(10000)).padStart(4, "0")}\n`
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer)
      buffer = ""
    }
  }
  fs.writeSync(fd, buffer)
  fs.closeSync(fd)
}

/** The floor programs, written beside the bench so that they resolve its dependencies. */
const floorScripts = (dir: string) => {
  const csv = path.join(dir, "floor-csv.mjs")
  fs.writeFileSync(csv, `import { parse } from "csv-parse"
import { stringify } from "csv-stringify"
import * as fs from "node:fs"
import { pipeline } from "node:stream/promises"
await pipeline(fs.createReadStream(process.argv[2]), parse(), stringify(), fs.createWriteStream(process.argv[3]))
`)
  const parquet = path.join(dir, "floor-parquet.ts")
  fs.writeFileSync(parquet, `import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
const [input, output] = process.argv.slice(2)
const columns = await Effect.runPromise(NodeFile.columnsOf(input!, { requireAddressColumns: false }))
await Effect.runPromise(NodeFile.writeAll(output!, columns, NodeFile.readColumnar(input!, { requireAddressColumns: false })))
`)
  return { csv, parquet }
}

/** The section's text. */
export const mainJob = async (): Promise<string> => {
  const build = spawnSync(process.execPath, [path.join(repoDir, "scripts", "build-apps.mjs"), "cli"], { encoding: "utf8" })
  if (build.status !== 0) throw new Error(`build-apps failed: ${build.stderr}`)
  const cli = path.join(repoDir, "apps", "cli", "dist", "geojobs.js")
  const tsx = path.join(repoDir, "node_modules", "tsx", "dist", "cli.mjs")
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "geojobs-mainjob-"))
  const scriptsDir = fs.mkdtempSync(path.join(benchDir, ".mainjob-"))
  try {
    const floors = floorScripts(scriptsDir)
    const lines: Array<Array<string>> = [["measure", "rows", "wall s", "peak RSS MiB", "rows/s", "× floor"]]
    const result: Record<string, { job: Sample; floor: Sample }> = {}
    for (const rows of [rowsSmall, rowsLarge]) {
      const dir = path.join(work, String(rows))
      fs.mkdirSync(dir)
      const input = path.join(dir, "addresses.csv")
      generate(input, rows)
      // Parquet in and out: the same rows as Parquet (converted by the CLI's library, not timed)
      const parquetIn = path.join(dir, "addresses.parquet")
      const convert = spawnSync(process.execPath, [tsx, floors.parquet, input, parquetIn], { cwd: scriptsDir, encoding: "utf8" })
      if (convert.status !== 0) throw new Error(`converting to Parquet failed: ${convert.stderr.slice(-800)}`)
      // a fresh data directory for each job: it runs (a rerun would reuse the job)
      const job = (args: ReadonlyArray<string>) => {
        fs.rmSync(path.join(dir, ".geojobs"), { recursive: true, force: true })
        return measure([cli, "validate", ...args, "--quiet"], dir)
      }
      const samples = { csvFloor: [] as Array<Sample>, csvJob: [] as Array<Sample>, parquetFloor: [] as Array<Sample>, parquetJob: [] as Array<Sample> }
      for (let k = 0; k < runs; k++) {
        samples.csvFloor.push(measure([floors.csv, input, path.join(dir, "floor.csv")], dir))
        samples.csvJob.push(job(["addresses.csv", "--out", "out.csv"]))
        samples.parquetFloor.push(measure([tsx, floors.parquet, parquetIn, path.join(dir, "floor.parquet")], scriptsDir))
        samples.parquetJob.push(job(["addresses.parquet", "--out", "out.parquet"]))
      }
      const csvFloor = summarize(samples.csvFloor)
      const csvJob = summarize(samples.csvJob)
      const parquetFloor = summarize(samples.parquetFloor)
      const parquetJob = summarize(samples.parquetJob)
      result[`csv ${rows}`] = { job: csvJob, floor: csvFloor }
      result[`parquet ${rows}`] = { job: parquetJob, floor: parquetFloor }
      for (const [label, s, floor] of [
        ["floor: csv-parse → csv-stringify", csvFloor, undefined],
        ["geojobs validate CSV → CSV", csvJob, csvFloor],
        ["floor: Parquet read → write (@geojobs/dataset)", parquetFloor, undefined],
        ["geojobs validate Parquet → Parquet", parquetJob, parquetFloor]
      ] as const) {
        lines.push([label, fmt(rows), fmt(s.wallS, 1), fmt(s.rssMiB), fmt(rows / s.wallS), floor === undefined ? "" : (s.wallS / floor.wallS).toFixed(1)])
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
    const widths = lines[0]!.map((_, i) => Math.max(...lines.map((r) => r[i]!.length)))
    const table = lines.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n")
    const csvL = result[`csv ${rowsLarge}`]!
    const csvS = result[`csv ${rowsSmall}`]!
    const pqL = result[`parquet ${rowsLarge}`]!
    const met = (ok: boolean) => (ok ? "met" : "NOT met")
    const csvRatio = csvL.job.wallS / csvL.floor.wallS
    const pqRatio = pqL.job.wallS / pqL.floor.wallS
    const growth = csvL.job.rssMiB / csvS.job.rssMiB
    return `MAIN JOB — geojobs validate (apps/cli/dist, embedded service, --quiet) on generated addresses (US/CA/AU/GB, 10 columns) beside ` +
      `the floor of reading and writing the same file with the same library; one process each, ${runs} run${runs === 1 ? "" : "s"} of each ` +
      `(a floor, then its job): median wall, highest peak RSS\n` +
      table +
      `\ngoals: CSV wall ≤ 4× floor: ${met(csvRatio <= 4)} (${csvRatio.toFixed(1)}×); Parquet ≤ 2×: ${met(pqRatio <= 2)} (${pqRatio.toFixed(1)}×); ` +
      `peak RSS ≤ 1 GiB: ${met(csvL.job.rssMiB <= 1024 && pqL.job.rssMiB <= 1024)} (${fmt(csvL.job.rssMiB)} / ${fmt(pqL.job.rssMiB)} MiB at ${fmt(rowsLarge)} rows); ` +
      `flat in rows: ${met(growth <= 1.25)} (×${growth.toFixed(2)} from ${fmt(rowsSmall)} to ${fmt(rowsLarge)} rows)`
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
    fs.rmSync(scriptsDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await mainJob())
}
