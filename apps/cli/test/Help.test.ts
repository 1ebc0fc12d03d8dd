/**
 * `--help` on every command, `--version`, shell completions — in-process.
 */
import { describe, expect, it } from "@effect/vitest"
import { geojobs, tempDir } from "./Harness.js"

const cwd = tempDir()

describe("help, version, completions", () => {
  it("--version prints the package version", async () => {
    const r = await geojobs(["--version"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe("0.1.0")
  })

  it.each([
    ["start-job", "--execution-role-arn"],
    ["get-job", "--job-id"],
    ["list-jobs", "--max-items"],
    ["cancel-job", "--job-id"],
    ["wait job-completed", "--timeout"],
    ["validate", "--role-arn"],
    ["local", "--data-dir"]
  ])("%s --help describes its options", async (name, option) => {
    const r = await geojobs([...name.split(" "), "--help"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(option)
    expect(r.stdout).toContain("--region")
    expect(r.stderr).toBe("")
  })

  it.each(["bash", "zsh", "fish"])("--completions %s prints a completion script", async (shell) => {
    const r = await geojobs(["--completions", shell], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/geojobs/)
    expect(r.stdout).toContain("start-job")
  })
})
