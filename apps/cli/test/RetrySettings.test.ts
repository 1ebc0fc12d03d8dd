/**
 * Attempts per call as the AWS CLI takes them: `AWS_MAX_ATTEMPTS`, else the profile's
 * `max_attempts`, else the retry mode's default (3; 5 for `legacy`); a bad value is a usage error.
 * Counted on a loopback server that answers every call with a retryable 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { geojobs, tempDir } from "./Harness.js"

let server: http.Server
let url = ""
let hits = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    hits++
    res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalServerException" })
    res.end(JSON.stringify({ message: "try again" }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const attempts = async (env: Record<string, string>, cwd = tempDir()) => {
  hits = 0
  const r = await geojobs(["get-job", "--job-id", "abc", "--endpoint-url", url], {
    cwd,
    env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", ...env }
  })
  return { code: r.code, hits, stderr: r.stderr }
}

describe("retry settings", () => {
  it("3 attempts by default, AWS_MAX_ATTEMPTS, the profile's max_attempts, 5 in legacy mode", async () => {
    expect((await attempts({})).hits).toBe(3)
    expect((await attempts({ AWS_MAX_ATTEMPTS: "1" })).hits).toBe(1)
    expect((await attempts({ AWS_RETRY_MODE: "legacy" })).hits).toBe(5)
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "config"), "[default]\nmax_attempts = 2\n")
    expect((await attempts({ AWS_CONFIG_FILE: Path.join(cwd, "config") }, cwd)).hits).toBe(2)
    expect((await attempts({ AWS_CONFIG_FILE: Path.join(cwd, "config"), AWS_MAX_ATTEMPTS: "4" }, cwd)).hits).toBe(4)
  }, 60_000)

  it("a bad value is refused before any call", async () => {
    const bad = await attempts({ AWS_MAX_ATTEMPTS: "many" })
    expect(bad.hits).toBe(0)
    expect(bad.code).toBe(252)
    expect(bad.stderr).toContain(`geojobs: AWS_MAX_ATTEMPTS: "many" is not a whole number of attempts (1 or more)`)
    const mode = await attempts({ AWS_RETRY_MODE: "eager" })
    expect(mode.hits).toBe(0)
    expect(mode.stderr).toContain(`geojobs: AWS_RETRY_MODE: "eager" is not one of standard, adaptive, legacy`)
  }, 60_000)
})

describe("--cli-read-timeout", () => {
  it("a silent endpoint ends the call after the read timeout, in one line naming it", async () => {
    const silent = http.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const r = await geojobs(["get-job", "--job-id", "abc", "--endpoint-url", endpoint, "--cli-read-timeout", "1"], {
        cwd: tempDir(),
        env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_MAX_ATTEMPTS: "1" }
      })
      expect(r.code).toBe(255)
      const line = r.stderr.split("\n").find((l) => l.startsWith("geojobs: cannot reach"))
      expect(line).toBe(`geojobs: cannot reach the service: Read timeout on endpoint URL: "${endpoint}/metadata/v0/jobs/abc" (${endpoint})`)
    } finally {
      silent.closeAllConnections()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  }, 30_000)
})
