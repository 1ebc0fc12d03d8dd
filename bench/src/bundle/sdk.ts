/** Bundle-size program, the SDK's: `LocationClient` and the four job commands, starting one job. */
import { CancelJobCommand, GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"

const client = new LocationClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } })
const job = await client.send(new StartJobCommand({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
}))
console.log(job.JobId, [GetJobCommand, ListJobsCommand, CancelJobCommand].length)
