import { describe, expect, it } from "@effect/vitest"
import { JobStore } from "@geojobs/service/JobStore"
import { sampleJob } from "@geojobs/testing/JobStoreSuite"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SqlJobStore from "../src/SqlJobStore.js"

const job = sampleJob

const tempDb = () => Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-store-")), "jobs.sqlite")
const withStore = <A, E>(file: string, f: (store: JobStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.provide(Effect.flatMap(JobStore, f), SqlJobStore.layer(file))

// The JobStore contract runs against this store in Contract.test.ts; this adds what only a
// durable store can show.
describe("SqlJobStore", () => {
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
