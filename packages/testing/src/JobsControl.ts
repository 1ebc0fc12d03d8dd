/**
 * Control of the jobs behind a test double: move a job along its lifecycle, fail it, let
 * `TestClock` drive progress, and read every call the service answered. Provided by
 * `MemoryLocationJobs.layer` and `HttpDouble.layer` (there it controls the same in-memory
 * service that answers behind the wire); small enough for the local service to provide too,
 * so the contract suite needs nothing else.
 *
 * @since 0.1.0
 */
import type { JobError, JobStatus } from "@geojobs/core/Job"
import type { JobDriverService } from "@geojobs/service/JobDriver"
import type { JobStoreService } from "@geojobs/service/JobStore"
import type { OperationName } from "@geojobs/core/LocationJobsError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** Why a control action failed. */
export class JobsControlError extends Schema.TaggedError<JobsControlError>()("JobsControlError", {
  reason: Schema.Literal("NotFound", "IllegalTransition", "InvalidJobError", "Unavailable"),
  message: Schema.String
}) {}

/**
 * Automatic progress, timed by the `Clock` (so `TestClock.adjust` drives it). Each duration
 * left out disables that step. Default: all off — jobs stay where they are until moved.
 */
export interface AutoProgress {
  /** Pending → Running after this long. */
  readonly pendingFor?: Duration.DurationInput
  /** Running → the outcome after this long (only when `pendingFor` is set). */
  readonly runFor?: Duration.DurationInput
  /** Cancelling → Cancelled after this long. */
  readonly cancelFor?: Duration.DurationInput
  /** How a run ends: `Completed` (default) or failed with this error. */
  readonly outcome?: "Completed" | { readonly failWith: JobError }
}

/** One operation the service answered (faults injected before the service are not here). */
export interface RecordedCall {
  readonly operation: OperationName
  /** The request as the service received it (after client-side checks and token filling). */
  readonly input: unknown
  readonly result:
    | { readonly _tag: "Success"; readonly value: unknown }
    | { readonly _tag: "Failure"; readonly error: { readonly _tag: string; readonly message: string } }
  /** Clock time (epoch ms) when the call was answered. */
  readonly at: number
}

/** What a job looks like to the control (enough to assert on without the API). */
export interface JobSnapshot {
  readonly jobId: string
  readonly status: JobStatus
  readonly clientToken?: string
}

/** The controls. */
export interface JobsControlService {
  /**
   * Moves a job forward: `Running` (from Pending), `Completed` (from Pending or Running, via
   * Running) or `Cancelled` (from Cancelling, i.e. after CancelJob). Anything else is an
   * `IllegalTransition`.
   */
  readonly advance: (
    jobId: string,
    to: "Running" | "Completed" | "Cancelled"
  ) => Effect.Effect<void, JobsControlError>
  /** Fails a Pending or Running job with a JobError (default `InternalServerError`). */
  readonly fail: (jobId: string, error?: JobError) => Effect.Effect<void, JobsControlError>
  /** Sets (or with `undefined` turns off) automatic progress for jobs created or cancelled from now on. */
  readonly setAutoProgress: (progress: AutoProgress | undefined) => Effect.Effect<void>
  /** Every call the service answered, oldest first. */
  readonly calls: Effect.Effect<ReadonlyArray<RecordedCall>>
  /** Forgets the recorded calls. */
  readonly clearCalls: Effect.Effect<void>
  /** Every job the service holds, newest first. */
  readonly jobs: Effect.Effect<ReadonlyArray<JobSnapshot>>
}

/** The control tag. */
export class JobsControl extends Context.Tag("@geojobs/testing/JobsControl")<JobsControl, JobsControlService>() {}

const toControlError = (e: { readonly _tag: string; readonly message: string }): JobsControlError =>
  new JobsControlError({
    reason: e._tag === "ResourceNotFoundException"
      ? "NotFound"
      : e._tag === "IllegalTransition"
      ? "IllegalTransition"
      : e._tag === "ValidationException"
      ? "InvalidJobError"
      : "Unavailable",
    message: e.message
  })

/**
 * The lifecycle controls (`advance`, `fail`, `jobs`) over any job store and driver: what the
 * in-memory doubles use, and what a host of the service semantics (the local service) provides
 * next to its own call log.
 */
export const driverControls = (
  store: JobStoreService,
  driver: JobDriverService
): Pick<JobsControlService, "advance" | "fail" | "jobs"> => {
  const statusOf = (jobId: string) =>
    Effect.flatMap(store.get(jobId), (o) =>
      o._tag === "Some"
        ? Effect.succeed(o.value.status)
        : Effect.fail(new JobsControlError({ reason: "NotFound", message: `Job ${jobId} not found` })))
  return {
    advance: (jobId, to) =>
      Effect.gen(function*() {
        const status = yield* statusOf(jobId)
        if (to === "Running") yield* driver.markRunning(jobId)
        else if (to === "Completed") {
          if (status === "Pending") yield* driver.markRunning(jobId)
          yield* driver.markCompleted(jobId)
        } else yield* driver.completeCancellation(jobId)
      }).pipe(Effect.mapError((e) => (e._tag === "JobsControlError" ? e : toControlError(e)))),
    fail: (jobId, error?: JobError) =>
      Effect.asVoid(driver.markFailed(jobId, error ?? { Code: "InternalServerError", Messages: ["Injected failure"] }))
        .pipe(Effect.mapError(toControlError)),
    jobs: Effect.map(
      Effect.orDie(store.list({ limit: Number.MAX_SAFE_INTEGER })),
      (page) =>
        page.jobs.map((j) => ({
          jobId: j.jobId,
          status: j.status,
          ...(j.clientToken !== undefined ? { clientToken: j.clientToken } : {})
        }))
    )
  }
}
