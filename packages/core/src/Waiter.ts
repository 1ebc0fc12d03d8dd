/**
 * `waitForJob`: polls GetJob until the job ends, with the cadence of the official
 * `JobCompleted` waiter (first poll at once, then a random delay in
 * `[minDelay, min(minDelay · 2^(n-1), maxDelay)]`, defaults 60 s and 120 s), and ends in a
 * typed outcome: Completed → success; Failed → `JobFailed` with the JobError;
 * Cancelled → `JobCancelled`; time limit → `WaitTimeout`. Any other status, one newer than this
 * library included, is not terminal: the wait goes on.
 *
 * Errors, as the official SDK's `waitUntilJobCompleted` treats them: every error GetJob fails with
 * (after the client's own retries) keeps the wait polling until the time limit, a new job's
 * `ResourceNotFoundException` and `AccessDeniedException` included; `WaitTimeout` then carries the
 * last one (`lastError`). Only a request the client refuses before sending it (an invalid job id,
 * a `Configuration` error) ends the wait at once: every poll would be refused the same way.
 *
 * `JobFailed`, `JobCancelled` and `WaitTimeout` are the classes `MicroWaiter` ends with too
 * (`Micro.TaggedError`s, yieldable in `Effect` and `Micro`), so either waiter's are `instanceof` them.
 *
 * Traced as one span, `LocationJobs.waitForJob` (`aws.location.job_id`; at the end
 * `geojobs.wait.polls`, the last `aws.location.job_status`, and `geojobs.wait.outcome`:
 * `Completed`, `Failed`, `Cancelled`, `Timeout` or `Error`), with each poll's `LocationJobs.GetJob`
 * operation span under it.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import type * as Tracer from "effect/Tracer"
import type { GetJobResponse, OpenJobStatus } from "./Job.js"
import { getJob, type LocationJobs } from "./LocationJobs.js"
import { JobCancelled, JobFailed, type WaitError, WaitTimeout } from "./internal/waitErrors.js"
import * as rules from "./internal/waiterRules.js"
import type { GetJobError } from "./LocationJobsError.js"

// `JobFailed`, `JobCancelled`, `WaitTimeout` and `WaitError`: one set for both waiters.
export * from "./internal/waitErrors.js"

/** Cadence and limits of the wait. */
export interface WaitOptions {
  /** Shortest delay between polls. Default 60 s (the official waiter's). */
  readonly minDelay?: Duration.DurationInput
  /** Longest delay between polls. Default 120 s. */
  readonly maxDelay?: Duration.DurationInput
  /** Give up after this long. Default 30 minutes. */
  readonly timeout?: Duration.DurationInput
  /** Called with every GetJob answer (progress display, logging). */
  readonly onPoll?: ((job: GetJobResponse) => Effect.Effect<void>) | undefined
  /**
   * Completes when the job may have changed (e.g. the signal of a service running in the same
   * process): the next poll is made then, before its delay is over. The timeout is kept as is.
   *
   * @since 0.4.0
   */
  readonly wake?: Effect.Effect<void> | undefined
}

/** The delay before poll `n + 1` (n ≥ 1), as the official waiter computes it. */
export const pollDelay = (n: number, minMs: number, maxMs: number): Effect.Effect<number> =>
  Effect.map(Random.next, (u) => rules.pollDelayMs(n, minMs, maxMs, u))

const waitSpanOptions = { kind: "internal", captureStackTrace: false } as const

/** Polls the job until it ends; succeeds with the Completed job. */
export const waitForJob = (
  jobId: string,
  options: WaitOptions = {}
): Effect.Effect<GetJobResponse, WaitError, LocationJobs> =>
  Effect.useSpan("LocationJobs.waitForJob", waitSpanOptions, (span) => {
    span.attribute("aws.location.job_id", jobId)
    return Effect.withParentSpan(
      Effect.onExit(poll(jobId, options, span), (exit) =>
        Effect.sync(() =>
          span.attribute(
            "geojobs.wait.outcome",
            exit._tag === "Success"
              ? "Completed"
              : Cause.failureOption(exit.cause).pipe(Option.match({
                onNone: () => "Error",
                onSome: (e) =>
                  e._tag === "JobFailed"
                    ? "Failed"
                    : e._tag === "JobCancelled"
                    ? "Cancelled"
                    : e._tag === "WaitTimeout"
                    ? "Timeout"
                    : "Error"
              }))
          )
        )),
      span
    )
  })

const poll = (
  jobId: string,
  options: WaitOptions,
  span: Tracer.Span
): Effect.Effect<GetJobResponse, WaitError, LocationJobs> =>
  Effect.gen(function*() {
    const { maxMs, minMs } = rules.cadence(
      Duration.toMillis(options.minDelay ?? "60 seconds"),
      Duration.toMillis(options.maxDelay ?? "120 seconds")
    )
    const limitMs = Duration.toMillis(options.timeout ?? "30 minutes")
    const started = yield* Clock.currentTimeMillis
    let lastStatus: OpenJobStatus | undefined
    let lastError: GetJobError | undefined
    for (let n = 1;; n++) {
      span.attribute("geojobs.wait.polls", n)
      const polled = yield* Effect.either(getJob({ JobId: jobId }))
      if (polled._tag === "Right") {
        const job = polled.right
        lastStatus = job.Status
        lastError = undefined
        span.attribute("aws.location.job_status", job.Status)
        if (options.onPoll) yield* options.onPoll(job)
        switch (rules.judgeStatus(job.Status)) {
          case "Completed":
            return job
          // Failures go through `Effect.fail`: yielding a `Micro.TaggedError` itself would run it
          // on a Micro fiber of its own.
          case "Failed":
            return yield* Effect.fail(
              new JobFailed({
                jobId,
                ...(job.Error === undefined ? {} : { error: job.Error }),
                message: rules.failedMessage(jobId, job.Error)
              })
            )
          case "Cancelled":
            return yield* Effect.fail(new JobCancelled({ jobId, message: rules.cancelledMessage(jobId) }))
        }
      } else if (rules.judgeError(polled.left) === "End") {
        return yield* Effect.fail(polled.left)
      } else {
        lastError = polled.left
      }
      const waited = (yield* Clock.currentTimeMillis) - started
      const step = rules.next(yield* pollDelay(n, minMs, maxMs), waited, limitMs)
      const sleep = Effect.sleep(Duration.millis(step.ms))
      // woken early only for a poll: the last sleep before giving up runs to its end
      yield* options.wake === undefined || step._tag === "GiveUp" ? sleep : Effect.race(sleep, options.wake)
      if (step._tag === "GiveUp") {
        return yield* Effect.fail(
          new WaitTimeout({
            jobId,
            ...(lastStatus === undefined ? {} : { lastStatus }),
            ...(lastError === undefined ? {} : { lastError }),
            waitedMillis: limitMs,
            message: rules.timeoutMessage(jobId, Duration.format(Duration.millis(limitMs)), lastStatus, lastError)
          })
        )
      }
    }
  })
