/**
 * Start a ValidateAddress job and wait for it, with every failure typed.
 *
 *   AWS_REGION=us-east-1 pnpm exec tsx examples/start-job.ts s3://my-input/addresses/ s3://my-output/results/ arn:aws:iam::123456789012:role/JobRole
 *
 * Point it at the local service with AWS_ENDPOINT_URL=http://127.0.0.1:4566 (credentials test/test).
 */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

const [input = "s3://my-input/addresses/", output = "s3://my-output/results/", role = "arn:aws:iam::123456789012:role/JobRole"] =
  process.argv.slice(2)

const program = Effect.gen(function*() {
  const started = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: role,
    InputOptions: { Location: input, Format: "Parquet" },
    OutputOptions: { Location: output, Format: "Parquet" },
    ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
  })
  yield* Console.log(`started ${started.JobId} (${started.Status})`)
  const done = yield* Waiter.waitForJob(started.JobId, {
    minDelay: "5 seconds",
    maxDelay: "30 seconds",
    timeout: "1 hour",
    onPoll: (job) => Console.log(`  ${job.JobId}: ${job.Status}`)
  })
  yield* Console.log(`completed at ${done.EndedAt?.toISOString()}; results under ${done.OutputOptions.Location}`)
}).pipe(
  Effect.catchTags({
    ValidationException: (e) => Console.error(`invalid request: ${e.fieldList.map((f) => `${f.name}: ${f.message}`).join("; ")}`),
    JobFailed: (e) => Console.error(`job failed: ${e.error?.Code ?? "unknown"} ${e.error?.Messages?.join("; ") ?? ""}`),
    JobCancelled: (e) => Console.error(e.message),
    WaitTimeout: (e) => Console.error(e.message)
  })
)

Effect.runPromise(Effect.provide(program, NodeLocationJobs.layerConfig())).catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})
