/**
 * The binary as a real process: `node --import tsx apps/cli/src/bin.ts …` (what `pnpm geojobs`
 * runs), for help, version, completions and an exit code.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { tempDir } from "./Harness.js"

const repo = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const bin = Path.join(repo, "apps/cli/src/bin.ts")

const spawn = (args: ReadonlyArray<string>) => {
  const home = tempDir()
  const r = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], {
    cwd: repo,
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "", HOME: home, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("bin", () => {
  it("--help lists every command, plainly when not on a terminal", () => {
    const r = spawn(["--help"])
    expect(r.code).toBe(0)
    for (const name of ["start-job", "get-job", "list-jobs", "cancel-job", "wait job-completed", "validate", "local"]) {
      expect(r.stdout).toContain(`- ${name}`)
    }
    expect(r.stdout).not.toContain("\x1b[")
  }, 120_000)

  it("--version, --help on a sub-command, and shell completions", () => {
    expect(spawn(["--version"]).stdout.trim()).toBe("0.1.0")
    const help = spawn(["wait", "job-completed", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--timeout")
    const completions = spawn(["--completions", "bash"])
    expect(completions.code).toBe(0)
    expect(completions.stdout).toContain("_geojobs_bash_completions")
  }, 180_000)

  it("exits with the code of the failure (6: endpoint refuses connections), one line, no stack", () => {
    const r = spawn(["get-job", "--job-id", "x", "--endpoint-url", "http://127.0.0.1:9"])
    expect(r.code).toBe(6)
    expect(r.stderr).toMatch(/^geojobs: cannot reach the service: .*$/m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)
})
