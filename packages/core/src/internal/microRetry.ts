/**
 * AWS standard retry for `MicroLocationJobs`, the policy of `Retry.ts` in `Micro`: bounded
 * attempts, full-jitter exponential backoff (a longer base for throttling), a cap, the server's
 * hint honoured, and a retry budget shared by every call of one client.
 *
 * @internal
 */
import * as Micro from "effect/Micro"
import { backoffMs, retryCostOf } from "./backoff.js"
import { isRetryable, isThrottling, type LocationJobsError } from "../MicroLocationJobsError.js"

/** Settings of the standard policy (milliseconds, as `Micro` counts time). Defaults: the AWS SDKs'. */
export interface StandardRetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly maxAttempts?: number | undefined
  /** Backoff base for transient errors. Default 100 ms. */
  readonly baseDelayMs?: number | undefined
  /** Backoff base for throttling errors. Default 500 ms. */
  readonly throttlingBaseDelayMs?: number | undefined
  /** Upper bound of any single delay (hints included). Default 20,000 ms. */
  readonly maxDelayMs?: number | undefined
  /** Budget capacity. Default 500 tokens. */
  readonly budgetCapacity?: number | undefined
  /** Tokens a retry costs. Default 5. */
  readonly retryCost?: number | undefined
  /** Tokens a retry after a timeout costs. Default 10. */
  readonly timeoutRetryCost?: number | undefined
  /** Tokens returned by a call that succeeds on its first attempt. Default 1. */
  readonly successIncrement?: number | undefined
}

/** A retry about to happen, as the client reports it to `onRetry`. */
export interface RetryEvent {
  readonly operation: string
  /** The attempt that failed (1 for the first). */
  readonly attempt: number
  readonly error: LocationJobsError
  /** `throttling` (the longer backoff) or `transient`. */
  readonly reason: "throttling" | "transient"
  readonly delayMs: number
  /** The server's hint, when it gave one. */
  readonly retryAfterMs: number | undefined
}

/** The resolved policy with its budget (tokens left, shared by the client's calls). */
export interface Policy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly throttlingBaseDelayMs: number
  readonly maxDelayMs: number
  readonly capacity: number
  readonly retryCost: number
  readonly timeoutRetryCost: number
  readonly successIncrement: number
  tokens: number
}

/** Fills in the defaults (a `maxAttempts` below 1 counts as 1). */
export const standard = (options: StandardRetryOptions = {}): Policy => ({
  maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 3)),
  baseDelayMs: options.baseDelayMs ?? 100,
  throttlingBaseDelayMs: options.throttlingBaseDelayMs ?? 500,
  maxDelayMs: options.maxDelayMs ?? 20_000,
  capacity: options.budgetCapacity ?? 500,
  retryCost: options.retryCost ?? 5,
  timeoutRetryCost: options.timeoutRetryCost ?? 10,
  successIncrement: options.successIncrement ?? 1,
  tokens: options.budgetCapacity ?? 500
})

/** An attempt's failure with the server's retry hint. */
export interface AttemptFailure<E> {
  readonly error: E
  readonly retryAfterMs: number | undefined
}

/**
 * Runs `attempt(n)` (n = 1, 2, …) under the policy: only retryable errors, while attempts remain
 * and the budget allows; success refills the budget (what the retries took, or `successIncrement`).
 */
export const run = <A, E extends LocationJobsError>(
  operation: string,
  policy: Policy,
  attempt: (n: number) => Micro.Micro<A, AttemptFailure<E>>,
  random: () => number,
  onRetry: ((event: RetryEvent) => void) | undefined
): Micro.Micro<A, E> => {
  const loop = (n: number, spent: number): Micro.Micro<A, E> =>
    Micro.matchEffect(attempt(n), {
      onSuccess: (a) => {
        policy.tokens = Math.min(policy.capacity, policy.tokens + (spent > 0 ? spent : policy.successIncrement))
        return Micro.succeed(a)
      },
      onFailure: ({ error, retryAfterMs }) => {
        if (n >= policy.maxAttempts || !isRetryable(error)) return Micro.fail(error)
        const cost = retryCostOf(policy, error)
        if (policy.tokens < cost) return Micro.fail(error)
        policy.tokens -= cost
        const delayMs = backoffMs(policy, error, n, retryAfterMs, random())
        onRetry?.({
          operation,
          attempt: n,
          error,
          reason: isThrottling(error) ? "throttling" : "transient",
          delayMs,
          retryAfterMs
        })
        return Micro.flatMap(Micro.sleep(delayMs), () => loop(n + 1, spent + cost))
      }
    })
  return Micro.suspend(() => loop(1, 0))
}
