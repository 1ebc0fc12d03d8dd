/**
 * The writer interface shared by the Parquet, CSV and JSON Lines writers: a fixed list of
 * typed, nullable columns; chunks in (row or columnar form); bytes out to a `ByteSink`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import { type ByteSink, concat } from "./Bytes.js"
import * as Chunk from "./Chunk.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as DatasetError from "./DatasetError.js"

/** Column types a writer can store. CSV and JSON Lines write them as text / JSON values. */
export type ColumnType = "STRING" | "BOOLEAN" | "DOUBLE" | "INT64"

/** A column to write. `type` defaults to `"STRING"`. All columns are nullable. */
export interface ColumnSpec {
  readonly name: string
  readonly type?: ColumnType
}

/** A resolved column spec. */
export interface Column {
  readonly name: string
  readonly type: ColumnType
}

/** Column names (all STRING) or specs, in output order. */
export type Columns = ReadonlyArray<string | ColumnSpec>

/** Resolves names/specs to columns; fails on duplicates or empty names. */
export const resolveColumns = (file: string, columns: Columns): Effect.Effect<Array<Column>, DatasetError.DatasetError> => {
  const resolved = columns.map((c) => (typeof c === "string" ? { name: c, type: "STRING" as const } : { name: c.name, type: c.type ?? "STRING" }))
  const seen = new Set<string>()
  for (const column of resolved) {
    if (column.name.length === 0) {
      return Effect.fail(DatasetError.make(file, "WriteFailed", "a column has an empty name"))
    }
    if (seen.has(column.name)) {
      return Effect.fail(DatasetError.make(file, "WriteFailed", `column ${column.name} is listed twice`))
    }
    seen.add(column.name)
  }
  return Effect.succeed(resolved)
}

/** A writer of one output file. Obtain one from `Parquet.writer`, `Csv.writer`, `JsonLines.writer`,
 * `Dataset.writer` or `NodeFile.writer`; all are scoped: if the scope closes before `close`
 * succeeded, the output is discarded (a file sink deletes its temp file). */
export interface DatasetWriter {
  readonly file: string
  readonly columns: ReadonlyArray<Column>
  /** Writes rows (one Parquet row group per call). Keys not in `columns` are ignored. */
  readonly write: (rows: ReadonlyArray<Readonly<Record<string, Value>>>) => Effect.Effect<void, DatasetError.DatasetError>
  /** Writes a columnar chunk (one Parquet row group per call). Columns not in `columns` are ignored. */
  readonly writeColumnar: (chunk: ColumnarChunk<Value>) => Effect.Effect<void, DatasetError.DatasetError>
  /**
   * Writes records given as arrays aligned with `columns` (`record[c]` is column `c`): the
   * shape an engine filling one output array per row produces.
   */
  readonly writeRecords: (records: ReadonlyArray<ReadonlyArray<Value>>) => Effect.Effect<void, DatasetError.DatasetError>
  /**
   * Writes a chunk encoded beforehand, possibly in another thread, by this format's detached
   * encoder (`Parquet.encodeRowGroup` for Parquet: one row group). Fails with `WriteFailed`
   * for formats without one, or when the chunk was encoded for other columns. Once it
   * succeeds the writer holds nothing of `chunk.bytes` (the sink has taken the bytes, see
   * `ByteSink.write`): their memory may be reused, e.g. handed back to the thread that encoded
   * the next chunk.
   */
  readonly writeEncoded: (chunk: EncodedChunk) => Effect.Effect<void, DatasetError.DatasetError>
  /** Finishes the file (Parquet footer) and commits the sink. Idempotent. */
  readonly close: Effect.Effect<void, DatasetError.DatasetError>
  /** Rows written so far. */
  readonly rowsWritten: () => number
}

/**
 * A chunk of rows encoded apart from its file (e.g. in a worker thread), to be placed by a
 * writer's `writeEncoded`. Plain data: it can be posted between threads.
 */
export interface EncodedChunk {
  readonly format: string
  readonly rows: number
  readonly bytes: Uint8Array
}

/** What a format contributes: bytes for the start, for each chunk, and for the end. */
export interface FormatEncoder {
  readonly start: () => ReadonlyArray<Uint8Array>
  /** Encodes `length` rows; `values(name)` is a column's values (undefined: all null). */
  readonly encode: (length: number, values: (name: string) => ReadonlyArray<Value> | undefined) => ReadonlyArray<Uint8Array>
  /** Places a chunk encoded apart (formats that have a detached encoder). */
  readonly append?: (chunk: EncodedChunk) => ReadonlyArray<Uint8Array>
  readonly finish: () => ReadonlyArray<Uint8Array>
}

/**
 * Builds a scoped writer from a format encoder and a sink. Internal plumbing shared by the
 * three formats; exported for formats added later.
 */
export const make = (
  file: string,
  sink: ByteSink,
  columns: ReadonlyArray<Column>,
  encoder: FormatEncoder,
  mapEncodeError: (cause: unknown) => DatasetError.DatasetError = DatasetError.fromUnknown(file, "WriteFailed", "could not encode")
): Effect.Effect<DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.gen(function* () {
    let state: "open" | "closed" | "failed" = "open"
    const names = columns.map((c) => c.name)
    let rows = 0
    let started = false
    const lock = yield* Effect.makeSemaphore(1)

    // one sink write per chunk: a Parquet row group is hundreds of small pieces (page headers
    // and bodies), and each write is a round trip to the file system
    const put = (pieces: ReadonlyArray<Uint8Array>) =>
      Effect.tryPromise({
        try: () => {
          if (pieces.length === 0) return Promise.resolve()
          if (pieces.length === 1) return pieces[0]!.length > 0 ? sink.write(pieces[0]!) : Promise.resolve()
          return sink.write(concat(pieces))
        },
        catch: DatasetError.fromUnknown(file, "WriteFailed", "could not write")
      })

    const guarded = <A>(body: Effect.Effect<A, DatasetError.DatasetError>): Effect.Effect<A, DatasetError.DatasetError> =>
      lock.withPermits(1)(
        Effect.suspend(() => {
          if (state === "closed") return Effect.fail(DatasetError.make(file, "WriteFailed", "the writer is already closed"))
          if (state === "failed") return Effect.fail(DatasetError.make(file, "WriteFailed", "an earlier write failed"))
          return body.pipe(Effect.tapError(() => Effect.sync(() => (state = "failed"))))
        })
      )

    const ensureStarted = Effect.suspend(() => {
      if (started) return Effect.void
      started = true
      return Effect.try({ try: () => encoder.start(), catch: mapEncodeError }).pipe(Effect.flatMap(put))
    })

    const writeChunk = (length: number, values: (name: string) => ReadonlyArray<Value> | undefined) =>
      guarded(
        ensureStarted.pipe(
          Effect.zipRight(Effect.try({ try: () => encoder.encode(length, values), catch: mapEncodeError })),
          Effect.flatMap(put),
          Effect.tap(() => Effect.sync(() => (rows += length)))
        )
      )

    const writeEncoded = (chunk: EncodedChunk) => {
      const append = encoder.append
      if (append === undefined) {
        return Effect.fail(DatasetError.make(file, "WriteFailed", "this format cannot take chunks encoded beforehand"))
      }
      if (chunk.rows === 0) return Effect.void
      return guarded(
        ensureStarted.pipe(
          Effect.zipRight(Effect.try({ try: () => append(chunk), catch: mapEncodeError })),
          Effect.flatMap(put),
          Effect.tap(() => Effect.sync(() => (rows += chunk.rows)))
        )
      )
    }

    yield* Effect.addFinalizer(() =>
      state === "closed" ? Effect.void : Effect.promise(() => sink.abort().catch(() => undefined))
    )

    const writer: DatasetWriter = {
      file,
      columns,
      rowsWritten: () => rows,
      writeEncoded,
      writeColumnar: (chunk) => (chunk.length === 0 ? Effect.void : writeChunk(chunk.length, (name) => chunk.data[name])),
      write: (input) => {
        if (input.length === 0) return Effect.void
        return Effect.suspend(() => {
          const arrays = Chunk.transpose(input, names) as Array<Array<Value>>
          const data: Record<string, Array<Value>> = Object.create(null)
          for (let c = 0; c < names.length; c++) data[names[c]!] = arrays[c]!
          return writeChunk(input.length, (name) => data[name])
        })
      },
      writeRecords: (records) => {
        if (records.length === 0) return Effect.void
        return Effect.suspend(() => {
          const data: Record<string, Array<Value>> = Object.create(null)
          for (let c = 0; c < columns.length; c++) {
            const array = new Array<Value>(records.length)
            for (let i = 0; i < records.length; i++) array[i] = records[i]![c]
            data[columns[c]!.name] = array
          }
          return writeChunk(records.length, (name) => data[name])
        })
      },
      close: lock.withPermits(1)(
        Effect.suspend(() => {
          if (state === "closed") return Effect.void
          if (state === "failed") return Effect.fail(DatasetError.make(file, "WriteFailed", "an earlier write failed"))
          return ensureStarted.pipe(
            Effect.zipRight(Effect.try({ try: () => encoder.finish(), catch: mapEncodeError })),
            Effect.flatMap(put),
            Effect.zipRight(
              Effect.tryPromise({
                try: () => sink.close(),
                catch: DatasetError.fromUnknown(file, "WriteFailed", "could not commit the output")
              })
            ),
            Effect.onExit((exit) => Effect.sync(() => (state = Exit.isSuccess(exit) ? "closed" : "failed")))
          )
        })
      )
    }
    return writer
  })
