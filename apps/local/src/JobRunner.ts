/**
 * The local service's job runner: executes ValidateAddress jobs for real.
 *
 * For each job it lists the input Parquet files, streams them row group by row group through
 * the address engine (`ValidateParquet` of `@geojobs/engine`) — slices of each row group
 * validated and encoded in parallel by a pool of worker threads (`ValidatePool`, one per core, made once with the
 * runner; files under `minRowsForWorkers` rows stay in this thread) — writes one output
 * Parquet file per input file into the store's temp area, and publishes them only when every file is done — so no partial output
 * is ever visible — then marks the job Completed. Cancellation is honoured between row groups.
 * Job-level problems (missing bucket, no input files, a file that is not Parquet or has no
 * address columns) end the job `Failed` with `Error{Code: "ValidationError", Messages}`;
 * unexpected failures end it `Failed` with `InternalServerError`. Row-level problems become
 * `ErrorType`/`ErrorMessage` in that row.
 *
 * Restart safety: jobs found Pending, Running or Cancelling at start are picked up again; a
 * Running job is redone from the start (its outputs are deterministic and replace any earlier
 * ones), so every job completes once.
 *
 * Choices where the spec says UNKNOWN (documented in the README):
 * - Input files: every object under the location (the exact key when the location names one
 *   object; otherwise the objects under `prefix/`), except folder markers (`…/`) and names
 *   starting with `_` or `.`; at most 1000 files; each must be Parquet.
 * - Output: `<output prefix><JobId>/<NNNNN>-<input name>.parquet` (NNNNN = input index, so
 *   names are unique and ordered), rows in input order, Snappy-compressed, row groups of at
 *   most 50,000 rows.
 *
 * @since 0.1.0
 */
import type { Feature } from "@geojobs/address/Output"
import type * as ResultSummary from "@geojobs/address/ResultSummary"
import type { JobError } from "@geojobs/core/Job"
import type { PoolHandle } from "@geojobs/engine/PoolHandle"
import * as ValidatePool from "@geojobs/engine/ValidatePool"
import * as ValidateParquet from "@geojobs/engine/ValidateParquet"
import type { JobDriverService } from "@geojobs/service/JobDriver"
import type { JobRecord } from "@geojobs/service/JobRecord"
import type { JobStoreService } from "@geojobs/service/JobStore"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Location from "./Location.js"
import type { S3Store } from "./s3/S3Store.js"

/** Tuning. */
export interface RunnerOptions {
  /** How often to look for work even without a wake-up. Default 2 s. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** A pause after each row group (to make progress observable in demos and tests). Default none. */
  readonly rowGroupPause?: Duration.DurationInput | undefined
  /** Validation worker threads. Default: one per core; 0 validates in the runner's own thread. */
  readonly workers?: number | undefined
  /** Files with fewer rows are validated in the runner's own thread (no worker start-up). Default 20,000. */
  readonly minRowsForWorkers?: number | undefined
  /**
   * Start the validation workers with the runner, each warmed up on sample rows
   * (`ValidatePool.defaultWarmupRows`, `ValidateWarmup`), instead of on the first large file:
   * the first large job then runs at a later job's speed, for ~3 s and ~3 CPU-s per worker
   * at start (~1.5 of them the reference indexes a cold start builds too) and the workers'
   * memory (~220 MiB each) from the start. Default false.
   */
  readonly warmWorkers?: boolean | undefined
  /**
   * Stop the validation workers once a job's files are validated (`ValidatePool.release`):
   * their memory (~220 MiB each) is freed for what comes after the job, and the next large job
   * starts them again, cold. For a service started for one job: the CLI's embedded service,
   * whose process goes on to write the job's result. Default false (a service keeps them).
   */
  readonly releaseWorkers?: boolean | undefined
  /**
   * Validation workers started beforehand by the service's maker (`ValidatePool.make`, ended
   * with the maker's scope; passed as `ValidatePool.handle(pool)`), used instead of a pool of
   * the runner's own: the CLI starts them while it is still reading its input and starting the
   * service. Default none.
   */
  readonly pool?: PoolHandle | undefined
  /**
   * Count a summary of each output file (`ResultSummary`, with `limits`) while its rows are
   * validated, and hand it to `put` with the output's bucket and key before the job's outputs
   * are published: for the CLI's embedded service, whose command would otherwise decode the
   * whole output again to count it. Default none.
   */
  readonly summaries?: {
    readonly limits: ResultSummary.Limits
    readonly put: (bucket: string, key: string, summary: ResultSummary.Part) => void
  } | undefined
  /**
   * Told a job's id once the runner has moved it to its end state (Completed, Failed or
   * Cancelled): an in-process waiter polls then instead of at its next interval. Default none.
   */
  readonly onJobEnd?: ((jobId: string) => void) | undefined
}

/** What the runner needs. */
export interface RunnerDependencies extends RunnerOptions {
  readonly store: JobStoreService
  readonly driver: JobDriverService
  readonly objects: S3Store
  readonly workDir: string
}

/** A started runner. */
export interface Runner {
  /** Tells the runner there may be new work (a new job, a cancellation). */
  readonly wake: Effect.Effect<void>
}

/** The most input files a job may have (spec: 1000 files per input prefix). */
export const maxInputFiles = 1000

/** A job-level failure: ends the job Failed with this JobError. */
class JobFailure {
  readonly _tag = "JobFailure"
  constructor(readonly error: JobError) {}
}

/** The job was cancelled while running. */
class Cancelled {
  readonly _tag = "Cancelled"
}

const clip = (message: string) => (message.length <= 200 ? message : `${message.slice(0, 197)}...`)

const validationError = (...messages: Array<string>) =>
  new JobFailure({ Code: "ValidationError", Messages: messages.slice(0, 4).map(clip) })

const describe = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)

/** The input objects of a job, in key order. */
const inputKeys = (objects: S3Store, job: JobRecord) =>
  Effect.gen(function*() {
    const location = Location.parse(job.inputOptions.Location)
    if (location === undefined) {
      return yield* Effect.fail(validationError(`Input location ${job.inputOptions.Location} is not an S3 location`))
    }
    yield* objects.headBucket(location.bucket).pipe(
      Effect.mapError(() => validationError(`Input bucket ${location.bucket} does not exist`))
    )
    const exact = location.prefix !== "" && !location.prefix.endsWith("/")
      ? yield* Effect.option(objects.headObject(location.bucket, location.prefix))
      : Option.none()
    const keys = Option.isSome(exact)
      ? [location.prefix]
      : (yield* objects.listKeys(location.bucket, Location.asFolder(location.prefix)).pipe(
        Effect.mapError((e) => validationError(`Cannot list the input location: ${describe(e)}`))
      )).filter((key) => {
        const name = Location.baseName(key)
        return name !== "" && !name.startsWith("_") && !name.startsWith(".")
      })
    if (keys.length === 0) {
      return yield* Effect.fail(validationError(`No input files under ${job.inputOptions.Location}`))
    }
    if (keys.length > maxInputFiles) {
      return yield* Effect.fail(
        validationError(`The input location holds ${keys.length} files; at most ${maxInputFiles} are allowed`)
      )
    }
    return { bucket: location.bucket, keys }
  })

const outputFolder = (job: JobRecord) =>
  Effect.gen(function*() {
    const location = Location.parse(job.outputOptions.Location)
    if (location === undefined) {
      return yield* Effect.fail(validationError(`Output location ${job.outputOptions.Location} is not an S3 location`))
    }
    return { bucket: location.bucket, prefix: Location.asFolder(location.prefix) }
  })

/** The output key of input file `index`. */
export const outputKey = (prefix: string, jobId: string, index: number, inputKey: string): string => {
  const name = Location.baseName(inputKey).replace(/\.parquet$/i, "")
  return `${prefix}${jobId}/${String(index).padStart(5, "0")}-${name}.parquet`
}

/** Starts the runner in the current scope. */
export const start = (deps: RunnerDependencies): Effect.Effect<Runner, never, import("effect/Scope").Scope> =>
  Effect.gen(function*() {
    const { driver, objects, store } = deps
    const wakeups = yield* Queue.sliding<void>(1)
    const pollInterval = Duration.decode(deps.pollInterval ?? "2 seconds")
    const pause = deps.rowGroupPause === undefined ? undefined : Duration.decode(deps.rowGroupPause)

    const statusNow = (jobId: string) => Effect.map(store.get(jobId), Option.map((j) => j.status))

    const checkCancelled = (jobId: string) =>
      Effect.flatMap(statusNow(jobId), (status) =>
        Option.isSome(status) && status.value === "Cancelling" ? Effect.fail(new Cancelled()) : Effect.void)

    const validator = yield* ValidateParquet.make({ ...deps, pool: deps.pool === undefined ? undefined : ValidatePool.fromHandle(deps.pool) })
    const pool = validator.pool
    const releaseWorkers = pool !== undefined && deps.releaseWorkers === true ? pool.release : Effect.void

    /** Validates one input file into a temp Parquet file; returns its path and row count. */
    const processFile = (job: JobRecord, bucket: string, key: string, index: number, features: ReadonlyArray<Feature>) =>
      Effect.gen(function*() {
        const file = `s3://${bucket}/${key}`
        const source = yield* objects.randomAccess(bucket, key).pipe(
          Effect.mapError((e) => validationError(`Cannot read input file ${file}: ${describe(e)}`))
        )
        const { md5, path, rows, size, summary } = yield* validator.file({
          source,
          file,
          features,
          idPrefix: `${job.jobId}-${index}-`,
          outputPath: objects.tempFile,
          beforeRowGroup: checkCancelled(job.jobId),
          afterRowGroup: pause === undefined ? undefined : Effect.sleep(pause),
          summary: deps.summaries?.limits
        }).pipe(
          Effect.mapError((e) =>
            e instanceof ValidateParquet.ValidateParquetError
              ? e.reason === "Input"
                ? validationError(e.message)
                : new JobFailure({ Code: "InternalServerError", Messages: [clip(e.message)] })
              : e
          )
        )
        return { tempPath: path, rows, summary, written: { md5, size } }
      })

    /** Runs one job to its end state. */
    const runJob = (initial: JobRecord) =>
      Effect.scoped(Effect.gen(function*() {
        if (initial.status === "Pending") yield* driver.markRunning(initial.jobId)
        const job = initial
        const features = (job.actionOptions?.ValidateAddress?.AdditionalFeatures ?? []) as ReadonlyArray<Feature>
        const input = yield* inputKeys(objects, job)
        const output = yield* outputFolder(job)
        yield* objects.headBucket(output.bucket).pipe(
          Effect.mapError(() => validationError(`Output bucket ${output.bucket} does not exist`))
        )
        const outputs: Array<{
          key: string
          tempPath: string
          summary: ResultSummary.Part | undefined
          written: { readonly md5: Uint8Array; readonly size: number }
        }> = []
        let total = 0
        for (let i = 0; i < input.keys.length; i++) {
          const key = input.keys[i]!
          const result = yield* processFile(job, input.bucket, key, i, features)
          outputs.push({
            key: outputKey(output.prefix, job.jobId, i, key),
            tempPath: result.tempPath,
            summary: result.summary,
            written: result.written
          })
          total += result.rows
          yield* Effect.ignore(driver.recordProgress(job.jobId, total))
        }
        yield* releaseWorkers
        yield* checkCancelled(job.jobId)
        for (const w of outputs) if (w.summary !== undefined) deps.summaries?.put(output.bucket, w.key, w.summary)
        // Every output appears at once (one transaction), or none does.
        yield* objects.putFiles(
          output.bucket,
          outputs.map((w) => ({ key: w.key, path: w.tempPath, contentType: "application/vnd.apache.parquet", written: w.written }))
        ).pipe(
          Effect.mapError((e) => new JobFailure({ Code: "InternalServerError", Messages: [clip(`Cannot write output: ${describe(e)}`)] }))
        )
        yield* driver.markCompleted(job.jobId)
      })).pipe(
        Effect.catchAll((e) => {
          if (e instanceof Cancelled) return Effect.ignore(driver.completeCancellation(initial.jobId))
          if (e instanceof JobFailure) return Effect.ignore(driver.markFailed(initial.jobId, e.error))
          // A job already moved by someone else (cancelled, failed) is not ours to finish.
          if (e._tag === "IllegalTransition") return Effect.void
          return Effect.ignore(driver.markFailed(initial.jobId, { Code: "InternalServerError", Messages: [clip(describe(e))] }))
        }),
        Effect.catchAllDefect((defect) =>
          Effect.ignore(driver.markFailed(initial.jobId, { Code: "InternalServerError", Messages: [clip(describe(defect))] }))
        ),
        Effect.ensuring(Effect.sync(() => deps.onJobEnd?.(initial.jobId)))
      )

    /** Unfinished jobs, oldest first. */
    const unfinished = Effect.gen(function*() {
      const out: Array<JobRecord> = []
      for (const status of ["Cancelling", "Running", "Pending"] as const) {
        let beforeSeq: number | undefined
        for (;;) {
          const page = yield* store.list({ status, limit: 100, ...(beforeSeq !== undefined ? { beforeSeq } : {}) })
          out.push(...page.jobs)
          if (!page.hasMore || page.jobs.length === 0) break
          beforeSeq = page.jobs[page.jobs.length - 1]!.seq
        }
      }
      return out.sort((a, b) => a.seq - b.seq)
    })

    const round = Effect.gen(function*() {
      const jobs = yield* unfinished
      for (const job of jobs) {
        if (job.status === "Cancelling") yield* Effect.ignore(driver.completeCancellation(job.jobId))
        else yield* runJob(job)
      }
      // also after a job that failed or was cancelled
      if (jobs.length > 0) yield* releaseWorkers
    })

    // With `warmWorkers`, start the workers and build this thread's reference indexes (used by
    // jobs too small for the workers) at once, so the first job runs at full speed (the workers'
    // start does not hold up the runner: a job that comes first waits for a worker as it would
    // have anyway). Without it the indexes are built on first use: building them takes this
    // thread for a while, and a service that did it at start answered nothing, not even its
    // health check, until it was done.
    if (pool !== undefined && deps.warmWorkers === true) {
      yield* Effect.forkScoped(Effect.catchAll(pool.warm, (e) => Effect.logWarning(`validation workers did not start: ${e.message}`)))
    }
    // (the engine is imported here only: a runner whose jobs all go to the workers never loads it)
    const warm = deps.warmWorkers === true
      ? Effect.promise(() => import("@geojobs/address/Engine")).pipe(Effect.map((Engine) => Engine.warmUp()))
      : Effect.void
    const loop = Effect.zipRight(warm, Effect.forever(
      Effect.zipRight(
        Effect.catchAllCause(round, (cause) => Effect.logWarning("job runner round failed", cause)),
        Effect.race(Queue.take(wakeups), Effect.sleep(pollInterval))
      )
    ))
    yield* Effect.forkScoped(loop)
    return { wake: Effect.asVoid(Queue.offer(wakeups, undefined)) }
  })

