/**
 * `--no-sign-request`: the Jobs API request goes out without a signature (no `authorization`,
 * no `x-amz-date`), and no credentials are needed, as the AWS CLI's flag.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { geojobs, json, tempDir } from "./Harness.js"

let server: http.Server
let url = ""
const seen: Array<http.IncomingHttpHeaders> = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    seen.push(req.headers)
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ Entries: [] }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe("--no-sign-request", () => {
  it("sends the request unsigned, with no credentials configured", async () => {
    seen.length = 0
    const r = await geojobs(["list-jobs", "--endpoint-url", url, "--no-sign-request"], {
      cwd: tempDir(),
      env: { AWS_REGION: "us-east-1", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" }
    })
    expect(r.code, r.stderr).toBe(0)
    expect(json(r)).toEqual({ Entries: [] })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.authorization).toBeUndefined()
    expect(seen[0]!["x-amz-date"]).toBeUndefined()
  })

  it("without it the same request is signed", async () => {
    seen.length = 0
    const r = await geojobs(["list-jobs", "--endpoint-url", url], {
      cwd: tempDir(),
      env: { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" }
    })
    expect(r.code, r.stderr).toBe(0)
    expect(seen[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//)
  })
})
