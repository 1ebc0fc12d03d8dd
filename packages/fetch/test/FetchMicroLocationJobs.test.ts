/**
 * The Micro fetch client: held to the same wire conformance with `@aws-sdk/client-location` as the
 * full clients (same bytes, same SigV4 signature with a fixed clock), plus session tokens; run
 * against the real local service (all four operations, idempotency, typed errors, pagination);
 * clock-skew correction, credentials providers and transport failures over a stubbed fetch.
 */
import { LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as MicroLocationJobs from "@geojobs/core/MicroLocationJobs"
import * as LocalService from "@geojobs/local/LocalService"
import { afterAll, beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as Fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { conformanceSuite } from "../../node/test/support/conformance.js"
import * as FetchMicroLocationJobs from "../src/FetchMicroLocationJobs.js"

/** The Micro client as a `LocationJobs` service: its operations are Effects already. */
const asService = (jobs: MicroLocationJobs.MicroLocationJobs) =>
  Layer.succeed(LocationJobs.LocationJobs, jobs as unknown as LocationJobs.LocationJobsService)

conformanceSuite("@geojobs/fetch FetchMicroLocationJobs", (options) =>
  asService(FetchMicroLocationJobs.make({ ...options, retry: false })))

const startInput = {
  ClientToken: "0b1c9d5e-1f0a-4a4e-9a44-6f7c1c2a9e10",
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" },
  Name: "MyFirstValidationJob",
  Tags: { team: "geo", "cost center": "42" }
} as const

describe("FetchMicroLocationJobs signs like the SDK with session credentials", () => {
  const captured: Array<{ headers: http.IncomingHttpHeaders; body: string }> = []
  let server: http.Server
  let endpoint = ""
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        captured.push({ headers: req.headers, body })
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          CreatedAt: "2024-01-01T00:00:00Z",
          JobArn: "arn:aws:geo:eu-west-2:123456789012:job/j-1",
          JobId: "j-1",
          Status: "Pending"
        }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("x-amz-security-token is sent and signed; the signature is the SDK's", async () => {
    const credentials = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/key+1", sessionToken: "token/with+chars==" }
    const sdk = new LocationClient({ region: "eu-west-2", endpoint, credentials, maxAttempts: 1, disableHostPrefix: true })
    sdk.middlewareStack.addRelativeTo(
      (next: (args: any) => Promise<any>) => (args: any) => {
        for (const h of ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "user-agent"]) delete args.request.headers[h]
        return next(args)
      },
      { relation: "before", toMiddleware: "httpSigningMiddleware", name: "dropTelemetryHeaders" }
    )
    const ours = FetchMicroLocationJobs.make({ region: "eu-west-2", endpoint, credentials, retry: false })
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 10, 25, 23, 59, 59) })
    try {
      captured.length = 0
      await sdk.send(new StartJobCommand(startInput))
      await Micro.runPromise(ours.startJob(startInput))
    } finally {
      vi.useRealTimers()
    }
    const [a, b] = captured
    expect(b!.body).toBe(a!.body)
    expect(b!.headers["x-amz-security-token"]).toBe(credentials.sessionToken)
    expect(b!.headers.authorization).toBe(a!.headers.authorization)
    expect(b!.headers.authorization).toContain("/20261125/eu-west-2/geo/aws4_request")
    expect(b!.headers.authorization).toContain("x-amz-security-token")
  })
})

describe("FetchMicroLocationJobs against the local service", () => {
  let close: () => Promise<void>
  let url = ""
  beforeAll(async () => {
    let resolve!: () => void
    const promise = new Promise<void>((r) => (resolve = r))
    const done = Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const service = yield* LocalService.make({
        port: 0,
        dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-micro-")),
        runner: "manual"
      })
      url = service.url
      resolve()
      yield* Effect.promise(() => new Promise<void>((release) => (close = async () => release())))
    })))
    await promise
    const stop = close
    close = async () => {
      await stop()
      await done
    }
  })
  afterAll(() => close())

  const jobs = () =>
    FetchMicroLocationJobs.make({
      endpoint: url,
      region: "us-east-1",
      disableHostPrefix: true,
      credentials: { accessKeyId: "test", secretAccessKey: "test" }
    })
  const input = (name: string) => ({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::000000000000:role/micro",
    InputOptions: { Location: "s3://micro-input/", Format: "Parquet" },
    OutputOptions: { Location: "s3://micro-output/", Format: "Parquet" },
    Name: name
  } as const)

  it("StartJob, GetJob, ListJobs, CancelJob", async () => {
    const c = jobs()
    const started = await Micro.runPromise(c.startJob(input("Micro1")))
    expect(started.Status).toBe("Pending")
    expect(started.CreatedAt).toBeInstanceOf(Date)
    const job = await Micro.runPromise(c.getJob({ JobId: started.JobId }))
    expect(job).toMatchObject({ JobId: started.JobId, Name: "Micro1", Status: "Pending", Action: "ValidateAddress" })
    const page = await Micro.runPromise(c.listJobs({ Filter: { JobStatus: "Pending" } }))
    expect(page.Entries.map((e) => e.JobId)).toContain(started.JobId)
    const cancelled = await Micro.runPromise(c.cancelJob({ JobId: started.JobId }))
    expect(cancelled.Status).toBe("Cancelling")
  })

  it("the same ClientToken gives the same job back", async () => {
    const c = jobs()
    const a = await Micro.runPromise(c.startJob({ ...input("Micro2"), ClientToken: "micro-token-1" }))
    const b = await Micro.runPromise(c.startJob({ ...input("Micro2"), ClientToken: "micro-token-1" }))
    expect(b.JobId).toBe(a.JobId)
  })

  it("pages: listAllJobs and listJobsPages see every job", async () => {
    const c = jobs()
    for (let i = 0; i < 5; i++) await Micro.runPromise(c.startJob(input(`MicroPage${i}`)))
    const all = await Micro.runPromise(MicroLocationJobs.listAllJobs(c, {}, { pageSize: 2 }))
    expect(all.filter((j) => j.Name?.startsWith("MicroPage"))).toHaveLength(5)
    let pages = 0
    for await (const page of MicroLocationJobs.listJobsPages(c, {}, { pageSize: 2 })) {
      pages++
      expect(page.Entries.length).toBeLessThanOrEqual(2)
    }
    expect(pages).toBeGreaterThanOrEqual(3)
  })

  it("typed errors: an unknown job, a wrong secret", async () => {
    const missing = await Micro.runPromiseExit(jobs().getJob({ JobId: "no-such-job" }))
    expect(missing._tag === "Failure" && missing.cause._tag === "Fail" && missing.cause.error._tag).toBe("ResourceNotFoundException")
    const wrong = FetchMicroLocationJobs.make({
      endpoint: url,
      region: "us-east-1",
      disableHostPrefix: true,
      credentials: { accessKeyId: "test", secretAccessKey: "nope" },
      retry: false
    })
    const denied = await Micro.runPromiseExit(wrong.getJob({ JobId: "x" }))
    expect(denied._tag === "Failure" && denied.cause._tag === "Fail" ? denied.cause.error : undefined).toMatchObject({ status: 403 })
  })
})

describe("FetchMicroLocationJobs over a stubbed fetch", () => {
  const started = {
    Action: "ValidateAddress",
    CreatedAt: "2024-01-01T00:00:00Z",
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/R",
    InputOptions: { Location: "s3://in-bucket/x/", Format: "Parquet" },
    OutputOptions: { Format: "Parquet", Location: "s3://out-bucket/y/" },
    JobArn: "arn:aws:geo:us-east-1:123456789012:job/j",
    JobId: "j",
    Status: "Pending",
    UpdatedAt: "2024-01-01T00:00:00Z"
  }
  const stub = (answers: Array<(init: RequestInit) => Response | Promise<Response>>) => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = []
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), headers: init!.headers as Record<string, string> })
      return answers[Math.min(calls.length - 1, answers.length - 1)]!(init!)
    }) as typeof globalThis.fetch
    return { calls, fetch }
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

  it("a 403 with a Date far from ours corrects the signing clock and resends once", async () => {
    const serverTime = Date.now() + 60 * 60 * 1000
    const s = stub([
      () => json(403, { message: "Signature expired" }, { date: new Date(serverTime).toUTCString(), "x-amzn-errortype": "InvalidSignatureException" }),
      () => json(200, started)
    ])
    const c = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, fetch: s.fetch, retry: false })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    expect(s.calls).toHaveLength(2)
    const dateOf = (h: Record<string, string>) => {
      const d = h["x-amz-date"]!
      return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15))
    }
    expect(Math.abs(dateOf(s.calls[1]!.headers) - serverTime)).toBeLessThan(5000)
    expect(s.calls[0]!.url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs/j")
  })

  it("a credentials provider is called once while its credentials are fresh; its failure is a Credentials error", async () => {
    const s = stub([() => json(200, started)])
    let calls = 0
    const c = FetchMicroLocationJobs.make({
      region: "us-east-1",
      fetch: s.fetch,
      credentials: async () => {
        calls++
        return { accessKeyId: "a", secretAccessKey: "b", sessionToken: "t", expiration: new Date(Date.now() + 3_600_000) }
      }
    })
    await Micro.runPromise(Micro.all([c.getJob({ JobId: "j" }), c.getJob({ JobId: "k" })], { concurrency: 2 }))
    await Micro.runPromise(c.getJob({ JobId: "l" }))
    expect(calls).toBe(1)
    expect(s.calls.every((x) => x.headers["x-amz-security-token"] === "t")).toBe(true)
    const failing = FetchMicroLocationJobs.make({
      region: "us-east-1",
      fetch: s.fetch,
      credentials: () => Promise.reject(new Error("no session"))
    })
    const exit = await Micro.runPromiseExit(failing.startJob({ ...startInput }))
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
      _tag: "LocationJobsClientError",
      reason: "Credentials",
      message: "StartJob: no usable credentials: the credentials provider failed: no session"
    })
    const empty = FetchMicroLocationJobs.make({ region: "us-east-1", fetch: s.fetch, credentials: { accessKeyId: "", secretAccessKey: "b" } })
    const exit2 = await Micro.runPromiseExit(empty.getJob({ JobId: "j" }))
    expect(exit2._tag === "Failure" && exit2.cause._tag === "Fail" ? exit2.cause.error : undefined).toMatchObject({ reason: "Credentials" })
  })

  it("a fetch that rejects is a Transport error, retried; the attempt timeout aborts fetch", async () => {
    let n = 0
    const s = stub([
      () => {
        n++
        throw new TypeError("Failed to fetch")
      },
      () => json(200, started)
    ])
    const c = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, fetch: s.fetch, retry: { baseDelayMs: 1 } })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    expect(n).toBe(1)
    let aborted = 0
    const slow = stub([(init) =>
      new Promise<Response>((_, reject) => {
        init.signal!.addEventListener("abort", () => {
          aborted++
          reject(new DOMException("aborted", "AbortError"))
        })
      })
    ])
    const t = FetchMicroLocationJobs.make({
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      fetch: slow.fetch,
      attemptTimeoutMs: 20,
      retry: false
    })
    const exit = await Micro.runPromiseExit(t.getJob({ JobId: "j" }))
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({ reason: "Timeout" })
    expect(aborted).toBe(1)
  })
})
