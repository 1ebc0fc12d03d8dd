// A page using the fetch client with static credentials: starts a job on the local service and shows its status.
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as FetchLocationJobs from "../../src/FetchLocationJobs.js"

const params = new URLSearchParams(window.location.search)
const show = (id: string, text: string) => {
  document.getElementById(id)!.textContent = text
}

const program = Effect.gen(function*() {
  const started = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::000000000000:role/browser",
    InputOptions: { Location: "s3://browser-input/", Format: "Parquet" },
    OutputOptions: { Location: "s3://browser-output/", Format: "Parquet" },
    Name: "FromTheBrowser"
  })
  show("job", started.JobId)
  const job = yield* LocationJobs.getJob({ JobId: started.JobId })
  show("status", job.Status)
})

Effect.runPromise(
  Effect.provide(
    program,
    FetchLocationJobs.layer({
      endpoint: params.get("endpoint")!,
      disableHostPrefix: true,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" }
    })
  )
).catch((error) => show("error", String(error)))
