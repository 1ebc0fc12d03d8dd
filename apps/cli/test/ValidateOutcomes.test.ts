/**
 * `validate` ends like `wait` when the job does not complete: Failed → 3, Cancelled → 4,
 * timeout → 5. A local service with a manual runner lets the test decide the job's fate.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as ExitCode from "../src/ExitCode.js"
import * as Failure from "../src/Failure.js"
import * as Unreachable from "../src/Unreachable.js"
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

/** A port nothing listens on (taken, then released). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = Net.createServer()
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as Net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })

describe("validate when the service cannot be reached", () => {
  it("a refused connection names the endpoint and asks whether geojobs-local runs there", async () => {
    const cwd = workspace("4 Refused Rd,Springfield,IL")
    const port = await closedPort()
    const r = await geojobs(["validate", "in.csv", "--endpoint-url", `http://127.0.0.1:${port}`], { cwd })
    expect(r.code).toBe(ExitCode.Unreachable)
    expect(r.stderr).toContain(`geojobs: cannot reach the service: connection refused at http://127.0.0.1:${port} — is geojobs-local running there?`)
    expect(r.stderr).not.toMatch(/Transport error|ECONNREFUSED 127/)
    // the Jobs API path words it the same
    const get = await geojobs(["get-job", "--job-id", "x", "--endpoint-url", `http://127.0.0.1:${port}`], { cwd })
    expect(get.stderr).toContain(`geojobs: cannot reach the service: connection refused at http://127.0.0.1:${port} — is geojobs-local running there?`)
  })

  it("DNS failures and time-outs say so, with the host or endpoint", () => {
    const error = (code: string) => ({ message: "fetch failed", cause: { code, message: `${code} x` } })
    expect(Unreachable.describe(error("ENOTFOUND"), "http://no-such-host.invalid:4566/x")).toBe(
      "host no-such-host.invalid not found (DNS lookup failed) — check the endpoint URL or the Region"
    )
    expect(Unreachable.describe(error("UND_ERR_CONNECT_TIMEOUT"), "http://10.9.9.9:4566")).toBe(
      "no answer at http://10.9.9.9:4566 (the connection timed out) — check the address, the network, a proxy or a firewall"
    )
    expect(Unreachable.describe(error("ECONNREFUSED"), "https://s3.eu-west-1.amazonaws.com")).toBe(
      "connection refused at https://s3.eu-west-1.amazonaws.com — check the network, a proxy or a firewall"
    )
    expect(Unreachable.describe({ message: "nothing we know" }, "http://x")).toBeUndefined()
  })

  it("every failure line is capped in length", () => {
    const line = Failure.describe({ _tag: "UsageError", message: `bad: ${"v".repeat(5_000_000)}` }).message
    expect(line.length).toBeLessThanOrEqual(Failure.maxLineLength)
    expect(line.endsWith("…")).toBe(true)
  })

  it("a data directory held by a running geojobs-local suggests --endpoint-url with its URL", async () => {
    const cwd = workspace("5 Busy Blvd,Springfield,IL")
    const dataDir = Path.join(cwd, ".geojobs")
    const bin = fileURLToPath(new URL("../../local/src/bin.ts", import.meta.url))
    const child = spawn(process.execPath, ["--import", "tsx", bin, "--port", "0", "--data-dir", dataDir], {
      cwd: Path.dirname(bin),
      stdio: "ignore"
    })
    try {
      let url: string | undefined
      for (let i = 0; i < 600 && url === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100))
        try {
          url = JSON.parse(Fs.readFileSync(Path.join(dataDir, "LOCK"), "utf8")).url
        } catch {
          // not written yet
        }
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const r = await geojobs(["validate", "in.csv"], { cwd })
      expect(r.code).not.toBe(0)
      expect(r.stderr).toContain(`is in use by geojobs-local (pid ${child.pid}): add --endpoint-url ${url} to use that service`)
      expect(r.stderr).toContain("or set GEOJOBS_DATA_DIR to another directory")
      expect(r.stderr).not.toContain("--data-dir")
      // and that suggestion works
      const using = await geojobs(["validate", "in.csv", "--endpoint-url", url!], { cwd, env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } })
      expect(using.code, using.stderr).toBe(0)
    } finally {
      child.kill()
    }
  }, 120_000)
})
