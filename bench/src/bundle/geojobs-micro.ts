/** Bundle-size program, ours on `Micro`: `@geojobs/fetch`'s `FetchMicroLocationJobs` with static credentials, starting one job. */
import * as FetchMicroLocationJobs from "@geojobs/fetch/FetchMicroLocationJobs"
import * as Micro from "effect/Micro"

const jobs = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } })
const job = await Micro.runPromise(jobs.startJob({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
}))
console.log(job.JobId)
