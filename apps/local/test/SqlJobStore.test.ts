import { describe, expect, it } from "@effect/vitest"
import type { NewJobRecord } from "@geojobs/service/JobRecord"
import { JobStore } from "@geojobs/service/JobStore"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SqlJobStore from "../src/SqlJobStore.js"

const job = (jobId: string, status: NewJobRecord["status"] = "Pending"): NewJobRecord => ({
  jobId,
  jobArn: `arn:aws:geo:us-east-1:000000000000:job/${jobId}`,
  action: "ValidateAddress",
  executionRoleArn: "arn:aws:iam::000000000000:role/r",
  inputOptions: { Location: "s3://in-bucket/x", Format: "Parquet" },
  outputOptions: { Location: "s3://out-bucket/", Format: "Parquet" },
  tags: { team: "geo" },
  status,
  createdAt: 1000,
  updatedAt: 1000,
  version: 1
})

const tempDb = () => Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-store-")), "jobs.sqlite")
const withStore = <A, E>(file: string, f: (store: JobStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.provide(Effect.flatMap(JobStore, f), SqlJobStore.layer(file))

describe("SqlJobStore", () => {
  it.effect("insert assigns increasing seq, keeps every field, refuses duplicate ids", () =>
    withStore(tempDb(), (store) =>
      Effect.gen(function*() {
        const a = yield* store.insert(job("a"))
        const b = yield* store.insert(job("b"))
        expect(a._tag === "Inserted" && b._tag === "Inserted" && a.job.seq < b.job.seq).toBe(true)
        const read = yield* store.get("a")
        expect(Option.getOrThrow(read)).toEqual({ ...job("a"), seq: a._tag === "Inserted" ? a.job.seq : -1 })
        expect((yield* Effect.flip(store.insert(job("a")))).reason).toBe("DuplicateJobId")
        expect(Option.isNone(yield* store.get("zzz"))).toBe(true)
      })))

  it.effect("tokens: a live one answers its job, an expired one is replaced, purge drops expired", () =>
    withStore(tempDb(), (store) =>
      Effect.gen(function*() {
        const claim = { token: "t", requestHash: "h1", expiresAt: 100, now: 0 }
        expect((yield* store.insert(job("a"), claim))._tag).toBe("Inserted")
        const again = yield* store.insert(job("b"), { ...claim, now: 99 })
        expect(again._tag).toBe("TokenExists")
        if (again._tag === "TokenExists") {
          expect(again.token).toEqual({ token: "t", requestHash: "h1", jobId: "a", expiresAt: 100 })
          expect(Option.getOrThrow(again.job).jobId).toBe("a")
        }
        expect(Option.isNone(yield* store.get("b"))).toBe(true)
        const later = yield* store.insert(job("c"), { token: "t", requestHash: "h2", expiresAt: 300, now: 100 })
        expect(later._tag).toBe("Inserted")
        expect(Option.getOrThrow(yield* store.findToken("t", 150)).jobId).toBe("c")
        yield* store.insert(job("d"), { token: "u", requestHash: "h", expiresAt: 50, now: 0 })
        expect(yield* store.purgeExpiredTokens(200)).toBe(1)
        expect(Option.isNone(yield* store.findToken("u", 0))).toBe(true)
      })))

  it.effect("compareAndSet bumps the version, refuses a stale one, and NotFound for missing jobs", () =>
    withStore(tempDb(), (store) =>
      Effect.gen(function*() {
        const inserted = yield* store.insert(job("a"))
        if (inserted._tag !== "Inserted") return
        const next = yield* store.compareAndSet(1, { ...inserted.job, status: "Running", updatedAt: 2000 })
        expect(next.version).toBe(2)
        expect(Option.getOrThrow(yield* store.get("a")).status).toBe("Running")
        expect((yield* Effect.flip(store.compareAndSet(1, { ...inserted.job, status: "Failed" }))).reason).toBe("VersionConflict")
        expect((yield* Effect.flip(store.compareAndSet(1, { ...inserted.job, jobId: "nope" }))).reason).toBe("NotFound")
      })))

  it.effect("lists newest first, with a cursor and a status filter", () =>
    withStore(tempDb(), (store) =>
      Effect.gen(function*() {
        for (let i = 0; i < 25; i++) yield* store.insert(job(`j${i}`, i % 3 === 0 ? "Completed" : "Pending"))
        const first = yield* store.list({ limit: 10 })
        expect(first.jobs.map((j) => j.jobId)).toEqual(Array.from({ length: 10 }, (_, i) => `j${24 - i}`))
        expect(first.hasMore).toBe(true)
        const rest = yield* store.list({ limit: 100, beforeSeq: first.jobs[9]!.seq })
        expect(rest.jobs.map((j) => j.jobId)).toEqual(Array.from({ length: 15 }, (_, i) => `j${14 - i}`))
        expect(rest.hasMore).toBe(false)
        const done = yield* store.list({ limit: 100, status: "Completed" })
        expect(done.jobs.map((j) => j.jobId)).toEqual(["j24", "j21", "j18", "j15", "j12", "j9", "j6", "j3", "j0"])
      })))

  it.effect("everything survives closing and reopening the database", () => {
    const file = tempDb()
    return Effect.gen(function*() {
      yield* withStore(file, (store) =>
        Effect.gen(function*() {
          yield* store.insert(job("a"), { token: "t", requestHash: "h", expiresAt: Number.MAX_SAFE_INTEGER, now: 0 })
          const b = yield* store.insert(job("b"))
          if (b._tag === "Inserted") yield* store.compareAndSet(1, { ...b.job, status: "Running" })
        }))
      yield* withStore(file, (store) =>
        Effect.gen(function*() {
          expect(Option.getOrThrow(yield* store.get("b")).status).toBe("Running")
          expect(Option.getOrThrow(yield* store.findToken("t", 1)).jobId).toBe("a")
          const c = yield* store.insert(job("c"))
          const page = yield* store.list({ limit: 10 })
          expect(page.jobs.map((j) => j.jobId)).toEqual(["c", "b", "a"])
          expect(c._tag === "Inserted" && c.job.seq).toBe(3)
        }))
    })
  })
})
