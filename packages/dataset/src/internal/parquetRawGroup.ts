/**
 * Decoding a row group fetched whole and not yet decoded (`Parquet.RawRowGroup`): all of it at
 * once, or in batches of rows. Synchronous, for the thread that then uses the rows.
 *
 * @internal
 */
import type { Compressors } from "hyparquet"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { ColumnarChunk } from "../Chunk.js"
import * as DatasetError from "../DatasetError.js"
import type { PagePool, RawRowGroup } from "../Parquet.js"
import { defaultCompressors } from "./parquetCompressors.js"
import { decodeFlat, flatBatches } from "./parquetFlat.js"

const undecodable = (raw: RawRowGroup, cause: unknown): DatasetError.DatasetError =>
  DatasetError.make(raw.file, "UnreadableParquet", `cannot decode row group ${raw.plan.index}: ${DatasetError.describe(cause)}`, {
    cause
  })

/** Rows `[from, to)` of `raw` as one columnar chunk (see `Parquet.decodeRaw`). */
export const decodeRaw = (
  raw: RawRowGroup,
  from = 0,
  to = raw.length,
  compressors: Compressors = defaultCompressors
): Effect.Effect<ColumnarChunk, DatasetError.DatasetError> =>
  Effect.try({
    try: () => {
      const decoded = decodeFlat(raw.plan, raw.bytes, compressors, from, to)
      const chunk: ColumnarChunk = {
        columns: raw.plan.columns.map((c) => c.name),
        data: decoded.data,
        length: decoded.length,
        ...(decoded.rowErrors !== undefined ? { rowErrors: decoded.rowErrors } : {})
      }
      return chunk
    },
    catch: (cause) => undecodable(raw, cause)
  })

/** Rows `[from, to)` of `raw`, a batch at a time (see `Parquet.decodeRawBatches`). */
export const decodeRawBatches = (
  raw: RawRowGroup,
  from = 0,
  to = raw.length,
  compressors: Compressors = defaultCompressors,
  options: { readonly keepPlain?: boolean; readonly pages?: PagePool | undefined } = {}
): {
  readonly next: (count: number) => Effect.Effect<ColumnarChunk, DatasetError.DatasetError>
  readonly nextEither: (count: number) => Either.Either<ColumnarChunk, DatasetError.DatasetError>
  readonly release: () => void
} => {
  const batches = flatBatches(raw.plan, raw.bytes, compressors, from, to, options.keepPlain === true, options.pages)
  const columns = raw.plan.columns.map((c) => c.name)
  const nextEither = (count: number): Either.Either<ColumnarChunk, DatasetError.DatasetError> => {
    try {
      const decoded = batches.next(count)
      const chunk: ColumnarChunk = {
        columns,
        data: decoded.data,
        length: decoded.length,
        ...(decoded.rowErrors !== undefined ? { rowErrors: decoded.rowErrors } : {}),
        ...(decoded.plain !== undefined ? { plain: decoded.plain } : {})
      }
      return Either.right(chunk)
    } catch (cause) {
      return Either.left(undecodable(raw, cause))
    }
  }
  return { next: (count) => Effect.suspend(() => nextEither(count)), nextEither, release: batches.release }
}
