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
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import { type GetJobResponse, OpenJobStatus, ReportedJobError } from "./Job.js"
import { getJob, type LocationJobs } from "./LocationJobs.js"
import * as rules from "./internal/waiterRules.js"
import type { GetJobError } from "./LocationJobsError.js"

/** The job ended Failed; `error` is its JobError (as the service reported it) when it gave one. */
export class JobFailed extends Schema.TaggedError<JobFailed>()("JobFailed", {
  jobId: Schema.String,
  error: Schema.optional(ReportedJobError),
  message: Schema.String
}) {}

/** The job ended Cancelled. */
export class JobCancelled extends Schema.TaggedError<JobCancelled>()("JobCancelled", {
  jobId: Schema.String,
  message: Schema.String
}) {}

/**
 * The job did not end within the time limit; `lastStatus` is what GetJob said last, `lastError`
 * (since 0.3.0) the error of the last poll when it failed.
 */
export class WaitTimeout extends Schema.TaggedError<WaitTimeout>()("WaitTimeout", {
  jobId: Schema.String,
  lastStatus: Schema.optional(OpenJobStatus),
  lastError: Schema.optional(Schema.Unknown as Schema.Schema<GetJobError>),
  waitedMillis: Schema.Number,
  message: Schema.String
}) {}

/** Every way `waitForJob` can end other than Completed. */
export type WaitError = JobFailed | JobCancelled | WaitTimeout | GetJobError

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
          case "Failed":
            return yield* new JobFailed({
              jobId,
              ...(job.Error === undefined ? {} : { error: job.Error }),
              message: rules.failedMessage(jobId, job.Error)
            })
          case "Cancelled":
            return yield* new JobCancelled({ jobId, message: rules.cancelledMessage(jobId) })
        }
      } else if (rules.judgeError(polled.left) === "End") {
        return yield* polled.left
      } else {
        lastError = polled.left
      }
      const waited = (yield* Clock.currentTimeMillis) - started
      const step = rules.next(yield* pollDelay(n, minMs, maxMs), waited, limitMs)
      yield* Effect.sleep(Duration.millis(step.ms))
      if (step._tag === "GiveUp") {
        return yield* new WaitTimeout({
          jobId,
          ...(lastStatus === undefined ? {} : { lastStatus }),
          ...(lastError === undefined ? {} : { lastError }),
          waitedMillis: limitMs,
          message: rules.timeoutMessage(jobId, Duration.format(Duration.millis(limitMs)), lastStatus, lastError)
        })
      }
    }
  })
