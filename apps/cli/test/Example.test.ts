/**
 * The README's main command, `geojobs validate examples/addresses.csv`, on the real example file
 * (copied to a temp directory so the repository stays clean), with no AWS configuration.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { geojobs, json, tempDir } from "./Harness.js"

const example = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../examples/addresses.csv")

describe("README example", () => {
  it.skipIf(!Fs.existsSync(example))("validate examples/addresses.csv writes examples/addresses.validated.csv", async () => {
    const cwd = tempDir()
    Fs.mkdirSync(Path.join(cwd, "examples"))
    Fs.copyFileSync(example, Path.join(cwd, "examples", "addresses.csv"))
    const r = await geojobs(["validate", "examples/addresses.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const summary = json(r)
    expect(summary.Output).toBe(Path.join("examples", "addresses.validated.csv"))
    expect(summary.Rows).toBeGreaterThan(10)
    expect(summary.Validated + summary.Corrected + summary.Unconfirmed + summary.Failed).toBe(summary.Rows)
    expect(Fs.existsSync(Path.join(cwd, "examples", "addresses.validated.csv"))).toBe(true)
  })
})
