/**
 * recipes/submit-batches.ts as a user runs it (node + tsx), against a worker and a local
 * service started in-process: each file becomes a batch, ends Completed, and its results are
 * downloaded.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalTesting from "@geojobs/local/Testing"
import * as Program from "@geojobs/worker/Program"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const root = Path.resolve(import.meta.dirname, "..", "..")

describe("examples/recipes/submit-batches.ts", () => {
  it.live("submits two files, follows them to Completed and downloads their results", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-recipe-worker-"))
      const local = yield* LocalTesting.make({ runnerOptions: { pollInterval: "100 millis" } })
      const workDir = Path.join(dir, "worker")
      const worker = yield* Program.make({
        target: { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials },
        workDir,
        http: { host: "127.0.0.1", port: 0 },
        settings: { pollMs: 200, trackIntervalMs: 300 }
      })
      Fs.writeFileSync(Path.join(dir, "east.csv"), "id,address,city,state,zip\n1,1600 Pennsylvania Ave NW,Washington,DC,20500\n")
      Fs.writeFileSync(Path.join(dir, "west.csv"), "id,address,city,state,zip\n1,1 Infinite Loop,Cupertino,CA,95014\n2,350 5th Ave,New York,NY,10118\n")
      const outDir = Path.join(dir, "results")
      const r = yield* Effect.promise(() =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(process.execPath, ["--import", "tsx", Path.join(root, "examples", "recipes", "submit-batches.ts"), Path.join(dir, "east.csv"), Path.join(dir, "west.csv")], {
            cwd: root, // where tsx resolves
            timeout: 120_000,
            env: { PATH: process.env.PATH, GEOJOBS_WORKER_URL: worker.url!, GEOJOBS_WORKER_DIR: workDir, OUT_DIR: outDir }
          }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr })))
      )
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout.match(/ submitted: /g)).toHaveLength(2)
      expect(r.stdout).toMatch(/Completed: 1 rows → /)
      expect(r.stdout).toMatch(/Completed: 2 rows → /)
      expect(Fs.readdirSync(outDir).filter((f) => f.endsWith(".parquet"))).toHaveLength(2)
    }).pipe(Effect.scoped), 180_000)
})
