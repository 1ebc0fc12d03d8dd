/**
 * Where jobs live: a small, storage-friendly interface (insert with an idempotency token,
 * read, compare-and-set update, newest-first listing by cursor) with an in-memory
 * implementation here. The SQL implementation of the local service follows the same contract:
 * `insert` and `compareAndSet` are atomic, `seq` grows strictly with every insert.
 *
 * @since 0.1.0
 */
import type { JobStatus } from "@geojobs/core/Job"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { JobRecord, NewJobRecord } from "./JobRecord.js"

/** Why a store operation failed. */
export const JobStoreErrorReason = Schema.Literal(
  /** `compareAndSet` found a newer version than expected: re-read and try again. */
  "VersionConflict",
  /** The job to update does not exist. */
  "NotFound",
  /** `insert` was given a job id that already exists. */
  "DuplicateJobId",
  /** The storage itself failed (I/O, lock timeout, corrupt row). */
  "Unavailable"
)

/** A store failure. `Unavailable` becomes InternalServerException (500) on the wire. */
export class JobStoreError extends Schema.TaggedError<JobStoreError>()("JobStoreError", {
  reason: JobStoreErrorReason,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** An idempotency record: which job a `ClientToken` created, and until when it counts. */
export interface TokenRecord {
  readonly token: string
  readonly requestHash: string
  readonly jobId: string
  /** Epoch ms after which the token is forgotten and may start a new job. */
  readonly expiresAt: number
}

/** The token part of an insert. `now` decides whether an existing record has expired. */
export interface TokenClaim {
  readonly token: string
  readonly requestHash: string
  readonly expiresAt: number
  readonly now: number
}

/** What `insert` did: stored the job, or found a live token record and stored nothing. */
export type InsertResult =
  | { readonly _tag: "Inserted"; readonly job: JobRecord }
  | { readonly _tag: "TokenExists"; readonly token: TokenRecord; readonly job: Option.Option<JobRecord> }

/** A ListJobs query on the store: newest first, strictly older than `beforeSeq`. */
export interface ListQuery {
  readonly status?: JobStatus
  readonly beforeSeq?: number
  readonly limit: number
}

/** A page of records and whether older matching records remain. */
export interface ListPage {
  readonly jobs: ReadonlyArray<JobRecord>
  readonly hasMore: boolean
}

/** The store operations. */
export interface JobStoreService {
  /**
   * Atomically: if `claim` names a token with a live (unexpired) record, stores nothing and
   * returns it with its job; otherwise stores the job (with the next `seq`) and, with a
   * claim, the token record (replacing an expired one).
   */
  readonly insert: (job: NewJobRecord, claim?: TokenClaim) => Effect.Effect<InsertResult, JobStoreError>
  /** Reads a job. */
  readonly get: (jobId: string) => Effect.Effect<Option.Option<JobRecord>, JobStoreError>
  /**
   * Replaces the job iff its stored version equals `expectedVersion`; the stored record gets
   * `expectedVersion + 1`. Fails with `VersionConflict` otherwise, `NotFound` if absent.
   */
  readonly compareAndSet: (
    expectedVersion: number,
    next: JobRecord
  ) => Effect.Effect<JobRecord, JobStoreError>
  /** Newest first (by `seq`), optionally one status, strictly before a cursor. */
  readonly list: (query: ListQuery) => Effect.Effect<ListPage, JobStoreError>
  /** Reads a live token record (none once expired at `now`). */
  readonly findToken: (token: string, now: number) => Effect.Effect<Option.Option<TokenRecord>, JobStoreError>
  /** Forgets token records expired at `now`; answers how many were dropped. */
  readonly purgeExpiredTokens: (now: number) => Effect.Effect<number, JobStoreError>
}

/** The store tag. */
export class JobStore extends Context.Tag("@geojobs/service/JobStore")<JobStore, JobStoreService>() {}

/** A fresh in-memory store (a plain map; every operation is one synchronous step, so atomic). */
export const makeMemory: Effect.Effect<JobStoreService> = Effect.sync(() => {
  const jobs = new Map<string, JobRecord>()
  const order: Array<JobRecord["jobId"]> = [] // ascending seq
  const seqs: Array<number> = [] // seqs[i] is the seq of order[i]
  const tokens = new Map<string, TokenRecord>()
  let nextSeq = 1

  const insert: JobStoreService["insert"] = (job, claim) =>
    Effect.suspend(() => {
      if (claim !== undefined) {
        const existing = tokens.get(claim.token)
        if (existing !== undefined && existing.expiresAt > claim.now) {
          return Effect.succeed<InsertResult>({
            _tag: "TokenExists",
            token: existing,
            job: Option.fromNullable(jobs.get(existing.jobId))
          })
        }
      }
      if (jobs.has(job.jobId)) {
        return Effect.fail(new JobStoreError({ reason: "DuplicateJobId", message: `job ${job.jobId} already exists` }))
      }
      const stored: JobRecord = { ...job, seq: nextSeq++ }
      jobs.set(stored.jobId, stored)
      order.push(stored.jobId)
      seqs.push(stored.seq)
      if (claim !== undefined) {
        tokens.set(claim.token, {
          token: claim.token,
          requestHash: claim.requestHash,
          jobId: stored.jobId,
          expiresAt: claim.expiresAt
        })
      }
      return Effect.succeed<InsertResult>({ _tag: "Inserted", job: stored })
    })

  const compareAndSet: JobStoreService["compareAndSet"] = (expectedVersion, next) =>
    Effect.suspend(() => {
      const current = jobs.get(next.jobId)
      if (current === undefined) {
        return Effect.fail(new JobStoreError({ reason: "NotFound", message: `job ${next.jobId} does not exist` }))
      }
      if (current.version !== expectedVersion) {
        return Effect.fail(
          new JobStoreError({
            reason: "VersionConflict",
            message: `job ${next.jobId} is at version ${current.version}, expected ${expectedVersion}`
          })
        )
      }
      const stored: JobRecord = { ...next, seq: current.seq, version: expectedVersion + 1 }
      jobs.set(stored.jobId, stored)
      return Effect.succeed(stored)
    })

  const list: JobStoreService["list"] = (query) =>
    Effect.sync(() => {
      const out: Array<JobRecord> = []
      let hasMore = false
      // `seqs` is ascending: find the last position strictly before the cursor.
      let lo = 0
      let hi = seqs.length
      if (query.beforeSeq !== undefined) {
        const before = query.beforeSeq
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          if (seqs[mid]! < before) lo = mid + 1
          else hi = mid
        }
      } else lo = seqs.length
      for (let i = lo - 1; i >= 0; i--) {
        const job = jobs.get(order[i]!)!
        if (query.status !== undefined && job.status !== query.status) continue
        if (out.length === query.limit) {
          hasMore = true
          break
        }
        out.push(job)
      }
      return { jobs: out, hasMore }
    })

  return JobStore.of({
    insert,
    get: (jobId) => Effect.sync(() => Option.fromNullable(jobs.get(jobId))),
    compareAndSet,
    list,
    findToken: (token, now) =>
      Effect.sync(() => Option.filter(Option.fromNullable(tokens.get(token)), (t) => t.expiresAt > now)),
    purgeExpiredTokens: (now) =>
      Effect.sync(() => {
        let dropped = 0
        for (const [token, record] of tokens) {
          if (record.expiresAt <= now) {
            tokens.delete(token)
            dropped++
          }
        }
        return dropped
      })
  })
})

/** An in-memory `JobStore`, empty, one per layer build. */
export const layerMemory: Layer.Layer<JobStore> = Layer.effect(JobStore, makeMemory)
