/**
 * Follows every job in flight with few calls. One instance at a time holds the `tracker` role
 * (a lease in the ledger). Each round:
 *
 * 1. CancelJob for batches whose cancellation was asked and not yet sent;
 * 2. pages through ListJobs (`MaxResults` 100) filtered by `Pending`, then `Running` (and
 *    `Cancelling` when a cancel is pending): a followed job seen there is not finished
 *    (a job seen Running moves its batch to `Running`);
 * 3. a followed job seen in none of those pages has probably finished: ListJobs filtered by
 *    `Completed`, `Failed` and `Cancelled` finds it, paging only while some are still unfound
 *    and, when pages come newest first, only back to the oldest one's start;
 * 4. a job missing from every page for `getJobAfterMisses` rounds is read with GetJob (a few
 *    per round).
 *
 * So a round costs about (jobs in flight)/100 calls, not one GetJob per job. Finished jobs move
 * their batch to `Collecting` (Completed), `Failed` (with the JobError) or `Cancelled`, with EndedAt.
 *
 * @since 0.1.0
 */
import type { JobStatus, ListJobsResponseEntry } from "@geojobs/core/Job"
import type { LocationJobsService } from "@geojobs/core/LocationJobs"
import type { ListJobsError } from "@geojobs/core/LocationJobsError"
import * as Effect from "effect/Effect"
import type { BatchState } from "./Batch.js"
import type { LedgerService, TrackedBatch } from "./Ledger.js"
import type { MetricsService } from "./Metrics.js"
import type { LedgerError } from "./WorkerError.js"
import type { WorkerSettings } from "./WorkerSettings.js"

/** What the tracker needs. */
export interface TrackerDeps {
  readonly ledger: LedgerService
  readonly jobs: LocationJobsService
  readonly settings: WorkerSettings
  readonly metrics: MetricsService
  /** Called when batches finished (to wake the collect stage). */
  readonly onFinished?: Effect.Effect<void> | undefined
}

/** What a round did. */
export interface RoundReport {
  readonly tracked: number
  /** Jobs API calls made (pages, GetJob, CancelJob). */
  readonly calls: number
  readonly listCalls: number
  readonly getCalls: number
  readonly cancelCalls: number
  /** Batches moved to another state. */
  readonly changed: number
}

/** The state of the tracker between rounds (misses per job). */
export interface TrackerState {
  readonly misses: Map<string, number>
}

/** A fresh state. */
export const makeState = (): TrackerState => ({ misses: new Map() })

/** Slack when comparing our submit times with the service's CreatedAt. */
const clockSlackMs = 5 * 60_000

type Seen = Pick<ListJobsResponseEntry, "JobId" | "Status" | "EndedAt" | "Error">

/** Applies what the service says about a job to its batch. True if the batch moved. */
const apply = (deps: TrackerDeps, t: TrackedBatch, job: Seen): Effect.Effect<boolean, LedgerError> => {
  const from: ReadonlyArray<BatchState> = ["Submitted", "Running"]
  const ended = job.EndedAt?.getTime() ?? Date.now()
  const log = (msg: string) => Effect.logInfo(msg).pipe(Effect.annotateLogs({ batchId: t.id, jobId: t.jobId }))
  switch (job.Status) {
    case "Completed":
      return deps.ledger.transition(t.id, from, {
        state: deps.settings.collect ? "Collecting" : "Completed",
        jobStatus: "Completed",
        endedAt: ended
      }).pipe(Effect.tap((moved) => (moved ? log("job completed") : Effect.void)))
    case "Failed":
      return deps.ledger.transition(t.id, from, {
        state: "Failed",
        jobStatus: "Failed",
        endedAt: ended,
        errorCode: job.Error?.Code ?? "Unknown",
        errorMessages: job.Error?.Messages ?? []
      }).pipe(Effect.tap((moved) => (moved ? log(`job failed: ${job.Error?.Code} ${(job.Error?.Messages ?? []).join("; ")}`) : Effect.void)))
    case "Cancelled":
      return deps.ledger.transition(t.id, from, { state: "Cancelled", jobStatus: "Cancelled", endedAt: ended }).pipe(
        Effect.tap((moved) => (moved ? log("job cancelled") : Effect.void))
      )
    case "Running":
      return t.state === "Submitted"
        ? deps.ledger.transition(t.id, ["Submitted"], { state: "Running", jobStatus: "Running" })
        : Effect.succeed(false)
    default:
      return t.jobStatus === job.Status ? Effect.succeed(false) : Effect.as(deps.ledger.noteJobStatus(t.id, job.Status), false)
  }
}

/** One tracking round. */
export const round = (deps: TrackerDeps, state: TrackerState): Effect.Effect<RoundReport, LedgerError> =>
  Effect.gen(function*() {
    const { jobs, ledger, settings } = deps
    const tracked = yield* ledger.tracked()
    let listCalls = 0
    let getCalls = 0
    let cancelCalls = 0
    let changed = 0
    if (tracked.length === 0) {
      state.misses.clear()
      return { tracked: 0, calls: 0, listCalls, getCalls, cancelCalls, changed }
    }
    const byJob = new Map<string, TrackedBatch>()
    for (const t of tracked) byJob.set(t.jobId, t)

    // 1. cancellations
    for (const t of tracked) {
      if (!t.cancelRequested || t.jobStatus === "Cancelling" || t.jobStatus === "Cancelled") continue
      cancelCalls++
      const r = yield* Effect.either(jobs.cancelJob({ JobId: t.jobId }))
      if (r._tag === "Right") yield* ledger.noteJobStatus(t.id, r.right.Status)
      else yield* Effect.logWarning(`CancelJob failed: ${r.left.message}`).pipe(Effect.annotateLogs({ batchId: t.id, jobId: t.jobId }))
    }

    /** Pages through one status; `visit` returns false to stop early. */
    const pages = (status: JobStatus, visit: (entries: ReadonlyArray<ListJobsResponseEntry>) => boolean) =>
      Effect.gen(function*() {
        let token: string | undefined
        for (;;) {
          listCalls++
          const page = yield* jobs.listJobs({ Filter: { JobStatus: status }, MaxResults: 100, ...(token ? { NextToken: token } : {}) })
          const more = visit(page.Entries)
          const next = page.NextToken
          if (!more || next === undefined || next === "" || next === token) return
          token = next
        }
      })

    const seen = new Map<string, Seen>()
    const listed = (status: JobStatus) =>
      pages(status, (entries) => {
        for (const e of entries) if (byJob.has(e.JobId)) seen.set(e.JobId, e)
        return true
      })

    const listing: Effect.Effect<void, ListJobsError> = Effect.gen(function*() {
      // 2. jobs not finished
      yield* listed("Pending")
      yield* listed("Running")
      if (tracked.some((t) => t.cancelRequested)) yield* listed("Cancelling")

      // 3. the rest have probably finished
      const missing = new Set(tracked.filter((t) => !seen.has(t.jobId)).map((t) => t.jobId))
      if (missing.size === 0) return
      const oldest = Math.min(...tracked.filter((t) => missing.has(t.jobId)).map((t) => t.submittedAt)) - clockSlackMs
      for (const status of ["Completed", "Failed", "Cancelled"] as const) {
        if (missing.size === 0) break
        let previous = Number.POSITIVE_INFINITY
        let newestFirst = true
        yield* pages(status, (entries) => {
          let pageOldest = Number.POSITIVE_INFINITY
          for (const e of entries) {
            const created = e.CreatedAt.getTime()
            if (created > previous) newestFirst = false
            previous = created
            pageOldest = Math.min(pageOldest, created)
            if (missing.delete(e.JobId)) seen.set(e.JobId, e)
          }
          if (missing.size === 0) return false
          return !(newestFirst && pageOldest < oldest)
        })
      }
    })
    const listedOk = yield* Effect.either(listing)
    if (listedOk._tag === "Left") {
      yield* Effect.logWarning(`ListJobs failed; this round is cut short: ${listedOk.left.message}`)
    }

    // apply what the pages said
    for (const [jobId, job] of seen) {
      state.misses.delete(jobId)
      if (yield* apply(deps, byJob.get(jobId)!, job)) changed++
    }

    // 4. GetJob for jobs no page showed for a while
    if (listedOk._tag === "Right") {
      const lost: Array<TrackedBatch> = []
      for (const t of tracked) {
        if (seen.has(t.jobId)) continue
        const n = (state.misses.get(t.jobId) ?? 0) + 1
        state.misses.set(t.jobId, n)
        if (n >= settings.getJobAfterMisses) lost.push(t)
      }
      for (const t of lost.slice(0, settings.maxGetJobsPerRound)) {
        getCalls++
        const r = yield* Effect.either(jobs.getJob({ JobId: t.jobId }))
        if (r._tag === "Right") {
          state.misses.delete(t.jobId)
          if (yield* apply(deps, t, r.right)) changed++
        } else if (r.left._tag === "ResourceNotFoundException" && (state.misses.get(t.jobId) ?? 0) >= settings.getJobAfterMisses + 3) {
          const moved = yield* ledger.transition(t.id, ["Submitted", "Running"], {
            state: "Failed",
            endedAt: Date.now(),
            errorCode: "JobNotFound",
            errorMessages: [`job ${t.jobId} is no longer known to the service`]
          })
          if (moved) changed++
          state.misses.delete(t.jobId)
        }
      }
    }
    for (const jobId of state.misses.keys()) if (!byJob.has(jobId)) state.misses.delete(jobId)

    const calls = listCalls + getCalls + cancelCalls
    deps.metrics.inc("geojobs_worker_tracking_rounds_total")
    deps.metrics.set("geojobs_worker_tracking_last_round_calls", {}, calls)
    deps.metrics.set("geojobs_worker_tracked_jobs", {}, tracked.length)
    if (changed > 0 && deps.onFinished !== undefined) yield* deps.onFinished
    return { tracked: tracked.length, calls, listCalls, getCalls, cancelCalls, changed }
  })
