/**
 * 500 batches through the whole pipeline against the local service (in-process, real runner):
 * every one Completed with its row counts, exactly one job per batch, resubmitting a key does not
 * make a second batch, and no Jobs API operation above 5 requests in any 1 s window of the
 * service's request log.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Client from "../src/Client.js"
import * as Program from "../src/Program.js"
import { allJobs, jobsByName, maxInWindow, writeCsvFiles } from "./support/Fixtures.js"

const N = Number(process.env.GEOJOBS_WORKER_TEST_BATCHES ?? 500)

describe("worker pipeline", () => {
  it.live(`${N} batches to Completed, one job each, within 5 requests/s per operation`, () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
      const since = Date.now()
      const files = writeCsvFiles(Path.join(dir, "files"), N, 3)
      const program = yield* Program.make({
        target: { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials },
        workDir: Path.join(dir, "worker"),
        http: { host: "127.0.0.1", port: 0 },
        api: { allowDirs: [Path.join(dir, "files")] },
        settings: { pollMs: 200, trackIntervalMs: 500, maxInFlight: 100 }
      })
      const client = Client.make(program.url!, { token: program.apiToken })

      const ids = new Map<string, string>()
      yield* Effect.forEach(files, (file, i) =>
        Effect.map(
          i % 2 === 0 ? client.submit({ location: file, key: `k-${i}` }) : client.submitFile(file, { key: `k-${i}` }),
          (r) => {
            expect(r.created).toBe(true)
            ids.set(`k-${i}`, r.batch.id)
          }
        ), { concurrency: 8 })
      // the same keys again: the same batches, nothing new
      for (let i = 0; i < 10; i++) {
        const again = yield* client.submit({ location: files[i]!, key: `k-${i}` })
        expect(again.created).toBe(false)
        expect(again.batch.id).toBe(ids.get(`k-${i}`))
      }
      expect((yield* client.submit({ location: "/no/such/file.csv" }).pipe(Effect.flip)).reason).toBe("BadRequest")

      // wait for everything to end (bounded: at ~4.5 StartJob/s this takes about two minutes)
      for (let round = 0; round < 600; round++) {
        const counts = yield* program.ledger.counts()
        if (counts.Completed + counts.Failed + counts.Cancelled >= N) break
        yield* Effect.sleep("1 second")
      }
      const counts = yield* program.ledger.counts()
      expect(counts.Completed).toBe(N)

      const batches = (yield* client.list({ limit: 10_000 })).batches
      expect(batches).toHaveLength(N)
      for (const b of batches) {
        expect(b.state).toBe("Completed")
        expect(b.inputRows).toBe(3)
        expect(b.outputRows).toBe(3)
        expect(b.outputFiles).toBe(1)
        expect(b.endedAt).toBeDefined()
        expect(b.outputLocation).toContain(b.jobId!)
      }
      const perName = jobsByName(yield* allJobs(local.store))
      for (const b of batches) expect(perName.get(b.id)).toBe(1)
      expect([...perName.values()].reduce((a, n) => a + n, 0)).toBe(N)

      // the rate limit, as the service saw it
      const entries = local.requestLog.entries(since).filter((e) => e.api === "jobs")
      const byOp = new Map<string, Array<number>>()
      for (const e of entries) byOp.set(e.operation, [...(byOp.get(e.operation) ?? []), e.at])
      const peaks = Object.fromEntries([...byOp].map(([op, times]) => [op, maxInWindow(times, 1000)]))
      console.log(`jobs API requests: ${entries.length}; peak per 1 s window: ${JSON.stringify(peaks)}`)
      expect(byOp.get("StartJob")).toHaveLength(N)
      for (const peak of Object.values(peaks)) expect(peak).toBeLessThanOrEqual(5)
      expect(entries.filter((e) => e.operation === "GetJob").length).toBeLessThan(N / 10)

      const metrics = yield* Effect.promise(() => fetch(`${program.url}/metrics`, { headers: { authorization: `Bearer ${program.apiToken}` } }).then((r) => r.text()))
      console.log(metrics.split("\n").filter((l) => /latency_seconds_(sum|count)|rate_wait/.test(l)).join("\n"))
      expect(metrics).toContain(`geojobs_worker_batches{state="Completed"} ${N}`)
      expect(metrics).toContain(`geojobs_worker_api_calls_total{operation="StartJob",outcome="ok"} ${N}`)
    })), { timeout: 600_000 })
})
