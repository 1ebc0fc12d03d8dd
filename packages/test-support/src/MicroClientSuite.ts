/**
 * What every `MicroLocationJobs` adapter is held to, whatever its transport: the wire conformance
 * suite with `@aws-sdk/client-location` (through the client as a `LocationJobs` service), the SDK's
 * signature with session credentials, a run against the real local service (all four operations,
 * idempotency, pagination, typed errors), and over a scripted loopback server: throttling retried,
 * clock skew corrected, credentials providers cached and their failures. Called by the fetch and the
 * node tests, which pass the local service's `make` (this package depends on no app).
 */
import { LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as MicroLocationJobs from "@geojobs/core/MicroLocationJobs"
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as Fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { job } from "@geojobs/core/TestFixtures"
import type * as MicroSigV4 from "@geojobs/sigv4/MicroSigV4"
import type * as Scope from "effect/Scope"
import { conformanceSuite, expectSameTelemetry, signOurTelemetry, startInput, telemetryOf } from "./WireConformance.js"

/** What the suite passes to the adapter's `make`. */
export interface MicroSuiteOptions {
  readonly endpoint: string
  readonly region: string
  readonly disableHostPrefix?: boolean
  readonly credentials: MicroSigV4.CredentialsSource
  readonly retry?: false | { readonly baseDelayMs?: number; readonly throttlingBaseDelayMs?: number } | undefined
}

/** An adapter's client; `close` when it holds connections. */
export type MicroSuiteClient = MicroLocationJobs.MicroLocationJobs & { readonly close?: () => void }

export { startInput } from "./WireConformance.js"

/** Starts the local service for the scope (`@geojobs/local/LocalService`'s `make`). */
export type StartLocal = (options: {
  readonly port: number
  readonly dataDir: string
  readonly runner: "manual"
}) => Effect.Effect<{ readonly url: string }, unknown, Scope.Scope>

/** A GetJob answer for job `j`. */
export const started = job("j", "Pending")

/** The error of a failed exit, if it failed with one. */
export const failure = <A, E>(exit: Micro.MicroExit<A, E>): E | undefined =>
  exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined

/** What a scripted answer does with a request: answer it, drop the connection, or never answer. */
export type Answer =
  | { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string>; readonly delayMs?: number }
  | "drop"
  | "hang"

/** A loopback server answering from a script (the last answer repeats), counting connections. */
export const scripted = () => {
  let script: Array<Answer> = []
  const requests: Array<{ readonly headers: http.IncomingHttpHeaders; readonly body: string }> = []
  let connections = 0
  let closedRequests = 0
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      requests.push({ headers: req.headers, body })
      const answer = script[Math.min(requests.length - 1, script.length - 1)]!
      if (answer === "drop") return req.socket.destroy()
      if (answer === "hang") return void res.on("close", () => closedRequests++)
      const reply = () =>
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(JSON.stringify(answer.body))
      if (answer.delayMs === undefined) reply()
      else setTimeout(reply, answer.delayMs)
    })
  })
  server.keepAliveTimeout = 30_000
  server.on("connection", () => connections++)
  return {
    server,
    requests,
    connections: () => connections,
    closedRequests: () => closedRequests,
    play: (answers: Array<Answer>) => {
      script = answers
      requests.length = 0
      connections = 0
      closedRequests = 0
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
}

/** A client's options for the scripted server `s`: test credentials and retries a few ms apart. */
export const scriptedOptions = (s: { readonly url: () => string }) => ({
  region: "us-east-1",
  endpoint: s.url(),
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
  retry: { baseDelayMs: 1, throttlingBaseDelayMs: 2 }
})

/** The Micro client as a `LocationJobs` service: its operations are Effects already. */
const asService = (jobs: MicroLocationJobs.MicroLocationJobs) =>
  Layer.succeed(LocationJobs.LocationJobs, jobs as unknown as LocationJobs.LocationJobsService)

/** Runs the shared suite for the adapter `label` (e.g. `FetchMicroLocationJobs`) of package `pkg`. */
export const microClientSuite = (
  pkg: string,
  label: string,
  make: (options: MicroSuiteOptions) => MicroSuiteClient,
  startLocal: StartLocal
) => {
  conformanceSuite(`${pkg} ${label}`, (options) => asService(make({ ...options, retry: false })))

  describe(`${label} signs like the SDK with session credentials`, () => {
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
    afterAll(() => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    })

    it("x-amz-security-token is sent and signed; the bytes and the signature are the SDK's", async () => {
      const credentials = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/key+1", sessionToken: "token/with+chars==" }
      const sdk = new LocationClient({ region: "eu-west-2", endpoint, credentials, maxAttempts: 1, disableHostPrefix: true })
      const sdkTelemetry: Array<Record<string, string | undefined>> = []
      signOurTelemetry(sdk, () => captured[0]!.headers, sdkTelemetry)
      const ours = make({ region: "eu-west-2", endpoint, credentials, retry: false })
      vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 10, 25, 23, 59, 59) })
      try {
        captured.length = 0
        await Micro.runPromise(ours.startJob(startInput))
        await sdk.send(new StartJobCommand(startInput as never))
      } finally {
        vi.useRealTimers()
        ours.close?.()
        sdk.destroy()
      }
      const [b, a] = captured
      expectSameTelemetry(sdkTelemetry[0]!, telemetryOf(b!.headers))
      expect(b!.body).toBe(a!.body)
      expect(b!.headers.host).toBe(a!.headers.host)
      expect(b!.headers["content-length"]).toBe(a!.headers["content-length"])
      expect(b!.headers["x-amz-security-token"]).toBe(credentials.sessionToken)
      expect(b!.headers.authorization).toBe(a!.headers.authorization)
      expect(b!.headers.authorization).toContain("/20261125/eu-west-2/geo/aws4_request")
      expect(b!.headers.authorization).toContain("x-amz-security-token")
    })
  })

  describe(`${label} against the local service`, () => {
    let close: () => Promise<void>
    let url = ""
    beforeAll(async () => {
      let resolve!: () => void
      const ready = new Promise<void>((r) => (resolve = r))
      const done = Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const service = yield* startLocal({
          port: 0,
          dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-micro-")),
          runner: "manual"
        })
        url = service.url
        resolve()
        yield* Effect.promise(() => new Promise<void>((release) => (close = async () => release())))
      })))
      await ready
      const stop = close
      close = async () => {
        await stop()
        await done
      }
    })
    const clients: Array<MicroSuiteClient> = []
    afterAll(async () => {
      clients.forEach((c) => c.close?.())
      await close()
    })
    const jobs = (secretAccessKey = "test") => {
      const c = make({
        endpoint: url,
        region: "us-east-1",
        disableHostPrefix: true,
        credentials: { accessKeyId: "test", secretAccessKey },
        retry: secretAccessKey === "test" ? undefined : false
      })
      clients.push(c)
      return c
    }
    const input = (name: string) => ({
      Action: "ValidateAddress",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/micro",
      InputOptions: { Location: "s3://micro-input/", Format: "Parquet" },
      OutputOptions: { Location: "s3://micro-output/", Format: "Parquet" },
      Name: name
    } as const)

    it("StartJob, GetJob, ListJobs, CancelJob", async () => {
      const c = jobs()
      const job = await Micro.runPromise(c.startJob(input("Micro1")))
      expect(job.Status).toBe("Pending")
      expect(job.CreatedAt).toBeInstanceOf(Date)
      const got = await Micro.runPromise(c.getJob({ JobId: job.JobId }))
      expect(got).toMatchObject({ JobId: job.JobId, Name: "Micro1", Status: "Pending", Action: "ValidateAddress" })
      const page = await Micro.runPromise(c.listJobs({ Filter: { JobStatus: "Pending" } }))
      expect(page.Entries.map((e) => e.JobId)).toContain(job.JobId)
      const cancelled = await Micro.runPromise(c.cancelJob({ JobId: job.JobId }))
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

    it("typed errors: an unknown job, a wrong secret, a bad request caught before sending", async () => {
      expect(failure(await Micro.runPromiseExit(jobs().getJob({ JobId: "no-such-job" })))).toMatchObject({
        _tag: "ResourceNotFoundException",
        status: 404
      })
      expect(failure(await Micro.runPromiseExit(jobs("nope").getJob({ JobId: "x" })))).toMatchObject({ status: 403 })
      const invalid = failure(await Micro.runPromiseExit(jobs().startJob({ ...input("has spaces") })))
      expect(invalid).toMatchObject({ _tag: "ValidationException", clientSide: true })
    })
  })

  describe(`${label} over a scripted loopback server`, () => {
    const s = scripted()
    beforeAll(() => new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve)))
    const clients: Array<MicroSuiteClient> = []
    const closeClients = () => {
      clients.forEach((c) => c.close?.())
      clients.length = 0
    }
    beforeEach(closeClients)
    afterAll(() => {
      closeClients()
      s.server.closeAllConnections()
      return new Promise<void>((resolve) => s.server.close(() => resolve()))
    })
    const client = (options: Partial<MicroSuiteOptions> = {}) => {
      const c = make({ ...scriptedOptions(s), ...options })
      clients.push(c)
      return c
    }

    it("throttling is retried, then succeeds", async () => {
      s.play([
        { status: 429, body: { message: "slow down" }, headers: { "x-amzn-errortype": "ThrottlingException" } },
        { status: 200, body: started }
      ])
      expect((await Micro.runPromise(client().getJob({ JobId: "j" }))).JobId).toBe("j")
      expect(s.requests).toHaveLength(2)
      s.play([{ status: 429, body: { message: "slow down" }, headers: { "x-amzn-errortype": "ThrottlingException" } }])
      expect(failure(await Micro.runPromiseExit(client({ retry: false }).getJob({ JobId: "j" })))).toMatchObject({
        _tag: "ThrottlingException",
        status: 429
      })
    })

    it("a 403 with a Date far from ours corrects the signing clock and resends once", async () => {
      const serverTime = Date.now() + 60 * 60 * 1000
      s.play([
        {
          status: 403,
          body: { message: "Signature expired" },
          headers: { date: new Date(serverTime).toUTCString(), "x-amzn-errortype": "InvalidSignatureException" }
        },
        { status: 200, body: started }
      ])
      expect((await Micro.runPromise(client({ retry: false }).getJob({ JobId: "j" }))).JobId).toBe("j")
      expect(s.requests).toHaveLength(2)
      const d = String(s.requests[1]!.headers["x-amz-date"])
      const signedAt = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15))
      expect(Math.abs(signedAt - serverTime)).toBeLessThan(5_000)
    })

    it("credentials: a provider is called once while fresh; its failure and empty keys are Credentials errors", async () => {
      s.play([{ status: 200, body: started }])
      let calls = 0
      const c = client({
        credentials: async () => {
          calls++
          return { accessKeyId: "a", secretAccessKey: "b", sessionToken: "t", expiration: new Date(Date.now() + 3_600_000) }
        }
      })
      await Micro.runPromise(Micro.all([c.getJob({ JobId: "j" }), c.getJob({ JobId: "k" })], { concurrency: 2 }))
      await Micro.runPromise(c.getJob({ JobId: "l" }))
      expect(calls).toBe(1)
      expect(s.requests.every((r) => r.headers["x-amz-security-token"] === "t")).toBe(true)
      const failing = client({ credentials: () => Promise.reject(new Error("no session")) })
      expect(failure(await Micro.runPromiseExit(failing.startJob(startInput)))).toMatchObject({
        _tag: "LocationJobsClientError",
        reason: "Credentials",
        message: "StartJob: no usable credentials: the credentials provider failed: no session"
      })
      const empty = client({ credentials: { accessKeyId: "", secretAccessKey: "b" } })
      expect(failure(await Micro.runPromiseExit(empty.getJob({ JobId: "j" })))).toMatchObject({ reason: "Credentials" })
    })
  })
}
