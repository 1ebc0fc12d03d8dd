/**
 * `geojobs submit` and `geojobs batches` against a running geojobs-worker (in-process, over its
 * HTTP API) on an in-process local service.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Program from "@geojobs/worker/Program"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { geojobs, json, tempDir } from "./Harness.js"
import * as ExitCode from "../src/ExitCode.js"

describe("geojobs submit / batches", () => {
  it.live("submits a file, answers the same batch for the same key, lists, shows and watches it to Completed", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = tempDir("geojobs-cli-worker-")
      const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
      const worker = yield* Program.make({
        target: { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials },
        workDir: Path.join(dir, "worker"),
        http: { host: "127.0.0.1", port: 0 },
        settings: { pollMs: 200, trackIntervalMs: 300 }
      })
      // the token is found in the worker's work directory
      const env = { GEOJOBS_WORKER_URL: worker.url!, GEOJOBS_WORKER_DIR: Path.join(dir, "worker") }
      Fs.writeFileSync(Path.join(dir, "a.csv"), "id,address,city,state,zip\n1,1600 Pennsylvania Ave NW,Washington,DC,20500\n")
      const run = (argv: ReadonlyArray<string>) => Effect.promise(() => geojobs(argv, { cwd: dir, env }))

      const first = yield* run(["submit", "a.csv", "--key", "batch-a"])
      expect(first.code).toBe(0)
      expect(first.stderr).toContain(`worker: ${worker.url}`)
      const submitted = json(first)
      expect(submitted.created).toBe(true)
      const id = submitted.batch.id as string
      expect(first.stderr).toContain(`batch ${id} submitted`)

      const again = yield* run(["submit", "a.csv", "--key", "batch-a"])
      expect(json(again).created).toBe(false)
      expect(json(again).batch.id).toBe(id)
      expect(again.stderr).toContain("already submitted")

      const watched = yield* run(["batches", id, "--watch", "--download", "results"])
      expect(watched.code).toBe(0)
      expect(json(watched).state).toBe("Completed")
      expect(json(watched).jobId).toMatch(/.+/)
      expect(json(watched).summary).toBe("1 row in, 1 row out in 1 file")
      // a line per change, never the same line twice
      const lines = watched.stderr.split("\n").filter((l) => l.startsWith(`geojobs: batch ${id}:`))
      expect(lines.length).toBeGreaterThan(0)
      expect(new Set(lines).size).toBe(lines.length)
      // the results, downloaded through the worker
      const downloaded = Fs.readdirSync(Path.join(dir, "results"))
      expect(downloaded).toHaveLength(1)
      expect(downloaded[0]).toMatch(new RegExp(`^${id}-.*\\.parquet$`))
      expect(Fs.readFileSync(Path.join(dir, "results", downloaded[0]!)).subarray(0, 4).toString()).toBe("PAR1")
      expect(watched.stderr).toContain(`wrote results/${downloaded[0]}`)

      const listed = json(yield* run(["batches", "--status", "Completed"]))
      expect(listed.batches.map((b: { id: string }) => b.id)).toEqual([id])
      expect(json(yield* run(["batches", "--status", "Failed"])).batches).toEqual([])

      // without the token: refused, saying where it was looked for
      const refused = yield* Effect.promise(() => geojobs(["batches"], { cwd: dir, env: { GEOJOBS_WORKER_URL: worker.url! } }))
      expect(refused.code).toBe(ExitCode.Usage)
      expect(refused.stderr).toMatch(/worker: this worker needs its API token.*no token in .*\.geojobs-worker\/api-token \(use --worker-dir/)
      const viaFile = yield* Effect.promise(() =>
        geojobs(["batches", "--worker-token-file", Path.join(dir, "worker", "api-token")], { cwd: dir, env: { GEOJOBS_WORKER_URL: worker.url! } })
      )
      expect(viaFile.code).toBe(0)
    })), 180_000)

  it.live("a batch's last error and summary while it is retried", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = tempDir("geojobs-cli-worker-err-")
      // nothing listens on this endpoint: the upload is retried, and says why
      const worker = yield* Program.make({
        target: { _tag: "Endpoint", url: "http://127.0.0.1:9", region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } },
        workDir: Path.join(dir, "worker"),
        http: { host: "127.0.0.1", port: 0 },
        settings: { pollMs: 100 }
      })
      Fs.writeFileSync(Path.join(dir, "a.csv"), "id,address,city,state,zip\n1,1600 Pennsylvania Ave NW,Washington,DC,20500\n")
      const env = { GEOJOBS_WORKER_URL: worker.url!, GEOJOBS_WORKER_TOKEN: worker.apiToken }
      const run = (argv: ReadonlyArray<string>) => Effect.promise(() => geojobs(argv, { cwd: dir, env }))
      const id = json(yield* run(["submit", "a.csv"])).batch.id as string
      let shown: any
      for (let i = 0; i < 50; i++) {
        shown = json(yield* run(["batches"])).batches[0]
        if (shown.lastError !== undefined) break
        yield* Effect.sleep("200 millis")
      }
      expect(shown.id).toBe(id)
      expect(shown.lastError).toMatch(/cannot (upload|create bucket)|bucket/)
      expect(shown.summary).toMatch(/^waiting for upload; retrying after: /)
      const early = yield* run(["batches", id, "--download", "out"])
      expect(early.code).toBe(ExitCode.Usage)
      expect(early.stderr).toMatch(/is Received .*only a Completed batch has results to download/)
    })), 60_000)

  it.live("bad input and an unreachable worker: one line, non-zero exits", () =>
    Effect.gen(function*() {
      const dir = tempDir("geojobs-cli-worker-bad-")
      const env = { GEOJOBS_WORKER_URL: "http://127.0.0.1:9" }
      const unreachable = yield* Effect.promise(() => geojobs(["batches"], { cwd: dir, env }))
      expect(unreachable.code).toBe(ExitCode.Unreachable)
      expect(unreachable.stderr).toMatch(/geojobs: worker: cannot reach the worker/)
      const badStatus = yield* Effect.promise(() => geojobs(["batches", "--status", "Nope"], { cwd: dir, env }))
      expect(badStatus.code).toBe(ExitCode.Usage)
      expect(badStatus.stderr).toMatch(/unknown state/)
      const cancelWithoutId = yield* Effect.promise(() => geojobs(["batches", "--cancel"], { cwd: dir, env }))
      expect(cancelWithoutId.code).toBe(ExitCode.Usage)
    }))
})
