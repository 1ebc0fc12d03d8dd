/**
 * Decoding one Parquet row group into string columns, from the row group's bytes only.
 *
 * Flat columns (the normal case: one leaf under the root) are decoded page by page with
 * hyparquet's primitives (`./parquetFlat.ts`, `./parquetColumnCursor.ts`), except that PLAIN
 * strings are cut straight out of the page bytes instead of becoming one `Uint8Array` and one
 * `TextDecoder` call each, and nulls are placed directly instead of going through hyparquet's
 * generic Dremel assembly: much faster than `parquetRead` for address data (figures: the bench).
 *
 * Nested columns (lists, structs, maps) are the fallback here: read with hyparquet's own
 * `parquetRead` for the same row group; each non-null cell becomes a per-row problem (it cannot
 * be a string).
 */
import type { AsyncBuffer, Compressors, FileMetaData } from "hyparquet"
import { parquetRead } from "hyparquet"
import { decodeFlat, flatPlan, problemsOf } from "./parquetFlat.js"
import type { DecodedGroup, TopColumn } from "./parquetRowGroup.js"
import { NotText, toText } from "./parquetText.js"

/**
 * Decodes row group `index`. `bytes` holds the file range `[range.start, range.end)` (see
 * {@link rowGroupRange}); nested columns are read through `file`, which only serves that range
 * from `bytes`.
 */
export const decodeRowGroup = async (options: {
  readonly metadata: FileMetaData
  readonly columns: ReadonlyArray<TopColumn>
  readonly index: number
  readonly firstRow: number
  readonly bytes: Uint8Array
  readonly range: { readonly start: number; readonly end: number }
  readonly file: AsyncBuffer
  readonly compressors: Compressors
}): Promise<DecodedGroup> => {
  const { metadata, columns, index, firstRow, bytes, range, compressors } = options
  const plan = flatPlan(metadata, columns, index, range)
  const rows = plan.rows
  const flat = decodeFlat(plan, bytes, compressors)
  const problems = problemsOf(rows, flat.rowErrors)
  const data = flat.data
  const nested = columns.filter((column) => !column.flat)
  if (nested.length > 0) {
    const got: Record<string, Array<unknown>> = Object.create(null)
    for (const column of nested) got[column.name] = []
    await parquetRead({
      file: options.file,
      metadata,
      columns: nested.map((column) => column.name),
      rowStart: firstRow,
      rowEnd: firstRow + rows,
      compressors,
      onChunk: (chunk) => {
        const target = got[chunk.columnName]
        if (target === undefined) return
        const base = chunk.rowStart - firstRow
        for (let i = 0; i < chunk.columnData.length; i++) target[base + i] = chunk.columnData[i]
      }
    })
    for (const column of nested) {
      const values = got[column.name]!
      const out = new Array<string | null>(rows)
      for (let i = 0; i < rows; i++) {
        const value = values[i]
        if (value === null || value === undefined) {
          out[i] = null
        } else {
          const text = toText(value)
          if (text instanceof NotText) {
            problems.set(i, `column ${column.name}: ${text.why}`)
            out[i] = null
          } else {
            out[i] = text
          }
        }
      }
      data[column.name] = out
    }
  }
  // columns in file order
  const ordered: Record<string, Array<string | null>> = Object.create(null)
  for (const column of columns) ordered[column.name] = data[column.name]!
  return { data: ordered, length: rows, rowErrors: problems.get() }
}
