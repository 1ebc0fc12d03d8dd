// A page using the fetch client with static credentials: starts a job on the local service and shows its status.
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as FetchLocationJobs from "../../src/FetchLocationJobs.js"
import { browserJob, params, show } from "./pageSupport.js"

const program = Effect.gen(function*() {
  const started = yield* LocationJobs.startJob(browserJob)
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
