/**
 * The worker's other doors: the inbox directory (the same content dropped twice is one batch),
 * cancellation of a batch (its job cancelled on the service), and /health, /ready, /metrics.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Client from "../src/Client.js"
import * as Program from "../src/Program.js"

const csv = (rows: number) =>
  "id,address,city,state,zip\n" +
  Array.from({ length: rows }, (_, i) => `${i},${100 + i} Pike St,Seattle,WA,98101`).join("\n") + "\n"

const waitUntil = <A, E>(what: string, check: Effect.Effect<A | undefined, E>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 300; i++) {
      const v = yield* check
      if (v !== undefined) return v
      yield* Effect.sleep("200 millis")
    }
    return yield* Effect.dieMessage(`timed out waiting for ${what}`)
  })

describe("worker operations", () => {
  it.live("inbox, cancel, health/ready/metrics", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-ops-"))
      const inbox = Path.join(dir, "inbox")
      Fs.mkdirSync(inbox)
      // A slow runner, so a batch can be cancelled while its job runs.
      const local = yield* LocalService.make({
        port: 0,
        dataDir: Path.join(dir, "local"),
        runnerOptions: { pollInterval: "100 millis", rowGroupPause: "2 seconds" }
      })
      const program = yield* Program.make({
        target: { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials },
        workDir: Path.join(dir, "worker"),
        http: { host: "127.0.0.1", port: 0 },
        inbox,
        settings: { pollMs: 200, trackIntervalMs: 300 }
      })
      const client = Client.make(program.url!, { token: program.apiToken })
      const authorized = { headers: { authorization: `Bearer ${program.apiToken}` } }

      // health and readiness
      const health = yield* Effect.promise(() => fetch(`${program.url}/health`))
      expect(health.status).toBe(200)
      const ready = yield* Effect.promise(() => fetch(`${program.url}/ready`, authorized))
      expect(ready.status).toBe(200)

      // the inbox: a file dropped in becomes a batch; the same content again is the same batch
      Fs.writeFileSync(Path.join(inbox, "first.csv"), csv(2))
      const fromInbox = yield* waitUntil("the inbox batch", Effect.map(client.list(), (l) => l.batches[0]))
      expect(fromInbox.key).toMatch(/^inbox:[0-9a-f]{64}$/)
      Fs.writeFileSync(Path.join(inbox, "same-again.csv"), csv(2))
      yield* waitUntil("the second file to be taken", Effect.sync(() =>
        Fs.readdirSync(inbox).filter((f) => !f.startsWith(".")).length === 0 ? true : undefined))
      yield* Effect.sleep("500 millis")
      expect((yield* client.list()).batches.filter((b) => b.key === fromInbox.key)).toHaveLength(1)

      // cancel: a running batch's job is cancelled on the service, and the batch ends Cancelled
      const slow = yield* client.submit({ location: Path.join(inbox, ".accepted", Fs.readdirSync(Path.join(inbox, ".accepted"))[0]!), key: "to-cancel" })
      const running = yield* waitUntil("the batch to have a job", Effect.map(client.get(slow.batch.id), (b) => (b.jobId ? b : undefined)))
      yield* client.cancel(running.id)
      const cancelled = yield* waitUntil("the batch to end", Effect.map(client.get(running.id), (b) =>
        b.state === "Cancelled" || b.state === "Completed" || b.state === "Failed" ? b : undefined))
      expect(cancelled.state).toBe("Cancelled")
      const job = yield* local.store.get(running.jobId!)
      expect(job._tag === "Some" && ["Cancelling", "Cancelled"].includes(job.value.status)).toBe(true)

      // metrics in Prometheus text
      const metrics = yield* Effect.promise(() => fetch(`${program.url}/metrics`, authorized).then((r) => r.text()))
      expect(metrics).toMatch(/^# (HELP|TYPE) /m)
      expect(metrics).toMatch(/Cancelled/)
      expect((yield* client.get("no-such-batch").pipe(Effect.flip)).reason).toBe("NotFound")
    })), 180_000)
})
