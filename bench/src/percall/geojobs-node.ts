/**
 * Per-call program: `@geojobs/node` (`NodeLocationJobs.layer`), built once into a `ManagedRuntime`;
 * each caller is a fiber calling in a loop. `BENCH_TRANSPORT=node-http` selects `NodeHttpTransport`,
 * `BENCH_TRANSPORT=undici-lean` `UndiciHttpClient`, `BENCH_TRANSPORT=platform` `NodeHttpClient.layerUndici`,
 * instead of the default (`AutoHttpTransport`: node:http for the first 64 requests, then lean undici;
 * the warm-up calls take it past the switch).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { credentials, getJobInput, main, startJobInput } from "./harness.js"

void main(async (port) => {
  const transport = process.env.BENCH_TRANSPORT === "platform"
    ? NodeHttpClient.layerUndici
    : process.env.BENCH_TRANSPORT === "node-http" || process.env.BENCH_TRANSPORT === "undici-lean"
    ? process.env.BENCH_TRANSPORT
    : undefined
  const runtime = ManagedRuntime.make(NodeLocationJobs.layer({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    transport
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
