/**
 * The Micro client for Node: the shared Micro suite (wire conformance with
 * `@aws-sdk/client-location`, the SDK's signature with session credentials, the real local
 * service); then over a loopback server with faults: throttling and a dropped connection retried,
 * the attempt timeout destroying the request, one kept-alive connection for sequential calls,
 * `close()`, clock skew, credentials failures, and a process that ends without `close()`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import {
  failure,
  microClientSuite,
  scripted,
  scriptedOptions,
  started,
  startInput
} from "@geojobs/test-support/MicroClientSuite"
import * as Micro from "effect/Micro"
import { build } from "esbuild"
import { execFile, execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as https from "node:https"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeMicroCredentials from "@geojobs/sigv4/NodeMicroCredentials"
import { SocketTimeout } from "../src/NodeHttpTransport.js"
import * as NodeMicroLocationJobs from "../src/NodeMicroLocationJobs.js"

microClientSuite("@geojobs/node", "NodeMicroLocationJobs", NodeMicroLocationJobs.make, LocalService.make)

describe("NodeMicroLocationJobs over a scripted loopback server", () => {
  const s = scripted()
  beforeAll(() => new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve)))
  afterAll(() => {
    s.server.closeAllConnections()
    return new Promise<void>((resolve) => s.server.close(() => resolve()))
  })
  const clients: Array<NodeMicroLocationJobs.NodeMicroLocationJobs> = []
  beforeEach(() => {
    clients.forEach((c) => c.close())
    clients.length = 0
  })
  const client = (options: Partial<NodeMicroLocationJobs.NodeMicroLocationJobsOptions> = {}) => {
    const c = NodeMicroLocationJobs.make({ ...scriptedOptions(s), ...options })
    clients.push(c)
    return c
  }

  it("a dropped connection is a Transport error, retried with the same ClientToken", async () => {
    s.play(["drop", { status: 200, body: started }])
    expect((await Micro.runPromise(client().startJob(startInput))).JobId).toBe("j")
    expect(s.requests).toHaveLength(2)
    expect(JSON.parse(s.requests[1]!.body).ClientToken).toBe(JSON.parse(s.requests[0]!.body).ClientToken)
    s.play(["drop"])
    const error = failure(await Micro.runPromiseExit(client({ retry: false }).getJob({ JobId: "j" })))
    expect(error).toMatchObject({ _tag: "LocationJobsClientError", reason: "Transport" })
    expect((error as { message: string }).message).toMatch(/^GetJob: could not reach the service: /)
  })

  it("a refused connection names the address", async () => {
    const c = NodeMicroLocationJobs.make({
      endpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
      retry: false
    })
    clients.push(c)
    const error = failure(await Micro.runPromiseExit(c.getJob({ JobId: "j" })))
    expect(error).toMatchObject({
      reason: "Transport",
      message: "GetJob: could not reach the service: connection refused at http://127.0.0.1:9 (ECONNREFUSED): " +
        "is the service running there? Check the endpoint"
    })
  })

  it("the attempt timeout fails with Timeout and destroys the request", async () => {
    s.play(["hang"])
    const t0 = Date.now()
    const exit = await Micro.runPromiseExit(client({ attemptTimeoutMs: 50, retry: false }).getJob({ JobId: "j" }))
    expect(failure(exit)).toMatchObject({ reason: "Timeout" })
    expect(Date.now() - t0).toBeLessThan(2_000)
    await vi.waitFor(() => expect(s.closedRequests()).toBe(1))
  })

  it("a socket silent for readTimeoutMs is a Transport error whose cause is a SocketTimeout naming the endpoint", async () => {
    s.play(["hang"])
    const exit = await Micro.runPromiseExit(client({ readTimeoutMs: 100, retry: false }).getJob({ JobId: "j" }))
    const error = failure(exit) as { reason?: string; cause?: unknown }
    expect(error.reason).toBe("Transport")
    expect(error.cause).toBeInstanceOf(SocketTimeout)
    expect((error.cause as SocketTimeout).message).toBe(`Read timeout on endpoint URL: "${scriptedOptions(s).endpoint}/metadata/v0/jobs/j"`)
    await vi.waitFor(() => expect(s.closedRequests()).toBe(1))
  })

  it("answers within connectTimeoutMs and readTimeoutMs are unaffected", async () => {
    s.play([{ status: 200, body: started, delayMs: 30 }])
    const c = client({ connectTimeoutMs: 2_000, readTimeoutMs: 2_000, retry: false })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
  })

  it("the idle timeout closes idle connections only: a slower answer still comes", async () => {
    s.play([{ status: 200, body: started, delayMs: 150 }])
    const c = client({ keepAliveTimeoutMs: 30, retry: false })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    expect(s.connections()).toBe(2)
  })

  it("sequential calls share one kept-alive connection; close() drops it", async () => {
    s.play([{ status: 200, body: started }])
    const c = client()
    for (let i = 0; i < 5; i++) await Micro.runPromise(c.getJob({ JobId: "j" }))
    expect(s.requests).toHaveLength(5)
    expect(s.connections()).toBe(1)
    c.close()
    await Micro.runPromise(c.getJob({ JobId: "j" }))
    expect(s.connections()).toBe(2)
  })

  it("NodeMicroCredentials.fromEnv reads the AWS_* variables; missing ones are a Credentials error", async () => {
    s.play([{ status: 200, body: started }])
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDENV")
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret")
    vi.stubEnv("AWS_SESSION_TOKEN", "env-token")
    try {
      await Micro.runPromise(client({ credentials: NodeMicroCredentials.fromEnv() }).getJob({ JobId: "j" }))
      expect(s.requests[0]!.headers.authorization).toContain("Credential=AKIDENV/")
      expect(s.requests[0]!.headers["x-amz-security-token"]).toBe("env-token")
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "")
      const error = failure(await Micro.runPromiseExit(client({ credentials: NodeMicroCredentials.fromEnv() }).getJob({ JobId: "j" })))
      expect(error).toMatchObject({ reason: "Credentials" })
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it("NodeMicroCredentials.providerChain loads the AWS chain on the first call; nothing found is a Credentials error", async () => {
    s.play([{ status: 200, body: started }])
    const nowhere = Path.join(Os.tmpdir(), "geojobs-node-micro-no-such-file")
    vi.stubEnv("AWS_CONFIG_FILE", nowhere)
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", nowhere)
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDCHAIN")
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret")
    try {
      await Micro.runPromise(client({ credentials: NodeMicroCredentials.providerChain() }).getJob({ JobId: "j" }))
      expect(s.requests[0]!.headers.authorization).toContain("Credential=AKIDCHAIN/")
      vi.stubEnv("AWS_ACCESS_KEY_ID", "")
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "")
      const missing = client({ credentials: NodeMicroCredentials.providerChain({ profile: "geojobs-no-such-profile" }) })
      const error = failure(await Micro.runPromiseExit(missing.getJob({ JobId: "j" })))
      expect(error).toMatchObject({ _tag: "LocationJobsClientError", reason: "Credentials" })
      expect((error as { message: string }).message).toContain("geojobs-no-such-profile")
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it("a process that makes a call and never calls close() ends at once", async () => {
    s.play([{ status: 200, body: started }])
    const here = Path.dirname(fileURLToPath(import.meta.url))
    const tsx = Path.join(here, "..", "..", "..", "node_modules", ".bin", "tsx")
    const out = await new Promise<string>((resolve, reject) =>
      execFile(tsx, [Path.join(here, "support", "endWithoutClose.ts"), s.url()], { timeout: 20_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout))
    )
    const [id, exitAfterMs] = out.trim().split("\n")
    expect(id).toBe("j")
    // The server keeps the connection open for 30 s: the idle socket must not hold the process.
    expect(Number(exitAfterMs)).toBeLessThan(1_000)
    expect(s.connections()).toBe(1)
  })
})

describe("NodeMicroLocationJobs bundle", () => {
  it("bundles without Effect's runtime, Schema or @effect/platform (a Micro program does not pay for them)", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("../src/NodeMicroLocationJobs.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true
    })
    const inputs = Object.keys(result.metafile!.inputs)
    for (const banned of ["effect/dist/esm/Effect.js", "effect/dist/esm/internal/fiberRuntime.js", "effect/dist/esm/Schema.js", "@effect/platform"]) {
      expect(inputs.filter((p) => p.includes(banned)), banned).toEqual([])
    }
  })
})

describe("NodeMicroLocationJobs over https", () => {
  let dir = ""
  let cert = ""
  let server: https.Server
  let endpoint = ""
  let connections = 0
  const hosts: Array<string | undefined> = []
  beforeAll(async () => {
    // A self-signed certificate for 127.0.0.1, made here (no key material in the repository).
    dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-node-micro-tls-"))
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", Path.join(dir, "key.pem"), "-out", Path.join(dir, "cert.pem")
    ], { stdio: "ignore" })
    cert = Fs.readFileSync(Path.join(dir, "cert.pem"), "utf8")
    server = https.createServer({ key: Fs.readFileSync(Path.join(dir, "key.pem")), cert }, (req, res) => {
      hosts.push(req.headers.host)
      req.resume()
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(started)))
    })
    server.on("secureConnection", () => connections++)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    Fs.rmSync(dir, { recursive: true, force: true })
  })
  const options = { region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, retry: false } as const

  it("sends over one kept-alive TLS connection, trusting the CA given in tls", async () => {
    const c = NodeMicroLocationJobs.make({ ...options, endpoint, tls: { ca: cert } })
    try {
      for (let i = 0; i < 3; i++) expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    } finally {
      c.close()
    }
    expect(connections).toBe(1)
    expect(hosts.every((h) => h === endpoint.slice("https://".length))).toBe(true)
  })

  it("an untrusted certificate is a Transport error (verification stays on)", async () => {
    const c = NodeMicroLocationJobs.make({ ...options, endpoint })
    try {
      const error = failure(await Micro.runPromiseExit(c.getJob({ JobId: "j" })))
      expect(error).toMatchObject({ _tag: "LocationJobsClientError", reason: "Transport" })
      expect((error as { message: string }).message).toMatch(/self[- ]signed/i)
    } finally {
      c.close()
    }
  })
})
