/**
 * Recipe: start a job, wait for it, then list the newest jobs.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test \
 *   AWS_SECRET_ACCESS_KEY=test pnpm exec tsx examples/recipes/start-wait-list.ts s3://geojobs-input/recipes/
 *
 * The input location must hold Parquet files (see put-input-read-output.ts for putting one
 * there from code). The same ClientToken makes a rerun return the same job instead of starting
 * another: StartJob is idempotent for a token, which is what makes a retry after a crash safe.
 */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

const [input = "s3://geojobs-input/recipes/", output = "s3://geojobs-output/recipes/", role = "arn:aws:iam::000000000000:role/LocationJobs"] =
  process.argv.slice(2)

const program = Effect.gen(function*() {
  const started = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: role,
    InputOptions: { Location: input, Format: "Parquet" },
    OutputOptions: { Location: output, Format: "Parquet" },
    ClientToken: `recipe-${input}`.replace(/[^-_.A-Za-z0-9]/g, "-").slice(0, 64)
  })
  yield* Console.log(`started ${started.JobId} (${started.Status})`)

  const done = yield* Waiter.waitForJob(started.JobId, {
    minDelay: "1 second",
    maxDelay: "10 seconds",
    timeout: "10 minutes",
    onPoll: (job) => Console.log(`  ${job.Status}`)
  })
  yield* Console.log(`ended ${done.Status} at ${done.EndedAt?.toISOString()}`)

  // The newest first, one page of up to 10.
  const { Entries } = yield* LocationJobs.listJobs({ MaxResults: 10 })
  for (const job of Entries) yield* Console.log(`${job.JobId}  ${job.Status.padEnd(10)}  ${job.CreatedAt.toISOString()}`)
})

// A failure ends as one line naming the error (and its cause), with exit code 1.
NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
