/**
 * The worker engine, in a scope: the stage loops (upload, start, collect) that claim batches
 * with leases, the lease heartbeat, the tracker (when this instance holds the role), the inbox
 * scanner and the HTTP API. Closing the scope is the graceful shutdown: stop claiming, give
 * running stage tasks `shutdownGraceMs` to finish, interrupt the rest, release every lease and
 * the tracker role so another instance can take over at once.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { LocationJobsService } from "@geojobs/core/LocationJobs"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Path from "node:path"
import type { Batch } from "./Batch.js"
import * as HttpApi from "./HttpApi.js"
import * as Inbox from "./Inbox.js"
import type * as Intake from "./Intake.js"
import type { LedgerService, Stage } from "./Ledger.js"
import type { MetricsService } from "./Metrics.js"
import type { ObjectStoreService } from "./ObjectStore.js"
import * as Stages from "./Stages.js"
import * as Tracker from "./Tracker.js"
import { WorkerConfigError } from "./WorkerError.js"
import type { WorkerSettings } from "./WorkerSettings.js"

/** What the engine runs on. */
export interface WorkerDeps {
  readonly settings: WorkerSettings
  readonly ledger: LedgerService
  /** The Jobs API, already rate-limited (see `LimitedJobs`). */
  readonly jobs: LocationJobsService
  readonly store: ObjectStoreService
  readonly metrics: MetricsService
  /** HTTP API address; omit to run without it. Port 0 picks a free port. */
  readonly http?: { readonly host: string; readonly port: number } | undefined
  /** Who may call the HTTP API, and what intake accepts (needed with `http`). */
  readonly api?: { readonly access: HttpApi.Access; readonly intake: Intake.IntakePolicy } | undefined
  /** Inbox directory to watch. */
  readonly inbox?: string | undefined
}

/** A running worker. */
export interface RunningWorker {
  readonly owner: string
  /** The HTTP API's base URL, when it runs. */
  readonly url: string | undefined
  /** Stops claiming new work (shutdown does this first). */
  readonly stopClaiming: Effect.Effect<void>
  /** Stage tasks running now. */
  readonly activeTasks: () => number
  /** Runs one tracking round now (tests, bench). */
  readonly trackOnce: Effect.Effect<Tracker.RoundReport, unknown>
}

/** Starts the worker in the scope. */
export const start = (deps: WorkerDeps): Effect.Effect<RunningWorker, WorkerConfigError, Scope.Scope> =>
  Effect.gen(function*() {
    const { ledger, metrics, settings } = deps
    const owner = settings.owner
    let stopping = false
    let active = 0

    // (runs last) give everything back
    yield* Effect.addFinalizer(() =>
      Effect.gen(function*() {
        const n = yield* Effect.orElseSucceed(ledger.release(owner), () => 0)
        yield* Effect.ignore(ledger.releaseRole("tracker", owner))
        yield* Effect.logInfo(`stopped; released ${n} lease(s)`)
      })
    )

    const tasks = yield* FiberSet.make<void, never>()
    const wakes: Record<Stage | "track", Queue.Queue<void>> = {
      upload: yield* Queue.sliding<void>(1),
      start: yield* Queue.sliding<void>(1),
      collect: yield* Queue.sliding<void>(1),
      track: yield* Queue.sliding<void>(1)
    }
    const wake = (s: Stage | "track") => Effect.asVoid(Queue.offer(wakes[s], undefined))
    const waitFor = (s: Stage | "track", ms: number) =>
      Effect.raceFirst(Queue.take(wakes[s]), Effect.sleep(Duration.millis(ms))).pipe(Effect.asVoid)

    const stageDeps: Stages.StageDeps = { ledger, jobs: deps.jobs, store: deps.store, settings, metrics }
    const runners: Record<Stage, { readonly concurrency: number; readonly run: (b: Batch) => Effect.Effect<void, unknown>; readonly next: Stage | "track" }> = {
      upload: { concurrency: settings.uploadConcurrency, run: (b) => Stages.upload(stageDeps, b), next: "start" },
      start: { concurrency: settings.startConcurrency, run: (b) => Stages.start(stageDeps, b), next: "track" },
      collect: { concurrency: settings.collectConcurrency, run: (b) => Stages.collect(stageDeps, b), next: "collect" }
    }

    const stageLoop = (stage: Stage) =>
      Effect.gen(function*() {
        const r = runners[stage]
        let running = 0
        while (!stopping) {
          const free = r.concurrency - running
          let claimed = 0
          if (free > 0) {
            const batches = yield* Effect.orElseSucceed(
              Effect.tapError(
                ledger.claim({ stage, owner, leaseMs: settings.leaseMs, limit: free, maxInFlight: stage === "start" ? settings.maxInFlight : undefined }),
                (e) => Effect.logWarning(`claim failed: ${e.message}`)
              ),
              () => [] as ReadonlyArray<Batch>
            )
            claimed = batches.length
            for (const b of batches) {
              running++
              active++
              metrics.set("geojobs_worker_inflight_tasks", {}, active)
              yield* FiberSet.run(
                tasks,
                r.run(b).pipe(
                  Effect.tap(() => Effect.sync(() => metrics.inc("geojobs_worker_stage_total", { stage, outcome: "done" }))),
                  Effect.catchAllCause((cause) =>
                    Effect.zipRight(
                      Effect.sync(() => metrics.inc("geojobs_worker_stage_total", { stage, outcome: "error" })),
                      Effect.logWarning("stage task failed", cause).pipe(Effect.annotateLogs({ batchId: b.id, stage }))
                    )
                  ),
                  Effect.ensuring(Effect.zipRight(
                    Effect.sync(() => {
                      running--
                      active--
                      metrics.set("geojobs_worker_inflight_tasks", {}, active)
                    }),
                    Effect.zipRight(wake(r.next), wake(stage))
                  ))
                )
              )
            }
          }
          if (claimed === 0 || claimed < free) yield* waitFor(stage, settings.pollMs)
        }
      }).pipe(Effect.annotateLogs({ stage }))

    const heartbeat = Effect.gen(function*() {
      for (;;) {
        yield* Effect.sleep(Duration.millis(Math.max(100, Math.floor(settings.leaseMs / 3))))
        yield* Effect.ignore(Effect.tapError(ledger.heartbeat(owner, settings.leaseMs), (e) => Effect.logWarning(`heartbeat failed: ${e.message}`)))
        yield* Effect.ignore(ledger.acquireRole("worker-alive", owner, settings.leaseMs))
      }
    })

    const trackerState = Tracker.makeState()
    const trackerDeps: Tracker.TrackerDeps = { ledger, jobs: deps.jobs, settings, metrics, onFinished: wake("collect") }
    const trackOnce = Tracker.round(trackerDeps, trackerState)
    const trackerLoop = Effect.gen(function*() {
      let holder = false
      while (!stopping) {
        const mine = yield* Effect.orElseSucceed(ledger.acquireRole("tracker", owner, settings.leaseMs), () => false)
        if (mine !== holder) {
          holder = mine
          yield* Effect.logInfo(mine ? "took the tracker role" : "another instance tracks jobs")
        }
        if (mine) {
          const startedAt = Date.now()
          const report = yield* Effect.either(trackOnce)
          if (report._tag === "Left") yield* Effect.logWarning(`tracking round failed: ${String(report.left)}`)
          else if (report.right.tracked > 0) {
            yield* Effect.logDebug(`round: ${report.right.tracked} jobs, ${report.right.calls} calls, ${report.right.changed} changed`)
          }
          const rest = settings.trackIntervalMs - (Date.now() - startedAt)
          if (rest > 0) yield* waitFor("track", rest)
        } else {
          yield* Effect.sleep(Duration.millis(Math.max(settings.trackIntervalMs, Math.floor(settings.leaseMs / 3))))
        }
      }
    }).pipe(Effect.annotateLogs({ stage: "track" }))

    yield* Effect.forkScoped(stageLoop("upload"))
    yield* Effect.forkScoped(stageLoop("start"))
    yield* Effect.forkScoped(stageLoop("collect"))
    yield* Effect.forkScoped(heartbeat)
    yield* Effect.forkScoped(trackerLoop)
    if (deps.inbox !== undefined) {
      const dir = deps.inbox
      yield* Effect.forkScoped(Effect.gen(function*() {
        while (!stopping) {
          const n = yield* Inbox.scan(ledger, dir)
          if (n > 0) yield* wake("upload")
          yield* Effect.sleep(Duration.millis(settings.pollMs))
        }
      }))
    }

    let url: string | undefined
    if (deps.http !== undefined) {
      if (deps.api === undefined) return yield* new WorkerConfigError({ message: "the HTTP API needs its access and intake settings" })
      const server = yield* NodeHttpServer.make(() => Http.createServer(), { port: deps.http.port, host: deps.http.host }).pipe(
        Effect.mapError((cause) => new WorkerConfigError({ message: `cannot listen on ${deps.http!.host}:${deps.http!.port}`, cause }))
      )
      const app = HttpApi.make({
        ledger,
        metrics,
        store: deps.store,
        owner,
        access: deps.api.access,
        intake: deps.api.intake,
        spoolDir: Path.join(settings.workDir, "spool"),
        ready: () => !stopping,
        wake: Effect.zipRight(wake("upload"), wake("start"))
      })
      yield* server.serve(app).pipe(Effect.provide(NodeHttpServer.layerContext))
      const a = server.address
      url = a._tag === "TcpAddress" ? `http://${a.hostname.includes(":") ? `[${a.hostname}]` : a.hostname}:${a.port}` : undefined
    }

    const stopClaiming = Effect.sync(() => {
      stopping = true
    })
    // (runs first) drain: stop claiming, let running tasks finish within the grace period
    yield* Effect.addFinalizer(() =>
      Effect.gen(function*() {
        stopping = true
        yield* Effect.logInfo(`shutting down: ${active} task(s) running`)
        const deadline = Date.now() + settings.shutdownGraceMs
        while (active > 0 && Date.now() < deadline) yield* Effect.sleep(Duration.millis(50))
        if (active > 0) yield* Effect.logWarning(`${active} task(s) still running after the grace period; releasing them`)
      })
    )
    yield* Effect.logInfo(`worker ${owner} started${url !== undefined ? ` at ${url}` : ""}`)
    return { owner, url, stopClaiming, activeTasks: () => active, trackOnce }
  })
