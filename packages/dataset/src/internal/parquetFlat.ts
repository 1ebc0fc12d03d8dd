/**
 * Decoding a row group's flat columns from its bytes alone (no file, no Effect: another thread can
 * do it): a plain-data plan of the columns, then batches of rows decoded by one
 * `FlatColumnCursor` per column.
 *
 * @internal
 */
import type { ColumnMetaData, Compressors, FileMetaData, SchemaElement, SchemaTree } from "hyparquet"
import type { BufferPool } from "../BufferPool.js"
import { type ColumnDecoder, FlatColumnCursor } from "./parquetColumnCursor.js"
import { chunkStart, type DecodedGroup, type TopColumn } from "./parquetRowGroup.js"
import { PARSERS } from "./parquetText.js"

/**
 * What decoding rows of one row group's columns needs besides the row group's bytes: each
 * column's schema element, physical type, codec and place in the bytes. Plain data, so it can
 * be posted to another thread with the bytes. Flat columns only.
 */
export interface FlatPlan {
  readonly index: number
  readonly rows: number
  /** The schema's root element. */
  readonly root: SchemaElement
  readonly columns: ReadonlyArray<FlatColumnPlan>
}

/** One flat column of a {@link FlatPlan}: its chunk is `bytes[start, start + size)`. */
export interface FlatColumnPlan {
  readonly name: string
  readonly element: SchemaElement
  readonly type: ColumnMetaData["type"]
  readonly codec: ColumnMetaData["codec"]
  readonly start: number
  readonly size: number
}

/** The plan of row group `index`'s flat `columns` (byte offsets relative to `range.start`). */
export const flatPlan = (
  metadata: FileMetaData,
  columns: ReadonlyArray<TopColumn>,
  index: number,
  range: { readonly start: number; readonly end: number }
): FlatPlan => {
  const rowGroup = metadata.row_groups[index]!
  const byPath = new Map<string, ColumnMetaData>()
  for (const chunk of rowGroup.columns) {
    if (chunk.meta_data !== undefined) byPath.set(chunk.meta_data.path_in_schema.join("\u0000"), chunk.meta_data)
  }
  const planned: Array<FlatColumnPlan> = []
  for (const column of columns) {
    if (!column.flat) continue
    const meta = byPath.get(column.name)
    if (meta === undefined) throw new Error(`row group ${index} has no chunk for column ${column.name}`)
    planned.push({
      name: column.name,
      element: column.node.element,
      type: meta.type,
      codec: meta.codec,
      start: chunkStart(meta) - range.start,
      size: Number(meta.total_compressed_size)
    })
  }
  return { index, rows: Number(rowGroup.num_rows), root: metadata.schema[0]!, columns: planned }
}

/**
 * A collector of per-row problems for `rows` rows (messages of one row joined with "; "),
 * starting from `rowErrors` when given.
 */
export const problemsOf = (rows: number, rowErrors?: Array<string | null>) => ({
  set(row: number, message: string) {
    rowErrors ??= new Array<string | null>(rows).fill(null)
    const previous = rowErrors[row]
    rowErrors[row] = previous === null || previous === undefined ? message : `${previous}; ${message}`
  },
  get: () => rowErrors
})

/** What hyparquet's page primitives need to know of a planned column. */
const decoderOf = (plan: FlatPlan, column: FlatColumnPlan, compressors: Compressors): ColumnDecoder => {
  const node: SchemaTree = { children: [], count: 1, element: column.element, path: [column.name] }
  return {
    pathInSchema: [column.name],
    type: column.type,
    element: column.element,
    schemaPath: [{ children: [], count: 1, element: plan.root, path: [] }, node],
    codec: column.codec,
    parsers: PARSERS,
    compressors,
    utf8: true
  }
}

/** Runs `f`, naming the row group and column in any error it throws. */
const inColumn = <A>(plan: FlatPlan, column: FlatColumnPlan, f: () => A): A => {
  try {
    return f()
  } catch (cause) {
    throw new Error(`row group ${plan.index}, column ${column.name}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause
    })
  }
}

/**
 * Decodes rows `[from, to)` of a row group's flat columns from its bytes (see {@link flatPlan}):
 * synchronous, no file needed, so another thread can do it. Problems are by row of the range.
 */
export const decodeFlat = (
  plan: FlatPlan,
  bytes: Uint8Array,
  compressors: Compressors,
  from = 0,
  to = plan.rows
): DecodedGroup => flatBatches(plan, bytes, compressors, from, to).next(to - from)

/**
 * Rows `[from, to)` of a row group's flat columns (see {@link flatPlan}) decoded in order, a
 * batch at a time: `next(count)` gives the next `count` rows (fewer at the end, none after it),
 * problems by row of the batch. Each page is decompressed once, however many batches it spans.
 * With `keepPlain`, each batch also carries its PLAIN text columns' bytes (`DecodedGroup.plain`).
 * With `pages`, PLAIN text pages are held in that pool's memory: a batch's `plain` bytes are then
 * valid only until the next `next` call, and `release()` (once the batches are done) gives the
 * last pages' memory back.
 */
export const flatBatches = (
  plan: FlatPlan,
  bytes: Uint8Array,
  compressors: Compressors,
  from = 0,
  to = plan.rows,
  keepPlain = false,
  pages?: BufferPool
): { readonly next: (count: number) => DecodedGroup; readonly release: () => void } => {
  const cursors = plan.columns.map((column) => ({
    column,
    cursor: new FlatColumnCursor(
      bytes.subarray(column.start, column.start + column.size),
      decoderOf(plan, column, compressors),
      plan.rows,
      keepPlain,
      pages
    )
  }))
  let row = from
  return {
    release: () => {
      if (pages !== undefined) for (const { cursor } of cursors) cursor.release()
    },
    next: (count) => {
      const end = Math.max(row, Math.min(to, row + count))
      const length = end - row
      const problems = problemsOf(length)
      const data: Record<string, Array<string | null>> = Object.create(null)
      const plain: Record<string, Uint8Array> | undefined = keepPlain ? Object.create(null) : undefined
      for (const { column, cursor } of cursors) {
        const out = new Array<string | null>(length)
        const bad = (at: number, why: string) => problems.set(at, `column ${column.name}: ${why}`)
        inColumn(plan, column, () => cursor.take(row, end, out, 0, bad))
        data[column.name] = out
        if (plain !== undefined) {
          const bytes = cursor.takenPlain()
          if (bytes !== undefined) plain[column.name] = bytes
        }
      }
      row = end
      return plain === undefined ? { data, length, rowErrors: problems.get() } : { data, length, rowErrors: problems.get(), plain }
    }
  }
}
