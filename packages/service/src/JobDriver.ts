/**
 * Moves jobs along their lifecycle on behalf of whatever does the work: the test double's
 * controls and auto-progress now, the local service's runner later. Every move goes through
 * the state machine of `JobLifecycle` (an illegal move is a typed `IllegalTransition`) and a
 * compare-and-set on the store, so a runner and CancelJob can race safely.
 *
 * @since 0.1.0
 */
import * as Job from "@geojobs/core/Job"
import { type ResourceNotFoundException, ValidationException } from "@geojobs/core/LocationJobsError"
import { toValidationException } from "@geojobs/core/RequestValidation"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import { move, updateRecord } from "./internal/transitions.js"
import type { IllegalTransition } from "./JobLifecycle.js"
import type { JobRecord } from "./JobRecord.js"
import { JobStore, type JobStoreError, type JobStoreService } from "./JobStore.js"

/** Why a move failed. */
export type JobDriverError = IllegalTransition | ResourceNotFoundException | JobStoreError

/** The moves. Each answers the job as stored after the move. */
export interface JobDriverService {
  /** Pending → Running. */
  readonly markRunning: (jobId: string) => Effect.Effect<JobRecord, JobDriverError>
  /** Running → Completed (sets `EndedAt`). */
  readonly markCompleted: (jobId: string) => Effect.Effect<JobRecord, JobDriverError>
  /**
   * Pending or Running → Failed with a `JobError` (Code + 1–4 messages of 1–200 chars; an
   * invalid one is a `ValidationException`). Sets `EndedAt` and `Error`.
   */
  readonly markFailed: (
    jobId: string,
    error: Job.JobError
  ) => Effect.Effect<JobRecord, JobDriverError | ValidationException>
  /** Cancelling → Cancelled (sets `EndedAt`). */
  readonly completeCancellation: (jobId: string) => Effect.Effect<JobRecord, JobDriverError>
  /** Notes rows processed so far (no status change). */
  readonly recordProgress: (
    jobId: string,
    recordsProcessed: number
  ) => Effect.Effect<JobRecord, ResourceNotFoundException | JobStoreError>
}

/** The driver tag. */
export class JobDriver extends Context.Tag("@geojobs/service/JobDriver")<JobDriver, JobDriverService>() {}

const decodeJobError = ParseResult.decodeUnknownEither(Job.JobError, { errors: "all", onExcessProperty: "error" })

/** Builds the driver over a store. */
export const makeWith = (store: JobStoreService): JobDriverService =>
  JobDriver.of({
    markRunning: (jobId) => move(store, jobId, "start"),
    markCompleted: (jobId) => move(store, jobId, "complete"),
    markFailed: (jobId, error) =>
      Effect.flatMap(
        Effect.mapError(decodeJobError(error), (issue): ValidationException => toValidationException("JobError", issue, "service")),
        (valid) => move(store, jobId, "fail", valid)
      ),
    completeCancellation: (jobId) => move(store, jobId, "cancelled"),
    recordProgress: (jobId, recordsProcessed) =>
      updateRecord(store, jobId, (job) => ({ ...job, progress: { ...job.progress, recordsProcessed } }))
  })

/** Builds the driver from the context's store. */
export const make: Effect.Effect<JobDriverService, never, JobStore> = Effect.map(JobStore, makeWith)

/** The driver as a layer. */
export const layer: Layer.Layer<JobDriver, never, JobStore> = Layer.effect(JobDriver, make)
