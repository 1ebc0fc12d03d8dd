/**
 * The arithmetic of AWS standard retry, shared by `Retry.ts` (Effect) and `microRetry.ts`
 * (Micro): full-jitter exponential backoff with a cap and the server's hint as a floor, and what
 * a retry costs from the budget. No Effect.
 *
 * @internal
 */
import type { ErrorLike } from "./errorRules.js"
import { isThrottling } from "./errorRules.js"

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
