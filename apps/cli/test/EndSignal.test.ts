/**
 * `endSignal`: the embedded service's word that a job ended wakes the wait, whether the wait is
 * listening then or not (told during a poll: the next wake is immediate).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { endSignal } from "../src/commands/Wait.js"

describe("endSignal", () => {
  it.effect("wakes a listening wait, and one that comes after the word", () =>
    Effect.gen(function*() {
      const signal = endSignal()
      const listening = yield* Effect.fork(signal.wake)
      yield* Effect.yieldNow()
      expect(listening.unsafePoll()).toBeNull()
      signal.tell()
      yield* Fiber.join(listening)
      // told while nobody listened (during a poll): the next wake does not wait
      signal.tell()
      yield* signal.wake
      // once used, the word is spent: a wake waits again
      const next = yield* Effect.fork(signal.wake)
      yield* Effect.yieldNow()
      expect(next.unsafePoll()).toBeNull()
      yield* Fiber.interrupt(next)
      // an interrupted wait leaves nothing behind: the word goes to the next one
      signal.tell()
      yield* signal.wake
    }))
})
