/**
 * geojobs-worker tracking bench: N jobs (default 10,000) in flight at once against the local
 * service, which runs in a process of its own (this file again, `--serve`; runner manual: jobs
 * move only when told, over IPC), so the heap measured here is the worker's alone. Per tracking
 * round: the jobs tracked, the Jobs API calls made vs jobs/100, and the heap after a full GC
 * (`global.gc()`; the script restarts itself with `--expose-gc` when it lacks it), while a share
 * of the jobs starts and finishes between rounds. Ends with two verdict lines. Set-up (not
 * measured): the batches go through the ledger's API; their jobs are written into the service's
 * store by the service process, as StartJob records them, without 10,000 HTTP calls.
 * Run: pnpm exec tsx apps/worker/bench/tracking.ts [jobs] [rate per op]
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Queue from "effect/Queue"
import { type ChildProcess, fork, spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { randomUUID } from "node:crypto"
import type { NewJobRecord } from "@geojobs/service/JobRecord"
import { Ledger } from "../src/Ledger.js"
import * as LimitedJobs from "../src/LimitedJobs.js"
import * as Metrics from "../src/Metrics.js"
import * as RateLimiter from "../src/RateLimiter.js"
import * as SqliteLedger from "../src/SqliteLedger.js"
import * as Tracker from "../src/Tracker.js"
import { defaults } from "../src/WorkerSettings.js"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"

const self = fileURLToPath(import.meta.url)
const ROUNDS = 10

/** Messages to the service process, and its answers. */
type Command =
  | { readonly type: "create"; readonly names: ReadonlyArray<string>; readonly roleArn: string }
  | { readonly type: "advance"; readonly ids: ReadonlyArray<string>; readonly complete: "half" | "all" }
  | { readonly type: "stop" }
type Answer =
  | { readonly type: "ready"; readonly url: string; readonly region: string; readonly credentials: { accessKeyId: string; secretAccessKey: string } }
  | { readonly type: "created"; readonly jobs: ReadonlyArray<{ readonly jobId: string; readonly createdAt: number }> }
  | { readonly type: "done"; readonly moved: number }

// ---------------------------------------------------------------------------------------------
// The local service, in its own process
// ---------------------------------------------------------------------------------------------

const serve = (dataDir: string) =>
  Effect.scoped(Effect.gen(function*() {
    // imported here only: the service (with its reference data) is not part of the worker's heap
    const LocalService = yield* Effect.promise(() => import("@geojobs/local/LocalService"))
    const local = yield* LocalService.make({ port: 0, dataDir, runner: "manual" })
    const inbox = yield* Queue.unbounded<Command>()
    process.on("message", (m) => Queue.unsafeOffer(inbox, m as Command))
    process.on("disconnect", () => Queue.unsafeOffer(inbox, { type: "stop" }))
    const answer = (a: Answer) => Effect.async<void>((resume) => void process.send!(a, () => resume(Effect.void)))
    yield* answer({ type: "ready", url: local.url, region: local.region, credentials: local.credentials! })
    for (;;) {
      const c = yield* Queue.take(inbox)
      if (c.type === "stop") return
      if (c.type === "create") {
        // as StartJob records them (without the HTTP, the signing and the JSON: set-up, not measured)
        const jobs: Array<{ jobId: string; createdAt: number }> = []
        for (const name of c.names) {
          const jobId = `${name}-${randomUUID()}`
          const now = Date.now()
          const job: NewJobRecord = {
            jobId,
            jobArn: `arn:aws:geo:${local.region}:000000000000:job/${jobId}`,
            name,
            action: "ValidateAddress",
            executionRoleArn: c.roleArn,
            inputOptions: { Location: `s3://bench/in/${name}/`, Format: "Parquet" },
            outputOptions: { Location: "s3://bench/out/", Format: "Parquet" },
            status: "Pending",
            createdAt: now,
            updatedAt: now,
            version: 1
          }
          yield* local.store.insert(job)
          jobs.push({ jobId, createdAt: now })
        }
        yield* answer({ type: "created", jobs })
        continue
      }
      let moved = 0
      for (let k = 0; k < c.ids.length; k++) {
        const id = c.ids[k]!
        yield* Effect.ignore(local.driver.markRunning(id))
        if (c.complete === "all" || k % 2 === 0) yield* Effect.ignore(local.driver.markCompleted(id))
        moved++
      }
      yield* answer({ type: "done", moved })
    }
  }))

/** Starts the service process; resolves with it and its address once it is ready. */
const startService = (dataDir: string) =>
  Effect.acquireRelease(
    Effect.async<{ child: ChildProcess; ready: Extract<Answer, { type: "ready" }> }, Error>((resume) => {
      const child = fork(self, ["--serve", dataDir], {
        execArgv: process.execArgv.filter((a) => a !== "--expose-gc"),
        stdio: ["ignore", "ignore", "inherit", "ipc"]
      })
      const early = (code: number | null) => resume(Effect.fail(new Error(`the local service exited with ${code} before it was ready`)))
      child.once("exit", early)
      child.once("message", (m) => {
        child.off("exit", early)
        resume(Effect.succeed({ child, ready: m as Extract<Answer, { type: "ready" }> }))
      })
    }),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
        child.once("exit", () => {
          clearTimeout(timer)
          resume(Effect.void)
        })
        child.send({ type: "stop" } satisfies Command)
      })
  )

/** Sends a command and waits for its answer. */
const ask = (child: ChildProcess, c: Command) =>
  Effect.async<Answer>((resume) => {
    child.once("message", (m) => resume(Effect.succeed(m as Answer)))
    child.send(c)
  })

// ---------------------------------------------------------------------------------------------
// The worker side (this process)
// ---------------------------------------------------------------------------------------------

const heapAfterGc = () => {
  const gc = (globalThis as { gc?: () => void }).gc!
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

const bench = (N: number, rate: number) =>
  Effect.scoped(Effect.gen(function*() {
    // files in memory when possible: the disk's fsyncs are not what is measured here
    const dir = Fs.mkdtempSync(Path.join(Fs.existsSync("/dev/shm") ? "/dev/shm" : Os.tmpdir(), "geojobs-worker-bench-"))
    yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
    const { child, ready } = yield* startService(Path.join(dir, "local"))
    console.log(`worker-tracking: ${N} jobs; local service in its own process (pid ${child.pid}); heap measured here after global.gc()`)
    // the Jobs API client the tracker uses (retries and rate limit as in the worker)
    const inner = Context.get(
      yield* Layer.build(NodeLocationJobs.layer({ endpoint: ready.url, region: ready.region, credentials: ready.credentials, retry: false })),
      LocationJobs
    )
    const ledger = Context.get(yield* Layer.build(SqliteLedger.layer(Path.join(dir, "ledger.sqlite"))), Ledger)
    const metrics = Metrics.make()
    const limiter = yield* RateLimiter.make({ defaultLimit: { rate } })
    const jobs = LimitedJobs.make(inner, { limiter, metrics })
    const settings = { ...defaults(dir), maxGetJobsPerRound: 20, collect: false }

    const t0 = performance.now()
    const batches = yield* Effect.forEach(
      Array.from({ length: N }, (_, i) => i),
      (i) => Effect.map(ledger.submit({ source: `s3://bench/in/${i}/`, key: `bench-${i}` }), (r) => r.batch.id),
      { concurrency: 32 }
    )
    const created = yield* ask(child, { type: "create", names: batches, roleArn: settings.roleArn })
    if (created.type !== "created") return yield* Effect.dieMessage(`unexpected answer ${created.type}`)
    const ids = created.jobs.map((j) => j.jobId)
    yield* Effect.forEach(batches, (id, i) =>
      ledger.transition(id, ["Uploaded"], { state: "Submitted", jobId: ids[i]!, jobStatus: "Pending", submittedAt: created.jobs[i]!.createdAt }), {
      concurrency: 32,
      discard: true
    })
    console.log(`set-up: ${N} batches recorded and their jobs created in ${((performance.now() - t0) / 1000).toFixed(1)} s; heap after GC ${heapAfterGc().toFixed(1)} MiB`)

    const state = Tracker.makeState()
    const deps: Tracker.TrackerDeps = { ledger, jobs, settings, metrics }
    const perRound = Math.ceil(N / 8)
    let next = 0
    const heaps: Array<number> = []
    const ratios: Array<number> = []
    console.log(`round  tracked  calls  (list/get/cancel)  jobs/100  changed  heapMiB after GC  round s`)
    for (let r = 1; r <= ROUNDS; r++) {
      const started = performance.now()
      const rep = yield* Tracker.round(deps, state)
      const seconds = (performance.now() - started) / 1000
      const heap = heapAfterGc()
      heaps.push(heap)
      const per100 = Math.ceil(rep.tracked / 100)
      if (rep.tracked > 0) ratios.push(rep.calls / per100)
      console.log(
        `${String(r).padStart(5)}  ${String(rep.tracked).padStart(7)}  ${String(rep.calls).padStart(5)}  ${`(${rep.listCalls}/${rep.getCalls}/${rep.cancelCalls})`.padEnd(17)}  ${String(per100).padStart(8)}  ${String(rep.changed).padStart(7)}  ${heap.toFixed(1).padStart(16)}  ${seconds.toFixed(1).padStart(7)}`
      )
      if (rep.tracked === 0) break
      // between rounds (in the service's process): some jobs start, half of those finish; after the
      // last share, every job finishes
      const share = ids.slice(next, next + perRound)
      next += share.length
      if (share.length > 0) yield* ask(child, { type: "advance", ids: share, complete: "half" })
      if (next >= ids.length) yield* ask(child, { type: "advance", ids, complete: "all" })
    }
    const lo = Math.min(...heaps)
    const hi = Math.max(...heaps)
    const flat = hi / lo <= 1.25
    console.log(
      `memory ${flat ? "flat" : "NOT flat"}: heap after GC ${lo.toFixed(1)}–${hi.toFixed(1)} MiB over ${heaps.length} rounds (max/min ${(hi / lo).toFixed(2)}; jobs tracked ${N} → 0)`
    )
    const worst = Math.max(...ratios)
    console.log(
      `calls per round ≈ jobs/100: ${worst <= 2 ? "yes" : "no"} (calls ÷ ⌈jobs/100⌉ ${Math.min(...ratios).toFixed(2)}–${worst.toFixed(2)} over ${ratios.length} rounds with jobs in flight; GetJob calls ${metrics.value("geojobs_worker_api_calls_total", { operation: "GetJob", outcome: "ok" })})`
    )
  }))

// ---------------------------------------------------------------------------------------------

const quiet = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e.pipe(Logger.withMinimumLogLevel(LogLevel.Warning)))
const fatal = (e: unknown) => {
  console.error(e)
  process.exit(1)
}

if (process.argv[2] === "--serve") {
  quiet(serve(process.argv[3]!)).then(() => process.exit(0), fatal)
} else if (typeof (globalThis as { gc?: unknown }).gc !== "function") {
  // GC on demand is needed for a clean heap figure: run again with --expose-gc (same loader).
  const r = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", self, ...process.argv.slice(2)], { stdio: "inherit" })
  process.exit(r.status ?? 1)
} else {
  quiet(bench(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 50))).catch(fatal)
}
