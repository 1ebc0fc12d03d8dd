/** Per-call program: the official `@aws-sdk/client-location` (its default keep-alive Node handler). */
import { GetJobCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import { credentials, getJobInput, inParallel, main, startJobInput } from "./harness.js"

void main(async (port) => {
  const client = new LocationClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    disableHostPrefix: true,
    credentials
  })
  const calls = {
    StartJob: () => client.send(new StartJobCommand(startJobInput as never)),
    GetJob: () => client.send(new GetJobCommand(getJobInput))
  }
  return { run: (op, n, concurrency) => inParallel(n, concurrency, calls[op]) }
})
