/** Per-call program: `@geojobs/fetch` (`FetchLocationJobs.layer`, Node's global fetch), built once. */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as FetchLocationJobs from "@geojobs/fetch/FetchLocationJobs"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { credentials, getJobInput, main, startJobInput } from "./harness.js"

void main(async (port) => {
  const runtime = ManagedRuntime.make(FetchLocationJobs.layer({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials
  }))
  const calls = {
    StartJob: LocationJobs.startJob(startJobInput),
    GetJob: LocationJobs.getJob(getJobInput)
  }
  return {
    run: (op, n, concurrency) => {
      const call = calls[op]
      let left = n
      const loop = Effect.suspend(() => left-- > 0 ? Effect.zipRight(call, loop) : Effect.void) as Effect.Effect<void, unknown, LocationJobs.LocationJobs>
      return runtime.runPromise(Effect.all(Array.from({ length: concurrency }, () => loop), { concurrency: "unbounded", discard: true }))
    }
  }
})
