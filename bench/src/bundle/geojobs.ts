/** Bundle-size program, ours: `@geojobs/fetch` with static credentials, starting one job. */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as FetchLocationJobs from "@geojobs/fetch/FetchLocationJobs"
import * as Effect from "effect/Effect"

const job = await Effect.runPromise(Effect.provide(
  LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
    InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
    OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
  }),
  FetchLocationJobs.layer({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } })
))
console.log(job.JobId)
