/**
 * `validate` ends like `wait` when the job does not complete: Failed → 3, Cancelled → 4,
 * timeout → 5. A local service with a manual runner lets the test decide the job's fate.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ExitCode from "../src/ExitCode.js"
import { geojobs, json, type Running, startLocal, tempDir } from "./Harness.js"

let local: Running
beforeAll(async () => {
  local = await startLocal({ dataDir: tempDir("geojobs-cli-outcomes-"), runner: "manual" })
})
afterAll(() => local.close())

const workspace = (rows: string) => {
  const cwd = tempDir()
  Fs.writeFileSync(Path.join(cwd, "in.csv"), `address,city,state\n${rows}\n`)
  return cwd
}

/** The id of the one job the run started, once it exists. */
const jobOf = async (cwd: string, name: string): Promise<string> => {
  for (let i = 0; i < 400; i++) {
    const entries = json(await geojobs(["list-jobs"], { cwd, env: local.env })).Entries as Array<{ JobId: string; InputOptions: { Location: string } }>
    const hit = entries.find((e) => e.InputOptions.Location.includes(name))
    if (hit) return hit.JobId
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error("the job never appeared")
}

const hashPrefix = async (cwd: string) => {
  const { createHash } = await import("node:crypto")
  return createHash("sha256").update(Fs.readFileSync(Path.join(cwd, "in.csv"))).digest("hex").slice(0, 32)
}

describe("validate outcomes", () => {
  it("exits 3 when the job fails, with the job's error", async () => {
    const cwd = workspace("1 Failing Way,Springfield,IL")
    const run = geojobs(["validate", "in.csv"], { cwd, env: local.env })
    const id = await jobOf(cwd, await hashPrefix(cwd))
    await Effect.runPromise(local.info.driver.markRunning(id))
    await Effect.runPromise(local.info.driver.markFailed(id, { Code: "InternalServerError", Messages: ["disk on fire"] }))
    const r = await run
    expect(r.code).toBe(ExitCode.JobFailed)
    expect(r.stderr).toContain(`geojobs: Job ${id} failed: InternalServerError — disk on fire`)
    expect(Fs.existsSync(Path.join(cwd, "in.validated.csv"))).toBe(false)
  })

  it("exits 4 when the job is cancelled", async () => {
    const cwd = workspace("2 Cancelled Rd,Springfield,IL")
    const run = geojobs(["validate", "in.csv"], { cwd, env: local.env })
    const id = await jobOf(cwd, await hashPrefix(cwd))
    expect((await geojobs(["cancel-job", "--job-id", id], { cwd, env: local.env })).code).toBe(0)
    await Effect.runPromise(local.info.driver.completeCancellation(id))
    expect((await run).code).toBe(ExitCode.JobCancelled)
  })

  it("exits 5 when --timeout passes", async () => {
    const cwd = workspace("3 Slow Ln,Springfield,IL")
    const r = await geojobs(["validate", "in.csv", "--timeout", "1s"], { cwd, env: local.env })
    expect(r.code).toBe(ExitCode.WaitTimeout)
    expect(r.stderr).toMatch(/did not finish within/)
  })
})
