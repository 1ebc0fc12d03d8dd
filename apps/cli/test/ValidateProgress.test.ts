/**
 * `geojobs validate`'s progress: on a real pseudo-terminal (Python's `pty`, the process's stderr
 * is a terminal) a live line per phase redrawn in place with amounts, percentage, rate and time
 * left, then each phase's final line; in a pipe only the final lines; with `--quiet` none.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { pathToFileURL } from "node:url"
import { startLocal, tempDir } from "./Harness.js"

const repo = Path.resolve(import.meta.dirname, "../../..")
const bin = Path.join(repo, "apps/cli/src/bin.ts")
// tsx by its file URL: the child runs in a directory outside the repository
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
// On the embedded service a result is read where the job wrote it: nothing is downloaded (a
// Parquet result with the service's columns, that very file, is copied beside --out while it is
// read, within the write phase); from S3 it is downloaded first.
const phases = ["convert", "upload", "validate", "write"]
const allPhases = ["convert", "upload", "validate", "download", "write"]

const streets = ["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Lake View Dr"]
const places = [["Boston", "MA", "02201"], ["Seattle", "WA", "98101"], ["Austin", "TX", "78701"], ["Denver", "CO", "80202"]]
const input = (rows: number) =>
  ["id,address,city,state,zip", ...Array.from({ length: rows }, (_, i) => {
    const [city, state, zip] = places[i % places.length]!
    return `${i + 1},${100 + (i % 900)} ${streets[i % streets.length]},${city},${state},${zip}`
  })].join("\n") + "\n"

const run = (args: ReadonlyArray<string>, cwd: string, tty: boolean) =>
  new Promise<{ code: number; output: string; stderr: string }>((resolve) => {
    const node = [process.execPath, "--import", tsx, bin, ...args]
    // pty.spawn copies what the child writes to its terminal (stdout and stderr) to our stdout
    const [file, argv] = tty
      ? ["python3", ["-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)", ...node]]
      : [node[0]!, node.slice(1)]
    execFile(file, argv, {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024
    }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: stdout, stderr }))
  })

describe("validate: progress", () => {
  it("on a terminal: a live line redrawn per phase (amount, %, rate, ETA), then each phase's final line", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), input(30_000))
    const r = await run(["validate", "in.csv"], cwd, true)
    expect(r.code, r.output + r.stderr).toBe(0)
    const redraws = r.output.split("\r\x1b[2K").slice(1)
    // every phase was drawn live, in order, and the live lines carry a percentage
    const firstDraw = phases.map((p) => redraws.findIndex((d) => d.startsWith(`geojobs: ${p}: `)))
    expect(firstDraw.every((i) => i >= 0), JSON.stringify(redraws.slice(0, 20))).toBe(true)
    expect([...firstDraw].sort((a, b) => a - b)).toEqual(firstDraw)
    expect(redraws.some((d) => /^geojobs: convert: .* of .*, \d+%/.test(d))).toBe(true)
    expect(redraws.some((d) => /^geojobs: write: [\d,]+ rows of 30,000 rows, \d+%/.test(d))).toBe(true)
    // each phase ends with one final line that stays
    for (const p of phases) expect(r.output).toMatch(new RegExp(`geojobs: ${p}: [^\\r\\n]* in [\\d.]+m?s`))
    expect(r.output).toMatch(/geojobs: convert: 30,000 rows in /)
    expect(r.output).toMatch(/geojobs: write: 30,000 rows in .*rows\/s\)/)
  }, 180_000)

  it("in a pipe: only one final line per phase; --quiet: none", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), input(200))
    const piped = await run(["validate", "in.csv"], cwd, false)
    expect(piped.code, piped.stderr).toBe(0)
    expect(piped.stderr).not.toContain("\r")
    const phaseLines = (stderr: string) =>
      stderr.split("\n").filter((l) => allPhases.some((p) => l.startsWith(`geojobs: ${p}: `))).map((l) => l.split(":")[1]!.trim())
    expect(phaseLines(piped.stderr)).toEqual(phases)
    expect(JSON.parse(piped.output).Rows).toBe(200)
    // another input: the same one would be uploaded already, and its job reused
    Fs.writeFileSync(Path.join(cwd, "other.csv"), input(201))
    const parquet = await run(["validate", "other.csv", "--out", "other.parquet"], cwd, false)
    expect(parquet.code, parquet.stderr).toBe(0)
    expect(phaseLines(parquet.stderr)).toEqual(phases)
    expect(Fs.readFileSync(Path.join(cwd, "other.parquet")).subarray(0, 4).toString()).toBe("PAR1")
    // from a service's S3 (a running geojobs-local): downloaded first
    const local = await startLocal({ dataDir: Path.join(cwd, "service") })
    try {
      Fs.writeFileSync(Path.join(cwd, "third.csv"), input(202))
      const remote = await run(["validate", "third.csv", "--endpoint-url", local.info.url], cwd, false)
      expect(remote.code, remote.stderr).toBe(0)
      expect(phaseLines(remote.stderr)).toEqual(allPhases)
    } finally {
      await local.close()
    }

    const quiet = await run(["validate", "in.csv", "--quiet", "--out", "q.csv"], cwd, false)
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(phaseLines(quiet.stderr)).toEqual([])
    expect(quiet.stderr).not.toContain("geojobs: wrote")
    expect(Fs.existsSync(Path.join(cwd, "q.csv"))).toBe(true)
  }, 180_000)
})
