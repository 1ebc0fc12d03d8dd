/**
 * One Parquet input file validated into one Parquet output file, the way a ValidateAddress job
 * does it: files with at least `minRowsForWorkers` rows are validated by a `ValidatePool`
 * (made once with the validator), smaller ones in this thread, where no worker has to start.
 *
 * This is the data path of the local service's job runner, kept apart from the runner's
 * bookkeeping (listing inputs, cancellation, publishing outputs) so that a program other than
 * the service can run it. Failures come in two kinds, as a job reports them: `Input` (the file
 * is not readable Parquet, a row group is corrupt) and `Internal` (anything else).
 *
 * @since 0.1.0
 */
import type { Feature } from "@geojobs/address/Output"
import * as ResultSummary from "@geojobs/address/ResultSummary"
import type { ByteSource } from "@geojobs/dataset/Bytes"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import type * as Scope from "effect/Scope"
import { type Layout, outputBuffers, outputColumns, SliceInputError, type SliceResult, type SliceTask } from "./SliceTask.js"
import { validateFile } from "./ValidateFile.js"
import * as ValidatePool from "./ValidatePool.js"

/** Why a file could not be validated: `Input` blames the input file, `Internal` anything else. */
export class ValidateParquetError {
  readonly _tag = "ValidateParquetError"
  constructor(readonly reason: "Input" | "Internal", readonly message: string) {}
}

/** How a validator runs its files. */
export interface ValidatorOptions {
  /** Validation worker threads. Default: one per core; 0 validates in this thread only. */
  readonly workers?: number | undefined
  /** Files with fewer rows are validated in this thread (no worker start-up). Default 20,000. */
  readonly minRowsForWorkers?: number | undefined
  /** Workers warm up on sample rows when they start (`ValidatePool.defaultWarmupRows`). Default false. */
  readonly warmWorkers?: boolean | undefined
  /**
   * A pool made beforehand, used instead of one of the validator's own (`workers` and
   * `warmWorkers` then do not apply); it ends with its maker's scope, not the validator's. For
   * a caller that starts the workers while it still has other work (the CLI, before its
   * embedded service has started).
   */
  readonly pool?: ValidatePool.ValidatePool | undefined
}

/** One input file to validate. */
export interface FileTask<E> {
  /** The input Parquet file. */
  readonly source: ByteSource
  /** Its name in messages (e.g. `s3://bucket/key`). */
  readonly file: string
  readonly features: ReadonlyArray<Feature>
  /** `Output_Id` = idPrefix + the row's index in the file. */
  readonly idPrefix: string
  /** Where the output goes: a local path, asked for once the input has opened as Parquet. */
  readonly outputPath: Effect.Effect<string, never, Scope.Scope>
  /** Runs before each row group is read (a job checks for cancellation there). */
  readonly beforeRowGroup: Effect.Effect<void, E>
  /** Runs after each row group is written. */
  readonly afterRowGroup?: Effect.Effect<void> | undefined
  /**
   * Count a summary of the output's rows (`ResultSummary`, with these limits) while they are
   * validated, returned with the file: its reader need not decode it again to count it.
   */
  readonly summary?: ResultSummary.Limits | undefined
}

/** Validates files, with a worker pool for the large ones. */
export interface Validator {
  /** The worker pool, when the validator has one. */
  readonly pool: ValidatePool.ValidatePool | undefined
  /** Validates one file into `outputPath` (returned with the rows written); the output is complete once this succeeds. */
  readonly file: <E>(
    task: FileTask<E>
  ) => Effect.Effect<
    {
      readonly path: string
      readonly rows: number
      readonly summary: ResultSummary.Part | undefined
      /** The output file's size and MD5, hashed as it was written (an object store's ETag). */
      readonly size: number
      readonly md5: Uint8Array
    },
    ValidateParquetError | E,
    Scope.Scope
  >
}

const describe = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)

const input = (e: { readonly message: string }) => new ValidateParquetError("Input", e.message)
const internal = (e: { readonly message: string }) => new ValidateParquetError("Internal", e.message)

/** Makes a validator; its workers (if any) end with the scope. */
export const make = (options: ValidatorOptions = {}): Effect.Effect<Validator, never, Scope.Scope> =>
  Effect.gen(function*() {
    const workers = options.workers ?? ValidatePool.defaultSize()
    const pool = options.pool !== undefined
      ? options.pool
      : workers > 0
      ? yield* ValidatePool.make(workers, options.warmWorkers === true ? { warmupRows: ValidatePool.defaultWarmupRows } : {})
      : undefined
    const minRowsForWorkers = options.minRowsForWorkers ?? ValidatePool.defaultMinRowsForWorkers
    // small files are validated in this thread, reusing their row groups' memory once written;
    // the engine is loaded for the first of them (with workers, this thread never needs it)
    const inThreadBuffers = outputBuffers()
    let inThreadSlicer: ((slice: SliceTask) => SliceResult) | undefined
    const inThread = Effect.suspend(() =>
      inThreadSlicer !== undefined
        ? Effect.succeed(inThreadSlicer)
        : Effect.tryPromise({
          try: () => import("./ValidateChunk.js"),
          catch: (e) => internal({ message: `the address engine did not load: ${describe(e)}` })
        }).pipe(Effect.map((m) => (inThreadSlicer ??= m.slicer(inThreadBuffers))))
    )

    const file = <E>(task: FileTask<E>) =>
      Effect.gen(function*() {
        const parquet = yield* Parquet.open(task.source, task.file).pipe(Effect.mapError(input))
        const layout: Layout = { inputColumns: parquet.info.columns, features: task.features }
        const path = yield* task.outputPath
        const md5 = createHash("md5")
        let size = 0
        const writer = yield* NodeFile.writer(path, outputColumns(layout), {
          format: "parquet",
          onWrite: (bytes) => {
            md5.update(bytes)
            size += bytes.length
          }
        }).pipe(Effect.mapError(internal))
        const parallel = pool !== undefined && parquet.info.numRows >= minRowsForWorkers
        const run = parallel ? undefined : yield* inThread
        const summary = task.summary === undefined ? undefined : { limits: task.summary, into: ResultSummary.make(task.summary) }
        yield* validateFile({
          layout,
          idPrefix: task.idPrefix,
          rowGroups: parquet.info.rowGroups,
          read: (g) => parquet.readRowGroup(g).pipe(Effect.mapError(input)),
          readRaw: parquet.readRaw === undefined
            ? undefined
            : (g, memory) => parquet.readRaw!(g, memory).pipe(Effect.mapError(input)),
          validate: parallel
            ? (slice: SliceTask) => pool.run(slice).pipe(Effect.mapError((e) => (e.input ? input(e) : internal(e))))
            : (slice: SliceTask) =>
              Effect.try({
                try: () => run!(slice),
                catch: (e) => (e instanceof SliceInputError ? input(e) : internal({ message: describe(e) }))
              }),
          parallelism: parallel ? pool.size : 1,
          write: (encoded) => writer.writeEncoded(encoded).pipe(Effect.mapError(internal)),
          recycle: parallel ? pool.recycle : (bytes) => inThreadBuffers.give(bytes.buffer),
          beforeRowGroup: task.beforeRowGroup,
          afterRowGroup: task.afterRowGroup,
          summary
        })
        yield* writer.close.pipe(Effect.mapError(internal))
        return { path, rows: writer.rowsWritten(), summary: summary?.into.part(), size, md5: md5.digest() }
      })

    return { pool, file }
  })
