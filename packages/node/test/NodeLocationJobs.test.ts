import * as LocationJobs from "@geojobs/core/LocationJobs"
import { job, startJobRequest } from "@geojobs/core/TestFixtures"
import { describe, expect, it } from "@effect/vitest"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as NodeHttpTransport from "../src/NodeHttpTransport.js"
import * as NodeLocationJobs from "../src/NodeLocationJobs.js"

describe("NodeLocationJobs", () => {
  it.effect("no region and no endpoint → a Configuration error naming the fix", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(Effect.provide(LocationJobs.listJobs(), NodeLocationJobs.layer({})))
      expect(e._tag === "LocationJobsClientError" && e.reason).toBe("Configuration")
      expect(e.message).toMatch(/AWS_REGION/)
    }))

  it.effect("empty static credentials → a Credentials error, nothing sent", () =>
    Effect.gen(function*() {
      const layer = NodeLocationJobs.layer({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "" } })
      const e = yield* Effect.flip(Effect.provide(LocationJobs.listJobs(), layer))
      expect(e._tag === "LocationJobsClientError" && e.reason).toBe("Credentials")
      expect(e.message).toContain("secret access key")
    }))

  it.effect("layerConfig reads the endpoint from the AWS environment; a refused connection is a Transport error", () =>
    Effect.gen(function*() {
      const env = ConfigProvider.fromMap(new Map([["AWS_ENDPOINT_URL", "http://127.0.0.1:9"], ["AWS_REGION", "eu-west-1"]]))
      const layer = NodeLocationJobs.layerConfig({ credentials: { accessKeyId: "AKID", secretAccessKey: "s" }, retry: false }).pipe(
        Layer.provide(Layer.setConfigProvider(env))
      )
      const e = yield* Effect.flip(Effect.provide(LocationJobs.getJob({ JobId: "j" }), layer))
      expect(e._tag === "LocationJobsClientError" && e.reason).toBe("Transport")
      expect(e.message).toMatch(/could not reach the service/)
    }))

  for (const transport of ["auto", "undici-lean", "node-http", NodeHttpTransport.layerWith({})] as const) {
    it.live(`${typeof transport === "string" ? transport : "a Layer"}: a refused connection names the address`, () =>
      Effect.gen(function*() {
        const layer = NodeLocationJobs.layer({
          endpoint: "http://127.0.0.1:9",
          region: "us-east-1",
          credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
          transport,
          retry: false
        })
        const e = yield* Effect.flip(Effect.provide(LocationJobs.getJob({ JobId: "j" }), layer))
        expect(e).toMatchObject({
          reason: "Transport",
          message: "GetJob: could not reach the service: connection refused at http://127.0.0.1:9 (ECONNREFUSED): " +
            "is the service running there? Check the endpoint"
        })
      }))
  }

  for (
    const transport of ["auto", "undici-lean", "node-http", NodeHttpTransport.layerWith({ connections: 4 })] as const
  ) it.live(`${typeof transport === "string" ? transport : "a Layer"}: an attempt with no answer within attemptTimeout is a Timeout error (timed by a lean transport, or by the client over a Layer), the request aborted`, () =>
    Effect.gen(function*() {
      const closed: Array<string> = []
      const server = http.createServer((req, res) => {
        req.resume()
        res.on("close", () => closed.push(req.url ?? ""))
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
      )
      server.closeIdleConnections()
      const port = (server.address() as AddressInfo).port
      const layer = NodeLocationJobs.layer({
        endpoint: `http://127.0.0.1:${port}`,
        region: "us-east-1",
        credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
        attemptTimeout: "200 millis",
        transport,
        retry: { maxAttempts: 2, baseDelay: "1 millis" }
      })
      const e = yield* Effect.flip(Effect.provide(LocationJobs.getJob({ JobId: "j-1" }), layer))
      expect(e._tag === "LocationJobsClientError" && e.reason).toBe("Timeout")
      expect(e.message).toBe(`GetJob: no answer from http://127.0.0.1:${port} within 200ms (attemptTimeout)`)
      // both attempts were sent and given up (timeouts are retried)
      for (let i = 0; i < 50 && closed.length < 2; i++) yield* Effect.sleep("20 millis")
      expect(closed).toEqual(["/metadata/v0/jobs/j-1", "/metadata/v0/jobs/j-1"])
    }).pipe(Effect.scoped))
})

describe("NodeLocationJobs over node:http", () => {
  it.live("StartJob then GetJob through the node-http transport, signed, against a loopback server", () =>
    Effect.gen(function*() {
      const seen: Array<{ method: string; url: string; authorization: string | undefined }> = []
      const server = http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization })
          res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r-1" })
          res.end(JSON.stringify(
            req.method === "POST"
              ? { CreatedAt: "2026-11-25T12:00:00Z", JobArn: "arn:aws:geo:us-east-1:123456789012:job/j-1", JobId: "j-1", Status: "Pending" }
              : job("j-1", "Running")
          ))
        })
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
      )
      const layer = NodeLocationJobs.layer({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: "us-east-1",
        credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
        transport: "node-http"
      })
      const [started, got] = yield* Effect.provide(
        Effect.zip(
          LocationJobs.startJob(startJobRequest()),
          LocationJobs.getJob({ JobId: "j-1" })
        ),
        layer
      )
      expect(started.JobId).toBe("j-1")
      expect(got.Status).toBe("Running")
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /metadata/v0/jobs", "GET /metadata/v0/jobs/j-1"])
      for (const s of seen) expect(s.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/geo\/aws4_request, /)
    }).pipe(Effect.scoped))
})
