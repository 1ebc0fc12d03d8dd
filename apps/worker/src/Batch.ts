/**
 * A batch: one address file taken through upload → StartJob → wait → collect. Its states, the
 * record the ledger keeps, and the JSON shapes of the HTTP API.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { createHash, randomBytes } from "node:crypto"

/**
 * Where a batch is:
 * - `Received`: recorded; its file (a local path) is not yet in S3;
 * - `Uploaded`: its Parquet input is in S3 (or it was given as an S3 location);
 * - `Submitted`: StartJob answered, the JobId is in the ledger;
 * - `Running`: the service reports the job Running;
 * - `Collecting`: the job Completed; output files and row counts are being recorded;
 * - `Completed`, `Failed`, `Cancelled`: terminal.
 */
export const BatchState = Schema.Literal(
  "Received",
  "Uploaded",
  "Submitted",
  "Running",
  "Collecting",
  "Completed",
  "Failed",
  "Cancelled"
)
/** @since 0.1.0 */
export type BatchState = typeof BatchState.Type

/** Every state, in pipeline order (for metrics). */
export const allStates: ReadonlyArray<BatchState> = BatchState.literals

/** States a batch never leaves. */
export const terminalStates: ReadonlyArray<BatchState> = ["Completed", "Failed", "Cancelled"]

/** True when the batch will not change any more. */
export const isTerminal = (state: BatchState): boolean => terminalStates.includes(state)

/** States with a job started and not yet seen finished (what the tracker follows). */
export const trackedStates: ReadonlyArray<BatchState> = ["Submitted", "Running"]

/** A batch as the ledger keeps it. Times are epoch milliseconds. */
export interface Batch {
  readonly id: string
  /** Caller's idempotency key: a second submit with the same key returns this batch. */
  readonly key: string
  readonly state: BatchState
  /** What was submitted: a local file path, or an `s3://` location of Parquet input. */
  readonly source: string
  /** The job's input location (`s3://bucket/prefix/`), once known. */
  readonly inputLocation: string | undefined
  /** The job's output location as given to StartJob; outputs are under `<it><JobId>/`. */
  readonly outputLocation: string | undefined
  readonly jobId: string | undefined
  /** Last job status seen (`Pending`, `Running`, …). */
  readonly jobStatus: string | undefined
  /** The ClientToken StartJob is called with: derived from the id, so a retry never starts a second job. */
  readonly clientToken: string
  readonly cancelRequested: boolean
  readonly createdAt: number
  readonly updatedAt: number
  readonly submittedAt: number | undefined
  /** The job's EndedAt (or when the batch ended without a job). */
  readonly endedAt: number | undefined
  /** JobError code, or `InputError`/`WorkerError` for failures before the job. */
  readonly errorCode: string | undefined
  readonly errorMessages: ReadonlyArray<string> | undefined
  readonly inputRows: number | undefined
  readonly outputRows: number | undefined
  readonly outputFiles: number | undefined
  /** How many times a stage claimed it. */
  readonly attempts: number
  readonly lastError: string | undefined
  readonly leaseOwner: string | undefined
  readonly leaseExpiresAt: number | undefined
}

/** What a submit records. */
export interface NewBatch {
  readonly key?: string | undefined
  /** Local file path (CSV, JSONL or Parquet) or `s3://bucket/prefix` of Parquet input. */
  readonly source: string
}

/** A new batch id: `b-` and 20 random hex digits (fits the job `Name` pattern). */
export const makeId = (): string => `b-${randomBytes(10).toString("hex")}`

/** The ClientToken for a batch: SHA-256 of the id (64 hex digits, within the 64-character limit). */
export const clientTokenFor = (batchId: string): string => createHash("sha256").update(`geojobs-worker:${batchId}`).digest("hex")

/** True for an `s3://` source (already Parquet in S3: no upload step). */
export const isS3Source = (source: string): boolean => source.startsWith("s3://")

// ---------------------------------------------------------------------------
// HTTP shapes
// ---------------------------------------------------------------------------

/** `POST /batches` JSON body. */
export const SubmitRequest = Schema.Struct({
  /** Idempotency key. Default: a new batch every time. */
  key: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512))),
  /** A path the worker can read, or `s3://bucket/prefix` of Parquet files. */
  location: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(4096))
})
/** @since 0.1.0 */
export type SubmitRequest = typeof SubmitRequest.Type

/** A batch as the HTTP API shows it. */
export const BatchView = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  state: BatchState,
  source: Schema.String,
  inputLocation: Schema.optional(Schema.String),
  outputLocation: Schema.optional(Schema.String),
  jobId: Schema.optional(Schema.String),
  jobStatus: Schema.optional(Schema.String),
  cancelRequested: Schema.Boolean,
  createdAt: Schema.String,
  updatedAt: Schema.String,
  submittedAt: Schema.optional(Schema.String),
  endedAt: Schema.optional(Schema.String),
  error: Schema.optional(Schema.Struct({ code: Schema.String, messages: Schema.Array(Schema.String) })),
  inputRows: Schema.optional(Schema.Number),
  outputRows: Schema.optional(Schema.Number),
  outputFiles: Schema.optional(Schema.Number),
  attempts: Schema.Number,
  /** The last failure of a stage (kept while the batch is retried). */
  lastError: Schema.optional(Schema.String),
  /** One line on where the batch is: rows in and out, or why it failed, or what it waits on. */
  summary: Schema.optional(Schema.String)
})
/** @since 0.1.0 */
export type BatchView = typeof BatchView.Type

/** `POST /batches` answer: the batch, and whether this call created it. */
export const SubmitResponse = Schema.Struct({ created: Schema.Boolean, batch: BatchView })
/** @since 0.1.0 */
export type SubmitResponse = typeof SubmitResponse.Type

/** `GET /batches` answer. */
export const ListResponse = Schema.Struct({ batches: Schema.Array(BatchView) })
/** @since 0.1.0 */
export type ListResponse = typeof ListResponse.Type

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** One line on where a batch is. */
export const summaryOf = (b: Batch): string => {
  switch (b.state) {
    case "Completed":
      return `${b.inputRows === undefined ? "" : `${plural(b.inputRows, "row")} in, `}` +
        `${b.outputRows === undefined ? "output" : plural(b.outputRows, "row")} out` +
        `${b.outputFiles === undefined ? "" : ` in ${plural(b.outputFiles, "file")}`}`
    case "Failed":
      return `failed: ${b.errorCode ?? "error"}${b.errorMessages?.[0] !== undefined ? `: ${b.errorMessages[0]}` : b.lastError !== undefined ? `: ${b.lastError}` : ""}`
    case "Cancelled":
      return `cancelled${b.jobId !== undefined ? ` (job ${b.jobId})` : ""}`
    default: {
      const job = b.jobId !== undefined ? `job ${b.jobId} ${b.jobStatus ?? "started"}` : b.state === "Received" ? "waiting for upload" : "waiting to start"
      const rows = b.inputRows !== undefined ? `, ${plural(b.inputRows, "row")}` : ""
      const retry = b.lastError !== undefined ? `; retrying after: ${b.lastError}` : ""
      return `${job}${rows}${retry}`
    }
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())

/** The API view of a batch. */
export const toView = (b: Batch): BatchView => {
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as { [P in K]: V }))
  return {
    id: b.id,
    key: b.key,
    state: b.state,
    source: b.source,
    ...opt("inputLocation", b.inputLocation),
    ...opt("outputLocation", b.outputLocation),
    ...opt("jobId", b.jobId),
    ...opt("jobStatus", b.jobStatus),
    cancelRequested: b.cancelRequested,
    createdAt: iso(b.createdAt)!,
    updatedAt: iso(b.updatedAt)!,
    ...opt("submittedAt", iso(b.submittedAt)),
    ...opt("endedAt", iso(b.endedAt)),
    ...opt("error", b.errorCode === undefined ? undefined : { code: b.errorCode, messages: b.errorMessages ?? [] }),
    ...opt("inputRows", b.inputRows),
    ...opt("outputRows", b.outputRows),
    ...opt("outputFiles", b.outputFiles),
    attempts: b.attempts,
    ...opt("lastError", b.lastError),
    summary: summaryOf(b)
  }
}
