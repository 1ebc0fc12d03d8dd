/**
 * The pass `geojobs validate` makes over the job's output: each row classified once (the
 * summary), the rows that need attention (`--review`), and the result file in the chosen
 * layout and format. Row group by row group, the work of a group (decode, classify, lay out,
 * encode) runs in worker threads while this thread reads the next groups' bytes and writes the
 * finished ones in order: on a large result it is most of the command's time, and it is
 * independent per group. Memory holds a few groups in flight, whatever the file's size.
 *
 * A small result (under {@link inlineRows} rows), or one only summarised, is passed through the
 * same code on this thread: starting workers would cost about as much as it saves.
 *
 * @since 0.1.0
 */
import type * as Outcome from "@geojobs/address/Outcome"
import type { ByteSource } from "@geojobs/dataset/Bytes"
import type { ColumnarChunk } from "@geojobs/dataset/Chunk"
import * as Dataset from "@geojobs/dataset/Dataset"
import * as DatasetError from "@geojobs/dataset/DatasetError"
import type * as DatasetWriter from "@geojobs/dataset/DatasetWriter"
import type * as Format from "@geojobs/dataset/Format"
import * as NodeSnappy from "@geojobs/dataset/NodeSnappy"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Scope from "effect/Scope"
import * as Os from "node:os"
import { Worker } from "node:worker_threads"
import * as ResultColumns from "./ResultColumns.js"
import * as Summary from "@geojobs/address/ResultSummary"

/** A file the pass writes: its format, resolved columns (a writer's `columns`) and CSV options. */
export interface Target {
  readonly format: Format.Format
  readonly columns: ReadonlyArray<DatasetWriter.Column>
  readonly csv?: { readonly delimiter?: string; readonly bom?: boolean } | undefined
}

/** What every group's pass does: plain data, posted once to each worker with a group. */
export interface Spec {
  readonly limits: Summary.Limits
  readonly layout: ResultColumns.Layout
  /** The job output's columns (all of them, also when fewer are decoded). */
  readonly outputColumns: ReadonlyArray<string>
  readonly inputNames: ReadonlyArray<readonly [job: string, original: string]>
  /** The result file; undefined when the output is only summarised (it is kept as it is). */
  readonly result: Target | undefined
  /** The `--review` file. */
  readonly review: Target | undefined
}

/** One row group's work. */
export interface Task {
  readonly raw: Parquet.RawRowGroup
  /** The row number (from 1) of the group's first row in the whole result. */
  readonly firstRow: number
}

/** One row group's outcome. */
export interface TaskResult {
  readonly rows: number
  readonly summary: Summary.Part
  readonly result: DatasetWriter.EncodedChunk | undefined
  readonly review: DatasetWriter.EncodedChunk | undefined
}

/** Rows decoded and handled at once: their strings die young. */
const batchRows = 4096

/** The rows of a chunk (compact layout) that need attention, numbered from `first`. */
export const reviewRows = (chunk: ColumnarChunk, first: number): ColumnarChunk => {
  const keep: Array<number> = []
  const categories = chunk.data.Validation_Category ?? []
  for (let i = 0; i < chunk.length; i++) if (categories[i] !== "Validated") keep.push(i)
  const data: Record<string, ReadonlyArray<string | null>> = { Row: keep.map((i) => String(first + i)) }
  for (const column of chunk.columns) {
    const values = chunk.data[column] ?? []
    data[column] = keep.map((i) => values[i] ?? null)
  }
  return { columns: ["Row", ...chunk.columns], data, length: keep.length }
}

const encoderFor = (target: Target) =>
  Dataset.chunkEncoder(target.format, target.columns, {
    ...(target.csv !== undefined ? { csv: target.csv } : {}),
    parquet: { snappy: NodeSnappy.compressor() }
  })

/**
 * The pass over groups with one spec, on the thread that calls it (a worker, or this one for
 * a small result). Synchronous per group.
 */
export const passer = (spec: Spec): ((task: Task) => TaskResult) => {
  const layout = ResultColumns.plan(spec.layout, spec.outputColumns, spec.inputNames)
  const reviewLayout = ResultColumns.plan("compact", spec.outputColumns, spec.inputNames, { message: true })
  const result = spec.result === undefined ? undefined : encoderFor(spec.result)
  const review = spec.review === undefined ? undefined : encoderFor(spec.review)
  return (task) => {
    const summary = Summary.make(spec.limits)
    const batches = Parquet.decodeRawBatches(task.raw)
    let done = 0
    while (done < task.raw.length) {
      const decoded = batches.nextEither(Math.min(batchRows, task.raw.length - done))
      if (Either.isLeft(decoded)) throw decoded.left
      const chunk = decoded.right
      if (chunk.length === 0) break
      const outcomes: ReadonlyArray<Outcome.Outcome> = summary.add(chunk)
      if (review !== undefined) {
        const rows = reviewRows(reviewLayout.apply(chunk, outcomes), task.firstRow + done)
        if (rows.length > 0) review.add(rows.length, (name) => rows.data[name])
      }
      if (result !== undefined) {
        const laid = layout.apply(chunk, outcomes)
        result.add(laid.length, (name) => laid.data[name])
      }
      done += chunk.length
    }
    batches.release()
    return {
      rows: done,
      summary: summary.part(),
      result: result?.finish(),
      review: review !== undefined && review.rows() > 0 ? review.finish() : undefined
    }
  }
}

/** The thread's message to a worker, and the answers. */
export type Request = { readonly id: number; readonly spec: Spec; readonly task: Task }
export type Reply =
  | { readonly id: number; readonly result: TaskResult }
  | {
    readonly id: number
    /** A `DatasetError`'s fields, or (anything else thrown) its text as `detail`. */
    readonly error: { readonly file?: string; readonly reason?: DatasetError.DatasetErrorReason; readonly detail: string }
  }

// From the TypeScript sources (tests, tsx) a worker starts through a shim that loads tsx's
// loader; built, ResultWorker.js sits beside this module's chunk.
const entry = import.meta.url.endsWith(".ts")
  ? new URL("./ResultWorkerFromSource.mjs", import.meta.url)
  : new URL("./ResultWorker.js", import.meta.url)

/** Results at or above this many rows are passed in worker threads. */
export const inlineRows = 50_000

/**
 * Workers for a pass over `rows` rows: none under {@link inlineRows}, nor when the rows are
 * only summarised (`encodes` false: decoding the summary's columns and classifying takes about
 * as long as starting the workers saves, ~1.3 s for 1,000,000 rows either way); else one per
 * core (at most 4).
 */
export const workersFor = (rows: number, encodes: boolean): number =>
  rows < inlineRows || !encodes ? 0 : Math.max(1, Math.min(Os.availableParallelism(), 4))

/**
 * A worker's young generation: a group's cells become strings and CSV text that die within the
 * group, and a nursery that holds a group's worth lets most of them die before a scavenge
 * (`pnpm bench`'s main job measures the effect on wall time and memory).
 */
const youngGenerationMb = 96

interface Pool {
  readonly run: (task: Task) => Promise<TaskResult>
}

const failure = (file: string, error: Extract<Reply, { error: unknown }>["error"]) =>
  DatasetError.make(error.file ?? file, error.reason ?? "WriteFailed", error.detail)

/** `size` workers, ended with the scope; a task's failure is its `DatasetError`. */
const pool = (size: number, spec: Spec, file: () => string): Effect.Effect<Pool, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const idle: Array<Worker> = []
      const waiting: Array<(worker: Worker) => void> = []
      const pending = new Map<number, { resolve: (r: TaskResult) => void; reject: (e: unknown) => void }>()
      let nextId = 0
      let broken: DatasetError.DatasetError | undefined
      const workers = Array.from({ length: size }, () => {
        const worker = new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } })
        worker.on("message", (reply: Reply) => {
          const task = pending.get(reply.id)
          if (task === undefined) return
          pending.delete(reply.id)
          if ("error" in reply) task.reject(failure(file(), reply.error))
          else task.resolve(reply.result)
          const next = waiting.shift()
          if (next !== undefined) next(worker)
          else idle.push(worker)
        })
        const lost = (why: string) => {
          broken ??= DatasetError.make(file(), "WriteFailed", `a result worker stopped: ${why}`)
          for (const task of pending.values()) task.reject(broken)
          pending.clear()
          // those waiting for a worker find the pool broken
          for (const next of waiting.splice(0)) next(worker)
        }
        worker.on("error", (e) => lost(e.message))
        worker.on("exit", (code) => {
          if (code !== 0) lost(`exit code ${code}`)
        })
        idle.push(worker)
        return worker
      })
      const acquire = () =>
        new Promise<Worker>((resolve) => {
          const worker = idle.shift()
          if (worker !== undefined) resolve(worker)
          else waiting.push(resolve)
        })
      return {
        workers,
        run: async (task: Task) => {
          const worker = await acquire()
          if (broken !== undefined) throw broken
          const id = nextId++
          return new Promise<TaskResult>((resolve, reject) => {
            pending.set(id, { resolve, reject })
            worker.postMessage({ id, spec, task } satisfies Request)
          })
        }
      }
    }),
    (p) => Effect.promise(() => Promise.all(p.workers.map((w) => w.terminate())))
  )

/** A job output file to pass: its name (for messages) and how to open it. */
export interface Input<E> {
  readonly file: string
  readonly open: Effect.Effect<ByteSource, E, Scope.Scope>
}

/** What {@link run} needs. */
export interface Options<E> {
  /** The job's output files, in order. */
  readonly inputs: ReadonlyArray<Input<E>>
  readonly spec: Spec
  /** Decode only these columns (a result only summarised); default all. */
  readonly decode?: ReadonlyArray<string> | undefined
  readonly summary: Summary.SummaryBuilder
  readonly result: DatasetWriter.DatasetWriter | undefined
  readonly review: DatasetWriter.DatasetWriter | undefined
  /** Worker threads (0: this thread); see {@link workersFor}. */
  readonly workers: number
  /** Rows passed so far. */
  readonly onRows: (rows: number) => void
}

/**
 * Passes every row group of the files, in order: the summary absorbs each group's part, the
 * writers get each group's encoded rows. Does not close the writers.
 */
export const run = <E>(options: Options<E>): Effect.Effect<void, DatasetError.DatasetError | E, Scope.Scope> =>
  Effect.gen(function*() {
    let current = options.inputs[0]?.file ?? ""
    const inline = options.workers === 0 ? passer(options.spec) : undefined
    const workers = inline === undefined ? yield* pool(options.workers, options.spec, () => current) : undefined
    const runTask = (task: Task): Promise<TaskResult> => {
      if (workers !== undefined) return workers.run(task)
      try {
        return Promise.resolve(inline!(task))
      } catch (e) {
        return Promise.reject(
          e instanceof DatasetError.DatasetError ? e : DatasetError.make(task.raw.file, "WriteFailed", DatasetError.describe(e), { cause: e })
        )
      }
    }
    // groups in flight: each worker busy and one more ready, written in order as they finish
    const depth = Math.max(1, options.workers + 1)
    const inflight: Array<Promise<TaskResult>> = []
    let rows = 0
    const place = (done: TaskResult) =>
      Effect.gen(function*() {
        options.summary.absorb(done.summary)
        if (done.result !== undefined && options.result !== undefined) yield* options.result.writeEncoded(done.result)
        if (done.review !== undefined && options.review !== undefined) yield* options.review.writeEncoded(done.review)
        rows += done.rows
        options.onRows(rows)
      })
    const settle = Effect.suspend(() =>
      Effect.flatMap(
        Effect.tryPromise({
          try: () => inflight.shift()!,
          catch: (e) => (e instanceof DatasetError.DatasetError ? e : DatasetError.make(current, "WriteFailed", DatasetError.describe(e)))
        }),
        place
      )
    )
    let firstRow = 1
    // A result only summarised: once the summary lists no more rows, the input address columns
    // (strings, about a third of the decoding) are not decoded either.
    const decode = options.decode
    const lean = decode !== undefined && options.spec.result === undefined && options.spec.review === undefined
      ? decode.filter((c) => !Summary.inputColumns.includes(c))
      : undefined
    const flat = (parquet: Parquet.ParquetFile, file: string) =>
      parquet.readRaw !== undefined
        ? Effect.succeed(parquet.readRaw)
        : Effect.fail(DatasetError.make(file, "UnreadableParquet", "the job's output has nested columns; expected flat ones"))
    for (const { file, open } of options.inputs) {
      current = file
      const source = yield* open
      const parquet = yield* Parquet.open(source, file, { requireAddressColumns: false, ...(decode !== undefined ? { columns: decode } : {}) })
      const readRaw = yield* flat(parquet, file)
      const readLean = lean === undefined || lean.length === decode!.length
        ? undefined
        : yield* Effect.flatMap(Parquet.open(source, file, { requireAddressColumns: false, columns: lean }), (p) => flat(p, file))
      for (let index = 0; index < parquet.info.rowGroups.length; index++) {
        if (parquet.info.rowGroups[index] === 0) continue
        const raw = yield* (readLean !== undefined && !options.summary.wantsInputs() ? readLean : readRaw)(index)
        const task: Task = { raw, firstRow }
        firstRow += raw.length
        const promise = runTask(task)
        // a rejection is handled when its turn comes; until then it must not count as unhandled
        promise.catch(() => undefined)
        inflight.push(promise)
        while (inflight.length >= depth) yield* settle
      }
    }
    while (inflight.length > 0) yield* settle
  })
