/**
 * Start a ValidateAddress job with the Micro client — the quick-starting one for scripts, CLIs and
 * Lambda functions — and wait for it; failures are typed and matched by `_tag`.
 *
 *   AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… pnpm exec tsx examples/start-job-micro.ts s3://my-input/addresses/ s3://my-output/results/ arn:aws:iam::123456789012:role/JobRole
 *
 * Point it at the local service with AWS_ENDPOINT_URL=http://127.0.0.1:4566 (credentials test/test).
 * Without keys in the environment it falls back to the AWS credential chain (`~/.aws`, SSO, …),
 * imported only then.
 */
import * as MicroWaiter from "@geojobs/core/MicroWaiter"
import * as NodeMicroCredentials from "@geojobs/sigv4/NodeMicroCredentials"
import * as NodeMicroLocationJobs from "@geojobs/node/NodeMicroLocationJobs"
import * as Micro from "effect/Micro"

const [input = "s3://my-input/addresses/", output = "s3://my-output/results/", role = "arn:aws:iam::123456789012:role/JobRole"] =
  process.argv.slice(2)

const endpoint = process.env.AWS_ENDPOINT_URL
const jobs = NodeMicroLocationJobs.make({
  region: process.env.AWS_REGION ?? "us-east-1",
  ...(endpoint === undefined ? {} : { endpoint, disableHostPrefix: true }),
  credentials: process.env.AWS_ACCESS_KEY_ID ? NodeMicroCredentials.fromEnv() : NodeMicroCredentials.providerChain()
})

const program = Micro.gen(function*() {
  const started = yield* jobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: role,
    InputOptions: { Location: input, Format: "Parquet" },
    OutputOptions: { Location: output, Format: "Parquet" },
    ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
  })
  console.log(`started ${started.JobId} (${started.Status})`)
  const done = yield* MicroWaiter.waitForJob(jobs, started.JobId, {
    minDelayMs: 5_000,
    maxDelayMs: 30_000,
    timeoutMs: 3_600_000,
    onPoll: (job) => console.log(`  ${job.JobId}: ${job.Status}`)
  })
  console.log(`done: ${done.Status}, results in ${done.OutputOptions.Location}`)
})

const exit = await Micro.runPromiseExit(program)
if (exit._tag === "Failure") {
  const cause = exit.cause
  const error = cause._tag === "Fail" ? cause.error : undefined
  switch (error?._tag) {
    case "ValidationException":
      console.error(`invalid request: ${error.fieldList.map((f) => `${f.name}: ${f.message}`).join("; ")}`)
      break
    case "AccessDeniedException":
      console.error(`access denied: ${error.message}`)
      break
    case "JobFailed":
    case "JobCancelled":
    case "WaitTimeout":
      console.error(`the job did not complete: ${error.message}`)
      break
    default:
      console.error(error === undefined ? String(cause) : `${error._tag}: ${error.message}`)
  }
  process.exitCode = 1
}
