/**
 * Per-call program: `@geojobs/node`'s Micro client (`NodeMicroLocationJobs.make`: `effect/Micro`,
 * keep-alive `node:http`, node:crypto SigV4, fixed credentials), made once; each caller awaits
 * `Micro.runPromise` of one call in a loop, as a plain async program would use it.
 */
import * as NodeMicroLocationJobs from "@geojobs/node/NodeMicroLocationJobs"
import * as Micro from "effect/Micro"
import { credentials, getJobInput, inParallel, main, startJobInput } from "./harness.js"

void main(async (port) => {
  const jobs = NodeMicroLocationJobs.make({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, credentials })
  const calls = {
    StartJob: () => Micro.runPromise(jobs.startJob(startJobInput)),
    GetJob: () => Micro.runPromise(jobs.getJob(getJobInput))
  }
  return { run: (op, n, concurrency) => inParallel(n, concurrency, calls[op]) }
})
