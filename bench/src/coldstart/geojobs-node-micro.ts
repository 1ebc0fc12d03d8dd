/**
 * Cold start: import `@geojobs/node`'s Micro client (`NodeMicroLocationJobs`: `effect/Micro`,
 * keep-alive `node:http`, node:crypto SigV4, fixed credentials), make one StartJob call to the
 * server on `argv[2]`, exit.
 */
import * as NodeMicroLocationJobs from "@geojobs/node/NodeMicroLocationJobs"
import * as Micro from "effect/Micro"

const port = Number(process.argv[2])
const jobs = NodeMicroLocationJobs.make({
  region: "us-east-1",
  endpoint: `http://127.0.0.1:${port}`,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }
})
await Micro.runPromise(jobs.startJob({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
}))
process.exit(0)
