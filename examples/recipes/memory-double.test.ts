/**
 * Recipe: a unit test of code that starts and waits for jobs, with the service's faults and
 * time under the test's control.
 *
 *   pnpm exec vitest run examples/recipes/memory-double.test.ts
 *
 * `HttpDouble.layerLocationJobs` is the real client (codec, retry) over an in-memory service
 * that behaves like Amazon Location's (`@geojobs/testing`); `Faults` scripts throttling, 5xx and
 * dropped connections; `autoProgress` moves jobs along on the `TestClock`, so a wait of minutes
 * runs in milliseconds and the test never sleeps.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import { Faults } from "@geojobs/testing/Faults"
import * as HttpDouble from "@geojobs/testing/HttpDouble"
import { JobsControl } from "@geojobs/testing/JobsControl"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"

// --- the code under test: one batch, started once (its token) and waited for ---
const runBatch = (batchId: string) =>
  LocationJobs.startJob({
    ClientToken: `batch-${batchId}`,
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::111122223333:role/LocationJobs",
    InputOptions: { Location: `s3://my-input/${batchId}/`, Format: "Parquet" },
    OutputOptions: { Location: `s3://my-output/${batchId}/`, Format: "Parquet" }
  }).pipe(
    Effect.flatMap(({ JobId }) => Waiter.waitForJob(JobId, { minDelay: "30 seconds", maxDelay: "1 minute", timeout: "30 minutes" })),
    Effect.map((job) => job.Status),
    Effect.catchTags({
      JobFailed: (e) => Effect.succeed(`Failed: ${e.error?.Code ?? "?"}`),
      WaitTimeout: () => Effect.succeed("TimedOut")
    })
  )

// --- the tests ---
describe("runBatch", () => {
  it.effect("completes through throttling and a lost answer, with one job", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      const control = yield* JobsControl
      yield* faults.throttleNext(1) // the client's standard retries absorb these
      yield* faults.dropNext(1, { afterProcessing: true }) // StartJob done, its answer lost: the retry gets the same job

      const fiber = yield* Effect.fork(runBatch("2026-12-07"))
      yield* TestClock.adjust("20 minutes") // backoff sleeps, job progress and polls run on the TestClock
      expect(yield* Fiber.join(fiber)).toBe("Completed")
      expect((yield* control.jobs).map((j) => j.clientToken)).toEqual(["batch-2026-12-07"])
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs({ autoProgress: { pendingFor: "1 minute", runFor: "5 minutes" } }))))

  it.effect("reports a job the service failed, with its code", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(runBatch("bad"))
      yield* TestClock.adjust("20 minutes")
      expect(yield* Fiber.join(fiber)).toBe("Failed: ValidationError")
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs({
      autoProgress: {
        pendingFor: "1 minute",
        runFor: "1 minute",
        outcome: { failWith: { Code: "ValidationError", Messages: ["input has no address columns"] } }
      }
    }))))

  it.effect("gives up after the time limit while the job still runs", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(runBatch("slow"))
      yield* TestClock.adjust("2 hours")
      expect(yield* Fiber.join(fiber)).toBe("TimedOut")
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs({ autoProgress: { pendingFor: "1 minute", runFor: "10 hours" } }))))
})
