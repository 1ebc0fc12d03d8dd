import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { NewJobRecord } from "../src/JobRecord.js"
import * as JobStore from "../src/JobStore.js"

const job = (jobId: string, status: NewJobRecord["status"] = "Pending"): NewJobRecord => ({
  jobId,
  jobArn: `arn:aws:geo:us-east-1:000000000000:job/${jobId}`,
  action: "ValidateAddress",
  executionRoleArn: "arn:aws:iam::000000000000:role/r",
  inputOptions: { Location: "s3://in-bucket/x", Format: "Parquet" },
  outputOptions: { Location: "s3://out-bucket/", Format: "Parquet" },
  status,
  createdAt: 0,
  updatedAt: 0,
  version: 1
})

describe("JobStore.makeMemory", () => {
  it.effect("assigns increasing seq and refuses duplicate ids", () =>
    Effect.gen(function*() {
      const store = yield* JobStore.makeMemory
      const a = yield* store.insert(job("a"))
      const b = yield* store.insert(job("b"))
      expect(a._tag === "Inserted" && b._tag === "Inserted" && a.job.seq < b.job.seq).toBe(true)
      const dup = yield* Effect.flip(store.insert(job("a")))
      expect(dup.reason).toBe("DuplicateJobId")
    }))

  it.effect("a live token answers the existing job; an expired one is replaced", () =>
    Effect.gen(function*() {
      const store = yield* JobStore.makeMemory
      const claim = { token: "t", requestHash: "h1", expiresAt: 100, now: 0 }
      const first = yield* store.insert(job("a"), claim)
      expect(first._tag).toBe("Inserted")
      const again = yield* store.insert(job("b"), { ...claim, now: 99 })
      expect(again._tag).toBe("TokenExists")
      if (again._tag === "TokenExists") {
        expect(again.token).toEqual({ token: "t", requestHash: "h1", jobId: "a", expiresAt: 100 })
        expect(Option.map(again.job, (j) => j.jobId)).toEqual(Option.some("a"))
      }
      expect(Option.isNone(yield* store.get("b"))).toBe(true)
      expect(Option.isSome(yield* store.findToken("t", 99))).toBe(true)
      expect(Option.isNone(yield* store.findToken("t", 100))).toBe(true)
      const later = yield* store.insert(job("c"), { token: "t", requestHash: "h2", expiresAt: 300, now: 100 })
      expect(later._tag).toBe("Inserted")
      expect(Option.map(yield* store.findToken("t", 150), (t) => t.jobId)).toEqual(Option.some("c"))
      yield* store.insert(job("d"), { token: "u", requestHash: "h", expiresAt: 200, now: 150 })
      expect(yield* store.purgeExpiredTokens(250)).toBe(1)
      expect(Option.isSome(yield* store.findToken("t", 250))).toBe(true)
    }))

  it.effect("compareAndSet bumps the version and refuses a stale one", () =>
    Effect.gen(function*() {
      const store = yield* JobStore.makeMemory
      yield* store.insert(job("a"))
      const current = Option.getOrThrow(yield* store.get("a"))
      const next = yield* store.compareAndSet(1, { ...current, status: "Running" })
      expect(next.version).toBe(2)
      expect(next.seq).toBe(current.seq)
      const stale = yield* Effect.flip(store.compareAndSet(1, { ...current, status: "Failed" }))
      expect(stale.reason).toBe("VersionConflict")
      const missing = yield* Effect.flip(store.compareAndSet(1, { ...current, jobId: "zzz" }))
      expect(missing.reason).toBe("NotFound")
      expect(Option.getOrThrow(yield* store.get("a")).status).toBe("Running")
    }))

  it.effect("lists newest first with a cursor and a status filter", () =>
    Effect.gen(function*() {
      const store = yield* JobStore.makeMemory
      for (let i = 0; i < 10; i++) yield* store.insert(job(`j${i}`, i % 3 === 0 ? "Running" : "Pending"))
      const p1 = yield* store.list({ limit: 4 })
      expect(p1.jobs.map((j) => j.jobId)).toEqual(["j9", "j8", "j7", "j6"])
      expect(p1.hasMore).toBe(true)
      const p2 = yield* store.list({ limit: 4, beforeSeq: p1.jobs[3]!.seq })
      expect(p2.jobs.map((j) => j.jobId)).toEqual(["j5", "j4", "j3", "j2"])
      const p3 = yield* store.list({ limit: 4, beforeSeq: p2.jobs[3]!.seq })
      expect(p3.jobs.map((j) => j.jobId)).toEqual(["j1", "j0"])
      expect(p3.hasMore).toBe(false)
      const running = yield* store.list({ limit: 3, status: "Running" })
      expect(running.jobs.map((j) => j.jobId)).toEqual(["j9", "j6", "j3"])
      expect(running.hasMore).toBe(true)
      const exact = yield* store.list({ limit: 1, status: "Running", beforeSeq: running.jobs[2]!.seq })
      expect(exact.jobs.map((j) => j.jobId)).toEqual(["j0"])
      expect(exact.hasMore).toBe(false)
    }))
})
