import { describe, expect, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as Waiter from "../src/Waiter.js"
import { awsError, jobBody, json, makeScripted, type Reply } from "./support/ScriptedHttp.js"
import { newValues } from "./support/ServiceAnswers.js"

const setup = (replies: Array<Reply>, fallback?: Reply) => {
  const http = makeScripted(replies, fallback)
  const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(http.layer))
  return { http, layer }
}

const runWithClock = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.DurationInput = "10 seconds") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 2000; i++) {
      if ((yield* Fiber.poll(fiber))._tag === "Some") break
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

describe("waitForJob", () => {
  it.effect("Completed → success; polls at once, then within [min, min(min·2^(n-1), max)]", () => {
    const { http, layer } = setup([
      json(200, jobBody("j", "Pending")),
      json(200, jobBody("j", "Running")),
      json(200, jobBody("j", "Running")),
      json(200, jobBody("j", "Completed", { EndedAt: "2024-01-01T01:00:00Z" }))
    ])
    return Effect.gen(function*() {
      const seen: Array<string> = []
      const job = yield* runWithClock(
        Waiter.waitForJob("j", { onPoll: (j) => Effect.sync(() => seen.push(j.Status)) }),
        "1 second"
      )
      expect(job.Status).toBe("Completed")
      expect(job.EndedAt?.toISOString()).toBe("2024-01-01T01:00:00.000Z")
      expect(seen).toEqual(["Pending", "Running", "Running", "Completed"])
      const at = http.sent.map((s) => s.at)
      expect(at[0]).toBe(0)
      const gaps = at.slice(1).map((t, i) => t - at[i])
      expect(gaps[0]).toBeGreaterThanOrEqual(60_000) // n=1: exactly min (ceiling = min)
      expect(gaps[0]).toBeLessThanOrEqual(61_000)
      expect(gaps[1]).toBeGreaterThanOrEqual(60_000) // n=2: in [60, 120]
      expect(gaps[1]).toBeLessThanOrEqual(121_000)
      expect(gaps[2]).toBeLessThanOrEqual(121_000) // n=3: capped at max 120
    }).pipe(Effect.provide(layer))
  })

  it.effect("Failed → JobFailed carrying the JobError", () => {
    const { layer } = setup([
      json(200, jobBody("j", "Failed", { EndedAt: "2024-01-01T01:00:00Z", Error: { Code: "ValidationError", Messages: ["no input files"] } }))
    ])
    return Effect.gen(function*() {
      const e = yield* Effect.flip(Waiter.waitForJob("j"))
      expect(e._tag).toBe("JobFailed")
      if (e._tag !== "JobFailed") return
      expect(e.error).toEqual({ Code: "ValidationError", Messages: ["no input files"] })
      expect(e.message).toContain("no input files")
    }).pipe(Effect.provide(layer))
  })

  it.effect("Cancelled → JobCancelled (after Cancelling)", () => {
    const { layer } = setup([json(200, jobBody("j", "Cancelling")), json(200, jobBody("j", "Cancelled", { EndedAt: "2024-01-01T01:00:00Z" }))])
    return Effect.gen(function*() {
      const e = yield* Effect.flip(runWithClock(Waiter.waitForJob("j", { minDelay: "1 second", maxDelay: "2 seconds" }), "1 second"))
      expect(e._tag).toBe("JobCancelled")
    }).pipe(Effect.provide(layer))
  })

  it.effect("time limit → WaitTimeout with the last status, after exactly the limit", () => {
    const { http, layer } = setup([], json(200, jobBody("j", "Running")))
    return Effect.gen(function*() {
      const e = yield* Effect.flip(runWithClock(Waiter.waitForJob("j", { minDelay: "5 seconds", maxDelay: "5 seconds", timeout: "1 minute" }), "1 second"))
      expect(e._tag).toBe("WaitTimeout")
      if (e._tag !== "WaitTimeout") return
      expect(e.lastStatus).toBe("Running")
      expect(e.waitedMillis).toBe(60_000)
      expect(http.sent.length).toBeGreaterThanOrEqual(11)
      expect(http.sent.length).toBeLessThanOrEqual(13)
    }).pipe(Effect.provide(layer))
  })

  it.effect("wake: the next poll comes when it completes, before the delay is over; the time limit is kept", () => {
    const { http, layer } = setup([
      json(200, jobBody("j", "Running")),
      json(200, jobBody("j", "Running")),
      json(200, jobBody("j", "Completed"))
    ], json(200, jobBody("j", "Running")))
    return Effect.gen(function*() {
      // woken 3 s into each 60 s delay
      const wake = Effect.sleep("3 seconds")
      const job = yield* runWithClock(Waiter.waitForJob("j", { wake }), "1 second")
      expect(job.Status).toBe("Completed")
      expect(http.sent.map((s) => s.at)).toEqual([0, 3_000, 6_000])
      // a wake that comes at once does not shorten the wait past its limit
      const e = yield* Effect.flip(
        runWithClock(Waiter.waitForJob("j", { minDelay: "5 seconds", maxDelay: "5 seconds", timeout: "1 minute", wake: Effect.sleep("1 second") }), "1 second")
      )
      expect(e._tag).toBe("WaitTimeout")
      if (e._tag === "WaitTimeout") expect(e.waitedMillis).toBe(60_000)
    }).pipe(Effect.provide(layer))
  })

  it.effect("as the SDK's waiter: every error from GetJob keeps it polling (a new job's 404, access denied)", () => {
    const a = setup([awsError(500, "InternalServerException"), json(200, jobBody("j", "Completed"))])
    const b = setup([awsError(404, "ResourceNotFoundException"), json(200, jobBody("j", "Completed"))])
    const c = setup([], awsError(403, "AccessDeniedException"))
    return Effect.gen(function*() {
      const ok = yield* runWithClock(Effect.provide(Waiter.waitForJob("j", { minDelay: "1 second" }), a.layer), "1 second")
      expect(ok.Status).toBe("Completed")
      const found = yield* runWithClock(Effect.provide(Waiter.waitForJob("j", { minDelay: "1 second" }), b.layer), "1 second")
      expect(found.Status).toBe("Completed")
      expect(b.http.sent).toHaveLength(2)
      const e = yield* runWithClock(
        Effect.flip(Effect.provide(Waiter.waitForJob("j", { minDelay: "1 second", timeout: "10 seconds" }), c.layer)),
        "1 second"
      )
      expect(e._tag).toBe("WaitTimeout")
      expect(e._tag === "WaitTimeout" ? e.lastError?._tag : undefined).toBe("AccessDeniedException")
      expect(e.message).toMatch(/did not finish within 10s \(last error: AccessDeniedException: AccessDeniedException happened\)/)
      expect(c.http.sent.length).toBeGreaterThan(3)
    })
  })

  it.effect("a request that can never be sent ends it at once: an invalid id, no region", () => {
    const { http, layer } = setup([json(200, jobBody("j", "Completed"))])
    return Effect.gen(function*() {
      const invalid = yield* Effect.flip(Effect.provide(Waiter.waitForJob("not a job id/"), layer))
      expect(invalid).toMatchObject({ _tag: "ValidationException", clientSide: true })
      expect(http.sent).toHaveLength(0)
      const unconfigured = LocationJobsClient.layer({}).pipe(Layer.provide(makeScripted([]).layer))
      const e = yield* Effect.flip(Effect.provide(Waiter.waitForJob("j"), Layer.orDie(unconfigured)).pipe(Effect.catchAllDefect(Effect.fail)))
      expect(e).toMatchObject({ _tag: "LocationJobsClientError", reason: "Configuration" })
    })
  })

  it.effect("an unknown status is not terminal: it keeps polling, then completes", () => {
    const { http, layer } = setup([
      json(200, jobBody("j", "Pending")),
      json(200, jobBody("j", newValues.Status, { Priority: 1 })),
      json(200, jobBody("j", newValues.Status)),
      json(200, jobBody("j", "Completed", { EndedAt: "2024-01-01T01:00:00Z" }))
    ])
    return Effect.gen(function*() {
      const seen: Array<string> = []
      const job = yield* runWithClock(
        Waiter.waitForJob("j", { minDelay: "1 second", maxDelay: "2 seconds", onPoll: (j) => Effect.sync(() => seen.push(j.Status)) }),
        "1 second"
      )
      expect(job.Status).toBe("Completed")
      expect(seen).toEqual(["Pending", newValues.Status, newValues.Status, "Completed"])
      expect(http.sent).toHaveLength(4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("an unknown last status and an unknown error code are kept in WaitTimeout and JobFailed", () => {
    const a = setup([], json(200, jobBody("j", newValues.Status)))
    const b = setup([
      json(200, jobBody("j", "Failed", { Error: { Code: newValues.Code, Messages: ["m".repeat(250), "2", "3", "4", "5"] } }))
    ])
    return Effect.gen(function*() {
      const timedOut = yield* Effect.flip(
        runWithClock(Effect.provide(Waiter.waitForJob("j", { minDelay: "5 seconds", timeout: "30 seconds" }), a.layer), "1 second")
      )
      expect(timedOut._tag === "WaitTimeout" && timedOut.lastStatus).toBe(newValues.Status)
      const failed = yield* Effect.flip(Effect.provide(Waiter.waitForJob("j"), b.layer))
      expect(failed._tag).toBe("JobFailed")
      expect(failed._tag === "JobFailed" && failed.error).toEqual({ Code: newValues.Code, Messages: ["m".repeat(250), "2", "3", "4", "5"] })
    })
  })

  it.effect("pollDelay follows the official waiter's formula", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 100; i++) {
        expect(yield* Waiter.pollDelay(1, 60_000, 120_000)).toBe(60_000)
        const d2 = yield* Waiter.pollDelay(2, 60_000, 120_000)
        expect(d2).toBeGreaterThanOrEqual(60_000)
        expect(d2).toBeLessThanOrEqual(120_000)
        const d9 = yield* Waiter.pollDelay(9, 1_000, 5_000)
        expect(d9).toBeGreaterThanOrEqual(1_000)
        expect(d9).toBeLessThanOrEqual(5_000)
      }
    }))
})
