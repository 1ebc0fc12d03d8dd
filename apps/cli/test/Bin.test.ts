/**
 * The binary as a real process: `node --import tsx apps/cli/src/bin.ts …` (what `pnpm geojobs`
 * runs), for help and an exit code. (Version and completions are checked in-process in Help.test.ts.)
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn as spawnProcess } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { tempDir } from "./Harness.js"
import * as ExitCode from "../src/ExitCode.js"

const repo = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const bin = Path.join(repo, "apps/cli/src/bin.ts")

/** Runs the binary (asynchronously: a blocking spawn would stall the test worker). */
const spawn = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawnProcess(process.execPath, ["--import", "tsx", bin, ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: tempDir(), AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

describe("bin", () => {
  it("--help lists every command, plainly when not on a terminal", async () => {
    const r = await spawn(["--help"])
    expect(r.code).toBe(0)
    for (const name of ["start-job", "get-job", "list-jobs", "cancel-job", "wait job-completed", "validate", "local"]) {
      expect(r.stdout).toContain(`- ${name}`)
    }
    expect(r.stdout).not.toContain("\x1b[")
  }, 120_000)

  it("exits with the code of the failure (255: endpoint refuses connections), one line, no stack", async () => {
    const r = await spawn(["get-job", "--job-id", "x", "--endpoint-url", "http://127.0.0.1:9"])
    expect(r.code).toBe(ExitCode.Unreachable)
    expect(r.stderr).toMatch(/^geojobs: cannot reach the service: .*$/m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)
})
