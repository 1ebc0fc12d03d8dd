/**
 * The one set of classes both waiters end with: `Waiter` (Effect) and `MicroWaiter` (Micro)
 * re-export these, so a `JobFailed` from either is `instanceof` the class of either module. Built
 * on `Micro.TaggedError`, as the client errors are (`errors.ts`), so `MicroWaiter` carries no
 * `effect/Schema`.
 *
 * @internal
 */
import * as Micro from "effect/Micro"
import type { OpenJobStatus, ReportedJobError } from "../Job.js"
import type { GetJobError } from "./errors.js"

/** The job ended Failed; `error` is its JobError (as the service reported it) when it gave one. */
export class JobFailed extends Micro.TaggedError("JobFailed")<{
  readonly jobId: string
  readonly error?: ReportedJobError | undefined
  readonly message: string
}> {}

/** The job ended Cancelled. */
export class JobCancelled extends Micro.TaggedError("JobCancelled")<{
  readonly jobId: string
  readonly message: string
}> {}

/**
 * The job did not end within the time limit; `lastStatus` is what GetJob said last, `lastError`
 * (since 0.3.0) the error of the last poll when it failed.
 */
export class WaitTimeout extends Micro.TaggedError("WaitTimeout")<{
  readonly jobId: string
  readonly lastStatus?: OpenJobStatus | undefined
  readonly lastError?: GetJobError | undefined
  readonly waitedMillis: number
  readonly message: string
}> {}

/** Every way a wait can end other than Completed. */
export type WaitError = JobFailed | JobCancelled | WaitTimeout | GetJobError
