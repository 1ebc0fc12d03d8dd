/**
 * `waitForJob` for `MicroLocationJobs`, as `Waiter.waitForJob` does it: polls GetJob with the
 * official `JobCompleted` waiter's cadence (first poll at once, then a random delay in
 * `[minDelay, min(minDelay · 2^(n-1), maxDelay)]`, defaults 60 s and 120 s) and ends in a typed
 * outcome: Completed → the job; Failed → `JobFailed` with the JobError; Cancelled →
 * `JobCancelled`; the time limit → `WaitTimeout`. Any other status, one newer than this library
 * included, is not terminal. Errors as the official SDK's waiter treats them: every GetJob error
 * keeps the wait polling until the limit (`WaitTimeout.lastError` keeps the last), except a request
 * the client refuses before sending it (an invalid id, a `Configuration` error), which ends it at
 * once. The rules are `Waiter.waitForJob`'s, shared, and so are the classes it ends with (a
 * `JobFailed` from either waiter is `instanceof` either module's). Its own module, so a bundle that
 * does not wait carries none of it.
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"
import type * as Job from "./Job.js"
import { formatMillis } from "./internal/microTime.js"
import { JobCancelled, JobFailed, type WaitError, WaitTimeout } from "./internal/waitErrors.js"
import * as rules from "./internal/waiterRules.js"
import type { MicroLocationJobs } from "./MicroLocationJobs.js"
import type { GetJobError } from "./MicroLocationJobsError.js"

// `JobFailed`, `JobCancelled`, `WaitTimeout` and `WaitError`: one set for both waiters.
export * from "./internal/waitErrors.js"

/** Cadence and limits of `waitForJob`, in ms (defaults: the official waiter's 60 s and 120 s; 30 minutes). */
export interface WaitOptions {
  /** Shortest delay between polls. Default 60,000. */
  readonly minDelayMs?: number | undefined
  /** Longest delay between polls. Default 120,000. */
  readonly maxDelayMs?: number | undefined
  /** Give up after this long. Default 1,800,000. */
  readonly timeoutMs?: number | undefined
  /** Called with every GetJob answer (progress display, logging). */
  readonly onPoll?: ((job: Job.GetJobResponse) => void) | undefined
  /** Uniform [0, 1) numbers for the delays. Default `Math.random`. */
  readonly random?: (() => number) | undefined
}

/** The delay before poll `n + 1` (n ≥ 1), as the official waiter (and `Waiter.pollDelay`) computes it. */
export const pollDelay: (n: number, minMs: number, maxMs: number, u: number) => number = rules.pollDelayMs

/**
 * Polls GetJob until the job ends, as `Waiter.waitForJob` does: first poll at once, then the
 * official waiter's cadence; Completed → the job; Failed → `JobFailed`; Cancelled → `JobCancelled`;
 * the time limit → `WaitTimeout`. GetJob errors keep the wait going, as in the SDK's waiter, unless
 * the request could never be sent.
 */
export const waitForJob = (
  client: MicroLocationJobs,
  jobId: string,
  options: WaitOptions = {}
): Micro.Micro<Job.GetJobResponse, WaitError> =>
  Micro.suspend(() => {
    const { maxMs, minMs } = rules.cadence(options.minDelayMs ?? 60_000, options.maxDelayMs ?? 120_000)
    const limitMs = options.timeoutMs ?? 1_800_000
    const random = options.random ?? Math.random
    const started = Date.now()
    let lastStatus: Job.OpenJobStatus | undefined
    let lastError: GetJobError | undefined
    const loop = (n: number): Micro.Micro<Job.GetJobResponse, WaitError> =>
      Micro.flatMap(Micro.either(client.getJob({ JobId: jobId })), (polled): Micro.Micro<Job.GetJobResponse, WaitError> => {
        if (polled._tag === "Right") {
          const job = polled.right
          lastStatus = job.Status
          lastError = undefined
          options.onPoll?.(job)
          switch (rules.judgeStatus(job.Status)) {
            case "Completed":
              return Micro.succeed(job)
            case "Failed":
              return Micro.fail(
                new JobFailed({
                  jobId,
                  ...(job.Error === undefined ? {} : { error: job.Error }),
                  message: rules.failedMessage(jobId, job.Error)
                })
              )
            case "Cancelled":
              return Micro.fail(new JobCancelled({ jobId, message: rules.cancelledMessage(jobId) }))
          }
        } else if (rules.judgeError(polled.left) === "End") {
          return Micro.fail(polled.left)
        } else {
          lastError = polled.left
        }
        const step = rules.next(rules.pollDelayMs(n, minMs, maxMs, random()), Date.now() - started, limitMs)
        return Micro.flatMap(Micro.sleep(step.ms), () =>
          step._tag === "Poll" ? loop(n + 1) : Micro.fail(
            new WaitTimeout({
              jobId,
              ...(lastStatus === undefined ? {} : { lastStatus }),
              ...(lastError === undefined ? {} : { lastError }),
              waitedMillis: limitMs,
              message: rules.timeoutMessage(jobId, formatMillis(limitMs), lastStatus, lastError)
            })
          ))
      })
    return loop(1)
  })
