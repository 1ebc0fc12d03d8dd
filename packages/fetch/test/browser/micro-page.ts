// A page using the Micro fetch client with static credentials: starts a job on the local service and shows its status.
import * as Micro from "effect/Micro"
import * as FetchMicroLocationJobs from "../../src/FetchMicroLocationJobs.js"
import { browserJob, params, show } from "./pageSupport.js"

const jobs = FetchMicroLocationJobs.make({
  endpoint: params.get("endpoint")!,
  disableHostPrefix: true,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" }
})

const program = Micro.gen(function*() {
  const started = yield* jobs.startJob(browserJob)
  show("job", started.JobId)
  const job = yield* jobs.getJob({ JobId: started.JobId })
  show("status", job.Status)
})

Micro.runPromise(program).catch((error) => show("error", String(error)))
