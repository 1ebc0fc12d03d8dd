/** Cold start: import `@aws-sdk/client-location`, make one StartJob call to the server on `argv[2]`, exit. */
import { LocationClient, StartJobCommand } from "@aws-sdk/client-location"

const port = Number(process.argv[2])
const client = new LocationClient({
  region: "us-east-1",
  endpoint: `http://127.0.0.1:${port}`,
  disableHostPrefix: true,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }
})
await client.send(new StartJobCommand({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" }
}))
process.exit(0)
