/**
 * `geojobs wait job-completed --job-id <id>`: as `aws location wait job-completed`, with typed
 * outcomes and exit codes (0 Completed, 3 Failed, 4 Cancelled, 5 timeout), `--timeout`, and a
 * live status line on a terminal.
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
import { Io } from "../Io.js"
import * as Run from "../Run.js"
import { Session } from "../Session.js"
import * as StatusLine from "../StatusLine.js"
import { cliInputJsonOption, jobIdFrom, jobIdOption } from "./GetJob.js"

/** Poll cadence: the official waiter's on AWS (60-120 s), brisk on local and custom endpoints. */
export const cadence = (onAws: boolean, delayMs: number | undefined) =>
  delayMs !== undefined
    ? { minDelay: delayMs, maxDelay: delayMs }
    : onAws
    ? { minDelay: 60_000, maxDelay: 120_000 }
    : { minDelay: 250, maxDelay: 2_000 }

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
  }
) =>
  Effect.gen(function*() {
    const io = yield* Io
    const session = yield* Session
    const line = StatusLine.make(io)
    const started = Date.now()
    const label = options.label ?? `job ${jobId}`
    const onPoll = (job: GetJobResponse) =>
      Effect.flatMap(options.detail?.(job) ?? Effect.succeed(undefined), (detail) =>
        Effect.sync(() =>
          line.update(
            `${label}: ${job.Status}${detail !== undefined ? `, ${detail}` : ""} (${StatusLine.elapsed(Date.now() - started)})`,
            job.Status
          )
        ))
    return yield* Waiter.waitForJob(jobId, {
      ...cadence(session.target._tag === "Aws", options.delayMs),
      timeout: options.timeoutMs,
      onPoll
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
    jobId: jobIdOption,
    cliInputJson: cliInputJsonOption,
    timeout: Options.text("timeout").pipe(
      Options.withDescription("Give up after this long (90, 90s, 15m, 1h; default 30m): exit code 5."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    delay: Options.text("delay").pipe(
      Options.withDescription("Fixed time between polls (default: 60-120 s on AWS, 0.25-2 s elsewhere)."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const jobId = yield* jobIdFrom(config)
        const timeoutMs = config.timeout === undefined
          ? 30 * 60_000
          : yield* Either.match(Duration.parse("--timeout", config.timeout), { onLeft: Effect.fail, onRight: Effect.succeed })
        const delayMs = config.delay === undefined
          ? undefined
          : yield* Either.match(Duration.parse("--delay", config.delay), { onLeft: Effect.fail, onRight: Effect.succeed })
        const job = yield* Run.withSession(globals, waitWithProgress(jobId, { timeoutMs, delayMs }))
        const io = yield* Io
        io.stderr(`geojobs: job ${job.JobId} Completed\n`)
      }))
).pipe(Command.withDescription("Waits until a job is Completed (exit 0), Failed (3), Cancelled (4), or the timeout passes (5)."))

/** `wait` (with its one waiter, as in the AWS CLI). */
export const command = Command.make("wait").pipe(
  Command.withDescription("Waits for a condition (as aws location wait)."),
  Command.withSubcommands([jobCompleted])
)
