/**
 * `wait job-completed` as the AWS CLI's `JobCompleted` waiter decides (botocore's waiter over
 * the model's acceptors: `Status` Completed → success, Failed or Cancelled → failure), not as
 * the SDK's waiter of `@geojobs/core` (which polls on through errors):
 *
 * - a GetJob error ends the wait at once: `An error occurred (Code): message`;
 * - a response carrying `Error.Code` (a Failed job's) counts as an error too, as botocore's
 *   matchers skip such responses: `An error occurred (ValidationError): Unknown` (the job's
 *   error has `Messages`, not the `Message` botocore looks for);
 * - Failed/Cancelled without an error: `Waiter encountered a terminal failure state: …`;
 * - the attempts or the time run out: `Max attempts exceeded`.
 *
 * Each is a `WaiterError` printed as `Waiter JobCompleted failed: <reason>`. Exit codes stay
 * geojobs' own for the job's outcome (3 Failed, 4 Cancelled, 5 gave up); an error of the
 * service is 255, as the AWS CLI exits on a waiter failure.
 *
 * @since 0.1.0
 */
import type { GetJobResponse } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { OperationError } from "./CliError.js"
import * as ExitCode from "./ExitCode.js"
import * as Failure from "./Failure.js"

/** The waiter gave up or met a failure state; printed as the AWS CLI prints it, then `detail`. */
export class WaiterError extends Schema.TaggedError<WaiterError>()("WaiterError", {
  reason: Schema.String,
  exitCode: Schema.Number,
  /** What geojobs adds on a second line (the job's own error), if anything. */
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `Waiter JobCompleted failed: ${this.reason}`
  }
}

/** How often and how long to poll. */
export interface Cadence {
  /** Shortest and longest delay between polls (growing between them, as the SDK's waiter). */
  readonly minDelayMs: number
  readonly maxDelayMs: number
  /** Give up after this many GetJob calls (the AWS CLI's waiter: 5), if set. */
  readonly maxAttempts: number | undefined
  /** Give up once this much time has passed, if set. */
  readonly timeoutMs: number | undefined
}

const outcomeCode = (status: string): number =>
  status === "Failed" ? ExitCode.JobFailed : status === "Cancelled" ? ExitCode.JobCancelled : ExitCode.Unreachable

const jobErrorDetail = (job: GetJobResponse): string | undefined => {
  const error = job.Error as { readonly Code?: string; readonly Messages?: ReadonlyArray<string> } | undefined
  if (error === undefined) return undefined
  const messages = (error.Messages ?? []).join("; ")
  return `job ${job.JobId} ${job.Status}: ${error.Code ?? "error"}${messages === "" ? "" : `: ${messages}`}`
}

/**
 * A GetJob failure as the waiter reports it: a service error ends the wait with the AWS CLI's
 * words; anything else (unreachable, credentials) stays the operation's failure.
 */
const pollFailure = (error: unknown): WaiterError | OperationError => {
  const failure = new OperationError({ operation: "GetJob", error })
  const described = Failure.describe(failure)
  return described.code === ExitCode.ServiceError && described.message.startsWith("An error occurred (")
    ? new WaiterError({ reason: described.message.replace(" when calling the GetJob operation", ""), exitCode: ExitCode.Unreachable })
    : failure
}

/** Polls GetJob until the waiter's acceptors decide; succeeds with the Completed job. */
export const jobCompleted = (
  jobId: string,
  cadence: Cadence,
  onPoll: (job: GetJobResponse) => Effect.Effect<void>
): Effect.Effect<GetJobResponse, WaiterError | OperationError, LocationJobs.LocationJobs> =>
  Effect.gen(function*() {
    const started = Date.now()
    for (let attempt = 1;; attempt++) {
      const job = yield* LocationJobs.getJob({ JobId: jobId }).pipe(Effect.mapError(pollFailure))
      yield* onPoll(job)
      const error = job.Error as { readonly Code?: unknown; readonly Message?: unknown } | undefined
      if (error !== undefined && typeof error === "object" && error !== null && "Code" in error) {
        return yield* new WaiterError({
          reason: `An error occurred (${String(error.Code)}): ${typeof error.Message === "string" ? error.Message : "Unknown"}`,
          exitCode: outcomeCode(job.Status),
          detail: jobErrorDetail(job)
        })
      }
      if (job.Status === "Completed") return job
      if (job.Status === "Failed" || job.Status === "Cancelled") {
        return yield* new WaiterError({
          reason: `Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "${job.Status}"`,
          exitCode: outcomeCode(job.Status)
        })
      }
      const delay = yield* Waiter.pollDelay(attempt, cadence.minDelayMs, cadence.maxDelayMs)
      const outOfAttempts = cadence.maxAttempts !== undefined && attempt >= cadence.maxAttempts
      const outOfTime = cadence.timeoutMs !== undefined && Date.now() - started + delay > cadence.timeoutMs
      if (outOfAttempts || outOfTime) {
        return yield* new WaiterError({
          reason: "Max attempts exceeded",
          exitCode: ExitCode.WaitTimeout,
          detail: `job ${jobId} still ${job.Status}`
        })
      }
      yield* Effect.sleep(delay)
    }
  })
