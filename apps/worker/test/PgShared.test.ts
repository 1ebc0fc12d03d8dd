/**
 * Two worker instances on one PostgreSQL ledger share the work without double-claiming and keep
 * the quota together: every batch ends Completed with one job, each stage transition was made by
 * exactly one instance, both instances did some of it, and — with both starting jobs as fast as
 * the window lets them (60 batches ready within a second, 8 start tasks) — no Jobs API operation
 * above 5 requests in any 1 s window of the local service's request log, across both instances.
 * Needs GEOJOBS_TEST_PG_URL (`scripts/postgres.sh start`); skipped without it only outside CI.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Program from "../src/Program.js"
import { allJobs, jobsByName, maxInWindow, writeCsvFiles } from "./support/Fixtures.js"
import { freshDatabase, skipPg, skipReason } from "./support/Pg.js"

const N = 60

describe.skipIf(skipPg)(`two workers on one PostgreSQL${skipReason}`, () => {
  it.live(`${N} batches shared by two instances, none claimed twice, 5 requests/s per operation together`, () =>
    Effect.scoped(Effect.gen(function*() {
      const db = yield* freshDatabase("geojobs_shared")
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-pg-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
      const since = Date.now()
      const target: Program.Target = { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials }
      const settings = { pollMs: 100, trackIntervalMs: 300, leaseMs: 5000, uploadConcurrency: 4, startConcurrency: 4 }
      const a = yield* Program.make({ target, db, workDir: Path.join(dir, "a"), settings: { ...settings, owner: "instance-a" } })
      const b = yield* Program.make({ target, db, workDir: Path.join(dir, "b"), settings: { ...settings, owner: "instance-b" } })
      const files = writeCsvFiles(Path.join(dir, "files"), N, 2)
      const ids = yield* Effect.forEach(files, (file, i) => Effect.map((i % 2 === 0 ? a : b).ledger.submit({ source: file, key: `k-${i}` }), (r) => r.batch.id))
      for (let i = 0; i < 120; i++) {
        const c = yield* a.ledger.counts()
        if (c.Completed + c.Failed + c.Cancelled >= N) break
        yield* Effect.sleep("1 second")
      }

      // every batch once
      expect((yield* a.ledger.counts()).Completed).toBe(N)
      const perName = jobsByName(yield* allJobs(local.store))
      const owners = new Map<string, number>()
      for (const id of ids) {
        expect(perName.get(id)).toBe(1)
        const events = yield* a.ledger.events(id)
        for (const to of ["Uploaded", "Submitted", "Completed"]) {
          const made = events.filter((e) => e.to === to)
          expect(made).toHaveLength(1)
          owners.set(made[0]!.owner!, (owners.get(made[0]!.owner!) ?? 0) + 1)
        }
      }
      console.log(`stage transitions by instance: ${JSON.stringify(Object.fromEntries(owners))}`)
      expect(owners.get("instance-a") ?? 0).toBeGreaterThan(0)
      expect(owners.get("instance-b") ?? 0).toBeGreaterThan(0)

      // the quota, as the service saw both instances
      const entries = local.requestLog.entries(since).filter((e) => e.api === "jobs")
      const byOp = new Map<string, Array<number>>()
      for (const e of entries) byOp.set(e.operation, [...(byOp.get(e.operation) ?? []), e.at])
      const peaks = Object.fromEntries([...byOp].map(([op, times]) => [op, maxInWindow(times, 1000)]))
      const started = (p: Program.Program) => p.metrics.value("geojobs_worker_api_calls_total", { operation: "StartJob", outcome: "ok" })
      const waited = (p: Program.Program) => p.metrics.value("geojobs_worker_rate_wait_seconds_total", { operation: "StartJob" })
      console.log(
        `jobs API requests: ${entries.length}; peak per 1 s window: ${JSON.stringify(peaks)}; StartJob a ${started(a)} b ${started(b)}; ` +
          `StartJob rate waits a ${waited(a).toFixed(1)} s b ${waited(b).toFixed(1)} s`
      )
      expect(byOp.get("StartJob")).toHaveLength(N)
      // both instances asked for more than the window let through
      expect(started(a)).toBeGreaterThan(0)
      expect(started(b)).toBeGreaterThan(0)
      expect(waited(a)).toBeGreaterThan(0)
      expect(waited(b)).toBeGreaterThan(0)
      for (const peak of Object.values(peaks)) expect(peak).toBeLessThanOrEqual(5)
    })), { timeout: 180_000 })
})
