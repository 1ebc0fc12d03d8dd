/**
 * `geojobs wait job-completed --job-id <id>`: as `aws location wait job-completed` (its outcomes
 * and messages: `JobWaiter`), with exit codes by outcome (0 Completed, 3 Failed, 4 Cancelled,
 * 5 gave up), `--timeout`, `--delay`, and a live status line on a terminal. `waitWithProgress`
 * is the SDK-style wait `validate` uses.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { GetJobResponse } from "@geojobs/core/Job"
import * as Waiter from "@geojobs/core/Waiter"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { OperationError } from "../CliError.js"
import * as Duration from "../Duration.js"
import * as Globals from "../Globals.js"
import * as JobWaiter from "../JobWaiter.js"
import { Io } from "../Io.js"
import * as Run from "../Run.js"
import { Session } from "../Session.js"
import * as StatusLine from "../StatusLine.js"
import { jobIdOptions, jobIdRequest } from "./GetJob.js"

/** Poll cadence: the official waiter's on AWS (60-120 s), brisk on local and custom endpoints. */
export const cadence = (onAws: boolean, delayMs: number | undefined) =>
  delayMs !== undefined
    ? { minDelay: delayMs, maxDelay: delayMs }
    : onAws
    ? { minDelay: 60_000, maxDelay: 120_000 }
    : { minDelay: 250, maxDelay: 2_000 }

/**
 * A signal that a job may have ended, for `waitWithProgress`'s `wake`: `tell` is handed to the
 * service running in this process (`RunnerOptions.onJobEnd`), `wake` completes on the next
 * telling, or at once for one made while no wait was listening (during a poll), so an end is
 * never missed.
 */
export const endSignal = (): { readonly tell: () => void; readonly wake: Effect.Effect<void> } => {
  let told = false
  let listener: (() => void) | undefined
  return {
    tell: () => {
      told = true
      listener?.()
    },
    wake: Effect.async<void>((resume) => {
      if (told) {
        told = false
        return resume(Effect.void)
      }
      listener = () => {
        told = false
        listener = undefined
        resume(Effect.void)
      }
      return Effect.sync(() => {
        listener = undefined
      })
    })
  }
}

/**
 * Waits for a job with a status line; fails with JobFailed / JobCancelled / WaitTimeout (as
 * they are) or an OperationError for GetJob failures.
 */
export const waitWithProgress = (
  jobId: string,
  options: {
    readonly timeoutMs: number
    readonly delayMs: number | undefined
    readonly label?: string
    /** Extra progress text for a poll (e.g. rows processed), when known. */
    readonly detail?: ((job: GetJobResponse) => Effect.Effect<string | undefined>) | undefined
    /** Told each poll's job instead of the status line (for a caller that shows progress itself). */
    readonly onPoll?: ((job: GetJobResponse) => Effect.Effect<void>) | undefined
    /** Completes when the job may have changed: polls again at once (`Waiter.WaitOptions.wake`). */
    readonly wake?: Effect.Effect<void> | undefined
  }
) =>
  Effect.gen(function*() {
    const io = yield* Io
    const session = yield* Session
    const line = StatusLine.make(io)
    const started = Date.now()
    const label = options.label ?? `job ${jobId}`
    const onPoll = options.onPoll ?? ((job: GetJobResponse) =>
      Effect.flatMap(options.detail?.(job) ?? Effect.succeed(undefined), (detail) =>
        Effect.sync(() =>
          line.update(
            `${label}: ${job.Status}${detail !== undefined ? `, ${detail}` : ""} (${StatusLine.elapsed(Date.now() - started)})`,
            job.Status
          )
        )))
    return yield* Waiter.waitForJob(jobId, {
      ...cadence(session.target._tag === "Aws", options.delayMs),
      timeout: options.timeoutMs,
      onPoll,
      wake: options.wake
    }).pipe(
      Effect.ensuring(Effect.sync(() => line.done())),
      Effect.mapError((e) =>
        e._tag === "JobFailed" || e._tag === "JobCancelled" || e._tag === "WaitTimeout"
          ? e
          : new OperationError({ operation: "GetJob", error: e })
      )
    )
  })

const jobCompleted = Command.make(
  "job-completed",
  {
    ...jobIdOptions,
    timeout: Options.text("timeout").pipe(
      Options.withDescription(
        "Give up after this long (90, 90s, 15m, 1h): exit code 5. Default: the AWS CLI's 5 polls on AWS, 30m elsewhere."
      ),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    delay: Options.text("delay").pipe(
      Options.withDescription("Fixed time between polls (default: 60 s on AWS, as the AWS CLI; 0.25-2 s elsewhere)."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const request = yield* jobIdRequest(globals, "GetJob", config)
        if (request === undefined) return
        const timeoutMs = config.timeout === undefined
          ? undefined
          : yield* Either.match(Duration.parse("--timeout", config.timeout), { onLeft: Effect.fail, onRight: Effect.succeed })
        const delayMs = config.delay === undefined
          ? undefined
          : yield* Either.match(Duration.parse("--delay", config.delay), { onLeft: Effect.fail, onRight: Effect.succeed })
        const io = yield* Io
        yield* Run.withSession(
          globals,
          Effect.gen(function*() {
            const session = yield* Session
            const onAws = session.target._tag === "Aws"
            // The AWS CLI's waiter on AWS: every 60 s, 5 polls; brisk elsewhere (emulators), 30 minutes.
            const cadence: JobWaiter.Cadence = {
              minDelayMs: delayMs ?? (onAws ? 60_000 : 250),
              maxDelayMs: delayMs ?? (onAws ? 60_000 : 2_000),
              maxAttempts: timeoutMs === undefined && onAws ? 5 : undefined,
              timeoutMs: timeoutMs ?? (onAws ? undefined : 30 * 60_000)
            }
            // As the AWS CLI, nothing is printed while waiting, except a live status line on a terminal.
            const line = io.stderrIsTty ? StatusLine.make(io) : undefined
            const started = Date.now()
            const job = yield* JobWaiter.jobCompleted(request.JobId, cadence, (job) =>
              Effect.sync(() =>
                line?.update(`job ${request.JobId}: ${job.Status} (${StatusLine.elapsed(Date.now() - started)})`, job.Status)
              )).pipe(Effect.ensuring(Effect.sync(() => line?.done())))
            if (line !== undefined) io.stderr(`geojobs: job ${job.JobId} Completed\n`)
          })
        )
      }))
).pipe(
  Command.withDescription(
    "Waits until a job is Completed (exit 0), as the AWS CLI's waiter; Failed (3), Cancelled (4), gave up (5), a service error (255)."
  )
)

/** `wait` (with its one waiter, as in the AWS CLI). */
export const command = Command.make("wait").pipe(
  Command.withDescription("Waits for a condition (as aws location wait)."),
  Command.withSubcommands([jobCompleted])
)
