import { describe, expect, it } from "@effect/vitest"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { JobsControl } from "../src/JobsControl.js"
import * as MemoryLocationJobs from "../src/MemoryLocationJobs.js"
import { request } from "./fixtures.js"

describe("MemoryLocationJobs", () => {
  it.effect("auto-progress on the TestClock: Pending → Running → Completed at the configured times", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const { CreatedAt, JobId } = yield* jobs.startJob(request())
      yield* TestClock.adjust("9 seconds")
      expect((yield* jobs.getJob({ JobId })).Status).toBe("Pending")
      yield* TestClock.adjust("1 second")
      const running = yield* jobs.getJob({ JobId })
      expect(running.Status).toBe("Running")
      expect(running.UpdatedAt.getTime() - CreatedAt.getTime()).toBe(10_000)
      yield* TestClock.adjust("59 seconds")
      expect((yield* jobs.getJob({ JobId })).Status).toBe("Running")
      yield* TestClock.adjust("1 second")
      const done = yield* jobs.getJob({ JobId })
      expect(done.Status).toBe("Completed")
      expect(done.EndedAt!.getTime() - CreatedAt.getTime()).toBe(70_000)
    }).pipe(Effect.provide(MemoryLocationJobs.layer({ autoProgress: { pendingFor: "10 seconds", runFor: "1 minute" } }))))

  it.effect("auto-progress can end in failure, and completes cancellations", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const control = yield* JobsControl
      yield* control.setAutoProgress({
        pendingFor: "1 second",
        runFor: "1 second",
        cancelFor: "5 seconds",
        outcome: { failWith: { Code: "ValidationError", Messages: ["no such bucket"] } }
      })
      const a = yield* jobs.startJob(request())
      const b = yield* jobs.startJob(request())
      yield* TestClock.adjust("1 second")
      expect((yield* jobs.cancelJob({ JobId: b.JobId })).Status).toBe("Cancelling")
      yield* TestClock.adjust("1 second")
      const failed = yield* jobs.getJob({ JobId: a.JobId })
      expect(failed.Status).toBe("Failed")
      expect(failed.Error).toEqual({ Code: "ValidationError", Messages: ["no such bucket"] })
      // b was cancelled while Running: its run timer finds it Cancelling and leaves it alone
      expect((yield* jobs.getJob({ JobId: b.JobId })).Status).toBe("Cancelling")
      yield* TestClock.adjust("4 seconds")
      expect((yield* jobs.getJob({ JobId: b.JobId })).Status).toBe("Cancelled")
    }).pipe(Effect.provide(MemoryLocationJobs.layer())))

  it.effect("progress is off by default: jobs wait for the control", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const { JobId } = yield* jobs.startJob(request())
      yield* TestClock.adjust("365 days")
      expect((yield* jobs.getJob({ JobId })).Status).toBe("Pending")
    }).pipe(Effect.provide(MemoryLocationJobs.layer())))

  it.effect("records every call the service answered, with the filled ClientToken", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const control = yield* JobsControl
      const { JobId } = yield* jobs.startJob(request())
      yield* jobs.getJob({ JobId })
      yield* Effect.flip(jobs.getJob({ JobId: "missing" }))
      yield* Effect.flip(jobs.getJob({ JobId: "bad id" })) // rejected client-side: never reaches the service
      yield* jobs.listJobs()
      const calls = yield* control.calls
      expect(calls.map((c) => [c.operation, c.result._tag])).toEqual([
        ["StartJob", "Success"],
        ["GetJob", "Success"],
        ["GetJob", "Failure"],
        ["ListJobs", "Success"]
      ])
      expect((calls[0]!.input as { ClientToken?: string }).ClientToken).toMatch(/^[0-9a-f-]{36}$/)
      expect(calls[2]!.result).toMatchObject({ _tag: "Failure", error: { _tag: "ResourceNotFoundException" } })
      yield* control.clearCalls
      expect(yield* control.calls).toEqual([])
    }).pipe(Effect.provide(MemoryLocationJobs.layer())))

  it.effect("errors are what the real client reports", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const invalid = yield* Effect.flip(jobs.startJob({ ...request(), Name: "bad name" }))
      expect(invalid).toMatchObject({ _tag: "ValidationException", clientSide: true, reason: "FieldValidationFailed" })
      const cancel = yield* Effect.flip(jobs.cancelJob({ JobId: "missing" }))
      expect(cancel).toMatchObject({ _tag: "ResourceNotFoundException", status: 404 })
      yield* jobs.startJob(request({ ClientToken: "t" }))
      const conflict = yield* Effect.flip(jobs.startJob(request({ ClientToken: "t", Name: "x" })))
      expect(conflict).toMatchObject({ _tag: "ValidationException", reason: "Other", status: 400 })
    }).pipe(Effect.provide(MemoryLocationJobs.layer())))
})
