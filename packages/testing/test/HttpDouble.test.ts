import { describe, expect, it } from "@effect/vitest"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Fiber from "effect/Fiber"
import { Faults } from "../src/Faults.js"
import * as HttpDouble from "../src/HttpDouble.js"
import { JobsControl } from "../src/JobsControl.js"
import { driveClock, request } from "./fixtures.js"

const noRetry = HttpDouble.layerLocationJobs({ client: { region: "us-east-1", retry: false } })

describe("HttpDouble wire", () => {
  it.effect("answers raw HTTP like the service: any host, percent-encoded labels, error headers", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const started = yield* http.execute(
        HttpClientRequest.post("http://localhost:4566/metadata/v0/jobs").pipe(HttpClientRequest.bodyUnsafeJson(request({ Name: "raw" })))
      )
      expect(started.status).toBe(200)
      const { JobId } = (yield* started.json) as { JobId: string }
      const got = yield* http.execute(HttpClientRequest.get(`https://metadata.geo.eu-west-1.amazonaws.com/metadata/v0/jobs/${encodeURIComponent(JobId)}`))
      expect(got.status).toBe(200)
      expect(((yield* got.json) as { Name: string }).Name).toBe("raw")
      const missing = yield* http.execute(HttpClientRequest.get("http://x/metadata/v0/jobs/nope"))
      expect(missing.status).toBe(404)
      expect(missing.headers["x-amzn-errortype"]).toBe("ResourceNotFoundException")
      expect(missing.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/)
      const calls = yield* (yield* Faults).calls
      expect(calls.map((c) => [c.method, c.path, c.status, c.reachedService])).toEqual([
        ["POST", "/metadata/v0/jobs", 200, true],
        ["GET", `/metadata/v0/jobs/${JobId}`, 200, true],
        ["GET", "/metadata/v0/jobs/nope", 404, true]
      ])
      expect(calls[0]!.body).toMatchObject({ Name: "raw", Action: "ValidateAddress" })
    }).pipe(Effect.provide(HttpDouble.layer())))
})

describe("HttpDouble faults through the core client", () => {
  it.effect("throttleNext: 429 ThrottlingException, never reaches the service", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      yield* faults.throttleNext(1)
      const e = yield* Effect.flip((yield* LocationJobs).listJobs())
      expect(e).toMatchObject({ _tag: "ThrottlingException", status: 429 })
      expect((yield* faults.calls).map((c) => [c.status, c.fault, c.reachedService])).toEqual([[429, "Throttle", false]])
      expect((yield* (yield* JobsControl).calls)).toEqual([])
    }).pipe(Effect.provide(noRetry)))

  it.effect("failNext: 5xx InternalServerException, before or after the service did the work", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      const control = yield* JobsControl
      const jobs = yield* LocationJobs
      yield* faults.failNext(1, { status: 503 })
      expect(yield* Effect.flip(jobs.startJob(request()))).toMatchObject({ _tag: "InternalServerException", status: 503 })
      expect(yield* control.jobs).toHaveLength(0)
      yield* faults.failNext(1, { afterProcessing: true })
      expect(yield* Effect.flip(jobs.startJob(request()))).toMatchObject({ _tag: "InternalServerException", status: 500 })
      expect(yield* control.jobs).toHaveLength(1)
    }).pipe(Effect.provide(noRetry)))

  it.effect("dropNext: a transport error; malformedNext: an undecodable 200", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      const jobs = yield* LocationJobs
      yield* faults.dropNext(1)
      expect(yield* Effect.flip(jobs.listJobs())).toMatchObject({ _tag: "LocationJobsClientError", reason: "Transport" })
      yield* faults.malformedNext(1)
      expect(yield* Effect.flip(jobs.listJobs())).toMatchObject({
        _tag: "LocationJobsClientError",
        reason: "UndecodableResponse",
        status: 200
      })
      const log = yield* faults.calls
      expect(log.map((c) => [c.fault, c.status, c.reachedService])).toEqual([["Drop", undefined, false], ["Malformed", 200, true]])
      expect((yield* jobs.listJobs()).Entries).toEqual([])
    }).pipe(Effect.provide(noRetry)))

  it.effect("latency sleeps on the Clock", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      yield* faults.setLatency("2 seconds")
      const fiber = yield* Effect.fork((yield* LocationJobs).listJobs())
      yield* TestClock.adjust("1999 millis")
      expect((yield* Fiber.poll(fiber))._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).Entries).toEqual([])
      yield* faults.reset
    }).pipe(Effect.provide(noRetry)))

  it.effect("latency beyond the client's attempt timeout is a typed Timeout", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      yield* faults.setLatency("31 seconds")
      const e = yield* Effect.flip(driveClock((yield* LocationJobs).listJobs(), "1 second"))
      expect(e).toMatchObject({ _tag: "LocationJobsClientError", reason: "Timeout" })
    }).pipe(Effect.provide(noRetry)))

  it.effect("the client retries a lost StartJob answer with the same token: one job", () =>
    Effect.gen(function*() {
      const faults = yield* Faults
      const control = yield* JobsControl
      yield* faults.failNext(1, { afterProcessing: true })
      yield* faults.dropNext(1, { afterProcessing: true })
      const started = yield* driveClock((yield* LocationJobs).startJob(request()))
      const log = yield* faults.calls
      expect(log.map((c) => [c.fault, c.reachedService])).toEqual([["ServerError", true], ["Drop", true], [undefined, true]])
      const tokens = log.map((c) => (c.body as { ClientToken: string }).ClientToken)
      expect(new Set(tokens).size).toBe(1)
      expect(yield* control.jobs).toEqual([{ jobId: started.JobId, status: "Pending", clientToken: tokens[0] }])
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs())))
})

/** Runs 1,000 StartJob calls with distinct tokens under random faults and checks the books. */
const faultRun = (random: Parameters<(typeof Faults.Service)["setRandom"]>[0]) =>
  Effect.gen(function*() {
    const faults = yield* Faults
    const control = yield* JobsControl
    const jobs = yield* LocationJobs
    yield* faults.setRandom(random)
    const tokens = Array.from({ length: 1000 }, (_, i) => `fault-run-${i}`)
    const results = yield* driveClock(
      Effect.forEach(tokens, (token) => Effect.either(jobs.startJob(request({ ClientToken: token }))), { concurrency: 25 }),
      "1 second"
    )
    const wire = yield* faults.calls
    const created = (yield* control.jobs).filter((j) => j.clientToken?.startsWith("fault-run-"))
    return { results, tokens, wire, created }
  })

describe("1,000 StartJob calls under injected faults", () => {
  it.effect("30% throttles and 5xx: every call ends typed; jobs created = distinct successful tokens", () =>
    Effect.gen(function*() {
      const { created, results, tokens, wire } = yield* faultRun({ seed: 20261125, throttle: 0.15, serverError: 0.15 })
      const succeeded = new Map<string, string>()
      results.forEach((r, i) => {
        if (r._tag === "Right") succeeded.set(tokens[i]!, r.right.JobId)
        else expect(["ThrottlingException", "InternalServerException"]).toContain(r.left._tag)
      })
      expect(results).toHaveLength(1000)
      // without retries about 700 would succeed; the standard policy recovers most of the rest
      expect(succeeded.size).toBeGreaterThan(800)
      const faulted = wire.filter((c) => c.fault !== undefined).length
      expect(faulted / wire.length).toBeGreaterThan(0.25)
      expect(faulted / wire.length).toBeLessThan(0.35)
      expect(wire.length).toBeGreaterThan(1000) // retries happened
      // every job belongs to a successful token, exactly one per token, and it is the job the caller got
      expect(created.length).toBe(succeeded.size)
      expect(new Set(created.map((j) => j.clientToken)).size).toBe(created.length)
      for (const j of created) expect(succeeded.get(j.clientToken!)).toBe(j.jobId)
      // some calls only succeeded thanks to a retry
      const attempts = new Map<string, number>()
      for (const c of wire) {
        const t = (c.body as { ClientToken: string }).ClientToken
        attempts.set(t, (attempts.get(t) ?? 0) + 1)
      }
      expect([...succeeded.keys()].filter((t) => attempts.get(t)! > 1).length).toBeGreaterThan(0)
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs())), 120_000)

  it.effect("answers lost after the work (5xx, drops): no duplicates, every success has its one job", () =>
    Effect.gen(function*() {
      const { created, results, tokens, wire } = yield* faultRun({
        seed: 7,
        throttle: 0.1,
        serverError: 0.1,
        drop: 0.1,
        afterProcessing: 0.5
      })
      const succeeded = new Map<string, string>()
      results.forEach((r, i) => {
        if (r._tag === "Right") succeeded.set(tokens[i]!, r.right.JobId)
        else {
          expect(r.left._tag === "ThrottlingException" || r.left._tag === "InternalServerException" ||
            (r.left._tag === "LocationJobsClientError" && r.left.reason === "Transport")).toBe(true)
        }
      })
      const reached = new Set(wire.filter((c) => c.reachedService).map((c) => (c.body as { ClientToken: string }).ClientToken))
      const byToken = new Map<string, Array<string>>()
      for (const j of created) byToken.set(j.clientToken!, [...(byToken.get(j.clientToken!) ?? []), j.jobId])
      for (const [token, ids] of byToken) {
        expect(ids, token).toHaveLength(1)
        expect(reached.has(token)).toBe(true)
      }
      for (const [token, jobId] of succeeded) expect(byToken.get(token)).toEqual([jobId])
      expect(created.length).toBe(reached.size)
      expect(created.length).toBeGreaterThanOrEqual(succeeded.size)
    }).pipe(Effect.provide(HttpDouble.layerLocationJobs())), 120_000)
})

describe("HttpDouble with any client", () => {
  it.effect("the core client built by hand over HttpDouble.layer", () =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobsClient.make({ endpoint: "http://127.0.0.1:4566", region: "us-east-1" })
      const { JobId } = yield* jobs.startJob(request())
      expect((yield* jobs.getJob({ JobId })).Status).toBe("Pending")
    }).pipe(Effect.provide(Layer.orDie(HttpDouble.layer()))))
})
