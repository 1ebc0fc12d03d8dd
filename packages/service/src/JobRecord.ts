/**
 * How a job is stored: the members GetJob answers plus the internal fields the service needs
 * (an optimistic-concurrency version, an insertion sequence for newest-first paging, the
 * idempotency token with its request fingerprint, and progress notes for a runner). Plain,
 * JSON-friendly data with epoch-millisecond times, so a SQL store can keep it in a row.
 *
 * @since 0.1.0
 */
import type * as Job from "@geojobs/core/Job"

/** What a runner may note about a job's progress (all optional, all JSON). */
export interface JobProgress {
  /** When the job entered Running. */
  readonly startedAt?: number
  /** When CancelJob was accepted. */
  readonly cancelRequestedAt?: number
  /** Rows processed so far (a runner's bookkeeping; not on the wire). */
  readonly recordsProcessed?: number
}

/** A job as the store keeps it. Times are epoch milliseconds. */
export interface JobRecord {
  readonly jobId: string
  readonly jobArn: string
  readonly name?: string
  readonly action: Job.JobAction
  readonly actionOptions?: Job.JobActionOptions
  readonly executionRoleArn: string
  readonly inputOptions: Job.JobInputOptions
  readonly outputOptions: Job.JobOutputOptions
  readonly tags?: Readonly<Record<string, string>>
  readonly status: Job.JobStatus
  readonly createdAt: number
  readonly updatedAt: number
  /** Set exactly when `status` is terminal. */
  readonly endedAt?: number
  /** Set exactly when `status` is `Failed`. */
  readonly error?: Job.JobError
  /** Starts at 1 and grows by one on every update (compare-and-set). */
  readonly version: number
  /** Assigned by the store on insert, strictly increasing: the newest-first order of ListJobs. */
  readonly seq: number
  /** The StartJob `ClientToken` this job was created with. */
  readonly clientToken?: string
  /** Fingerprint of the StartJob request (without its token), to tell a replay from a conflict. */
  readonly requestHash?: string
  readonly progress?: JobProgress
}

/** A record before the store has given it a sequence number. */
export type NewJobRecord = Omit<JobRecord, "seq">

const date = (ms: number): Date => new Date(ms)

const entryFields = (job: JobRecord): Job.ListJobsResponseEntry => ({
  Action: job.action,
  ...(job.actionOptions !== undefined ? { ActionOptions: job.actionOptions } : {}),
  CreatedAt: date(job.createdAt),
  ...(job.endedAt !== undefined ? { EndedAt: date(job.endedAt) } : {}),
  ...(job.error !== undefined ? { Error: job.error } : {}),
  ExecutionRoleArn: job.executionRoleArn,
  InputOptions: job.inputOptions,
  JobArn: job.jobArn,
  JobId: job.jobId as Job.JobId,
  ...(job.name !== undefined ? { Name: job.name } : {}),
  OutputOptions: job.outputOptions,
  Status: job.status,
  UpdatedAt: date(job.updatedAt)
})

/** The GetJob answer for a record (with its tags). */
export const toGetJobResponse = (job: JobRecord): Job.GetJobResponse => ({
  ...entryFields(job),
  ...(job.tags !== undefined ? { Tags: job.tags } : {})
})

/** The ListJobs entry for a record (GetJob's members without `Tags`). */
export const toListJobsEntry = (job: JobRecord): Job.ListJobsResponseEntry => entryFields(job)

/** The StartJob answer for a record. */
export const toStartJobResponse = (job: JobRecord): Job.StartJobResponse => ({
  CreatedAt: date(job.createdAt),
  JobArn: job.jobArn,
  JobId: job.jobId as Job.JobId,
  Status: job.status
})

/** The CancelJob answer for a record. */
export const toCancelJobResponse = (job: JobRecord): Job.CancelJobResponse => ({
  JobArn: job.jobArn,
  JobId: job.jobId as Job.JobId,
  Status: job.status
})
