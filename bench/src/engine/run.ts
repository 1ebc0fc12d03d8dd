/**
 * The engine benchmark's child program (one measurement per process, so peak RSS is its own):
 *
 *   gen   <file> <rows>   writes `rows` address-like rows (real US ZIP Codes, varied shapes,
 *                         some AU/GB/CA/DE rows, a few bad rows) to a Parquet file, row groups of 100,000
 *   floor <in> <out>      reads every row group and writes it out again unchanged (no engine)
 *   outfloor <e2e-out> <out>  encodes an e2e output's rows again with the workers' builder and
 *                         writes them, in this thread; only encoding + writing timed (the cost of
 *                         the output alone, whatever computes it)
 *   e2e   <in> <out>      what the local service's runner does per file (apps/local JobRunner
 *                         `processFile`, through the same `validateFile`): read a row group, cut
 *                         it into slices, validate + encode them on a `ValidatePool` (one worker
 *                         per core; BENCH_WORKERS=0 in this thread), write the row groups in order
 *
 * Prints one JSON line: rows, wall seconds, CPU seconds (all threads), seconds spent in the engine
 * loop (summed over the workers: CPU-like), peak RSS (all threads).
 */
import * as Engine from "@geojobs/address/Engine"
import { InputColumns } from "@geojobs/dataset/AddressColumns"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as NodeSnappy from "@geojobs/dataset/NodeSnappy"
import * as Parquet from "@geojobs/dataset/Parquet"
import { type Layout, outputBuffers, outputColumns, type SliceTask, slicer } from "@geojobs/engine/ValidateChunk"
import { validateFile } from "@geojobs/engine/ValidateFile"
import * as ValidatePool from "@geojobs/engine/ValidatePool"
import { sampleRows } from "@geojobs/engine/ValidateWarmup"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"

const [mode, a, b] = process.argv.slice(2)
const GROUP = Number(process.env.BENCH_GEN_GROUP ?? 100_000)

/** Writes `rows` sample rows (`ValidateWarmup.sampleRows`: what a warm worker starts on) in row groups of GROUP. */
const gen = (file: string, rows: number) =>
  Effect.scoped(Effect.gen(function*() {
    const sample = sampleRows()
    const writer = yield* NodeFile.writer(file, InputColumns, { format: "parquet" })
    for (let start = 0; start < rows; start += GROUP) {
      const length = Math.min(GROUP, rows - start)
      yield* writer.writeColumnar({ columns: InputColumns, data: sample.columns(length), length })
    }
    yield* writer.close
    return { rows }
  }))

const floor = (input: string, output: string) =>
  Effect.scoped(Effect.gen(function*() {
    const parquet = yield* Parquet.open(yield* NodeFile.source(input), input)
    const writer = yield* NodeFile.writer(output, parquet.info.columns, { format: "parquet" })
    for (let g = 0; g < parquet.info.rowGroups.length; g++) {
      yield* writer.writeColumnar(yield* parquet.readRowGroup(g))
    }
    yield* writer.close
    return { rows: writer.rowsWritten(), engineS: 0 }
  }))

/**
 * The output's floor: the rows of an e2e output file (`input`) encoded again by the builder the
 * workers use (Snappy as in the service, 1,024-row batches, one row group per input row group)
 * and written to `output`, in this thread. Only the encoding and writing are timed: each row
 * group is decoded, and its batches cut, before its clock starts.
 */
const outfloor = (input: string, output: string) =>
  Effect.scoped(Effect.gen(function*() {
    const parquet = yield* Parquet.open(yield* NodeFile.source(input), input, { requireAddressColumns: false })
    const columns = parquet.info.columns
    const layout: Layout = { inputColumns: InputColumns, features: ["Position", "CountrySpecificAttributes"] }
    const schema = outputColumns(layout)
    const types = columns.map((name) => schema.find((c) => c.name === name)?.type)
    const writer = yield* NodeFile.writer(output, schema, { format: "parquet" })
    const encoder = Parquet.rowGroupEncoder(schema, { snappy: NodeSnappy.compressor() })
    let wallMs = 0
    let cpuUs = 0
    for (let g = 0; g < parquet.info.rowGroups.length; g++) {
      const chunk = yield* parquet.readRowGroup(g)
      // the reader gives text: booleans and doubles back to what the engine hands the builder
      const batches: Array<{ length: number; values: Record<string, ReadonlyArray<unknown> | undefined> }> = []
      for (let from = 0; from < chunk.length; from += 256) {
        const to = Math.min(chunk.length, from + 256)
        const values: Record<string, ReadonlyArray<unknown> | undefined> = {}
        columns.forEach((name, c) => {
          const cells = chunk.data[name]!.slice(from, to).map((v) =>
            v === null ? null : types[c] === "BOOLEAN" ? v === "true" : types[c] === "DOUBLE" ? Number(v) : v
          )
          values[name] = cells.every((v) => v === null) ? undefined : cells
        })
        batches.push({ length: to - from, values })
      }
      const t0 = performance.now()
      const c0 = process.cpuUsage()
      const builder = encoder.builder()
      for (const b of batches) builder.add(b.length, (name) => b.values[name] as never)
      yield* writer.writeEncoded(builder.finish())
      const c = process.cpuUsage(c0)
      cpuUs += c.user + c.system
      wallMs += performance.now() - t0
    }
    yield* writer.close
    return { rows: writer.rowsWritten(), engineS: 0, timed: { wallS: wallMs / 1000, cpuS: cpuUs / 1e6 } }
  }))

/**
 * CPU seconds of each of this process's threads so far (Linux `/proc`; empty elsewhere): with
 * `BENCH_THREADS=1` the e2e prints the timed part's split — the main thread, the busiest
 * others (the validation workers) and the rest (V8's platform threads: concurrent marking,
 * parallel scavenges, compilers; libuv's pool).
 */
const threadCpu = (): Map<string, number> => {
  const out = new Map<string, number>()
  try {
    for (const tid of fs.readdirSync("/proc/self/task")) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100)
    }
  } catch {
    // not Linux: no split
  }
  return out
}

const threadSplit = (before: Map<string, number>, after: Map<string, number>, workers: number) => {
  const main = String(process.pid)
  const deltas = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const).filter(([tid]) => tid !== main)
  deltas.sort((a, b) => b[1] - a[1])
  const round = (s: number) => Math.round(s * 100) / 100
  return {
    mainS: round((after.get(main) ?? 0) - (before.get(main) ?? 0)),
    workersS: deltas.slice(0, workers).map(([, s]) => round(s)),
    otherS: round(deltas.slice(workers).reduce((n, [, s]) => n + s, 0))
  }
}

/**
 * With `BENCH_MARKS=1`, the timed job's bounds on stderr as CLOCK_MONOTONIC seconds (`perf
 * record -k CLOCK_MONOTONIC` stamps its samples on that clock): `perf report --time start,end`
 * then shows the timed job alone, without start-up and the warm-up job.
 */
const mark = (what: "start" | "end") => {
  if (process.env.BENCH_MARKS === "1") process.stderr.write(`timed ${what} ${(Number(process.hrtime.bigint()) / 1e9).toFixed(6)}\n`)
}

/**
 * One job over `input` (its first `rowGroups` row groups, all by default) as the local service's
 * runner does it: rows validated and encoded by the pool (or in this thread), written in order.
 */
const job = (input: string, output: string, pool: ValidatePool.ValidatePool | undefined, rowGroups?: number) =>
  Effect.scoped(Effect.gen(function*() {
    const parquet = yield* Parquet.open(yield* NodeFile.source(input), input)
    const layout: Layout = { inputColumns: parquet.info.columns, features: ["Position", "CountrySpecificAttributes"] }
    const writer = yield* NodeFile.writer(output, outputColumns(layout), { format: "parquet" })
    const buffers = outputBuffers()
    const inThread = slicer(buffers)
    const engineMs = yield* validateFile({
      layout,
      idPrefix: "bench-0-",
      rowGroups: rowGroups === undefined ? parquet.info.rowGroups : parquet.info.rowGroups.slice(0, rowGroups),
      read: parquet.readRowGroup,
      readRaw: parquet.readRaw,
      validate: pool !== undefined ? pool.run : (task: SliceTask) => Effect.sync(() => inThread(task)),
      parallelism: pool?.size ?? 1,
      write: writer.writeEncoded,
      recycle: pool !== undefined ? pool.recycle : (bytes) => buffers.give(bytes.buffer)
    })
    yield* writer.close
    return { rows: writer.rowsWritten(), engineMs }
  }))

/**
 * The timed job. With `BENCH_WARMUP_ROWS=N` (N > 0), a first job over the input's first row
 * groups (at least N rows) runs before it, untimed but reported (`warmup`): the timed job then
 * meets workers whose code V8 has already compiled, as a running service's second job does
 * (its first pays the compiling, ~1.3 CPU-s on this machine, on its first ~250,000 rows).
 */
const e2e = (input: string, output: string) =>
  Effect.scoped(Effect.gen(function*() {
    const workers = process.env.BENCH_WORKERS === undefined ? ValidatePool.defaultSize() : Number(process.env.BENCH_WORKERS)
    // BENCH_WARM_START=N: workers started as `geojobs-local --warm-workers` does (N sample rows each, 0 = the default)
    const warmStart = process.env.BENCH_WARM_START
    const poolOptions = warmStart === undefined ? {} : { warmupRows: Number(warmStart) || ValidatePool.defaultWarmupRows }
    const pool = workers > 0 ? yield* ValidatePool.make(workers, poolOptions) : undefined
    const start0 = performance.now()
    const startCpu0 = process.cpuUsage()
    // a running service keeps its workers (started by its first large job): start them untimed
    if (pool !== undefined) yield* pool.warm
    const startCpu = process.cpuUsage(startCpu0)
    const workersStart = { wallS: (performance.now() - start0) / 1000, cpuS: (startCpu.user + startCpu.system) / 1e6 }
    const warmupRows = Number(process.env.BENCH_WARMUP_ROWS ?? 0)
    let warmup: { rows: number; wallS: number; cpuS: number } | undefined
    if (warmupRows > 0) {
      const groups = yield* Effect.scoped(Effect.map(Effect.flatMap(NodeFile.source(input), (s) => Parquet.open(s, input)), (p) => {
        let rows = 0
        let g = 0
        while (g < p.info.rowGroups.length && rows < warmupRows) rows += p.info.rowGroups[g++]!
        return g
      }))
      const w0 = performance.now()
      const c0 = process.cpuUsage()
      const done = yield* job(input, `${output}.warmup`, pool, groups)
      const c = process.cpuUsage(c0)
      warmup = { rows: done.rows, wallS: (performance.now() - w0) / 1000, cpuS: (c.user + c.system) / 1e6 }
      fs.rmSync(`${output}.warmup`, { force: true })
    }
    const threads0 = process.env.BENCH_THREADS === "1" ? threadCpu() : undefined
    mark("start")
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const done = yield* job(input, output, pool)
    const cpu = process.cpuUsage(cpu0)
    const wallS = (performance.now() - t0) / 1000
    mark("end")
    return {
      rows: done.rows,
      engineS: done.engineMs / 1000,
      workers,
      ...(pool !== undefined ? { workersStart } : {}),
      ...(warmup !== undefined ? { warmup } : {}),
      ...(threads0 !== undefined ? { threads: threadSplit(threads0, threadCpu(), workers) } : {}),
      timed: { wallS, cpuS: (cpu.user + cpu.system) / 1e6 }
    }
  }))

// The reference indexes are built once at start, as the local service does (Engine.warmUp): not timed.
if (mode === "e2e") Engine.warmUp()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const measured = await Effect.runPromise(
  mode === "gen"
    ? Effect.map(gen(a!, Number(b)), (r) => ({ ...r, engineS: 0 }))
    : mode === "floor"
    ? floor(a!, b!)
    : mode === "outfloor"
    ? outfloor(a!, b!)
    : e2e(a!, b!)
)
const all = process.cpuUsage(cpu0)
// e2e times itself from after the workers are up; the others from here
const { timed, ...result } = measured as typeof measured & { timed?: { wallS: number; cpuS: number } }
process.stdout.write(JSON.stringify({
  ...result,
  wallS: timed?.wallS ?? (performance.now() - t0) / 1000,
  cpuS: timed?.cpuS ?? (all.user + all.system) / 1e6,
  rssMiB: process.resourceUsage().maxRSS / 1024
}) + "\n")
