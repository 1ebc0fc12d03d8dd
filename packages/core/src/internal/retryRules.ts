/**
 * The decisions of AWS standard retry, shared by `Retry.ts` (Effect) and `microRetry.ts` (Micro):
 * the policy's defaults, the retry budget (a token bucket shared by a client's calls), whether a
 * failed attempt is retried and after what delay (full-jitter exponential backoff, a longer base
 * for throttling, a cap, the server's hint as a floor), and what a success gives back to the
 * budget. The runtimes only sleep and loop. No Effect.
 *
 * @internal
 */
import type { ErrorLike } from "./errorRules.js"
import { isRetryable, isThrottling } from "./errorRules.js"

/** The AWS SDKs' standard mode, in ms and tokens. */
export const defaults = {
  maxAttempts: 3,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 20_000,
  budgetCapacity: 500,
  retryCost: 5,
  timeoutRetryCost: 10,
  successIncrement: 1
} as const

/** The retry budget: a token bucket shared by all calls of one client. */
export interface RetryBudget {
  /** Tokens left now. */
  readonly available: () => number
  /** Takes `cost` tokens if there are that many; false means "do not retry". */
  readonly tryAcquire: (cost: number) => boolean
  /** Gives tokens back (on success), up to the capacity. */
  readonly release: (amount: number) => void
}

/** Makes a budget of `capacity` tokens. */
export const makeBudget = (capacity: number): RetryBudget => {
  let tokens = capacity
  return {
    available: () => tokens,
    tryAcquire: (cost) => {
      if (tokens < cost) return false
      tokens -= cost
      return true
    },
    release: (amount) => {
      tokens = Math.min(capacity, tokens + amount)
    }
  }
}

/** A resolved policy, in ms, with its budget. */
export interface Policy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly throttlingBaseDelayMs: number
  readonly maxDelayMs: number
  readonly retryCost: number
  readonly timeoutRetryCost: number
  readonly successIncrement: number
  readonly budget: RetryBudget
}

/** Settings in ms, each defaulting to the standard mode's. */
export type PolicySettings = { readonly [K in keyof typeof defaults]?: number | undefined }

/** Fills in the defaults and makes the budget (a `maxAttempts` below 1 counts as 1). */
export const makePolicy = (settings: PolicySettings = {}): Policy => ({
  maxAttempts: Math.max(1, Math.floor(settings.maxAttempts ?? defaults.maxAttempts)),
  baseDelayMs: settings.baseDelayMs ?? defaults.baseDelayMs,
  throttlingBaseDelayMs: settings.throttlingBaseDelayMs ?? defaults.throttlingBaseDelayMs,
  maxDelayMs: settings.maxDelayMs ?? defaults.maxDelayMs,
  retryCost: settings.retryCost ?? defaults.retryCost,
  timeoutRetryCost: settings.timeoutRetryCost ?? defaults.timeoutRetryCost,
  successIncrement: settings.successIncrement ?? defaults.successIncrement,
  budget: makeBudget(settings.budgetCapacity ?? defaults.budgetCapacity)
})

/** What the backoff reads of a policy (milliseconds). */
export interface BackoffPolicy {
  readonly baseDelayMs: number
  readonly throttlingBaseDelayMs: number
  readonly maxDelayMs: number
}

/**
 * The delay before retry number `retry` (1 = the first retry) for a uniform `u` in [0, 1):
 * `u · min(maxDelay, base · 2^(retry-1))` rounded down (the throttling base for throttling
 * errors), at least the server's hint, at most `maxDelay`.
 */
export const backoffMs = (
  policy: BackoffPolicy,
  error: ErrorLike,
  retry: number,
  retryAfterMs: number | undefined,
  u: number
): number => {
  const base = isThrottling(error) ? policy.throttlingBaseDelayMs : policy.baseDelayMs
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** (retry - 1))
  return Math.min(policy.maxDelayMs, Math.max(Math.floor(u * ceiling), retryAfterMs ?? 0))
}

/** Tokens a retry of `error` takes from the budget: `timeoutRetryCost` after a timeout, else `retryCost`. */
export const retryCostOf = (
  policy: { readonly retryCost: number; readonly timeoutRetryCost: number },
  error: ErrorLike
): number =>
  error._tag === "LocationJobsClientError" && error.reason === "Timeout" ? policy.timeoutRetryCost : policy.retryCost

/** What follows a failed attempt. */
export type Decision =
  /** Not retried: the error is not retryable, or no attempt is left. */
  | { readonly _tag: "Stop" }
  /** Retryable, but the budget refused the retry. */
  | { readonly _tag: "BudgetExhausted"; readonly reason: "throttling" | "transient" }
  /** Retried after `backoffMs`; `cost` tokens were taken from the budget. */
  | { readonly _tag: "Retry"; readonly reason: "throttling" | "transient"; readonly cost: number }

/**
 * The decision after attempt `n` failed with `error`. A retry takes its cost from the budget; its
 * delay is `backoffMs` (the jitter's random number is the runtime's to draw).
 */
export const decide = (policy: Policy, n: number, error: ErrorLike): Decision => {
  if (n >= policy.maxAttempts || !isRetryable(error)) return { _tag: "Stop" }
  const reason = isThrottling(error) ? "throttling" : "transient"
  const cost = retryCostOf(policy, error)
  if (!policy.budget.tryAcquire(cost)) return { _tag: "BudgetExhausted", reason }
  return { _tag: "Retry", reason, cost }
}

/** One call's account with the budget: the decisions on its failed attempts, and what its success gives back. */
export interface CallAccount {
  /** The decision after attempt `n` failed with `error` (see `decide`); a retry's cost is noted. */
  readonly failed: (n: number, error: ErrorLike) => Decision
  /** The call succeeded with `a`: what its retries took comes back to the budget, or `successIncrement` if none. Returns `a`. */
  readonly succeeded: <A>(a: A) => A
}

/** Opens a call's account with `policy`'s budget. */
export const openCall = (policy: Policy): CallAccount => {
  let spent = 0
  return {
    failed: (n, error) => {
      const decision = decide(policy, n, error)
      if (decision._tag === "Retry") spent += decision.cost
      return decision
    },
    succeeded: (a) => {
      policy.budget.release(spent > 0 ? spent : policy.successIncrement)
      return a
    }
  }
}
