// A page using the Micro fetch client with static credentials: starts a job on the local service and shows its status.
import * as Micro from "effect/Micro"
import * as FetchMicroLocationJobs from "../../src/FetchMicroLocationJobs.js"

const params = new URLSearchParams(window.location.search)
const show = (id: string, text: string) => {
  document.getElementById(id)!.textContent = text
}

const jobs = FetchMicroLocationJobs.make({
  endpoint: params.get("endpoint")!,
  disableHostPrefix: true,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" }
})

const program = Micro.gen(function*() {
  const started = yield* jobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::000000000000:role/browser",
    InputOptions: { Location: "s3://browser-input/", Format: "Parquet" },
    OutputOptions: { Location: "s3://browser-output/", Format: "Parquet" },
    Name: "FromTheBrowser"
  })
  show("job", started.JobId)
  const job = yield* jobs.getJob({ JobId: started.JobId })
  show("status", job.Status)
})

Micro.runPromise(program).catch((error) => show("error", String(error)))
