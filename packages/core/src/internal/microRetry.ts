/**
 * AWS standard retry for `MicroLocationJobs`: the loop in `Micro`; every decision (attempts,
 * retryable errors, backoff, budget, defaults) is `retryRules`', shared with `Retry.ts`.
 *
 * @internal
 */
import * as Micro from "effect/Micro"
import type { LocationJobsError } from "../MicroLocationJobsError.js"
import * as rules from "./retryRules.js"

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

/** The resolved policy with its budget (shared by the client's calls). */
export type Policy = rules.Policy

/** Fills in the defaults (a `maxAttempts` below 1 counts as 1). */
export const standard = (options: StandardRetryOptions = {}): Policy => rules.makePolicy(options)

/** An attempt's failure with the server's retry hint. */
export interface AttemptFailure<E> {
  readonly error: E
  readonly retryAfterMs: number | undefined
}

/**
 * Runs `attempt(n)` (n = 1, 2, …) under the policy, as `retryRules` decides: only retryable errors,
 * while attempts remain and the budget allows; success refills the budget.
 */
export const run = <A, E extends LocationJobsError>(
  operation: string,
  policy: Policy,
  attempt: (n: number) => Micro.Micro<A, AttemptFailure<E>>,
  random: () => number,
  onRetry: ((event: RetryEvent) => void) | undefined
): Micro.Micro<A, E> => {
  const loop = (call: rules.CallAccount, n: number): Micro.Micro<A, E> =>
    Micro.matchEffect(attempt(n), {
      onSuccess: (a) => Micro.succeed(call.succeeded(a)),
      onFailure: ({ error, retryAfterMs }) => {
        const decision = call.failed(n, error)
        if (decision._tag !== "Retry") return Micro.fail(error)
        const delayMs = rules.backoffMs(policy, error, n, retryAfterMs, random())
        onRetry?.({ operation, attempt: n, error, reason: decision.reason, delayMs, retryAfterMs })
        return Micro.flatMap(Micro.sleep(delayMs), () => loop(call, n + 1))
      }
    })
  return Micro.suspend(() => loop(rules.openCall(policy), 1))
}
