/**
 * The retry policy of AWS "standard" mode: a bounded number of attempts, full-jitter
 * exponential backoff (a longer base for throttling), a capped delay, the server's
 * `retry-after` hint honoured, and a retry budget (a token bucket shared by every call
 * of a client) so that a storm of failures cannot multiply the load on the service.
 *
 * Replaceable: pass `{ schedule }` to use your own `Schedule` instead (then the budget
 * and hints are yours to handle).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import type * as Schedule from "effect/Schedule"
import * as rules from "./internal/retryRules.js"
import type { LocationJobsError } from "./LocationJobsError.js"

/** Settings of the standard policy. Defaults follow the AWS SDKs' standard mode. */
export interface StandardRetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly maxAttempts?: number
  /** Backoff base for transient errors. Default 100 ms. */
  readonly baseDelay?: Duration.DurationInput
  /** Backoff base for throttling errors. Default 500 ms. */
  readonly throttlingBaseDelay?: Duration.DurationInput
  /** Upper bound of any single delay (hints included). Default 20 s. */
  readonly maxDelay?: Duration.DurationInput
  /** Budget capacity. Default 500 tokens. */
  readonly budgetCapacity?: number
  /** Tokens a retry costs. Default 5. */
  readonly retryCost?: number
  /** Tokens a retry after a timeout costs. Default 10. */
  readonly timeoutRetryCost?: number
  /** Tokens returned by a call that succeeds on its first attempt. Default 1. */
  readonly successIncrement?: number
}

/** How a client retries: the standard policy, a user's Schedule, or not at all. */
export type RetryOption =
  | StandardRetryOptions
  | { readonly schedule: Schedule.Schedule<unknown, LocationJobsError> }
  | false

/** The retry budget: a token bucket shared by all calls of one client. */
export type RetryBudget = rules.RetryBudget

/** Makes a budget of `capacity` tokens. */
export const makeBudget: (capacity: number) => RetryBudget = rules.makeBudget

/** The resolved standard policy (delays in ms) with its budget. */
export type StandardRetryPolicy = rules.Policy

/** Fills in the defaults and makes the budget (a `maxAttempts` below 1 counts as 1). */
export const standard = (options: StandardRetryOptions = {}): StandardRetryPolicy =>
  rules.makePolicy({
    maxAttempts: options.maxAttempts,
    baseDelayMs: options.baseDelay === undefined ? undefined : Duration.toMillis(options.baseDelay),
    throttlingBaseDelayMs: options.throttlingBaseDelay === undefined ? undefined : Duration.toMillis(options.throttlingBaseDelay),
    maxDelayMs: options.maxDelay === undefined ? undefined : Duration.toMillis(options.maxDelay),
    budgetCapacity: options.budgetCapacity,
    retryCost: options.retryCost,
    timeoutRetryCost: options.timeoutRetryCost,
    successIncrement: options.successIncrement
  })

/**
 * The delay before retry number `retry` (1 = the first retry): uniform in
 * `[0, min(maxDelay, base · 2^(retry-1))]`, at least the server's hint, at most `maxDelay`.
 */
export const delayFor = (
  policy: StandardRetryPolicy,
  error: LocationJobsError,
  retry: number,
  retryAfterMs: number | undefined
): Effect.Effect<number> =>
  Effect.map(Random.next, (u) => rules.backoffMs(policy, error, retry, retryAfterMs, u))

/** An attempt's failure with the server's retry hint, as the client's send step reports it. */
export interface AttemptFailure<E extends LocationJobsError> {
  readonly error: E
  readonly retryAfterMs: number | undefined
}

/**
 * A retry decision of the standard policy, as `runStandard` reports it to its observer:
 * `Retry` (attempt `attempt` failed; the next comes after `delayMs`) or `BudgetExhausted`
 * (attempt `attempt` failed with a retryable error, but the budget refused the retry).
 */
export type RetryDecision<E extends LocationJobsError> =
  | {
    readonly _tag: "Retry"
    readonly attempt: number
    readonly error: E
    /** Why: `throttling` (the longer backoff) or `transient`. */
    readonly reason: "throttling" | "transient"
    readonly delayMs: number
    /** The server's hint, when it gave one. */
    readonly retryAfterMs: number | undefined
  }
  | {
    readonly _tag: "BudgetExhausted"
    readonly attempt: number
    readonly error: E
    readonly reason: "throttling" | "transient"
  }

/**
 * Runs `attempt(n)` (n = 1, 2, …) under the standard policy. Retries only retryable errors,
 * while attempts remain and the budget allows; a call that succeeds first time refills the
 * budget a little, one that succeeds after retries gives back what its retries took.
 * `observe`, when given, sees every retry decision before the delay (tracing, logs).
 */
export const runStandard = <A, E extends LocationJobsError, R>(
  policy: StandardRetryPolicy,
  attempt: (n: number) => Effect.Effect<A, AttemptFailure<E>, R>,
  observe?: ((decision: RetryDecision<E>) => Effect.Effect<void>) | undefined
): Effect.Effect<A, E, R> => {
  const loop = (call: rules.CallAccount, n: number): Effect.Effect<A, E, R> =>
    Effect.matchEffect(attempt(n), {
      onSuccess: (a) => Effect.succeed(call.succeeded(a)),
      onFailure: ({ error, retryAfterMs }) => {
        const decision = call.failed(n, error)
        if (decision._tag === "Stop") return Effect.fail(error)
        const { reason } = decision
        if (decision._tag === "BudgetExhausted") {
          return observe === undefined
            ? Effect.fail(error)
            : Effect.zipRight(observe({ _tag: "BudgetExhausted", attempt: n, error, reason }), Effect.fail(error))
        }
        return Effect.flatMap(delayFor(policy, error, n, retryAfterMs), (ms) => {
          const next = Effect.zipRight(Effect.sleep(Duration.millis(ms)), loop(call, n + 1))
          return observe === undefined
            ? next
            : Effect.zipRight(observe({ _tag: "Retry", attempt: n, error, reason, delayMs: ms, retryAfterMs }), next)
        })
      }
    })
  return Effect.suspend(() => loop(rules.openCall(policy), 1))
}

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/** Longest delay `setTimeout` takes; longer limits never fire (as with the live `Clock`). */
const maxTimerMillis = 2 ** 31 - 1

/**
 * Fails with `onTimeout()` when `self` has not finished within `duration`, interrupting it (and
 * waiting for the interruption), as `Effect.timeoutFail` does. With the live `Clock` it costs one
 * child fiber and one timer (`Effect.timeoutFail` races two fibers: ~3× the CPU per call); under
 * another `Clock` (a `TestClock`) it is `Effect.timeoutFail` itself.
 */
export const timeoutFail = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) => {
    if (clock !== liveClock) return Effect.timeoutFail(self, { duration, onTimeout })
    const millis = Duration.toMillis(duration)
    if (!(millis <= maxTimerMillis)) return self
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(self)), (child) =>
        Effect.async<A, E | E2>((resume) => {
          let settled = false
          const timer = setTimeout(() => {
            if (settled) return
            settled = true
            child.removeObserver(observer)
            resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
          }, millis)
          const observer = (exit: import("effect/Exit").Exit<A, E>) => {
            if (settled) return
            settled = true
            clearTimeout(timer)
            resume(exit)
          }
          child.addObserver(observer)
          return Effect.suspend(() => {
            if (!settled) {
              settled = true
              clearTimeout(timer)
              child.removeObserver(observer)
            }
            return Fiber.interrupt(child)
          })
        })
      )
    )
  })
