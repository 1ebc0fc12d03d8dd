import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import { ThrottlingException } from "../src/LocationJobsError.js"
import * as Retry from "../src/Retry.js"
import { awsError, json, makeScripted, type Reply, startOk, validStart } from "./support/ScriptedHttp.js"

const setup = (replies: Array<Reply>, retry: Retry.RetryOption = {}, fallback?: Reply) => {
  const http = makeScripted(replies, fallback)
  const layer = LocationJobsClient.layer({ region: "us-east-1", retry }).pipe(Layer.provide(http.layer))
  return { http, layer }
}

/** Runs `effect` in a fiber and moves the TestClock forward until it ends. */
const runWithClock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 200; i++) {
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") break
      yield* TestClock.adjust("100 millis")
    }
    return yield* Fiber.join(fiber)
  })

describe("standard retry", () => {
  it.effect("retries 5xx then succeeds, reusing the same ClientToken on every attempt", () => {
    const { http, layer } = setup([awsError(500, "InternalServerException"), awsError(503, "ServiceUnavailable"), startOk()])
    return Effect.gen(function*() {
      const out = yield* runWithClock(LocationJobs.startJob(validStart))
      expect(out.JobId).toBe("job-1")
      expect(http.sent).toHaveLength(3)
      const tokens = http.sent.map((s) => JSON.parse(s.body!).ClientToken)
      expect(new Set(tokens).size).toBe(1)
      expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/)
    }).pipe(Effect.provide(layer))
  })

  it.effect("stops after maxAttempts (3 by default) and fails with the last error", () => {
    const { http, layer } = setup([], {}, awsError(500, "InternalServerException"))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(runWithClock(LocationJobs.getJob({ JobId: "j" })))
      expect(error._tag).toBe("InternalServerException")
      expect(http.sent).toHaveLength(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("does not retry non-retryable errors", () => {
    const codes: Array<[number, string]> = [[400, "ValidationException"], [403, "AccessDeniedException"], [404, "ResourceNotFoundException"]]
    return Effect.gen(function*() {
      for (const [status, code] of codes) {
        const { http, layer } = setup([], {}, awsError(status, code))
        const error = yield* Effect.flip(runWithClock(Effect.provide(LocationJobs.getJob({ JobId: "j" }), layer)))
        expect(error._tag).toBe(code)
        expect(http.sent).toHaveLength(1)
      }
    })
  })

  it.effect("retries throttling and transport failures", () => {
    const { http, layer } = setup([awsError(429, "ThrottlingException"), { transportError: "ECONNRESET" }, json(200, { Entries: [] })])
    return Effect.gen(function*() {
      const out = yield* runWithClock(LocationJobs.listJobs())
      expect(out.Entries).toEqual([])
      expect(http.sent).toHaveLength(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("delays lie within the full-jitter bounds (transient base 100 ms, throttling base 500 ms)", () => {
    const runs = 30
    return Effect.gen(function*() {
      for (let i = 0; i < runs; i++) {
        const { http, layer } = setup([], {}, awsError(500, "InternalServerException"))
        yield* Effect.flip(runWithClock(Effect.provide(LocationJobs.getJob({ JobId: "j" }), layer)))
        const [a, b, c] = http.sent.map((s) => s.at)
        // TestClock moves in 100 ms steps, so a delay d is observed as ceil(d / 100) * 100.
        expect(b - a).toBeLessThanOrEqual(100)
        expect(c - b).toBeLessThanOrEqual(200)
        const t = setup([], {}, awsError(429, "ThrottlingException"))
        yield* Effect.flip(runWithClock(Effect.provide(LocationJobs.getJob({ JobId: "j" }), t.layer)))
        const [x, y, z] = t.http.sent.map((s) => s.at)
        expect(y - x).toBeLessThanOrEqual(500)
        expect(z - y).toBeLessThanOrEqual(1000)
      }
    })
  })

  it.effect("the delay formula is uniform in [0, min(max, base·2^(n-1))] and honours retry-after", () =>
    Effect.gen(function*() {
      const policy = Retry.standard({ maxDelay: "3 seconds" })
      const throttle = new ThrottlingException({ message: "x" })
      let max1 = 0
      let max5 = 0
      for (let i = 0; i < 300; i++) {
        const d1 = yield* Retry.delayFor(policy, throttle, 1, undefined)
        const d5 = yield* Retry.delayFor(policy, throttle, 5, undefined)
        expect(d1).toBeGreaterThanOrEqual(0)
        expect(d1).toBeLessThanOrEqual(500)
        expect(d5).toBeLessThanOrEqual(3000)
        max1 = Math.max(max1, d1)
        max5 = Math.max(max5, d5)
        const hinted = yield* Retry.delayFor(policy, throttle, 1, 2000)
        expect(hinted).toBeGreaterThanOrEqual(2000)
        const capped = yield* Retry.delayFor(policy, throttle, 1, 60_000)
        expect(capped).toBe(3000)
      }
      // Spread: over 300 draws the largest is near the ceiling (not all zero).
      expect(max1).toBeGreaterThan(250)
      expect(max5).toBeGreaterThan(1500)
    }))

  it.effect("Retry-After from the service sets the minimum delay", () => {
    const { http, layer } = setup([
      { status: 429, headers: { "x-amzn-errortype": "ThrottlingException", "retry-after": "3" }, body: "{}" },
      startOk()
    ])
    return Effect.gen(function*() {
      yield* runWithClock(LocationJobs.startJob(validStart))
      expect(http.sent[1].at - http.sent[0].at).toBeGreaterThanOrEqual(3000)
      expect(http.sent[1].at - http.sent[0].at).toBeLessThanOrEqual(3100)
    }).pipe(Effect.provide(layer))
  })

  it.effect("the retry budget stops a storm: once spent, failures are not retried", () => {
    // Capacity 10, cost 5: two retries in all, shared by every call of the client.
    const { http, layer } = setup([], { budgetCapacity: 10, retryCost: 5 }, awsError(500, "InternalServerException"))
    return Effect.gen(function*() {
      yield* Effect.flip(runWithClock(LocationJobs.getJob({ JobId: "a" }))) // 1 + 2 retries, budget now 0
      expect(http.sent).toHaveLength(3)
      yield* Effect.flip(runWithClock(LocationJobs.getJob({ JobId: "b" }))) // no budget: 1 attempt
      expect(http.sent).toHaveLength(4)
      yield* Effect.flip(runWithClock(LocationJobs.getJob({ JobId: "c" })))
      expect(http.sent).toHaveLength(5)
    }).pipe(Effect.provide(layer))
  })

  it.effect("successes refill the budget", () => {
    const budget = Retry.makeBudget(10)
    expect(budget.tryAcquire(5)).toBe(true)
    expect(budget.tryAcquire(5)).toBe(true)
    expect(budget.tryAcquire(5)).toBe(false)
    budget.release(1)
    expect(budget.available()).toBe(1)
    budget.release(100)
    expect(budget.available()).toBe(10)
    return Effect.void
  })

  it.effect("retry: false sends once", () => {
    const { http, layer } = setup([], false, awsError(500, "InternalServerException"))
    return Effect.gen(function*() {
      yield* Effect.flip(LocationJobs.getJob({ JobId: "j" }))
      expect(http.sent).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a user's Schedule replaces the standard policy", () => {
    const { http, layer } = setup([], { schedule: Schedule.recurs(4) }, awsError(500, "InternalServerException"))
    return Effect.gen(function*() {
      yield* Effect.flip(LocationJobs.getJob({ JobId: "j" }))
      expect(http.sent).toHaveLength(5)
    }).pipe(Effect.provide(layer))
  })

  it.effect("an attempt that hangs times out (Timeout) and is retried", () => {
    const http = makeScripted([{ hang: true }, startOk()])
    const layer = LocationJobsClient.layer({ region: "us-east-1", attemptTimeout: "2 seconds" }).pipe(Layer.provide(http.layer))
    return Effect.gen(function*() {
      const out = yield* runWithClock(LocationJobs.startJob(validStart))
      expect(out.JobId).toBe("job-1")
      expect(http.sent).toHaveLength(2)
      expect(http.sent[1].at - http.sent[0].at).toBeGreaterThanOrEqual(2000)
      const alwaysHangs = makeScripted([], { hang: true })
      const l2 = LocationJobsClient.layer({ region: "us-east-1", attemptTimeout: "1 second", retry: false }).pipe(
        Layer.provide(alwaysHangs.layer)
      )
      const error = yield* Effect.flip(runWithClock(Effect.provide(LocationJobs.getJob({ JobId: "j" }), l2)))
      expect(error._tag === "LocationJobsClientError" && error.reason).toBe("Timeout")
    }).pipe(Effect.provide(layer))
  })
})
