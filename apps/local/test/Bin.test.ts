/**
 * `geojobs-local`'s command line: `--help` explains the options, and a bad option value is a
 * clear error with exit code 2 before anything starts.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as Path from "node:path"

const root = Path.resolve(import.meta.dirname, "..", "..", "..")
const bin = (...args: Array<string>) =>
  spawnSync(process.execPath, ["--import", "tsx", Path.join(root, "apps/local/src/bin.ts"), ...args], {
    cwd: root,
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
    encoding: "utf8",
    timeout: 60_000
  })

describe("geojobs-local command line", () => {
  it("--help lists the worker options", () => {
    const r = bin("--help")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/--workers <n>/)
    expect(r.stdout).toMatch(/--warm-workers/)
  }, 60_000)

  it("bad worker options are refused with a message and exit code 2", () => {
    const fraction = bin("--workers", "1.5")
    expect(fraction.status).toBe(2)
    expect(fraction.stderr).toMatch(/--workers must be an integer 0-256, got 1\.5/)
    const both = bin("--workers", "0", "--warm-workers")
    expect(both.status).toBe(2)
    expect(both.stderr).toMatch(/--warm-workers needs workers/)
  }, 60_000)
})
