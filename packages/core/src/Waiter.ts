/**
 * `waitForJob`: polls GetJob until the job ends, with the cadence of the official
 * `JobCompleted` waiter (first poll at once, then a random delay in
 * `[minDelay, min(minDelay · 2^(n-1), maxDelay)]`, defaults 60 s and 120 s), and ends in a
 * typed outcome: Completed → success; Failed → `JobFailed` with the JobError;
 * Cancelled → `JobCancelled`; time limit → `WaitTimeout`. Any other status, one newer than this
 * library included, is not terminal: the wait goes on.
 *
 * Transient GetJob errors (throttling, 5xx, transport) are already retried by the client;
 * when they still surface, the waiter keeps polling. Other errors (access denied, not found,
 * invalid id) end the wait at once: polling again cannot fix them.
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
import { type GetJobError, isRetryable } from "./LocationJobsError.js"

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

/** The job did not end within the time limit; `lastStatus` is what GetJob said last. */
export class WaitTimeout extends Schema.TaggedError<WaitTimeout>()("WaitTimeout", {
  jobId: Schema.String,
  lastStatus: Schema.optional(OpenJobStatus),
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
export const pollDelay = (n: number, minMs: number, maxMs: number): Effect.Effect<number> => {
  const ceiling = Math.min(maxMs, minMs * 2 ** (n - 1))
  if (ceiling <= minMs) return Effect.succeed(Math.min(minMs, maxMs))
  return Effect.map(Random.nextRange(minMs, ceiling), Math.floor)
}

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
    const minMs = Duration.toMillis(options.minDelay ?? "60 seconds")
    const maxMs = Math.max(minMs, Duration.toMillis(options.maxDelay ?? "120 seconds"))
    const limitMs = Duration.toMillis(options.timeout ?? "30 minutes")
    const started = yield* Clock.currentTimeMillis
    let lastStatus: OpenJobStatus | undefined
    for (let n = 1;; n++) {
      span.attribute("geojobs.wait.polls", n)
      const polled = yield* Effect.either(getJob({ JobId: jobId }))
      if (polled._tag === "Right") {
        const job = polled.right
        lastStatus = job.Status
        span.attribute("aws.location.job_status", job.Status)
        if (options.onPoll) yield* options.onPoll(job)
        switch (job.Status) {
          case "Completed":
            return job
          case "Failed":
            return yield* new JobFailed({
              jobId,
              ...(job.Error === undefined ? {} : { error: job.Error }),
              message: `Job ${jobId} failed` +
                (job.Error ? `: ${job.Error.Code}${job.Error.Messages ? ` — ${job.Error.Messages.join("; ")}` : ""}` : "")
            })
          case "Cancelled":
            return yield* new JobCancelled({ jobId, message: `Job ${jobId} was cancelled` })
          default:
            // Pending, Running, Cancelling, or a status newer than this library: not terminal.
            break
        }
      } else if (!isRetryable(polled.left)) {
        return yield* polled.left
      }
      const now = yield* Clock.currentTimeMillis
      const waited = now - started
      const delay = yield* pollDelay(n, minMs, maxMs)
      if (waited + delay > limitMs) {
        // Sleep out the remainder so the timeout is honoured exactly, then give up.
        yield* Effect.sleep(Duration.millis(Math.max(0, limitMs - waited)))
        return yield* new WaitTimeout({
          jobId,
          ...(lastStatus === undefined ? {} : { lastStatus }),
          waitedMillis: limitMs,
          message: `Job ${jobId} did not finish within ${Duration.format(Duration.millis(limitMs))}` +
            (lastStatus ? ` (last status: ${lastStatus})` : "")
        })
      }
      yield* Effect.sleep(Duration.millis(delay))
    }
  })
