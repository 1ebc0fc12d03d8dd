/**
 * Cold start: import `@geojobs/node`, make one StartJob call to the server on `argv[2]`, exit.
 * `BENCH_TRANSPORT=node-http` (`NodeHttpTransport`) or `undici-lean` (`UndiciHttpClient`) instead of
 * the default (`AutoHttpTransport`: `node:http` for the first requests, then undici).
 */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Effect from "effect/Effect"

const port = Number(process.argv[2])
await Effect.runPromise(Effect.provide(
  LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
    InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
    OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
  }),
  NodeLocationJobs.layer({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    transport: process.env.BENCH_TRANSPORT === "node-http" || process.env.BENCH_TRANSPORT === "undici-lean"
      ? process.env.BENCH_TRANSPORT
      : undefined
  })
))
process.exit(0)
