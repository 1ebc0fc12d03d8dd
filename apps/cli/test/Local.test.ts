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

    await Effect.runPromise(Fiber.interrupt(fiber))
    await expect(fetch(`${url}/_geojobs/health`)).rejects.toThrow()
  })

  it("rejects half a key pair", async () => {
    const r = await geojobs(["local", "--access-key-id", "a"], { cwd: tempDir() })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("geojobs: --access-key-id and --secret-access-key go together\n")
  })
})
