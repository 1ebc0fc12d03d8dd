/**
 * One input file through the engine, row group by row group: each row group is cut into slices
 * (`SliceTask.SliceTask`), the slices are validated and encoded in parallel (a
 * `ValidatePool`, or in this thread), and their row groups are written in input order. While
 * the workers validate a row group, the next one is read. `beforeRowGroup` runs before each row
 * group is read (the runner checks for cancellation there).
 *
 * Shared by the job runner and the engine benchmark, so the benchmark measures what jobs do.
 *
 * @since 0.1.0
 */
import type * as ResultSummary from "@geojobs/address/ResultSummary"
import * as BufferPool from "@geojobs/dataset/BufferPool"
import type * as Chunk from "@geojobs/dataset/Chunk"
import type * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type { Layout, SliceInput, SliceResult, SliceTask } from "./SliceTask.js"
import { columnsInput } from "./SliceTask.js"

/**
 * Most rows per slice (and so per output row group): bounds memory per task (a slice's encoded
 * columns). Larger than the smallest that would do, because fewer row groups mean less to
 * sample, page and post (the engine bench in `bench/` compares sizes).
 */
export const maxSliceRows = 50_000

/** What `validateFile` needs; the effects' errors are the caller's. */
export interface FileJob<ER, EV, EW, EB> {
  readonly layout: Layout
  /** `Output_Id` = idPrefix + the row's index in the file. */
  readonly idPrefix: string
  /** Rows per row group (the file's footer). */
  readonly rowGroups: ReadonlyArray<number>
  readonly read: (index: number) => Effect.Effect<Chunk.ColumnarChunk, ER>
  /**
   * Fetches row group `index` undecoded (`Parquet.ParquetFile.readRaw`): when given, it is used
   * instead of `read`, and the validating threads decode their own rows.
   */
  readonly readRaw?:
    | ((index: number, memory?: (length: number) => Uint8Array) => Effect.Effect<Parquet.RawRowGroup, ER>)
    | undefined
  /** Validates one slice (on a worker, or in this thread). */
  readonly validate: (task: SliceTask) => Effect.Effect<SliceResult, EV>
  /** How many slices may run at once (the pool's size). */
  readonly parallelism: number
  readonly write: (encoded: Parquet.EncodedRowGroup) => Effect.Effect<void, EW>
  /** After a row group is written: its memory may be reused (`ValidatePool.recycle`). */
  readonly recycle?: ((bytes: Uint8Array) => void) | undefined
  readonly beforeRowGroup?: Effect.Effect<void, EB> | undefined
  /** After each row group is written (e.g. a pause for demos). */
  readonly afterRowGroup?: Effect.Effect<void> | undefined
  /**
   * A summary the output rows are counted into (`ResultSummary`): each slice counts its own
   * rows with `limits` where it is validated, and its parts are absorbed in row order.
   */
  readonly summary?: { readonly limits: ResultSummary.Limits; readonly into: ResultSummary.SummaryBuilder } | undefined
}

/**
 * Fewest rows per slice when a row group is cut for several workers: a smaller group is one
 * slice, and the workers take consecutive groups instead (several groups are in flight), so a file
 * of small groups is not posted, decoded and written in still smaller pieces.
 */
export const minSliceRows = 25_000

/**
 * How a row group of `length` rows is cut: about one slice per worker (none under
 * `minSliceRows` rows), at most `maxSliceRows` rows each.
 */
export const sliceBounds = (length: number, parallelism: number): Array<readonly [number, number]> => {
  const count = Math.max(1, Math.min(parallelism, Math.floor(length / minSliceRows)), Math.ceil(length / maxSliceRows))
  const size = Math.ceil(length / count)
  const out: Array<readonly [number, number]> = []
  for (let from = 0; from < length; from += size) out.push([from, Math.min(length, from + size)])
  return out
}

/**
 * The tasks of a row group of `length` rows: its slices (`sliceBounds`), consecutive ones put
 * together into at most `parallelism` tasks (one message per worker and row group, and each
 * worker decodes its rows once); each slice stays one output row group.
 */
export const taskBounds = (
  length: number,
  parallelism: number
): Array<{ readonly from: number; readonly to: number; readonly parts: ReadonlyArray<number> }> => {
  const slices = sliceBounds(length, parallelism)
  const per = Math.ceil(slices.length / Math.max(1, parallelism))
  const out: Array<{ from: number; to: number; parts: Array<number> }> = []
  for (let i = 0; i < slices.length; i += per) {
    const group = slices.slice(i, i + per)
    out.push({ from: group[0]![0], to: group[group.length - 1]![1], parts: group.map(([from, to]) => to - from) })
  }
  return out
}

/**
 * Memory for raw row groups (`SharedArrayBuffer`s the workers read), reused once the slices of
 * the group that had it are all validated: a row group's bytes are otherwise a new shared buffer
 * each, which every worker that read it keeps alive until its next full collection (~3 MB a
 * group piling up in each thread over a file). One kept per row group in flight, and one being read.
 */
const rawMemory = (inFlight: number) => BufferPool.make({ maxBuffers: inFlight + 1, shared: true })

/**
 * Row groups in flight (being validated, or validated and waiting to be written): one more than
 * the validating threads, so that each has a queued slice to take when it finishes while this
 * thread writes the group before and reads the next. With only two, a pool of two workers whose
 * groups are one slice each waited for this thread after every group (~10% idle on 10,000-row
 * groups). In this thread alone (parallelism 1): two, the next read while one is validated.
 */
const inFlightOf = (parallelism: number): number => parallelism + 1

/** Validates a file; returns the milliseconds spent in the engine (summed over slices). */
export const validateFile = <ER, EV, EW, EB>(job: FileJob<ER, EV, EW, EB>): Effect.Effect<number, ER | EV | EW | EB> =>
  Effect.gen(function*() {
    let engineMs = 0
    const inFlight = inFlightOf(job.parallelism)
    const memory = rawMemory(inFlight)
    let firstRow = 0
    const writeAll = (results: ReadonlyArray<SliceResult>) =>
      Effect.forEach(results, (r) => {
        engineMs += r.engineMs
        if (job.summary !== undefined) for (const part of r.summaries ?? []) job.summary.into.absorb(part)
        const recycle = job.recycle
        return Effect.forEach(
          r.encoded,
          recycle === undefined ? job.write : (e) => Effect.tap(job.write(e), () => recycle(e.bytes)),
          { discard: true }
        )
      }, { discard: true })
    // the row groups being validated, oldest first, each with its raw bytes (if read raw)
    const running: Array<{ readonly fiber: Fiber.Fiber<Array<SliceResult>, EV>; readonly raw: Uint8Array | undefined }> = []
    const writeOldest = Effect.suspend(() => {
      const { fiber, raw } = running.shift()!
      return Effect.gen(function*() {
        const results = yield* Fiber.join(fiber)
        // every slice of that group is done: its bytes are read by nobody now
        if (raw !== undefined) memory.give(raw.buffer)
        yield* writeAll(results)
        if (job.afterRowGroup !== undefined) yield* job.afterRowGroup
      })
    })
    for (let g = 0; g < job.rowGroups.length; g++) {
      if (job.beforeRowGroup !== undefined) yield* job.beforeRowGroup
      const rows = job.rowGroups[g]!
      if (rows === 0) continue
      // the row group's rows, raw (each worker decodes its range) or decoded here
      let length: number
      let inputOf: (from: number, to: number) => SliceInput
      let rawBytes: Uint8Array | undefined
      if (job.readRaw !== undefined) {
        const raw = yield* job.readRaw(g, memory.take)
        length = raw.length
        rawBytes = raw.bytes
        inputOf = (from, to) => ({ _tag: "Raw", raw, from, to })
      } else {
        const chunk = yield* job.read(g)
        length = chunk.length
        inputOf = (from, to) => columnsInput(chunk, from, to)
      }
      const tasks: Array<SliceTask> = taskBounds(length, job.parallelism).map(({ from, parts, to }) => ({
        layout: job.layout,
        idPrefix: job.idPrefix,
        firstRow: firstRow + from,
        input: inputOf(from, to),
        parts,
        ...(job.summary !== undefined ? { summary: job.summary.limits } : {})
      }))
      firstRow += length
      running.push({ fiber: yield* Effect.fork(Effect.forEach(tasks, job.validate, { concurrency: job.parallelism })), raw: rawBytes })
      while (running.length >= inFlight) yield* writeOldest
    }
    while (running.length > 0) yield* writeOldest
    return engineMs
  })
