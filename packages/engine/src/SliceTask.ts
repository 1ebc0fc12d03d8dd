/**
 * A slice of a job's input as plain data: what a validating thread is given (`SliceTask`) and
 * gives back (`SliceResult`), the layout of a file, its output columns, and the memory its
 * encoded row groups are put in.
 *
 * Kept apart from `ValidateChunk`, which runs the address engine: a thread that only reads the
 * input and writes the output while workers validate (the job runner's) imports this module
 * and never loads the engine and its reference data (about 4 MB of source to compile, and
 * indexes to build). `ValidateChunk` re-exports all of it.
 *
 * @since 0.1.0
 */
import * as Output from "@geojobs/address/Output"
import type { Feature } from "@geojobs/address/Output"
import type * as ResultSummary from "@geojobs/address/ResultSummary"
import * as BufferPool from "@geojobs/dataset/BufferPool"
import type * as Chunk from "@geojobs/dataset/Chunk"
import type * as Parquet from "@geojobs/dataset/Parquet"

/** A file's layout: its input columns (in file order) and the job's features. */
export interface Layout {
  readonly inputColumns: ReadonlyArray<string>
  readonly features: ReadonlyArray<Feature>
}

/**
 * A slice of an input row group to validate: its rows (`input`), what names the rows'
 * `Output_Id`s (`idPrefix` + the row's index in the file, from `firstRow`), and how its rows
 * are cut into output row groups (`parts`: each one's row count, adding up to the slice's rows).
 * Plain data, so it can be posted to a worker thread.
 */
export interface SliceTask {
  readonly layout: Layout
  readonly idPrefix: string
  readonly firstRow: number
  readonly input: SliceInput
  readonly parts: ReadonlyArray<number>
  /**
   * When given, the validating thread also counts a summary of each part's output rows with
   * these limits (`ResultSummary`), from the cells it has just made: a reader of the output
   * then need not decode it again to count it.
   */
  readonly summary?: ResultSummary.Limits | undefined
}

/**
 * A slice's rows: either the input columns' values (aligned with `layout.inputColumns`, with
 * the reader's per-row problems if any), or rows `[from, to)` of a row group's undecoded bytes
 * (`Parquet.RawRowGroup`), which the validating thread decodes itself: no strings are copied
 * between threads, and the reading thread only fetches bytes.
 */
export type SliceInput =
  | {
    readonly _tag: "Columns"
    readonly length: number
    readonly data: ReadonlyArray<ReadonlyArray<string | null>>
    readonly rowErrors?: ReadonlyArray<string | null> | undefined
  }
  | { readonly _tag: "Raw"; readonly raw: Parquet.RawRowGroup; readonly from: number; readonly to: number }

/** A validated slice: one output row group per part, and the milliseconds spent in the engine. */
export interface SliceResult {
  readonly encoded: ReadonlyArray<Parquet.EncodedRowGroup>
  readonly engineMs: number
  /** With `SliceTask.summary`: each part's summary, aligned with `encoded`. */
  readonly summaries?: ReadonlyArray<ResultSummary.Part> | undefined
}

/** A slice's rows could not be decoded (a corrupt input row group): the input's fault, not the validator's. */
export class SliceInputError extends Error {
  readonly _tag = "SliceInputError"
}

/** Rows of a slice input. */
export const inputLength = (input: SliceInput): number => (input._tag === "Raw" ? input.to - input.from : input.length)

/** The rows `[from, to)` of a decoded chunk as a slice input. */
export const columnsInput = (chunk: Chunk.ColumnarChunk, from: number, to: number): SliceInput => {
  const whole = from === 0 && to === chunk.length
  const data = chunk.columns.map((name) => (whole ? chunk.data[name]! : chunk.data[name]!.slice(from, to)))
  const rowErrors = chunk.rowErrors === undefined ? undefined : whole ? chunk.rowErrors : chunk.rowErrors.slice(from, to)
  return { _tag: "Columns", length: to - from, data, rowErrors }
}

/** The output columns of a layout (what the writer of its file is made with). */
export const outputColumns = (layout: Layout): ReadonlyArray<Output.Column> => Output.columns(layout.inputColumns, layout.features)

/**
 * Memory for encoded row groups, kept for reuse: the validating thread takes a buffer for each
 * output row group (`take`), and once the group is written its buffer comes back (`give`,
 * from the writing thread through `ValidatePool.recycle`, or in the same thread). A job's
 * output is ~150 bytes a row, so without reuse every 50,000-row group is ~7 MB of fresh
 * zeroed memory, page faults, and external memory that makes V8 run full collections early.
 */
export type OutputBuffers = BufferPool.BufferPool

/**
 * Makes an empty set of output buffers (one per validating thread): two kept at most, as a
 * worker has a row group or two in flight (one being written, one being filled).
 */
export const outputBuffers = (): OutputBuffers => BufferPool.make({ maxBuffers: 2 })

