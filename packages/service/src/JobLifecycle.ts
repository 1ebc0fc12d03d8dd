/**
 * The job state machine: which status an event moves a job to, and which moves are illegal.
 *
 * ```text
 * Pending ──start──▶ Running ──complete──▶ Completed
 *    │                  │ └────fail──────▶ Failed
 *    │ └──fail──────────┼───────────────▶ Failed        (a job can fail before it runs)
 *    └──cancel──▶ Cancelling ◀──cancel──┘
 *                    └──cancelled──▶ Cancelled
 * ```
 * `Completed`, `Failed` and `Cancelled` are terminal. Whether AWS can move Pending straight to
 * Failed is UNKNOWN (spec §6.1); we allow it, so a runner can fail a job whose input or role is
 * unusable before it starts.
 *
 * @since 0.1.0
 */
import type { JobStatus } from "@geojobs/core/Job"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/** Something that happens to a job. `cancel` is CancelJob; the others come from a runner. */
export type JobEvent = "start" | "complete" | "fail" | "cancel" | "cancelled"

/** A move the state machine does not allow (e.g. completing a Pending job). */
export class IllegalTransition extends Schema.TaggedError<IllegalTransition>()("IllegalTransition", {
  jobId: Schema.String,
  from: Schema.String,
  event: Schema.String,
  message: Schema.String
}) {}

const table: Record<JobStatus, Partial<Record<JobEvent, JobStatus>>> = {
  Pending: { start: "Running", fail: "Failed", cancel: "Cancelling" },
  Running: { complete: "Completed", fail: "Failed", cancel: "Cancelling" },
  Cancelling: { cancelled: "Cancelled" },
  Completed: {},
  Failed: {},
  Cancelled: {}
}

/** The statuses a job never leaves; `EndedAt` is set exactly when a job enters one. */
export const isTerminal = (status: JobStatus): boolean =>
  status === "Completed" || status === "Failed" || status === "Cancelled"

/** The status `event` moves a job in `from` to, or an `IllegalTransition`. */
export const transition = (
  jobId: string,
  from: JobStatus,
  event: JobEvent
): Either.Either<JobStatus, IllegalTransition> => {
  const to = table[from][event]
  return to === undefined
    ? Either.left(
      new IllegalTransition({ jobId, from, event, message: `job ${jobId}: cannot ${event} a job that is ${from}` })
    )
    : Either.right(to)
}

/** The events allowed from `from`, for diagnostics and the test double's controls. */
export const allowedEvents = (from: JobStatus): ReadonlyArray<JobEvent> => Object.keys(table[from]) as Array<JobEvent>
