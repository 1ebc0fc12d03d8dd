/**
 * The decisions of the `JobCompleted` waiter, shared by `Waiter.ts` (Effect) and `MicroWaiter.ts`
 * (Micro): what a GetJob answer or error means, how long to wait before the next poll, and the
 * words of each outcome. No Effect.
 *
 * As the official SDK's `waitUntilJobCompleted`: `Completed` succeeds; `Failed` and `Cancelled`
 * fail; any other status (one newer than this library included) polls again; and every error
 * GetJob fails with polls again too (the SDK's acceptor catches them all), until the time limit.
 * One exception: a request this client refuses before sending it (an invalid job id, no Region)
 * would be refused the same way on every poll, so it ends the wait at once.
 *
 * @internal
 */
import type { ErrorLike } from "./errorRules.js"

/** What one poll means for the wait. */
export type Verdict = "Completed" | "Failed" | "Cancelled" | "Retry" | "End"

/** The verdict on a GetJob answer's status. */
export const judgeStatus = (status: string): Verdict =>
  status === "Completed" || status === "Failed" || status === "Cancelled" ? status : "Retry"

/** The verdict on a GetJob failure: `End` only for a request that was never sent and never could be. */
export const judgeError = (error: ErrorLike & { readonly clientSide?: boolean | undefined }): "Retry" | "End" =>
  (error._tag === "ValidationException" && error.clientSide === true) ||
    (error._tag === "LocationJobsClientError" && error.reason === "Configuration")
    ? "End"
    : "Retry"

/**
 * The delay before poll `n + 1` (n ≥ 1) for a uniform `u` in [0, 1), as the official waiter
 * computes it: `minMs` first, then uniform in `[minMs, min(minMs · 2^(n-1), maxMs)]`.
 */
export const pollDelayMs = (n: number, minMs: number, maxMs: number, u: number): number => {
  const ceiling = Math.min(maxMs, minMs * 2 ** (n - 1))
  return ceiling <= minMs ? Math.min(minMs, maxMs) : Math.floor(minMs + (ceiling - minMs) * u)
}

/** The settings in ms: `maxMs` at least `minMs`. */
export const cadence = (minMs: number, maxMs: number): { readonly minMs: number; readonly maxMs: number } => ({
  minMs,
  maxMs: Math.max(minMs, maxMs)
})

/**
 * What follows a poll that did not end the wait: the next poll after `delayMs`, or, when that would
 * pass the limit, sleeping out what is left of it (so the limit is honoured exactly) and giving up.
 */
export const next = (
  delayMs: number,
  waitedMs: number,
  limitMs: number
): { readonly _tag: "Poll"; readonly ms: number } | { readonly _tag: "GiveUp"; readonly ms: number } =>
  waitedMs + delayMs > limitMs ? { _tag: "GiveUp", ms: Math.max(0, limitMs - waitedMs) } : { _tag: "Poll", ms: delayMs }

/** The message of `JobFailed`. */
export const failedMessage = (
  jobId: string,
  error: { readonly Code: string; readonly Messages?: ReadonlyArray<string> | undefined } | undefined
): string =>
  `Job ${jobId} failed` + (error ? `: ${error.Code}${error.Messages ? ` — ${error.Messages.join("; ")}` : ""}` : "")

/** The message of `JobCancelled`. */
export const cancelledMessage = (jobId: string): string => `Job ${jobId} was cancelled`

/** The message of `WaitTimeout`: the limit, and the last status and the last error polls met. */
export const timeoutMessage = (
  jobId: string,
  limit: string,
  lastStatus: string | undefined,
  lastError: { readonly _tag: string; readonly message: string } | undefined
): string => {
  const last = [
    ...(lastStatus ? [`last status: ${lastStatus}`] : []),
    ...(lastError ? [`last error: ${lastError._tag}: ${lastError.message}`] : [])
  ]
  return `Job ${jobId} did not finish within ${limit}` + (last.length > 0 ? ` (${last.join("; ")})` : "")
}
