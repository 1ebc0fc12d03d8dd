/**
 * Every program in examples/recipes/ runs as a user runs it (node + tsx, configured by the AWS
 * environment variables only) against a local service, and prints what its doc comment says.
 * The recipes that are tests (`*.test.ts`) run with the rest of the suite.
 */
import * as LocalTesting from "@geojobs/local/Testing"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = Path.resolve(import.meta.dirname, "..", "..")
let scope: Scope.CloseableScope
let url = ""

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  // Each row group is followed by a pause, so a job lasts long enough to be cancelled.
  const service = await Effect.runPromise(
    Scope.extend(LocalTesting.make({ runnerOptions: { rowGroupPause: "3 seconds" } }), scope)
  )
  url = service.url
}, 60_000)
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const recipe = (name: string, args: ReadonlyArray<string> = []) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const home = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-recipe-home-"))
    execFile(process.execPath, ["--import", "tsx", Path.join(root, "examples", "recipes", name), ...args], {
      cwd: root,
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_CONFIG_FILE: Path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: Path.join(home, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test"
      }
    }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }))
  })

describe("examples/recipes", () => {
  it("put-input-read-output: the input goes into S3 from code, the output comes back", async () => {
    const r = await recipe("put-input-read-output.ts")
    expect(r.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?trace-warnings[^\n]*\n/, ""), r.stdout).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^job \S+: Completed$/m)
    expect(r.stdout.match(/ → /g)).toHaveLength(3)
    expect(r.stdout).toContain("1600 Pennsylvania Ave NW → ")
  }, 120_000)

  it("start-wait-list: started, waited for, listed", async () => {
    const r = await recipe("start-wait-list.ts", ["s3://geojobs-input/recipes/"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^started \S+ \(Pending\)$/m)
    expect(r.stdout).toMatch(/^ended Completed at \d{4}-/m)
    expect(r.stdout.split("\n").filter((l) => /^\S+ {2}Completed +\d{4}-/.test(l)).length).toBeGreaterThanOrEqual(2)
  }, 120_000)

  it("handle-errors: the ValidationException branch names the bad field", async () => {
    const r = await recipe("handle-errors.ts")
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^invalid request \(\w+\): InputOptions\.Location: /m)
  }, 120_000)

  it("wait-timeout-cancel: the wait times out, the job is cancelled", async () => {
    const r = await recipe("wait-timeout-cancel.ts", ["s3://geojobs-input/recipes/", "1"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^still (Pending|Running) after 1 s: cancelling$/m)
    expect(r.stdout).toMatch(/^cancel requested: (Cancelling|Cancelled)$/m)
    expect(r.stdout).toMatch(/^cancelled: /m)
  }, 120_000)

  it("stream-jobs: every job, counted by status", async () => {
    const r = await recipe("stream-jobs.ts")
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^jobs by status: .*Completed [2-9]/m)
    expect(r.stdout).toMatch(/Cancelled 1/)
  }, 120_000)
})

describe("a recipe that cannot start", () => {
  it("says why in one line and exits 1 (no region, no endpoint)", async () => {
    const home = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-recipe-home-"))
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ["--import", "tsx", Path.join(root, "examples", "recipes", "stream-jobs.ts")], {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: Path.join(home, "config"), AWS_EC2_METADATA_DISABLED: "true" }
      }, (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }))
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^LocationJobsClientError: .*region/i)
  }, 60_000)
})
