/**
 * `pnpm bench`: every benchmark of geojobs in one run, printed as one table and written into
 * `bench/README.md` ("Latest results"). Each figure comes from child processes (see README for how
 * each is measured); this process only orchestrates, so its own CPU does not count.
 *
 * Settings (environment): BENCH_ROUNDS (per-call rounds, default 5), BENCH_CALLS_C1 / BENCH_CALLS_C32
 * (calls of the early window per process, twice that in the steady one; default 1000 / 1000),
 * BENCH_WARMUP (calls before the early window, default 500), BENCH_STEADY_AFTER (calls between the
 * two windows, default 1500), BENCH_PERCALL_BUDGET_S (no new
 * per-call round starts after this many seconds, default 330), BENCH_COLD_RUNS
 * (default 11), BENCH_ROWS (engine rows, default 1,000,000), BENCH_SKIP (comma list of sections to
 * skip: percall, cold, bundle, engine, worker, startup, mainjob), BENCH_STARTUP_RUNS (processes per command
 * in the start-up section, default 7), BENCH_MAINJOB_ROWS and BENCH_MAINJOB_RUNS (the main job's rows,
 * default 1,000,000, and runs of each line, default 5), BENCH_NO_README=1 (do not touch README.md).
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { benchDir, buildAll, built } from "./build.js"
import { measureBundles } from "./bundle/size.js"
import { buildSplit, builtSplit } from "./coldstart/build.js"
import { mainJob } from "./mainjob.js"
import { startup } from "./startup.js"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ROUNDS = env("BENCH_ROUNDS", 5)
const CALLS_C1 = env("BENCH_CALLS_C1", 1000)
const CALLS_C32 = env("BENCH_CALLS_C32", 1000)
const WARMUP = env("BENCH_WARMUP", 500)
const STEADY_AFTER = env("BENCH_STEADY_AFTER", 1500)
const COLD_RUNS = env("BENCH_COLD_RUNS", 11)
const ROWS = env("BENCH_ROWS", 1_000_000)
/** Time the per-call section may take: no new round starts after it (at least one round runs). */
const PERCALL_BUDGET_S = env("BENCH_PERCALL_BUDGET_S", 330)
const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").filter((s) => s !== ""))
const repoDir = path.resolve(benchDir, "..")
const tsx = path.join(repoDir, "node_modules", ".bin", "tsx")

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)
const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const spread = (xs: ReadonlyArray<number>): number => {
  const m = median(xs)
  return xs.length < 2 ? 0 : (Math.max(...xs) - Math.min(...xs)) / m
}

/** Runs a child to its end; resolves with stdout (rejects on a non-zero exit). */
const run = (command: string, args: ReadonlyArray<string>, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) =>
  new Promise<{ stdout: string; ms: number }>((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
    child.on("error", reject)
    child.on("close", (code) => {
      const ms = performance.now() - t0
      if (timer) clearTimeout(timer)
      if (code === 0) resolve({ stdout, ms })
      else reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}: ${stderr.slice(-2000)}`))
    })
  })

const lastJson = <A>(stdout: string): A => JSON.parse(stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop()!) as A

// ---------------------------------------------------------------------------------------------
// The loopback server (its own process)
// ---------------------------------------------------------------------------------------------

const startServer = async () => {
  const child = spawn(process.execPath, [built("server")], { stdio: ["pipe", "pipe", "inherit"] })
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    lines.on("line", (l) => {
      const m = /^PORT (\d+)/.exec(l)
      if (m) resolve(Number(m[1]))
    })
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })
  const stats = async () =>
    (await (await fetch(`http://127.0.0.1:${port}/__stats`)).json()) as { connections: number; requests: number }
  return { port, stats, stop: () => child.kill("SIGTERM") }
}

// ---------------------------------------------------------------------------------------------
// Per-call cost
// ---------------------------------------------------------------------------------------------

interface PerCallSample {
  /** CPU µs per call in the steady window. */
  readonly usPerCall: number
  /** CPU µs per call in the early window (right after the warm-up). */
  readonly earlyUsPerCall: number
  readonly callsPerSec: number
  readonly rssMiB: number
  readonly gcShare: number
  readonly connections: number
}

const clients = [
  { id: "geojobs-node", label: "ours: @geojobs/node (default: auto)", program: "percall-geojobs-node", env: {} },
  { id: "geojobs-node-micro", label: "ours: @geojobs/node Micro client", program: "percall-geojobs-node-micro", env: {} },
  { id: "geojobs-node-platform", label: "ours: @geojobs/node + platform layerUndici", program: "percall-geojobs-node", env: { BENCH_TRANSPORT: "platform" } },
  { id: "geojobs-fetch", label: "ours: @geojobs/fetch (global fetch)", program: "percall-geojobs-fetch", env: {} },
  { id: "sdk", label: "@aws-sdk/client-location", program: "percall-sdk", env: {} },
  { id: "floor", label: "floor: signature-v4 + node:http", program: "percall-floor", env: {} }
] as const

const configs = [
  { op: "StartJob", c: 1 },
  { op: "StartJob", c: 32 },
  { op: "GetJob", c: 1 },
  { op: "GetJob", c: 32 }
] as const

const perCall = async (server: Awaited<ReturnType<typeof startServer>>) => {
  const samples = new Map<string, Array<PerCallSample>>()
  const t0 = performance.now()
  let rounds = 0
  for (let round = 1; round <= ROUNDS; round++) {
    const elapsedS = (performance.now() - t0) / 1000
    if (round > 1 && elapsedS + elapsedS / (round - 1) > PERCALL_BUDGET_S) {
      log(`per-call: stopping after ${round - 1} rounds (time budget ${PERCALL_BUDGET_S} s)`)
      break
    }
    rounds = round
    for (const { op, c } of configs) {
      // Clients interleaved within a round, in a rotating order, so load changes hit all of them.
      const order = clients.map((_, i) => clients[(i + round) % clients.length]!)
      for (const client of order) {
        const calls = c === 1 ? CALLS_C1 : CALLS_C32
        const before = await server.stats()
        const { stdout } = await run(process.execPath, [built(client.program), String(server.port), op, String(c), String(calls), String(WARMUP), String(STEADY_AFTER)], {
          env: client.env,
          timeoutMs: 300_000
        })
        const after = await server.stats()
        const sample = { ...lastJson<Omit<PerCallSample, "connections">>(stdout), connections: after.connections - before.connections - 1 }
        const key = `${client.id}|${op}|${c}`
        samples.set(key, [...(samples.get(key) ?? []), sample])
        log(`per-call round ${round} ${op} C=${c} ${client.id}: ${sample.usPerCall.toFixed(0)} µs/call (early ${sample.earlyUsPerCall.toFixed(0)}), ${sample.callsPerSec.toFixed(0)} calls/s, ${sample.rssMiB.toFixed(0)} MiB, ${sample.connections} connections`)
      }
    }
  }
  return { samples, rounds }
}

// ---------------------------------------------------------------------------------------------
// Cold start
// ---------------------------------------------------------------------------------------------

/**
 * Cold-start variants: the program (a bundle of `build.ts`, or the same program bundled with code
 * splitting, `coldstart/build.ts`), and the environment it runs with.
 */
const coldVariants = {
  "ours: @geojobs/node": { program: built("coldstart-geojobs-node"), env: {} },
  "ours: @geojobs/node Micro client": { program: built("coldstart-geojobs-node-micro"), env: {} },
  "ours: @geojobs/node transport:undici-lean": { program: built("coldstart-geojobs-node"), env: { BENCH_TRANSPORT: "undici-lean" } },
  "ours: @geojobs/node, bundle split": { program: builtSplit("coldstart-geojobs-node"), env: {} },
  "@aws-sdk/client-location, bundle split": { program: builtSplit("coldstart-sdk"), env: {} },
  "@aws-sdk/client-location": { program: built("coldstart-sdk"), env: {} }
} as const

/**
 * The goal line: the best median of our rows (bundle split ones aside: the SDK's own bundle is the
 * yardstick, and splitting is the bundler's doing) against the SDK's, naming the client.
 */
const coldGoal = (t: Record<keyof typeof coldVariants, Array<number>>): string => {
  const sdk = median(t["@aws-sdk/client-location"])
  const ours = (Object.keys(t) as Array<keyof typeof coldVariants>)
    .filter((name) => name.startsWith("ours:") && !name.endsWith("bundle split"))
    .map((name) => ({ name, ms: median(t[name]) }))
    .sort((a, b) => a.ms - b.ms)
  const best = ours[0]!
  const meeting = ours.filter((o) => o.ms < sdk).map((o) => `"${o.name}"`)
  return `goal: cold start below the SDK's: ${best.ms < sdk ? "met" : "NOT met"} ` +
    `(best of ours "${best.name}" ${best.ms.toFixed(0)} ms vs the SDK's ${sdk.toFixed(0)} ms, ${(best.ms / sdk).toFixed(2)}×` +
    `${meeting.length === 0 ? "" : `; met by ${meeting.join(", ")}`})`
}

const coldStart = async (port: number) => {
  await buildSplit()
  const times = Object.fromEntries(Object.keys(coldVariants).map((name) => [name, []])) as unknown as Record<
    keyof typeof coldVariants,
    Array<number>
  >
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const name of Object.keys(coldVariants) as Array<keyof typeof coldVariants>) {
      const { env, program } = coldVariants[name]
      const { ms } = await run(process.execPath, [program, String(port)], { env, timeoutMs: 60_000 })
      times[name].push(ms)
    }
  }
  for (const name of Object.keys(times) as Array<keyof typeof coldVariants>) {
    log(`cold start: ${name} ${times[name].map((t) => t.toFixed(0)).join(" ")} ms`)
  }
  return times
}

// ---------------------------------------------------------------------------------------------
// Engine
// ---------------------------------------------------------------------------------------------

interface EngineResult {
  readonly rows: number
  readonly wallS: number
  readonly cpuS: number
  readonly engineS: number
  readonly rssMiB: number
  /** e2e: the workers' start before the timed job (not timed in it). */
  readonly workersStart?: { readonly wallS: number; readonly cpuS: number }
}

/** Of several runs of one measure, the one of median wall time (this machine's speed moves ±15% from run to run). */
const medianRun = (runs: ReadonlyArray<EngineResult>): EngineResult => [...runs].sort((a, b) => a.wallS - b.wallS)[Math.floor(runs.length / 2)]!

const engine = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "geojobs-bench-"))
  const script = path.join(benchDir, "src", "engine", "run.ts")
  const child = (...args: Array<string>) => childWith({}, ...args)
  const childWith = (env: NodeJS.ProcessEnv, ...args: Array<string>) =>
    run(tsx, [script, ...args], { env, timeoutMs: 600_000 }).then((r) => lastJson<EngineResult>(r.stdout))
  try {
    const small = Math.round(ROWS / 10)
    const big = path.join(dir, "in-big.parquet")
    const little = path.join(dir, "in-small.parquet")
    log(`engine: generating ${ROWS} and ${small} rows`)
    await child("gen", big, String(ROWS))
    await child("gen", little, String(small))
    const floor = await child("floor", big, path.join(dir, "floor.parquet"))
    log(`engine: floor ${JSON.stringify(floor)}`)
    // end to end, three runs each, taking turns: the service's first job with workers started
    // cold (their code not yet compiled by V8), its first job with workers started and warmed
    // up on sample rows (`geojobs-local --warm-workers`), and a later job (a first job of
    // 200,000 rows run before the timed one)
    const cold: Array<EngineResult> = []
    const started: Array<EngineResult> = []
    const warm: Array<EngineResult> = []
    for (let k = 0; k < 3; k++) {
      cold.push(await child("e2e", big, path.join(dir, "out-big.parquet")))
      log(`engine: e2e ${ROWS} first job ${JSON.stringify(cold[k])}`)
      started.push(await childWith({ BENCH_WARM_START: "0" }, "e2e", big, path.join(dir, "out-big.parquet")))
      log(`engine: e2e ${ROWS} first job, warm workers ${JSON.stringify(started[k])}`)
      warm.push(await childWith({ BENCH_WARMUP_ROWS: "200000" }, "e2e", big, path.join(dir, "out-big.parquet")))
      log(`engine: e2e ${ROWS} later job ${JSON.stringify(warm[k])}`)
    }
    const e2eBig = medianRun(cold)
    const e2eStarted = medianRun(started)
    const e2eWarm = medianRun(warm)
    const e2eSmall = await child("e2e", little, path.join(dir, "out-small.parquet"))
    log(`engine: e2e ${small} ${JSON.stringify(e2eSmall)}`)
    // twice the rows: memory that stopped growing stays where it is
    const double = path.join(dir, "in-double.parquet")
    await child("gen", double, String(2 * ROWS))
    const e2eDouble = await child("e2e", double, path.join(dir, "out-double.parquet"))
    log(`engine: e2e ${2 * ROWS} ${JSON.stringify(e2eDouble)}`)
    fs.rmSync(double, { force: true })
    const output = await child("outfloor", path.join(dir, "out-big.parquet"), path.join(dir, "outfloor.parquet"))
    log(`engine: output floor ${JSON.stringify(output)}`)
    return { floor, e2eBig, e2eStarted, e2eWarm, e2eSmall, e2eDouble, small, output }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Worker tracking (the worker's own bench, apps/worker/bench/tracking.ts, run as a child process)
// ---------------------------------------------------------------------------------------------

const worker = async (): Promise<string> => {
  const script = path.join(benchDir, "..", "apps", "worker", "bench", "tracking.ts")
  try {
    // --expose-gc: it samples the heap after global.gc() (it would restart itself with the flag otherwise)
    const { stdout, ms } = await run(tsx, ["--expose-gc", script], { timeoutMs: 300_000 })
    // Its own lines, as it prints them (it makes its own table and verdict lines).
    const lines = stdout.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "")
    return [...lines, `(apps/worker/bench/tracking.ts, run as a child process: ${fmt(ms / 1000, 1)} s)`].join("\n")
  } catch (e) {
    return `not available (worker-tracking failed: ${String((e as Error).message).split("\n")[0]})`
  }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a"
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths: Array<number> = []
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd()).join("\n")
}

const main = async () => {
  const started = performance.now()
  const load0 = os.loadavg()
  log("bundling the child programs")
  await buildAll()
  const sections: Array<string> = []
  const server = await startServer()
  try {
    if (!skip.has("percall")) {
      const { samples, rounds } = await perCall(server)
      const get = (id: string, op: string, c: number) => samples.get(`${id}|${op}|${c}`) ?? []
      const rows: Array<Array<string>> = [["client", "op", "C", "µs CPU/call", "calls/s", "peak RSS MiB", "GC %", "conns", "/SDK", "/floor", "spread", "early µs", "early /SDK", "early /floor"]]
      for (const { op, c } of configs) {
        const sdk = median(get("sdk", op, c).map((s) => s.usPerCall))
        const floor = median(get("floor", op, c).map((s) => s.usPerCall))
        const sdkEarly = median(get("sdk", op, c).map((s) => s.earlyUsPerCall))
        const floorEarly = median(get("floor", op, c).map((s) => s.earlyUsPerCall))
        for (const client of clients) {
          const ss = get(client.id, op, c)
          const us = median(ss.map((s) => s.usPerCall))
          const early = median(ss.map((s) => s.earlyUsPerCall))
          rows.push([
            client.label,
            op,
            String(c),
            fmt(us),
            fmt(median(ss.map((s) => s.callsPerSec))),
            fmt(Math.max(...ss.map((s) => s.rssMiB))),
            fmt(100 * median(ss.map((s) => s.gcShare))),
            fmt(median(ss.map((s) => s.connections))),
            (us / sdk).toFixed(2),
            (us / floor).toFixed(2),
            `±${fmt(50 * spread(ss.map((s) => s.usPerCall)))}%`,
            fmt(early),
            (early / sdkEarly).toFixed(2),
            (early / floorEarly).toFixed(2)
          ])
        }
      }
      const ratio = (op: string, c: number, base: string, of: (s: PerCallSample) => number) =>
        median(get("geojobs-node", op, c).map(of)) / median(get(base, op, c).map(of))
      const steadyOf = (s: PerCallSample) => s.usPerCall
      const earlyOf = (s: PerCallSample) => s.earlyUsPerCall
      const goal = configs.map(({ op, c }) =>
        `${op} C=${c}: our/SDK ${ratio(op, c, "sdk", steadyOf).toFixed(2)} (goal ≤ 0.50), our/floor ${ratio(op, c, "floor", steadyOf).toFixed(2)} (goal ≤ 1.50)` +
        ` — early window: our/SDK ${ratio(op, c, "sdk", earlyOf).toFixed(2)}, our/floor ${ratio(op, c, "floor", earlyOf).toFixed(2)}`
      )
      const met = configs.every(({ op, c }) => ratio(op, c, "sdk", steadyOf) <= 0.5 && ratio(op, c, "floor", steadyOf) <= 1.5)
      sections.push(
        `PER-CALL COST — client CPU per call, loopback server in its own process, keep-alive; median of ${rounds} processes per cell,\n` +
          `steady window: ${2 * CALLS_C1} calls (C=1) / ${2 * CALLS_C32} calls (C=32) after ${WARMUP + CALLS_C1 + STEADY_AFTER} / ${WARMUP + CALLS_C32 + STEADY_AFTER}; ` +
          `"early": the ${CALLS_C1} / ${CALLS_C32} calls right after ${WARMUP} warm-up calls, while V8 still compiles;\n` +
          `"spread" = half the max-min range of the steady window over the rounds; the goal is judged on the steady window of "${clients[0].label}"\n` +
          table(rows) + "\n" + goal.join("\n") + `\ngoal (our/SDK ≤ 0.5 and our/floor ≤ 1.5 in all four): ${met ? "met" : "NOT met"}`
      )
    }
    if (!skip.has("cold")) {
      const t = await coldStart(server.port)
      const sdk = median(t["@aws-sdk/client-location"])
      sections.push(
        `COLD START — node process: import the client, one StartJob to a ready server, exit; wall ms, median of ${COLD_RUNS} (bundled with esbuild, not minified;\n` +
          `"bundle split": the same with code splitting, dynamic imports in chunks of their own)\n` +
          table([
            ["client", "median ms", "min ms", "max ms", "/SDK"],
            ...(Object.keys(t) as Array<keyof typeof coldVariants>).map((name) => [
              name,
              fmt(median(t[name])),
              fmt(Math.min(...t[name])),
              fmt(Math.max(...t[name])),
              (median(t[name]) / sdk).toFixed(2)
            ])
          ]) +
          "\n" + coldGoal(t)
      )
    }
  } finally {
    server.stop()
  }
  // The worker's figures (API calls per round, heap) and the bundle sizes do not depend on the
  // machine's load, so those two run side by side; nothing timed runs beside them. (The worker bench
  // used to run beside the per-call section: its set-up, ~12 s of CPU, disturbed that section's
  // first round.)
  const workerRun = skip.has("worker") ? undefined : worker()
  if (!skip.has("bundle")) {
    const sizes = await measureBundles(path.join(benchDir, "src"))
    const label = {
      sdk: "SDK: LocationClient + 4 commands",
      geojobs: "ours: @geojobs/fetch FetchLocationJobs (Effect) + static credentials",
      "geojobs-micro": "ours: @geojobs/fetch FetchMicroLocationJobs (Micro) + static credentials"
    } as const
    const rows: Array<Array<string>> = [["program", "platform", "minified", "gzip", "gzip /SDK"]]
    for (const s of sizes) {
      const sdk = sizes.find((x) => x.program === "sdk" && x.platform === s.platform)!
      rows.push([label[s.program], s.platform, kib(s.minBytes), kib(s.gzipBytes), (s.gzipBytes / sdk.gzipBytes).toFixed(2)])
    }
    const gzipOf = (program: (typeof sizes)[number]["program"]) =>
      sizes.find((x) => x.program === program && x.platform === "browser")!.gzipBytes
    const best = Math.min(gzipOf("geojobs"), gzipOf("geojobs-micro"))
    const goal = `goal: browser bundle smaller than the SDK's: ${best < gzipOf("sdk") ? "met" : "NOT met"} ` +
      `(smallest of ours ${kib(best)} gzip vs the SDK's ${kib(gzipOf("sdk"))}, ${(best / gzipOf("sdk")).toFixed(2)}×)`
    sections.push("BUNDLE SIZE — esbuild --bundle --minify (ESM) of a program that starts one job; gzip level 9\n" + table(rows) + "\n" + goal)
  }
  // the engine section is timed: the worker bench ends first
  const workerText = workerRun === undefined ? undefined : await workerRun
  if (!skip.has("startup")) {
    try {
      sections.push(await startup())
    } catch (err) {
      sections.push(`START-UP — not available (${String((err as Error).message).split("\n")[0]})`)
    }
  }
  if (!skip.has("mainjob")) {
    try {
      sections.push(await mainJob())
    } catch (err) {
      sections.push(`MAIN JOB — not available (${String((err as Error).message).split("\n")[0]})`)
    }
  }
  if (!skip.has("engine")) {
    try {
      const e = await engine()
      const rate = (r: EngineResult, s = r.wallS) => fmt(r.rows / s)
      const startOf = (r: EngineResult) =>
        r.workersStart === undefined ? "n/a" : `${fmt(r.workersStart.wallS, 1)} s wall, ${fmt(r.workersStart.cpuS, 1)} CPU-s`
      sections.push(
        `ENGINE — ${fmt(ROWS)} address rows, Parquet in → out on local files (row groups of 100,000), one process per line\n` +
          table([
            ["measure", "rows/s wall", "rows/CPU-s", "wall s", "peak RSS MiB"],
            ["floor: read + write Parquet, no engine", rate(e.floor), rate(e.floor, e.floor.cpuS), fmt(e.floor.wallS, 1), fmt(e.floor.rssMiB)],
            ["output floor: encode + write the e2e output alone, 1 thread", rate(e.output), rate(e.output, e.output.cpuS), fmt(e.output.wallS, 1), ""],
            ["engine alone (rows per engine-thread-second), later job", rate(e.e2eWarm, e.e2eWarm.engineS), "", fmt(e.e2eWarm.engineS, 1), ""],
            ["read → engine → write (end to end), later job", rate(e.e2eWarm), rate(e.e2eWarm, e.e2eWarm.cpuS), fmt(e.e2eWarm.wallS, 1), fmt(e.e2eWarm.rssMiB)],
            ["end to end, a first job, workers warmed at start (--warm-workers)", rate(e.e2eStarted), rate(e.e2eStarted, e.e2eStarted.cpuS), fmt(e.e2eStarted.wallS, 1), fmt(e.e2eStarted.rssMiB)],
            ["end to end, a first job, workers started cold", rate(e.e2eBig), rate(e.e2eBig, e.e2eBig.cpuS), fmt(e.e2eBig.wallS, 1), fmt(e.e2eBig.rssMiB)],
            [`end to end, ${fmt(e.small)} rows`, rate(e.e2eSmall), rate(e.e2eSmall, e.e2eSmall.cpuS), fmt(e.e2eSmall.wallS, 1), fmt(e.e2eSmall.rssMiB)],
            [`end to end, ${fmt(2 * ROWS)} rows`, rate(e.e2eDouble), rate(e.e2eDouble, e.e2eDouble.cpuS), fmt(e.e2eDouble.wallS, 1), fmt(e.e2eDouble.rssMiB)]
          ]) +
          `\n(end to end: the median of three runs each, but ${fmt(e.small)} and ${fmt(2 * ROWS)} rows (one run, workers started cold);` +
          ` the workers' start is not timed: cold ${startOf(e.e2eBig)}, warmed ${startOf(e.e2eStarted)})` +
          `\ngoal ≥ 200,000 rows/s end to end (a running service's job): ${e.e2eWarm.rows / e.e2eWarm.wallS >= 200_000 ? "met" : "NOT met"}` +
          ` (${fmt(e.e2eWarm.rows / e.e2eWarm.wallS)}; a first job ${fmt(e.e2eStarted.rows / e.e2eStarted.wallS)} with warmed workers,` +
          ` ${fmt(e.e2eBig.rows / e.e2eBig.wallS)} cold); ` +
          `memory ${fmt(e.e2eSmall.rssMiB)} MiB at ${fmt(e.small)} rows vs ${fmt(e.e2eBig.rssMiB)} MiB at ${fmt(ROWS)} (×${(e.e2eBig.rssMiB / e.e2eSmall.rssMiB).toFixed(2)})` +
          ` vs ${fmt(e.e2eDouble.rssMiB)} MiB at ${fmt(2 * ROWS)} (×${(e.e2eDouble.rssMiB / e.e2eBig.rssMiB).toFixed(2)} of ${fmt(ROWS)})`
      )
    } catch (err) {
      sections.push(`ENGINE — not available (${String((err as Error).message).split("\n")[0]})`)
    }
  }
  if (workerText !== undefined) {
    sections.push("WORKER TRACKING — apps/worker/bench/tracking.ts (10,000 batches tracked at once)\n" + workerText)
  }
  const minutes = (performance.now() - started) / 60_000
  const header =
    `geojobs bench — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ` +
    `load average ${load0.map((l) => l.toFixed(1)).join(" ")} at start, ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at end; run took ${minutes.toFixed(1)} min`
  const text = [header, ...sections].join("\n\n")
  console.log("\n" + text)
  if (process.env.BENCH_NO_README !== "1") writeReadme(text)
}

const begin = "<!-- latest-results:begin -->"
const end = "<!-- latest-results:end -->"

/** Replaces the "latest results" block of bench/README.md. */
const writeReadme = (text: string) => {
  const file = path.join(benchDir, "README.md")
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : `# @geojobs/bench\n\n${begin}\n${end}\n`
  const block = `${begin}\n\`\`\`text\n${text}\n\`\`\`\n${end}`
  const next = current.includes(begin) && current.includes(end)
    ? current.slice(0, current.indexOf(begin)) + block + current.slice(current.indexOf(end) + end.length)
    : `${current}\n${block}\n`
  fs.writeFileSync(file, next)
}

await main()
process.exit(0)
