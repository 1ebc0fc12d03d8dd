import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Retry from "../src/Retry.js"

const timeout = () => "timed out" as const

describe("Retry.timeoutFail", () => {
  it.live("live clock: an effect that finishes in time gives its value", () =>
    Effect.gen(function*() {
      const out = yield* Retry.timeoutFail(Effect.as(Effect.sleep("5 millis"), 42), Duration.seconds(5), timeout)
      expect(out).toBe(42)
    }))

  it.live("live clock: a failure passes through unchanged", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(Retry.timeoutFail(Effect.fail("boom"), Duration.seconds(5), timeout))
      expect(e).toBe("boom")
    }))

  it.live("live clock: too slow → fails with onTimeout, after the effect was interrupted", () =>
    Effect.gen(function*() {
      let interrupted = false
      const slow = Effect.onInterrupt(Effect.never, () => Effect.sync(() => (interrupted = true)))
      const e = yield* Effect.flip(Retry.timeoutFail(slow, Duration.millis(30), timeout))
      expect(e).toBe("timed out")
      expect(interrupted).toBe(true)
    }))

  it.live("live clock: interrupting the caller interrupts the effect", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      let interrupted = false
      const slow = Effect.zipRight(
        Deferred.succeed(started, undefined),
        Effect.onInterrupt(Effect.never, () => Effect.sync(() => (interrupted = true)))
      )
      const fiber = yield* Effect.fork(Retry.timeoutFail(slow, Duration.seconds(30), timeout))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(interrupted).toBe(true)
    }))

  it.live("live clock: an infinite duration never times out", () =>
    Effect.gen(function*() {
      const out = yield* Retry.timeoutFail(Effect.as(Effect.sleep("5 millis"), "ok"), Duration.infinity, timeout)
      expect(out).toBe("ok")
    }))

  it.effect("TestClock: follows the test clock (Effect.timeoutFail)", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Retry.timeoutFail(Effect.never, Duration.seconds(2), timeout))
      yield* TestClock.adjust("1 second")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(fiber)
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" && exit.cause.error).toBe("timed out")
    }))
})
