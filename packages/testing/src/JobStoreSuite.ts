/**
 * The contract of `@geojobs/service`'s `JobStore`, as vitest tests, for every implementation
 * (the memory store here; the SQL store of the local service): atomic insert with token
 * claims and expiry, compare-and-set, newest-first listing by cursor and status, and that
 * concurrent inserts with one token create one job.
 *
 * @since 0.1.0
 */
import { describe, expect, it } from "@effect/vitest"
import type { NewJobRecord } from "@geojobs/service/JobRecord"
import type { JobStoreService } from "@geojobs/service/JobStore"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"

/** A complete job record for store tests (every optional member set). */
export const sampleJob = (jobId: string, status: NewJobRecord["status"] = "Pending"): NewJobRecord => ({
  jobId,
  jobArn: `arn:aws:geo:us-east-1:000000000000:job/${jobId}`,
  action: "ValidateAddress",
  actionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } },
  executionRoleArn: "arn:aws:iam::000000000000:role/r",
  inputOptions: { Location: "s3://in-bucket/x", Format: "Parquet" },
  outputOptions: { Location: "s3://out-bucket/", Format: "Parquet" },
  tags: { team: "geo" },
  status,
  createdAt: 1_000,
  updatedAt: 1_000,
  version: 1,
  progress: { recordsProcessed: 0 }
})

const job = sampleJob

/**
 * Registers the store contract under `name`. `makeStore` must give a fresh, empty store per
 * test (it runs in the test's scope, so a database can be created and dropped around it).
 */
export const jobStoreSuite = <E>(name: string, makeStore: Effect.Effect<JobStoreService, E, Scope.Scope>): void => {
  describe(name, () => {
    it.scoped("insert keeps every field, assigns increasing seq and refuses duplicate ids", () =>
      Effect.gen(function*() {
        const store = yield* makeStore
        const a = yield* store.insert(job("a"))
        const b = yield* store.insert(job("b"))
        if (a._tag !== "Inserted" || b._tag !== "Inserted") return expect.unreachable()
        expect(a.job.seq).toBeLessThan(b.job.seq)
        const { seq: _seq, ...stored } = Option.getOrThrow(yield* store.get("a"))
        expect(stored).toEqual(job("a"))
        expect((yield* Effect.flip(store.insert(job("a")))).reason).toBe("DuplicateJobId")
        expect(Option.isNone(yield* store.get("zzz"))).toBe(true)
      }))

    it.scoped("a live token answers its job and stores nothing; an expired one is replaced", () =>
      Effect.gen(function*() {
        const store = yield* makeStore
        const first = yield* store.insert(job("a"), { token: "t", requestHash: "h1", expiresAt: 100, now: 0 })
        expect(first._tag).toBe("Inserted")
        const again = yield* store.insert(job("b"), { token: "t", requestHash: "h2", expiresAt: 199, now: 99 })
        if (again._tag !== "TokenExists") return expect.unreachable()
        expect(again.token).toEqual({ token: "t", requestHash: "h1", jobId: "a", expiresAt: 100 })
        expect(Option.map(again.job, (j) => j.jobId)).toEqual(Option.some("a"))
        expect(Option.isNone(yield* store.get("b"))).toBe(true)
        expect(Option.isSome(yield* store.findToken("t", 99))).toBe(true)
        expect(Option.isNone(yield* store.findToken("t", 100))).toBe(true)
        const later = yield* store.insert(job("c"), { token: "t", requestHash: "h3", expiresAt: 300, now: 100 })
        expect(later._tag).toBe("Inserted")
        expect(Option.map(yield* store.findToken("t", 150), (t) => [t.jobId, t.requestHash])).toEqual(Option.some(["c", "h3"]))
        yield* store.insert(job("d"), { token: "u", requestHash: "h", expiresAt: 200, now: 150 })
        expect(yield* store.purgeExpiredTokens(250)).toBe(1)
        expect(Option.isSome(yield* store.findToken("t", 250))).toBe(true)
        expect(Option.isNone(yield* store.findToken("u", 150))).toBe(true)
      }))

    it.scoped("concurrent inserts with one token create one job", () =>
      Effect.gen(function*() {
        const store = yield* makeStore
        const results = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => store.insert(job(`race-${i}`), { token: "race", requestHash: "h", expiresAt: 1e12, now: 0 })),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r._tag === "Inserted")).toHaveLength(1)
        const page = yield* store.list({ limit: 100 })
        expect(page.jobs).toHaveLength(1)
      }))

    it.scoped("compareAndSet bumps the version, keeps seq, refuses a stale version or unknown id", () =>
      Effect.gen(function*() {
        const store = yield* makeStore
        yield* store.insert(job("a"))
        const current = Option.getOrThrow(yield* store.get("a"))
        const next = yield* store.compareAndSet(1, { ...current, status: "Running", updatedAt: 2_000 })
        expect([next.version, next.seq, next.status]).toEqual([2, current.seq, "Running"])
        expect((yield* Effect.flip(store.compareAndSet(1, { ...current, status: "Failed" }))).reason).toBe("VersionConflict")
        expect((yield* Effect.flip(store.compareAndSet(1, { ...current, jobId: "zzz" }))).reason).toBe("NotFound")
        const stored = Option.getOrThrow(yield* store.get("a"))
        expect([stored.status, stored.version, stored.updatedAt]).toEqual(["Running", 2, 2_000])
      }))

    it.scoped("lists newest first by cursor and status; hasMore is exact", () =>
      Effect.gen(function*() {
        const store = yield* makeStore
        for (let i = 0; i < 10; i++) yield* store.insert(job(`j${i}`, i % 3 === 0 ? "Running" : "Pending"))
        const p1 = yield* store.list({ limit: 4 })
        expect([p1.jobs.map((j) => j.jobId), p1.hasMore]).toEqual([["j9", "j8", "j7", "j6"], true])
        const p2 = yield* store.list({ limit: 4, beforeSeq: p1.jobs[3]!.seq })
        expect(p2.jobs.map((j) => j.jobId)).toEqual(["j5", "j4", "j3", "j2"])
        const p3 = yield* store.list({ limit: 4, beforeSeq: p2.jobs[3]!.seq })
        expect([p3.jobs.map((j) => j.jobId), p3.hasMore]).toEqual([["j1", "j0"], false])
        const running = yield* store.list({ limit: 3, status: "Running" })
        expect([running.jobs.map((j) => j.jobId), running.hasMore]).toEqual([["j9", "j6", "j3"], true])
        const last = yield* store.list({ limit: 1, status: "Running", beforeSeq: running.jobs[2]!.seq })
        expect([last.jobs.map((j) => j.jobId), last.hasMore]).toEqual([["j0"], false])
        const exact = yield* store.list({ limit: 10 })
        expect([exact.jobs.length, exact.hasMore]).toEqual([10, false])
        expect(yield* store.list({ limit: 5, status: "Cancelled" })).toEqual({ jobs: [], hasMore: false })
      }))
  })
}
