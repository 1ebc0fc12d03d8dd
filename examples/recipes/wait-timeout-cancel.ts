/**
 * Recipe: wait for a job with a time limit, and cancel it when the limit is reached.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test \
 *   AWS_SECRET_ACCESS_KEY=test pnpm exec tsx examples/recipes/wait-timeout-cancel.ts s3://geojobs-input/recipes/ 5
 *
 * `waitForJob` fails with `WaitTimeout` (carrying the last status seen) when the limit passes;
 * the job itself goes on running until it is cancelled. CancelJob moves it to Cancelling, then
 * Cancelled, which the second wait reports as `JobCancelled`. A job that ends before either
 * limit is reported as it ended.
 */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

const [input = "s3://geojobs-input/recipes/", seconds = "5"] = process.argv.slice(2)

const program = Effect.gen(function*() {
  const { JobId } = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::000000000000:role/LocationJobs",
    InputOptions: { Location: input, Format: "Parquet" },
    OutputOptions: { Location: "s3://geojobs-output/recipes/cancelled/", Format: "Parquet" }
  })
  yield* Console.log(`started ${JobId}`)

  yield* Waiter.waitForJob(JobId, { minDelay: "1 second", maxDelay: "2 seconds", timeout: `${Number(seconds)} seconds` }).pipe(
    Effect.flatMap((job) => Console.log(`ended in time: ${job.Status}`)),
    Effect.catchTag("WaitTimeout", (timeout) =>
      Effect.gen(function*() {
        yield* Console.log(`still ${timeout.lastStatus} after ${seconds} s: cancelling`)
        const cancelled = yield* LocationJobs.cancelJob({ JobId })
        yield* Console.log(`cancel requested: ${cancelled.Status}`)
        // Cancelling takes a moment; the waiter reports the end as JobCancelled.
        yield* Waiter.waitForJob(JobId, { minDelay: "1 second", maxDelay: "2 seconds", timeout: "2 minutes" })
      })),
    Effect.catchTags({
      JobCancelled: (e) => Console.log(`cancelled: ${e.message}`),
      JobFailed: (e) => Console.log(`failed: ${e.error?.Code ?? "no code"}: ${e.error?.Messages?.join("; ") ?? ""}`)
    })
  )
})

// A failure ends as one line naming the error (and its cause), with exit code 1.
NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
