import type { JobError } from "@geojobs/core/Job"
import { ResourceNotFoundException } from "@geojobs/core/LocationJobsError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { type IllegalTransition, isTerminal, type JobEvent, transition } from "../JobLifecycle.js"
import type { JobRecord } from "../JobRecord.js"
import type { JobStoreError, JobStoreService } from "../JobStore.js"

/** Answer for an unknown job id. */
export const notFound = (jobId: string): ResourceNotFoundException =>
  new ResourceNotFoundException({ message: `Job ${jobId} not found`, status: 404 })

/** Reads a job or fails with ResourceNotFoundException. */
export const getOrNotFound = (
  store: JobStoreService,
  jobId: string
): Effect.Effect<JobRecord, ResourceNotFoundException | JobStoreError> =>
  Effect.flatMap(
    store.get(jobId),
    Option.match({ onNone: () => Effect.fail(notFound(jobId)), onSome: Effect.succeed })
  )

/** The record after `event`, with times, error and progress kept consistent with the status. */
const applyEvent = (job: JobRecord, event: JobEvent, now: number, error?: JobError) =>
  Either.map(transition(job.jobId, job.status, event), (status): JobRecord => {
    const { endedAt: _endedAt, error: _error, ...rest } = job
    const progress = event === "start"
      ? { ...job.progress, startedAt: now }
      : event === "cancel"
      ? { ...job.progress, cancelRequestedAt: now }
      : job.progress
    return {
      ...rest,
      status,
      updatedAt: Math.max(now, job.updatedAt),
      ...(isTerminal(status) ? { endedAt: Math.max(now, job.updatedAt) } : {}),
      ...(status === "Failed" && error !== undefined ? { error } : {}),
      ...(progress !== undefined ? { progress } : {})
    }
  })

const retryOnConflict = Schedule.recurWhile<JobStoreError | IllegalTransition | ResourceNotFoundException>(
  (e) => e._tag === "JobStoreError" && e.reason === "VersionConflict"
).pipe(Schedule.intersect(Schedule.recurs(50)))

/**
 * Moves a job by one event with compare-and-set, re-reading on a version conflict (a runner
 * and CancelJob may race).
 */
export const move = (
  store: JobStoreService,
  jobId: string,
  event: JobEvent,
  error?: JobError
): Effect.Effect<JobRecord, IllegalTransition | ResourceNotFoundException | JobStoreError> =>
  Effect.gen(function*() {
    const job = yield* getOrNotFound(store, jobId)
    const now = yield* Clock.currentTimeMillis
    const next = yield* applyEvent(job, event, now, error)
    return yield* store.compareAndSet(job.version, next)
  }).pipe(Effect.retry(retryOnConflict))

/** Applies `f` to a job's record with compare-and-set (for progress notes). */
export const updateRecord = (
  store: JobStoreService,
  jobId: string,
  f: (job: JobRecord) => JobRecord
): Effect.Effect<JobRecord, ResourceNotFoundException | JobStoreError> =>
  Effect.gen(function*() {
    const job = yield* getOrNotFound(store, jobId)
    return yield* store.compareAndSet(job.version, f(job))
  }).pipe(
    Effect.retry({
      while: (e) => e._tag === "JobStoreError" && e.reason === "VersionConflict",
      times: 50
    })
  )
