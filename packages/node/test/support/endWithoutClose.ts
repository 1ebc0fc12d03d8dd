/**
 * A program for `NodeMicroLocationJobs.test.ts`: one GetJob to the server at `argv[2]`, no `close()`,
 * then it prints the job id and, at exit, how many ms after the answer the process ended.
 */
import * as Micro from "effect/Micro"
import * as NodeMicroLocationJobs from "../../src/NodeMicroLocationJobs.js"

const jobs = NodeMicroLocationJobs.make({
  region: "us-east-1",
  endpoint: process.argv[2]!,
  credentials: { accessKeyId: "a", secretAccessKey: "b" }
})
const job = await Micro.runPromise(jobs.getJob({ JobId: "j" }))
const answeredAt = Date.now()
console.log(job.JobId)
process.on("exit", () => console.log(Date.now() - answeredAt))
