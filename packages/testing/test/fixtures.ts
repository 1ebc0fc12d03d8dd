import { startJobRequest } from "@geojobs/core/TestFixtures"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"

/** A valid StartJob request. */
export const request = startJobRequest

/**
 * Runs `effect` in a fiber and moves the TestClock in `step`s until it ends (retry backoff and
 * latency sleep on the Clock). Bounded: fails the test after `maxSteps`.
 */
export const driveClock = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  step: Duration.DurationInput = "100 millis",
  maxSteps = 100_000
) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < maxSteps; i++) {
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") return yield* Fiber.join(fiber)
      yield* TestClock.adjust(step)
    }
    return yield* Effect.dieMessage(`not done after ${maxSteps} clock steps`)
  })
