// The example of packages/testing/README.md, kept runnable: if this changes, change the README.
import { describe, expect, it } from "@effect/vitest"
import type { StartJobRequest } from "@geojobs/core/Job"
import { startJob } from "@geojobs/core/LocationJobs"
import { Faults } from "@geojobs/testing/Faults"
import * as HttpDouble from "@geojobs/testing/HttpDouble"
import { JobsControl } from "@geojobs/testing/JobsControl"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"

// --- the code under test -------------------------------------------------------------------
const jobFor = (batchId: string): StartJobRequest => ({
  ClientToken: `batch-${batchId}`, // one token per batch, so every retry is the same request
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::111122223333:role/LocationJobs",
  InputOptions: { Location: `s3://my-input/batches/${batchId}/`, Format: "Parquet" },
  OutputOptions: { Location: `s3://my-output/batches/${batchId}/`, Format: "Parquet" }
})

/** Submits a batch, riding out throttling for up to a few minutes. */
const submitBatch = (batchId: string) =>
  startJob(jobFor(batchId)).pipe(
    Effect.retry({
      while: (e) => e._tag === "ThrottlingException",
      schedule: Schedule.exponential("2 seconds"),
      times: 5
    })
  )

// --- the test --------------------------------------------------------------------------------
describe("submitBatch", () => {
  it.effect("retries StartJob on throttling without starting two jobs", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      const control = yield* JobsControl

      yield* faults.throttleNext(4) // more than the client's own 3 attempts
      yield* faults.failNext(1, { afterProcessing: true }) // then the job is created but the answer is lost

      const fiber = yield* Effect.fork(submitBatch("2026-11-25"))
      yield* TestClock.adjust("1 minute") // backoff sleeps run on the TestClock
      const job = yield* Fiber.join(fiber)

      const calls = yield* faults.calls
      expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 429, 500, 200])
      expect(new Set(calls.map((c) => (c.body as StartJobRequest).ClientToken))).toEqual(new Set(["batch-2026-11-25"]))
      expect(yield* control.jobs).toEqual([{ jobId: job.JobId, status: "Pending", clientToken: "batch-2026-11-25" }])
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs())))
})
