/**
 * What each claimed stage does with a batch. Every outcome is a ledger transition guarded by
 * the stage's lease; a failure that may pass (S3 or API trouble) keeps the state and backs off;
 * one that will not (an unreadable file, a refused request) ends the batch `Failed`.
 *
 * - upload (`Received`): convert the file to Parquet if needed, count its rows, PutObject under
 *   `<prefix>inputs/<id>/`, → `Uploaded`;
 * - start (`Uploaded`): (for an `s3://` batch, make sure the output bucket exists) StartJob with
 *   `ClientToken = sha256(id)` → `Submitted` with the JobId (a retry after a crash gets the same
 *   job back, never a second one);
 * - collect (`Collecting`): list `<output>/<JobId>/`, sum the rows in the footers → `Completed`.
 *
 * @since 0.1.0
 */
import type { LocationJobsService } from "@geojobs/core/LocationJobs"
import type { LocationJobsError } from "@geojobs/core/LocationJobsError"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Batch, isS3Source } from "./Batch.js"
import type { LedgerService } from "./Ledger.js"
import type { MetricsService } from "./Metrics.js"
import { type ObjectStoreService, parseS3 } from "./ObjectStore.js"
import type { LedgerError } from "./WorkerError.js"
import type { WorkerSettings } from "./WorkerSettings.js"

/** What stages need. */
export interface StageDeps {
  readonly ledger: LedgerService
  readonly jobs: LocationJobsService
  readonly store: ObjectStoreService
  readonly settings: WorkerSettings
  readonly metrics: MetricsService
}

const backoffMs = (attempts: number) => Math.min(60_000, 500 * 2 ** Math.min(attempts, 7))

const errorText = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" && e.message !== ""
    ? `${(e as { _tag?: string })._tag ?? "Error"}: ${e.message}`
    : String((e as { _tag?: string })?._tag ?? e)

/** Ends a batch Failed before it has a job. */
const failBatch = (deps: StageDeps, b: Batch, code: string, message: string) =>
  deps.ledger.transition(b.id, [b.state], {
    state: "Failed",
    endedAt: Date.now(),
    errorCode: code,
    errorMessages: [message.slice(0, 200)],
    lastError: message
  }, deps.settings.owner).pipe(
    Effect.tap(() => Effect.logWarning(`batch failed: ${message}`)),
    Effect.asVoid
  )

/** Keeps the batch where it is, to be claimed again after a pause; fails it after too many tries. */
const retryLater = (deps: StageDeps, b: Batch, message: string) =>
  b.attempts >= deps.settings.maxAttempts
    ? failBatch(deps, b, "WorkerError", `gave up after ${b.attempts} attempts: ${message}`)
    : deps.ledger.noteFailure(b.id, deps.settings.owner, message, backoffMs(b.attempts)).pipe(
      Effect.tap(() => Effect.logWarning(`will retry: ${message}`))
    )

const outputRoot = (s: WorkerSettings) => `s3://${s.bucket}/${s.prefix}outputs/`

/** The upload stage. */
export const upload = (deps: StageDeps, b: Batch): Effect.Effect<void, LedgerError> =>
  Effect.gen(function*() {
    const { settings, store } = deps
    const file = b.source
    if (!Fs.existsSync(file)) return yield* failBatch(deps, b, "InputError", `no such file: ${file}`)
    const isParquet = /\.parquet$/i.test(file)
    const scratch = Path.join(settings.workDir, "scratch", `${b.id}.parquet`)
    const prepared = yield* (isParquet
      ? Effect.scoped(Effect.flatMap(NodeFile.source(file), (src) => Parquet.info(src, file))).pipe(
        Effect.map((i) => ({ file, rows: i.numRows }))
      )
      : Effect.zipRight(
        Effect.sync(() => Fs.mkdirSync(Path.dirname(scratch), { recursive: true })),
        Effect.map(NodeFile.convert(file, scratch), (r) => ({ file: scratch, rows: r.rows }))
      )).pipe(Effect.either)
    if (prepared._tag === "Left") return yield* failBatch(deps, b, "InputError", prepared.left.message)
    const key = `${settings.prefix}inputs/${b.id}/input.parquet`
    const put = yield* Effect.either(Effect.zipRight(store.ensureBucket(settings.bucket), store.putFile(settings.bucket, key, prepared.right.file)))
    if (!isParquet) yield* Effect.sync(() => Fs.rmSync(scratch, { force: true }))
    if (put._tag === "Left") return yield* retryLater(deps, b, put.left.message)
    const moved = yield* deps.ledger.transition(b.id, ["Received"], {
      state: "Uploaded",
      inputLocation: `s3://${settings.bucket}/${settings.prefix}inputs/${b.id}/`,
      inputRows: prepared.right.rows
    }, settings.owner)
    if (moved) yield* Effect.logInfo(`uploaded ${prepared.right.rows} rows`)
  }).pipe(Effect.annotateLogs({ batchId: b.id, stage: "upload" }))

/** The start stage. */
export const start = (deps: StageDeps, b: Batch): Effect.Effect<void, LedgerError> =>
  Effect.gen(function*() {
    const { jobs, settings } = deps
    const output = b.outputLocation ?? outputRoot(settings)
    // An s3:// batch skips upload, where the worker's bucket is made: make it here too, or the
    // first such batch on a fresh service fails for want of a place to write its output.
    if (isS3Source(b.source)) {
      const ready = yield* Effect.either(deps.store.ensureBucket(parseS3(output).bucket))
      if (ready._tag === "Left") return yield* retryLater(deps, b, ready.left.message)
    }
    const result = yield* Effect.either(jobs.startJob({
      ClientToken: b.clientToken,
      Action: "ValidateAddress",
      ExecutionRoleArn: settings.roleArn,
      InputOptions: { Location: b.inputLocation!, Format: "Parquet" },
      OutputOptions: { Location: output, Format: "Parquet" },
      Name: b.id.replace(/[^-._\w]/g, "_").slice(0, 100)
    }))
    if (result._tag === "Left") {
      const e: LocationJobsError = result.left
      if (e._tag === "ValidationException" || e._tag === "AccessDeniedException") {
        return yield* failBatch(deps, b, e._tag, errorText(e))
      }
      return yield* retryLater(deps, b, errorText(e))
    }
    const job = result.right
    // The JobId is in the ledger before anything else hears of it.
    const moved = yield* deps.ledger.transition(b.id, ["Uploaded"], {
      state: "Submitted",
      jobId: job.JobId,
      jobStatus: job.Status,
      outputLocation: output,
      submittedAt: job.CreatedAt.getTime()
    }, settings.owner)
    if (moved) {
      yield* Effect.logInfo("job started").pipe(Effect.annotateLogs({ jobId: job.JobId }))
      return
    }
    // Lost the lease (another instance saw it expire and will get the same job back from the
    // ClientToken) or the batch was cancelled meanwhile: then stop the job we just made.
    const now = yield* deps.ledger.get(b.id)
    if (now._tag === "Some" && now.value.state === "Cancelled" && now.value.jobId === undefined) {
      yield* Effect.ignore(jobs.cancelJob({ JobId: job.JobId }))
      yield* Effect.logInfo("batch cancelled while its job was starting; job cancelled").pipe(Effect.annotateLogs({ jobId: job.JobId }))
    }
  }).pipe(Effect.annotateLogs({ batchId: b.id, stage: "start" }))

/** The collect stage. */
export const collect = (deps: StageDeps, b: Batch): Effect.Effect<void, LedgerError> =>
  Effect.gen(function*() {
    const { settings, store } = deps
    const root = b.outputLocation ?? outputRoot(settings)
    const where = `${root}${b.jobId}/`
    const { bucket, prefix } = parseS3(where)
    const counted = yield* Effect.either(
      Effect.flatMap(store.list(bucket, prefix), (objects) => {
        const files = objects.filter((o) => /\.parquet$/i.test(o.key))
        return Effect.map(
          Effect.forEach(files, (o) => store.parquetRows(bucket, o.key, o.size), { concurrency: 4 }),
          (rows) => ({ files: files.length, rows: rows.reduce((a, n) => a + n, 0) })
        )
      })
    )
    if (counted._tag === "Left") {
      if (b.attempts < 5) return yield* retryLater(deps, b, counted.left.message)
      // The job did complete; row counts are a nicety.
      yield* deps.ledger.transition(b.id, ["Collecting"], { state: "Completed", outputLocation: where, lastError: counted.left.message }, settings.owner)
      return
    }
    const moved = yield* deps.ledger.transition(b.id, ["Collecting"], {
      state: "Completed",
      outputLocation: where,
      outputRows: counted.right.rows,
      outputFiles: counted.right.files
    }, settings.owner)
    if (moved) yield* Effect.logInfo(`collected ${counted.right.rows} rows in ${counted.right.files} files`)
  }).pipe(Effect.annotateLogs({ batchId: b.id, jobId: b.jobId ?? "", stage: "collect" }))
