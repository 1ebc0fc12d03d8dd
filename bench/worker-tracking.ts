/**
 * geojobs-worker tracking bench: N jobs (default 10,000) in flight at once against the local
 * service (runner manual: jobs move only when told). Prints, per tracking round, the jobs
 * tracked, the Jobs API calls made vs jobs/100, and the heap, while a share of the jobs finishes
 * between rounds. Run: pnpm exec tsx bench/worker-tracking.ts [jobs] [rate per op]
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../apps/local/src/LocalService.js"
import { Ledger } from "../apps/worker/src/Ledger.js"
import * as LimitedJobs from "../apps/worker/src/LimitedJobs.js"
import * as Metrics from "../apps/worker/src/Metrics.js"
import * as Program from "../apps/worker/src/Program.js"
import * as RateLimiter from "../apps/worker/src/RateLimiter.js"
import * as Tracker from "../apps/worker/src/Tracker.js"
import { defaults } from "../apps/worker/src/WorkerSettings.js"
import { LocationJobs } from "../packages/core/src/LocationJobs.js"
import * as NodeLocationJobs from "../packages/node/src/NodeLocationJobs.js"

const N = Number(process.argv[2] ?? 10_000)
const rate = Number(process.argv[3] ?? 50)
const mib = () => (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)

const main = Effect.scoped(Effect.gen(function*() {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-bench-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
  const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runner: "manual" })
  const inner = Context.get(
    yield* Layer.build(NodeLocationJobs.layer({ endpoint: local.url, region: local.region, credentials: local.credentials!, retry: false })),
    LocationJobs
  )
  const ledger = Context.get(yield* Layer.build(Program.ledgerLayer(Path.join(dir, "ledger.sqlite"))), Ledger)
  const metrics = Metrics.make()
  const limiter = yield* RateLimiter.make({ defaultLimit: { rate } })
  const jobs = LimitedJobs.make(inner, { limiter, metrics })
  const settings = { ...defaults(dir), maxGetJobsPerRound: 20, collect: false }

  console.log(`creating ${N} jobs and batches (set-up, unthrottled) ...`)
  const ids = yield* Effect.forEach(Array.from({ length: N }, (_, i) => i), (i) =>
    Effect.gen(function*() {
      const { batch } = yield* ledger.submit({ source: `s3://bench/in/${i}/`, key: `bench-${i}` })
      const job = yield* inner.startJob({
        ClientToken: batch.clientToken, Action: "ValidateAddress", ExecutionRoleArn: settings.roleArn,
        InputOptions: { Location: `s3://bench/in/${i}/`, Format: "Parquet" }, OutputOptions: { Location: "s3://bench/out/", Format: "Parquet" }, Name: batch.id
      })
      yield* ledger.transition(batch.id, ["Uploaded"], { state: "Submitted", jobId: job.JobId, jobStatus: "Pending", submittedAt: job.CreatedAt.getTime() })
      return job.JobId
    }), { concurrency: 32 })

  const state = Tracker.makeState()
  const deps: Tracker.TrackerDeps = { ledger, jobs, settings, metrics }
  const perRound = Math.ceil(N / 8)
  let next = 0
  console.log(`round  tracked  calls  (list/get/cancel)  jobs/100  changed  heapMiB`)
  for (let r = 1; r <= 10; r++) {
    const rep = yield* Tracker.round(deps, state)
    console.log(`${String(r).padStart(5)}  ${String(rep.tracked).padStart(7)}  ${String(rep.calls).padStart(5)}  (${rep.listCalls}/${rep.getCalls}/${rep.cancelCalls})  ${String(Math.ceil(rep.tracked / 100)).padStart(14)}  ${String(rep.changed).padStart(7)}  ${mib()}`)
    if (rep.tracked === 0) break
    // between rounds: some jobs start, some finish
    for (let k = 0; k < perRound && next < ids.length; k++, next++) {
      yield* Effect.ignore(local.driver.markRunning(ids[next]!))
      if (k % 2 === 0) yield* Effect.ignore(local.driver.markCompleted(ids[next]!))
    }
    if (next >= ids.length) for (const id of ids) yield* Effect.ignore(local.driver.markCompleted(id))
  }
}))

Effect.runPromise(main.pipe(Logger.withMinimumLogLevel(LogLevel.Warning))).catch((e) => {
  console.error(e)
  process.exit(1)
})
