/**
 * `geojobs local` in the foreground: ready line, the service answers, Ctrl-C (interruption) stops it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Cli from "../src/Cli.js"
import * as Io from "../src/Io.js"
import { geojobs, json, startJobArgs, tempDir } from "./Harness.js"
import * as ExitCode from "../src/ExitCode.js"

describe("local", () => {
  it("serves the Jobs API on the port it prints until interrupted", async () => {
    const cwd = tempDir()
    const io = Io.capture({ cwd, env: { HOME: cwd } })
    const fiber = Effect.runFork(Cli.main(["local", "--port", "0", "--data-dir", "svc"], io))
    for (let i = 0; i < 200 && !io.stdoutText().includes("ready at"); i++) await new Promise((r) => setTimeout(r, 50))
    const url = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdoutText())?.[1]
    expect(url).toBeDefined()
    expect(Fs.existsSync(Path.join(cwd, "svc"))).toBe(true)

    // another command reaches it with the emulator key, as a user would with --endpoint-url
    const started = await geojobs([...startJobArgs("ViaLocal"), "--endpoint-url", url!], { cwd })
    expect(started.code, started.stderr).toBe(0)
    expect(json(started).JobId).toMatch(/^ViaLocal/)

    // validate through it: its S3, default buckets and role; --debug logs S3 too, redacted
    Fs.writeFileSync(Path.join(cwd, "a.csv"), "street,city,state,zip\n350 Fifth Avenue,New York,NY,10118\n")
    const validated = await geojobs(["validate", "a.csv", "--endpoint-url", url!, "--debug"], { cwd })
    expect(validated.code, validated.stderr).toBe(0)
    expect(json(validated)).toMatchObject({ Rows: 1, Output: "a.validated.csv" })
    expect(validated.stderr).toMatch(new RegExp(`geojobs: debug: > PUT ${url}/geojobs-input/[0-9a-f]{32}/input\\.parquet`))
    expect(validated.stderr).toContain("geojobs: debug: >   authorization: <redacted>")
    expect(validated.stderr).not.toMatch(/Signature=[0-9a-f]{64}/)
    expect(Fs.existsSync(Path.join(cwd, "a.validated.csv"))).toBe(true)

    // the port is taken now: a second service cannot start (exit 255, one line)
    const port = new URL(url!).port
    const busy = await geojobs(["local", "--port", port, "--data-dir", "other"], { cwd })
    expect(busy.code).toBe(ExitCode.Unreachable)
    expect(busy.stderr).toMatch(/^geojobs: the local service could not start: cannot listen on 127\.0\.0\.1:\d+/)

    await Effect.runPromise(Fiber.interrupt(fiber))
    await expect(fetch(`${url}/_geojobs/health`)).rejects.toThrow()
  })

  it("rejects bad worker options", async () => {
    const many = await geojobs(["local", "--workers", "300"], { cwd: tempDir() })
    expect(many.code).toBe(ExitCode.Usage)
    expect(many.stderr).toBe("geojobs: --workers must be an integer 0-256, got 300\n")
    const none = await geojobs(["local", "--workers", "0", "--warm-workers"], { cwd: tempDir() })
    expect(none.code).toBe(ExitCode.Usage)
    expect(none.stderr).toBe("geojobs: --warm-workers needs workers (not --workers 0)\n")
  })

  it("rejects half a key pair", async () => {
    const r = await geojobs(["local", "--access-key-id", "a"], { cwd: tempDir() })
    expect(r.code).toBe(ExitCode.Usage)
    expect(r.stderr).toBe("geojobs: --access-key-id and --secret-access-key go together\n")
  })
})
