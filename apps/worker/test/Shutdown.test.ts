/**
 * SIGTERM while work is in flight: the worker stops claiming, releases what it holds and exits
 * 0 (not the forced exit after grace + 5 s); a new instance finishes every batch, one job each.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { isTerminal } from "../src/Batch.js"
import * as Client from "../src/Client.js"
import { allJobs, jobsByName, spawnWorker, stopGracefully, writeCsvFiles } from "./support/Fixtures.js"

describe("graceful shutdown", () => {
  it.live("SIGTERM with batches in flight: a clean exit 0, nothing lost or doubled after a restart", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-term-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const local = yield* LocalService.make({
        port: 0,
        dataDir: Path.join(dir, "local"),
        runnerOptions: { pollInterval: "100 millis", rowGroupPause: "300 millis" }
      })
      const files = writeCsvFiles(Path.join(dir, "files"), 12, 2)
      const args = [
        "--endpoint-url", local.url,
        "--db", Path.join(dir, "ledger.sqlite"),
        "--work-dir", Path.join(dir, "work"),
        "--allow-dir", Path.join(dir, "files"),
        "--lease", "2000", "--poll", "200", "--track-interval", "300", "--shutdown-grace", "2000"
      ]
      const first = yield* Effect.promise(() => spawnWorker(args))
      yield* Effect.forEach(files, (file, i) => Client.make(first.url, { token: first.token }).submit({ location: file, key: `t-${i}` }), { concurrency: 4 })
      // Let some batches get jobs, then stop it while others are still in the pipeline.
      for (let i = 0; i < 100; i++) {
        const listed = (yield* Client.make(first.url, { token: first.token }).list({ limit: 100 })).batches
        if (listed.some((b) => b.jobId !== undefined)) break
        yield* Effect.sleep("200 millis")
      }
      const before = (yield* Client.make(first.url, { token: first.token }).list({ limit: 100 })).batches
      expect(before.some((b) => !isTerminal(b.state))).toBe(true)
      // Exit 0 means it finished or released its work within the grace period (the forced exit
      // after grace + 5 s exits non-zero).
      const code = yield* Effect.promise(() => stopGracefully(first.child))
      expect(code).toBe(0)

      const second = yield* Effect.promise(() => spawnWorker(args))
      const client = Client.make(second.url, { token: second.token })
      let batches = (yield* client.list({ limit: 100 })).batches
      for (let i = 0; i < 240 && !batches.every((b) => isTerminal(b.state)); i++) {
        yield* Effect.sleep("1 second")
        batches = (yield* client.list({ limit: 100 })).batches
      }
      expect(yield* Effect.promise(() => stopGracefully(second.child))).toBe(0)
      expect(batches).toHaveLength(12)
      for (const b of batches) expect(b.state).toBe("Completed")
      const perName = jobsByName(yield* allJobs(local.store))
      for (const b of batches) expect(perName.get(b.id)).toBe(1)
    })), { timeout: 400_000 })
})
