/**
 * Fault injection for `HttpDouble`: throttle or fail the next calls, drop connections, answer
 * garbage, add latency, or inject faults at random with a fixed seed; plus the log of every
 * HTTP exchange (faulted or not) for assertions.
 *
 * Scripted faults (`throttleNext`, `failNext`, …) queue up and are used first, one per call,
 * in order; random faults apply to calls no scripted fault took. A fault "before" the service
 * means the request never reached it (nothing happened); "after" means the service did the
 * work and the answer was lost or replaced (what makes idempotency matter).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"

/** The kinds of fault. */
export type FaultKind = "Throttle" | "ServerError" | "Drop" | "Malformed"

/** Random faults: each call draws once; probabilities add up to at most 1. */
export interface RandomFaults {
  /** Seed of the fault generator (same seed and same call order → same faults). */
  readonly seed: number
  /** Probability of a 429 ThrottlingException (never reaches the service). */
  readonly throttle?: number
  /** Probability of a 5xx InternalServerException. */
  readonly serverError?: number
  /** Probability of a dropped connection (transport error). */
  readonly drop?: number
  /** Probability of a 200 with a body that is not the operation's output. */
  readonly malformed?: number
  /**
   * Of the ServerError and Drop faults, the share that happen after the service did the work
   * (default 0: all before).
   */
  readonly afterProcessing?: number
  /** 5xx status used for ServerError (default 500). */
  readonly serverErrorStatus?: number
}

/** One HTTP exchange as the double saw it. */
export interface WireCall {
  readonly method: string
  /** Raw path as sent (percent-encoding kept). */
  readonly path: string
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>
  /** The body parsed as JSON, or its text when it is not JSON, or `undefined` when empty. */
  readonly body: unknown
  /** Status answered; `undefined` when the connection was dropped. */
  readonly status: number | undefined
  /** The fault injected into this call, if any. */
  readonly fault: FaultKind | undefined
  /** Whether the service processed the request. */
  readonly reachedService: boolean
  /** Clock time (epoch ms) when the exchange ended. */
  readonly at: number
}

/** The controls. `n` defaults to 1. */
export interface FaultsService {
  /** The next `n` calls get 429 ThrottlingException without reaching the service. */
  readonly throttleNext: (n?: number) => Effect.Effect<void>
  /** The next `n` calls get a 5xx (default 500) InternalServerException, before or after the service ran. */
  readonly failNext: (
    n?: number,
    options?: { readonly status?: number; readonly afterProcessing?: boolean }
  ) => Effect.Effect<void>
  /** The next `n` calls fail with a transport error (`RequestError`, reason `Transport`). */
  readonly dropNext: (n?: number, options?: { readonly afterProcessing?: boolean }) => Effect.Effect<void>
  /** The next `n` calls are processed, then answered 200 with a garbage body. */
  readonly malformedNext: (n?: number) => Effect.Effect<void>
  /** Delays every call by this long (with `Effect.sleep`, so `TestClock` drives it); `undefined` removes it. */
  readonly setLatency: (latency: Duration.DurationInput | undefined) => Effect.Effect<void>
  /** Injects faults at random (or stops, with `undefined`). */
  readonly setRandom: (random: RandomFaults | undefined) => Effect.Effect<void>
  /** Removes every scripted and random fault and the latency (keeps the log). */
  readonly reset: Effect.Effect<void>
  /** Every HTTP exchange, oldest first. */
  readonly calls: Effect.Effect<ReadonlyArray<WireCall>>
  /** Forgets the log. */
  readonly clearCalls: Effect.Effect<void>
}

/** The faults tag. */
export class Faults extends Context.Tag("@geojobs/testing/Faults")<Faults, FaultsService>() {}
