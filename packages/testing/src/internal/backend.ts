/**
 * The in-memory service behind both doubles: the JobsApi of @geojobs/service over a memory
 * store, a JobDriver, the WireHandler, call recording and timed auto-progress, all living in
 * the layer's scope.
 */
import type { OperationName } from "@geojobs/core/LocationJobsError"
import * as JobDriver from "@geojobs/service/JobDriver"
import type { JobRecord } from "@geojobs/service/JobRecord"
import * as JobsApi from "@geojobs/service/JobsApi"
import * as JobsConfig from "@geojobs/service/JobsConfig"
import * as JobStore from "@geojobs/service/JobStore"
import * as WireHandler from "@geojobs/service/WireHandler"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import { type AutoProgress, driverControls, type JobsControlService, type RecordedCall } from "../JobsControl.js"

/** Options shared by both doubles. */
export interface BackendOptions {
  /** Service settings (region, account, default page size, token lifetimes, id maker). */
  readonly service?: JobsConfig.JobsConfigInput
  /** Automatic progress from the start (default off). */
  readonly autoProgress?: AutoProgress
}

/** The pieces a double is made of. */
export interface Backend {
  readonly api: JobsApi.JobsApiService
  readonly handler: WireHandler.WireHandlerService
  readonly control: JobsControlService
}

/** Builds the backend; its timers live as long as the scope. */
export const make = (options: BackendOptions = {}): Effect.Effect<Backend, never, Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* JobStore.makeMemory
    const config = yield* JobsConfig.make(options.service)
    const driver = JobDriver.makeWith(store)
    const timers = yield* FiberSet.make()
    let progress: AutoProgress | undefined = options.autoProgress
    const log: Array<RecordedCall> = []

    const later = (delay: import("effect/Duration").DurationInput, step: Effect.Effect<unknown, unknown>) =>
      FiberSet.run(timers, Effect.ignore(Effect.zipRight(Effect.sleep(delay), step))).pipe(Effect.asVoid)

    const onJobCreated = (job: JobRecord) =>
      Effect.suspend(() => {
        const p = progress
        if (p?.pendingFor === undefined) return Effect.void
        const finish = p.runFor === undefined
          ? Effect.void
          : Effect.zipRight(
            Effect.sleep(p.runFor),
            p.outcome === undefined || p.outcome === "Completed"
              ? driver.markCompleted(job.jobId)
              : driver.markFailed(job.jobId, p.outcome.failWith)
          )
        return later(p.pendingFor, Effect.zipRight(driver.markRunning(job.jobId), finish))
      })

    const onCancelRequested = (job: JobRecord) =>
      Effect.suspend(() => {
        const p = progress
        return p?.cancelFor === undefined ? Effect.void : later(p.cancelFor, driver.completeCancellation(job.jobId))
      })

    const inner = JobsApi.makeWith(store, config, { onJobCreated, onCancelRequested })

    const record = <A, E extends { readonly _tag: string; readonly message: string }>(
      operation: OperationName,
      input: unknown,
      effect: Effect.Effect<A, E>
    ): Effect.Effect<A, E> =>
      Effect.flatMap(Effect.exit(effect), (exit) =>
        Effect.flatMap(Clock.currentTimeMillis, (at) => {
          if (Exit.isSuccess(exit)) {
            log.push({ operation, input, result: { _tag: "Success", value: exit.value }, at })
          } else {
            const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
            log.push({
              operation,
              input,
              result: {
                _tag: "Failure",
                error: failure === undefined
                  ? { _tag: "Defect", message: "the service died" }
                  : { _tag: failure._tag, message: failure.message }
              },
              at
            })
          }
          return exit
        }))

    const api: JobsApi.JobsApiService = {
      config,
      startJob: (input) => record("StartJob", input, inner.startJob(input)),
      getJob: (input) => record("GetJob", input, inner.getJob(input)),
      listJobs: (input) => record("ListJobs", input, inner.listJobs(input)),
      cancelJob: (input) => record("CancelJob", input, inner.cancelJob(input))
    }

    const moves = driverControls(store, driver)
    const control: JobsControlService = {
      ...moves,
      setAutoProgress: (p) => Effect.sync(() => void (progress = p)),
      calls: Effect.sync(() => log.slice()),
      clearCalls: Effect.sync(() => void log.splice(0, log.length))
    }

    return { api, handler: WireHandler.makeWith(api), control }
  })
