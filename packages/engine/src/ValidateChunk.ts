/**
 * Rows of a columnar chunk through the address engine, column arrays in, one encoded Parquet
 * row group out: what the job runner does per slice of an input row group, in a worker thread
 * (`ValidatePool`) or in its own. Shared with the benchmark so it measures exactly that.
 *
 * A row the reader could not turn into text (the chunk's `rowErrors`) becomes an error row
 * (`ErrorType` "InvalidValue", the reader's message) and the rest of the chunk goes on.
 *
 * @since 0.1.0
 */
import * as Engine from "@geojobs/address/Engine"
import type { Cell } from "@geojobs/address/Output"
import * as ResultSummary from "@geojobs/address/ResultSummary"
import type * as Chunk from "@geojobs/dataset/Chunk"
import * as NodeSnappy from "@geojobs/dataset/NodeSnappy"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Either from "effect/Either"
import type { Layout, OutputBuffers, SliceInput, SliceResult, SliceTask } from "./SliceTask.js"
import { SliceInputError } from "./SliceTask.js"

export {
  columnsInput,
  inputLength,
  type Layout,
  outputBuffers,
  type OutputBuffers,
  outputColumns,
  type SliceInput,
  SliceInputError,
  type SliceResult,
  type SliceTask
} from "./SliceTask.js"

/** Where `ErrorType` sits in an engine's columns (computed once per file). */
export const errorTypeIndex = (engine: Engine.Engine): number => engine.columns.findIndex((c) => c.name === "ErrorType")

/**
 * Validates rows `[from, to)` of `chunk` into one array per output column (aligned with
 * `engine.columns`), undefined for a column that is null in every one of these rows (the
 * columns outside `engine.filled` are not even looked at): an encoder skips it as all null. In a
 * column's array a null cell is null. `engine` must have been made with
 * `chunk.columns` as its input columns.
 */
export const validateColumns = (
  engine: Engine.Engine,
  errorTypeAt: number,
  chunk: Chunk.ColumnarChunk,
  from = 0,
  to = chunk.length
): Array<Array<Cell> | undefined> => {
  const inputs = chunk.columns.map((name) => chunk.data[name]!)
  const width = engine.columns.length
  const length = to - from
  const columns: Array<Array<Cell> | undefined> = new Array(width).fill(undefined)
  const rowErrors = chunk.rowErrors
  const filled = engine.filled
  const empty = nulls(length)
  // the engine stores each row's cells straight into the batch's columns (no row array to
  // transpose); a column still all null at the end is dropped
  for (let k = 0; k < filled.length; k++) columns[filled[k]!] = empty.slice()
  for (let r = from; r < to; r++) {
    const i = r - from
    engine.validateCellsInto(inputs, r, columns, i)
    const problem = rowErrors === undefined ? null : rowErrors[r]
    if (typeof problem === "string") {
      columns[errorTypeAt]![i] = "InvalidValue"
      columns[errorTypeAt + 1]![i] = problem
      for (let k = 0; k < filled.length; k++) {
        const c = filled[k]!
        if (c >= errorTypeAt + 2) columns[c]![i] = null
      }
    }
  }
  for (let k = 0; k < filled.length; k++) {
    const c = filled[k]!
    if (allNull(columns[c]!)) columns[c] = undefined
  }
  return columns
}

/** Whether a batch column holds only nulls (an encoder is handed undefined for it instead). */
const allNull = (column: ReadonlyArray<Cell>): boolean => {
  for (let i = 0; i < column.length; i++) if (column[i] !== null) return false
  return true
}

let template: Array<Cell> = []

/**
 * An array of `length` nulls to copy a batch's column from: a copy is packed (every slot a
 * value, of one elements kind), so the transposition's stores need no hole or kind transition
 * and a column once made takes every row's cell as is, null or not, without a branch on it.
 */
const nulls = (length: number): Array<Cell> => {
  if (template.length !== length) template = Array.from({ length }, () => null)
  return template
}

interface Prepared {
  readonly engine: Engine.Engine
  readonly errorTypeAt: number
  readonly encoder: ReturnType<typeof Parquet.rowGroupEncoder>
  /** What the engine's id generator reads: the prefix and the next row's index. */
  readonly ids: { prefix: string; next: number }
}

/**
 * A slice validator: runs tasks one at a time (throwing `SliceInputError` when a task's rows
 * cannot be decoded), keeping an engine and an encoder per layout
 * (a few layouts at most: one per input file shape). Each output row group's bytes are put in
 * memory from `buffers` when given (see {@link OutputBuffers}), else in a buffer of their own.
 */
export const slicer = (buffers?: OutputBuffers): ((task: SliceTask) => SliceResult) => {
  const prepared = new Map<string, Prepared>()
  // the input's decompressed PLAIN pages, in memory kept from task to task
  const pages = Parquet.pagePool()
  const prepare = (layout: Layout): Prepared => {
    const key = JSON.stringify([layout.inputColumns, layout.features])
    let p = prepared.get(key)
    if (p === undefined) {
      const ids = { prefix: "", next: 0 }
      const engine = Engine.make({
        inputColumns: layout.inputColumns,
        features: layout.features,
        idGenerator: () => ids.prefix + String(ids.next++)
      })
      p = { engine, errorTypeAt: errorTypeIndex(engine), encoder: Parquet.rowGroupEncoder(engine.columns, { snappy: NodeSnappy.compressor() }), ids }
      if (prepared.size >= 8) prepared.clear()
      prepared.set(key, p)
    }
    return p
  }
  /**
   * The rows of a task's input, a batch at a time: each call gives rows `[from, to)` of
   * `chunk`, the next `count` rows (fewer at the end). Decoded columns are handed out as ranges
   * of themselves; raw rows are decoded batch by batch (`Parquet.decodeRawBatches`), so each
   * batch's input strings die young with its output values.
   */
  const batchesOf = (layout: Layout, input: SliceInput): { readonly next: (count: number) => Batch; readonly done: () => void } => {
    if (input._tag === "Raw") {
      // with each text column's PLAIN bytes: its Input_ column is copied, not encoded again (the
      // bytes are used before the next batch is taken, as the page pool requires)
      const batches = Parquet.decodeRawBatches(input.raw, input.from, input.to, undefined, { keepPlain: true, pages })
      return {
        next: (count) => {
          const decoded = batches.nextEither(count)
          if (Either.isLeft(decoded)) throw new SliceInputError(decoded.left.message)
          return { chunk: decoded.right, from: 0, to: decoded.right.length }
        },
        done: batches.release
      }
    }
    const data: Record<string, ReadonlyArray<string | null>> = Object.create(null)
    layout.inputColumns.forEach((name, c) => (data[name] = input.data[c]!))
    const chunk: Chunk.ColumnarChunk = {
      columns: layout.inputColumns,
      data,
      length: input.length,
      ...(input.rowErrors !== undefined ? { rowErrors: input.rowErrors } : {})
    }
    let row = 0
    return {
      next: (count) => {
        const from = row
        row = Math.min(chunk.length, row + count)
        return { chunk, from, to: row }
      },
      done: () => undefined
    }
  }
  return (task) => {
    const p = prepare(task.layout)
    p.ids.prefix = task.idPrefix
    p.ids.next = task.firstRow
    const { done, next } = batchesOf(task.layout, task.input)
    const names = p.engine.columns
    const at: Record<string, number> = Object.create(null)
    for (let c = 0; c < names.length; c++) at[names[c]!.name] = c
    // each Input_ column's input column: its cells are the input's own, so a batch's PLAIN bytes
    // of that column (`ColumnarChunk.plain`) are that output column's PLAIN bytes too
    const inputColumns = task.layout.inputColumns
    const passedFrom: Record<string, string> = Object.create(null)
    for (let c = 0; c < inputColumns.length; c++) passedFrom[names[c]!.name] = inputColumns[c]!
    let engineMs = 0
    const encoded: Array<Parquet.EncodedRowGroup> = []
    const summaries: Array<ResultSummary.Part> | undefined = task.summary === undefined ? undefined : []
    // the columns a summary reads, by name, over each batch's output columns
    const summaryData: Record<string, ReadonlyArray<Cell> | undefined> = Object.create(null)
    for (const part of task.parts) {
      // small batches: their input and output values are encoded and let go while still young
      const builder = p.encoder.builder()
      const summary = task.summary === undefined ? undefined : ResultSummary.make(task.summary)
      for (let left = part; left > 0;) {
        const { chunk, from, to } = next(Math.min(batchRows, left))
        if (to === from) break
        left -= to - from
        const t0 = performance.now()
        const columns = validateColumns(p.engine, p.errorTypeAt, chunk, from, to)
        engineMs += performance.now() - t0
        if (summary !== undefined) {
          for (const name of ResultSummary.columnsRead) {
            const c = at[name]
            summaryData[name] = c === undefined ? undefined : columns[c]
          }
          summary.add({ columns: ResultSummary.columnsRead, data: summaryData, length: to - from })
        }
        const plain = chunk.plain
        builder.add(
          to - from,
          (name) => columns[at[name]!],
          plain === undefined || from !== 0 || to !== chunk.length ? undefined : (name) => {
            const input = passedFrom[name]
            return input === undefined ? undefined : plain[input]
          }
        )
      }
      encoded.push(builder.finish(buffers?.take))
      if (summary !== undefined) summaries!.push(summary.part())
    }
    done()
    return summaries === undefined ? { encoded, engineMs } : { encoded, engineMs, summaries }
  }
}

/** Rows `[from, to)` of `chunk`: one batch of a task's input. */
interface Batch {
  readonly chunk: Chunk.ColumnarChunk
  readonly from: number
  readonly to: number
}

/**
 * Rows validated and handed to the encoder at a time. 256: a batch's cells (~100 columns of
 * fresh strings) are still in the core's caches when the encoder walks them; larger batches cost
 * more CPU in jobs run side by side, smaller ones gained nothing. Same bytes.
 */
const batchRows = 256
