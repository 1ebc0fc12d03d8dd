/**
 * Local files (node:fs): byte sources over a file handle (positional reads, so Parquet reads
 * only the footer and one row group at a time), atomic file sinks (temp file + rename), and
 * the format-generic readers, writers and `convert` over paths.
 *
 * The only module of this package that touches the file system.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Row } from "./AddressColumns.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import type { ColumnarChunk } from "./Chunk.js"
import * as Dataset from "./Dataset.js"
import * as DatasetError from "./DatasetError.js"
import type * as DatasetWriter from "./DatasetWriter.js"
import * as NodeSnappy from "./NodeSnappy.js"

const errorCode = (cause: unknown): string | undefined => {
  const code = (cause as { code?: unknown } | null)?.code
  return typeof code === "string" ? code : undefined
}

const openError = (file: string) => (cause: unknown): DatasetError.DatasetError => {
  const code = errorCode(cause)
  if (code === "ENOENT" || code === "ENOTDIR") return DatasetError.make(file, "NotFound", "no such file", { cause })
  if (code === "EACCES" || code === "EPERM") return DatasetError.make(file, "ReadFailed", "permission denied", { cause })
  if (code === "EISDIR") return DatasetError.make(file, "ReadFailed", "is a directory, not a file", { cause })
  return DatasetError.make(file, "ReadFailed", `cannot open: ${DatasetError.describe(cause)}`, { cause })
}

/**
 * A byte source over a local file, open for the scope. `slice` reads just the requested
 * range with a positional read; `readInto` reads it into the caller's memory.
 */
export const source = (file: string): Effect.Effect<ByteSource, DatasetError.DatasetError, Scope.Scope> =>
  Effect.gen(function* () {
    const handle = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => fs.open(file, "r"), catch: openError(file) }),
      (h) => Effect.promise(() => h.close().catch(() => undefined))
    )
    const stat = yield* Effect.tryPromise({ try: () => handle.stat(), catch: openError(file) })
    if (stat.isDirectory()) return yield* Effect.fail(DatasetError.make(file, "ReadFailed", "is a directory, not a file"))
    const byteLength = stat.size
    const readFully = async (target: Uint8Array, from: number) => {
      let done = 0
      while (done < target.length) {
        const { bytesRead } = await handle.read(target, done, target.length - done, from + done)
        if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${from + done} (did the file shrink?)`)
        done += bytesRead
      }
    }
    const byteSource: ByteSource = {
      byteLength,
      slice: async (start, end) => {
        const from = Math.max(0, Math.min(start, byteLength))
        const to = Math.max(from, Math.min(end, byteLength))
        const buffer = new Uint8Array(to - from)
        await readFully(buffer, from)
        return buffer.buffer
      },
      readInto: async (start, target) => {
        if (start < 0 || start + target.length > byteLength) {
          throw new Error(`bytes ${start}-${start + target.length} are outside the file (${byteLength} bytes)`)
        }
        await readFully(target, start)
      }
    }
    return byteSource
  })

/** A file sink's temp file name: hidden, next to the target (same file system), unique. */
export const tempPathFor = (file: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`)

/**
 * An atomic file sink: bytes go to a temp file next to `file`; `close` flushes it to disk and
 * renames it over `file`; `abort` deletes it. Readers of `file` never see a partial output.
 */
export const sink = (file: string): Effect.Effect<ByteSink, DatasetError.DatasetError> =>
  Effect.tryPromise({
    try: async () => {
      const temp = tempPathFor(file)
      const handle = await fs.open(temp, "wx")
      let open = true
      const finish = async () => {
        if (open) {
          open = false
          await handle.close()
        }
      }
      const byteSink: ByteSink = {
        write: async (bytes) => {
          let done = 0
          while (done < bytes.length) {
            const { bytesWritten } = await handle.write(bytes, done, bytes.length - done)
            done += bytesWritten
          }
        },
        close: async () => {
          await handle.datasync()
          await finish()
          await fs.rename(temp, file)
        },
        abort: async () => {
          await finish().catch(() => undefined)
          await fs.rm(temp, { force: true })
        }
      }
      return byteSink
    },
    catch: (cause) => {
      const code = errorCode(cause)
      const why =
        code === "ENOENT"
          ? `the directory ${path.dirname(file)} does not exist`
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : `cannot create: ${DatasetError.describe(cause)}`
      return DatasetError.make(file, "WriteFailed", why, { cause })
    }
  })

/** Reads a local file (any format) in columnar chunks. See `Dataset.readColumnar`. */
export const readColumnar = (
  file: string,
  options: Dataset.ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> =>
  Stream.unwrapScoped(Effect.map(source(file), (src) => Dataset.readColumnar(src, file, options)))

/** The columns reading a local file will produce. See `Dataset.columnsOf`. */
export const columnsOf = (
  file: string,
  options: Dataset.ReadOptions = {}
): Effect.Effect<ReadonlyArray<string>, DatasetError.DatasetError> =>
  Effect.scoped(Effect.flatMap(source(file), (src) => Dataset.columnsOf(src, file, options)))

/** Reads a local file (any format) in row chunks. See `Dataset.read`. */
export const read = (file: string, options: Dataset.ReadOptions = {}): Stream.Stream<ReadonlyArray<Row>, DatasetError.DatasetError> =>
  Stream.unwrapScoped(Effect.map(source(file), (src) => Dataset.read(src, file, options)))

/** Options for {@link writer}. */
export interface WriterOptions extends Dataset.WriteOptions {
  /**
   * Told every byte written to the file, in order, before it is written (e.g. to hash the file
   * as it is made instead of reading it again). The bytes may be reused once the call returns.
   */
  readonly onWrite?: ((bytes: Uint8Array) => void) | undefined
}

/** `sink` with every write told to `onWrite` first. */
const observed = (s: ByteSink, onWrite: ((bytes: Uint8Array) => void) | undefined): ByteSink =>
  onWrite === undefined ? s : {
    write: (bytes) => {
      onWrite(bytes)
      return s.write(bytes)
    },
    close: () => s.close(),
    abort: () => s.abort()
  }

/**
 * A writer to a local file (format from the extension or `options.format`), written
 * atomically: nothing appears at `file` until `close` succeeds; if the scope ends first, the
 * temp file is removed. Parquet pages are compressed with `NodeSnappy.compressor()` (native
 * when the optional `snappy` package loads) unless `options.parquet.snappy` says otherwise.
 */
export const writer = (
  file: string,
  columns: DatasetWriter.Columns,
  options: WriterOptions = {}
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.flatMap(sink(file), (s) =>
    Dataset.writer(observed(s, options.onWrite), file, columns, { ...options, parquet: { snappy: NodeSnappy.compressor(), ...options.parquet } }).pipe(
      // if building the writer fails, the sink must still be discarded
      Effect.tapError(() => Effect.promise(() => s.abort().catch(() => undefined)))
    )
  )

/** Writes a stream of chunks to a local file atomically; returns the number of rows. */
export const writeAll = <E, R>(
  file: string,
  columns: DatasetWriter.Columns,
  chunks: Stream.Stream<ColumnarChunk | ReadonlyArray<Row>, E, R>,
  options: Dataset.WriteOptions = {}
): Effect.Effect<number, DatasetError.DatasetError | E, R> =>
  Effect.scoped(Effect.flatMap(writer(file, columns, options), (w) => Dataset.writeAll(w, chunks)))

/** Options for {@link convert}. */
export interface ConvertOptions extends Dataset.ConvertOptions {
  /**
   * Told how far into the input the conversion got: the furthest byte read so far (the
   * readers read a file front to back), never decreasing.
   */
  readonly onBytes?: ((bytesRead: number) => void) | undefined
}

/**
 * Converts `inputFile` to `outputFile` (formats from the extensions: CSV/JSONL ↔ Parquet and
 * any other pair), streaming; the output is written atomically. Parquet pages are compressed
 * with `NodeSnappy.compressor()` unless `options.parquet.snappy` says otherwise.
 */
export const convert = (
  inputFile: string,
  outputFile: string,
  options: ConvertOptions = {}
): Effect.Effect<{ readonly rows: number; readonly columns: ReadonlyArray<string> }, DatasetError.DatasetError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const input = yield* source(inputFile)
      const output = yield* sink(outputFile)
      const { onBytes, ...rest } = options
      let furthest = 0
      const seen = (end: number) => {
        if (end > furthest) onBytes!(furthest = end)
      }
      const tracked: ByteSource = onBytes === undefined ? input : {
        byteLength: input.byteLength,
        slice: (start, end) => input.slice(start, end).then((bytes) => (seen(end), bytes)),
        ...(input.readInto !== undefined
          ? { readInto: (start: number, target: Uint8Array) => input.readInto!(start, target).then(() => seen(start + target.length)) }
          : {})
      }
      return yield* Dataset.convert({ source: tracked, file: inputFile }, { sink: output, file: outputFile }, {
        ...rest,
        parquet: { snappy: NodeSnappy.compressor(), ...rest.parquet }
      }).pipe(
        Effect.tapError(() => Effect.promise(() => output.abort().catch(() => undefined)))
      )
    })
  )
