/**
 * One row group through the address engine: the records (arrays aligned with the engine's
 * columns) the output writer takes. A row the reader could not turn into text (marked with
 * the dataset's `RowError`) becomes an error row (`ErrorType` "InvalidValue", the reader's
 * message) and the rest of the chunk goes on. What the job runner does per row group, shared
 * with the benchmark so it measures exactly that.
 *
 * @since 0.1.0
 */
import type * as Engine from "@geojobs/address/Engine"
import type { Cell } from "@geojobs/address/Output"
import { RowError } from "@geojobs/dataset/AddressColumns"
import * as Chunk from "@geojobs/dataset/Chunk"

/** Where `ErrorType` sits in an engine's columns (computed once per file). */
export const errorTypeIndex = (engine: Engine.Engine): number => engine.columns.findIndex((c) => c.name === "ErrorType")

/** Validates every row of a columnar chunk. */
export const validateChunk = (
  engine: Engine.Engine,
  errorTypeAt: number,
  chunk: Chunk.ColumnarChunk
): Array<Array<Cell>> => {
  const rows = Chunk.toRows(chunk)
  const records: Array<Array<Cell>> = new Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const out: Array<Cell> = []
    const input = rows[r]!
    engine.validateInto(input, out)
    const problem = input[RowError]
    if (typeof problem === "string") {
      out[errorTypeAt] = "InvalidValue"
      out[errorTypeAt + 1] = problem
      for (let c = errorTypeAt + 2; c < out.length; c++) out[c] = null
    }
    records[r] = out
  }
  return records
}
