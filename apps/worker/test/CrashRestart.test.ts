/**
 * kill -9 of the worker process at random points, restarted each time: in the end every batch
 * is terminal and each has exactly one job in the local service.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { isTerminal } from "../src/Batch.js"
import * as Client from "../src/Client.js"
import { allJobs, jobsByName, killHard, spawnWorker, stopGracefully, writeCsvFiles } from "./support/Fixtures.js"

const N = 40
const KILLS = 4

describe("worker crash and restart", () => {
  it.live(`kill -9 ${KILLS} times: every batch terminal, one job each`, () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-kill-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
      const files = writeCsvFiles(Path.join(dir, "files"), N, 2)
      const args = [
        "--endpoint-url", local.url,
        "--db", Path.join(dir, "ledger.sqlite"),
        "--work-dir", Path.join(dir, "work"),
        "--allow-dir", Path.join(dir, "files"),
        "--lease", "2000", "--poll", "200", "--track-interval", "300", "--shutdown-grace", "2000"
      ]
      const spawn = () => Effect.promise(() => spawnWorker(args))
      let worker = yield* spawn()
      yield* Effect.forEach(files, (file, i) => Client.make(worker.url, { token: worker.token }).submit({ location: file, key: `k-${i}` }), { concurrency: 4 })
      for (let k = 0; k < KILLS; k++) {
        yield* Effect.sleep(`${300 + Math.floor(Math.random() * 2500)} millis`)
        yield* Effect.promise(() => killHard(worker.child))
        worker = yield* spawn()
      }
      const client = Client.make(worker.url, { token: worker.token })
      // A failing list says whether the worker process is still alive (and what it printed).
      const list = client.list({ limit: 1000 }).pipe(
        Effect.retry(Schedule.spaced("500 millis").pipe(Schedule.intersect(Schedule.recurs(5)))),
        Effect.tapError(() =>
          Effect.logError(`worker exit=${worker.child.exitCode} signal=${worker.child.signalCode}\n${worker.output().slice(-4000)}`)
        )
      )
      let batches = (yield* list).batches
      for (let i = 0; i < 240 && !batches.every((b) => isTerminal(b.state)); i++) {
        yield* Effect.sleep("1 second")
        batches = (yield* list).batches
      }
      const code = yield* Effect.promise(() => stopGracefully(worker.child))
      expect(code).toBe(0)
      expect(batches).toHaveLength(N)
      for (const b of batches) expect(b.state).toBe("Completed")
      const perName = jobsByName(yield* allJobs(local.store))
      for (const b of batches) expect(perName.get(b.id)).toBe(1)
      expect(perName.size).toBe(N)
    })), { timeout: 600_000 })
})
