/**
 * CSV/TSV → Parquet on worker threads (Node only): the conversion `NodeFile.convert` does in one
 * thread, spread over the cores, for the large files where it takes seconds.
 *
 * The main thread reads the header (as `Csv` reads it: dialect, names mapped, the address-column
 * check), then reads the file block by block and cuts it into pieces of whole records
 * ({@link cutter}): it follows the double quotes (a quote toggles "inside a quoted field", so
 * `""` toggles twice), and a record delimiter outside quotes ends a record. Each piece goes to a
 * worker (`CsvParquetWorker`), which reads its records ({@link readRecords}, or csv-parse with
 * the serial reader's options when that cannot) and encodes them as one Parquet row group; the
 * main thread writes the row groups in file order. At most two pieces per worker are being read
 * or waiting to be written: reading pauses until one is written, so memory stays bounded
 * whatever the file's size.
 *
 * Same rows, columns and values as the serial conversion (not the same bytes: the row groups
 * are pieces, not 10,000-row chunks, and pages are compressed with `NodeSnappy`), and never
 * another error: whenever this path cannot be sure of giving what the serial one gives (a small
 * file, UTF-16 text, a header it does not find in the first MiB), or meets anything wrong (a
 * piece that does not parse, invalid UTF-8, a write that fails), it converts the whole file again
 * with `NodeFile.convert`, whose result or error is the answer. A bad file is rare; its message
 * matters more than the seconds spent on it. Only a worker thread that dies fails the
 * conversion by itself.
 *
 * Why cutting at quotes is safe: csv-parse (quote `"`, escape `"`, no comments, no trimming)
 * opens a quoted field only at the start of a field and fails on a quote anywhere else outside
 * one, so for every file the serial reader accepts, the quote parity is its own state. A file it
 * rejects may be cut in the wrong places after its first error, but the piece holding that error
 * starts at a true record boundary, fails in its worker the same way, and the file is converted
 * again serially. The record delimiter is the one csv-parse would discover (the first line
 * break outside quotes: `\r\n`, `\n` or `\r`), given to the workers explicitly, and a line break
 * of another kind stays inside its field as it does serially.
 *
 * @since 0.1.0
 */
import { parse as parseSync } from "csv-parse/sync"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import { isUtf8 } from "node:buffer"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import * as Contract from "./Contract.js"
import * as Csv from "./Csv.js"
import type { PieceReply, PieceTask, WorkerSetup } from "./CsvParquetWorker.js"
import * as DatasetError from "./DatasetError.js"
import * as Format from "./Format.js"
import * as NodeFile from "./NodeFile.js"
import type * as Parquet from "./Parquet.js"
import * as TextEncoding from "./TextEncoding.js"

/** Options for {@link convertCsvToParquet}. */
export interface ConvertOptions {
  /** The input's format. Default: TSV for a `.tsv`/`.tab` name, else CSV. */
  readonly inputFormat?: "csv" | "tsv" | undefined
  /** Field delimiter. Default: detected as `Csv` detects it (a tab for TSV). */
  readonly delimiter?: string | undefined
  /** Fail with `NoAddressColumns` unless an address column is among the mapped headers. Default `false`. */
  readonly requireAddressColumns?: boolean | undefined
  /** Worker threads. Default {@link defaultWorkers}. */
  readonly workers?: number | undefined
  /** Called as the conversion gets further into the input, with the bytes read so far (never decreasing). */
  readonly onBytes?: ((bytesRead: number) => void) | undefined
  /**
   * Parquet options of the output. Pages are compressed with `NodeSnappy.compressor()`, in the
   * workers as in a serial conversion (a compressor function cannot cross threads).
   */
  readonly parquet?: Omit<Parquet.WriteOptions, "snappy"> | undefined
}

/**
 * Sizes the defaults of which were chosen by measuring a 100 MB file; tests make them small to
 * cut a small file into many pieces.
 *
 * @internal
 */
export interface Tuning {
  /** Files smaller than this are converted serially (no worker start-up). Default 8 MiB. */
  readonly minBytes?: number | undefined
  /** A piece ends at the first record end past this many bytes. Default 16 MiB. */
  readonly pieceBytes?: number | undefined
  /** ...or at this many record ends, whichever comes first. Default 100,000. */
  readonly pieceRows?: number | undefined
  /** Bytes read from the file at a time. Default 4 MiB. */
  readonly blockBytes?: number | undefined
  /** Called when the file is converted serially, with why. */
  readonly onSerial?: ((why: string) => void) | undefined
}

/**
 * Worker threads by default: one per core, at most 4 (the main thread, which reads and cuts the
 * file, takes about a third of the time a worker takes over the same bytes).
 */
export const defaultWorkers = (): number => Math.max(1, Math.min(os.availableParallelism(), 4))

const defaults = {
  minBytes: 8 << 20,
  pieceBytes: 16 << 20,
  pieceRows: 100_000,
  blockBytes: 4 << 20
} as const

/** The longest header (in bytes, from the start of the file) read here; a longer one is left to the serial reader. */
const maxHeaderBytes = 1 << 20

/** Empty lines before the header tried here; more are left to the serial reader. */
const maxHeaderAttempts = 64

const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a

/** The record delimiters csv-parse discovers. */
export type RecordDelimiter = "\n" | "\r\n" | "\r"

/** Convert serially instead (why, for `onSerial`): the serial path's result or error is the answer. */
class Serially {
  readonly _tag = "Serially"
  constructor(readonly why: string) {}
}

const serially = (why: string) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Serially, R> =>
  Effect.mapError(effect, (e) => new Serially(`${why}: ${DatasetError.describe(e)}`))

/** A piece's rows as the worker encoded them. */
interface Done {
  readonly rows: number
  readonly group: Parquet.EncodedRowGroup | null
}

type Failure = DatasetError.DatasetError | Serially

/** What the main thread learns from the start of the file. */
interface Head {
  /** The header record's fields, as csv-parse reads them. */
  readonly header: ReadonlyArray<string>
  /** The file offset of the first byte after the header record. */
  readonly dataStart: number
  readonly recordDelimiter: RecordDelimiter
}

/**
 * The header record of a UTF-8 text whose first `bytes` are given (a byte-order mark of `bom`
 * bytes first), read as the serial reader reads it; undefined when it is not found in `bytes`
 * (left to the serial reader). Throws what csv-parse throws.
 */
const readHead = (bytes: Uint8Array, bom: number, delimiter: string): Head | undefined => {
  let inQuotes = false
  let recordDelimiter: RecordDelimiter | undefined
  let attempts = 0
  for (let i = bom; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === QUOTE) {
      inQuotes = !inQuotes
      continue
    }
    if (inQuotes || (b !== CR && b !== LF)) continue
    // csv-parse takes the first line break outside quotes as the record delimiter
    if (b === CR && i + 1 === bytes.length) return undefined
    recordDelimiter ??= b === LF ? "\n" : bytes[i + 1] === LF ? "\r\n" : "\r"
    let end: number
    if (recordDelimiter === "\r\n") {
      if (b !== CR || bytes[i + 1] !== LF) continue
      end = i + 2
    } else {
      if (b !== (recordDelimiter === "\n" ? LF : CR)) continue
      end = i + 1
    }
    if (++attempts > maxHeaderAttempts) return undefined
    // the serial reader's options (with the delimiter it would discover), over the text so far
    const records = parseSync(Buffer.from(bytes.buffer, bytes.byteOffset + bom, end - bom), {
      bom: true,
      ...Csv.parserOptions(delimiter),
      record_delimiter: recordDelimiter
    }) as Array<Array<string>>
    if (records.length === 1) {
      if (!isUtf8(bytes.subarray(bom, end))) return undefined
      return { header: records[0]!, dataStart: end, recordDelimiter }
    }
    if (records.length > 1) return undefined
    // only empty lines so far
    i = end - 1
  }
  return undefined
}

/**
 * Cuts consecutive blocks of a file into pieces of whole records (see the module's comment):
 * a piece ends at the first record end outside quotes once it holds `pieceBytes` bytes or
 * `pieceRows` record ends.
 *
 * @internal
 */
export const cutter = (recordDelimiter: RecordDelimiter, pieceBytes: number, pieceRows: number) => {
  const last = recordDelimiter === "\r" ? CR : LF
  const crlf = recordDelimiter === "\r\n"
  let inQuotes = false
  let previous = 0
  /** The current piece so far: views of earlier blocks. */
  let parts: Array<Uint8Array> = []
  let length = 0
  let records = 0
  const join = (tail: Uint8Array): Uint8Array => {
    const piece = new Uint8Array(length + tail.length)
    let at = 0
    for (const part of parts) {
      piece.set(part, at)
      at += part.length
    }
    piece.set(tail, at)
    parts = []
    length = 0
    records = 0
    return piece
  }
  return {
    /** The pieces that end in `block` (each in memory of its own); the rest is kept for the next. */
    push: (block: Uint8Array): Array<Uint8Array> => {
      const pieces: Array<Uint8Array> = []
      const size = block.length
      let start = 0
      // the state in locals while scanning: this loop is the main thread's share of the work
      let quoted = inQuotes
      let count = records
      let carried = length
      for (let i = 0; i < size; i++) {
        const b = block[i]!
        if (b === QUOTE) {
          quoted = !quoted
        } else if (
          b === last && !quoted && (!crlf || (i > 0 ? block[i - 1] : previous) === CR) &&
          (++count >= pieceRows || carried + i + 1 - start >= pieceBytes)
        ) {
          pieces.push(join(block.subarray(start, i + 1)))
          start = i + 1
          carried = 0
          count = 0
        }
      }
      inQuotes = quoted
      records = count
      if (start < size) {
        parts.push(block.subarray(start))
        length += size - start
      }
      if (size > 0) previous = block[size - 1]!
      return pieces
    },
    /** The last piece: what follows the last record end (a last line without a line break). */
    end: (): Uint8Array | undefined => (length === 0 ? undefined : join(new Uint8Array(0)))
  }
}

/**
 * Reads `text` (whole records) as csv-parse reads it with the serial reader's options (quote and
 * escape `"`, `relax_column_count`, `skip_empty_lines`, no byte-order mark) and `recordDelimiter`
 * given, calling `field(index, value)` for each field and `record(fields)` at the end of each
 * record; about fifteen times faster than csv-parse, for the common case only. It reads a
 * stricter grammar: a field is either unquoted, without any quote, up to the next delimiter or
 * record delimiter, or quoted from its first character, its quotes doubled, the closing quote
 * followed by a delimiter, a record delimiter or the end. csv-parse reads such a text the same
 * way (it fails on a quote inside an unquoted field and on anything else after a closing quote);
 * on anything else this throws, and the caller asks csv-parse, whose answer stands.
 * `delimiter` is one UTF-16 code unit, none of `"`, CR or LF.
 *
 * @internal
 */
export const readRecords = (
  text: string,
  delimiter: string,
  recordDelimiter: RecordDelimiter,
  field: (index: number, value: string) => void,
  record: (fields: number) => void
): void => {
  const n = text.length
  const d = delimiter.charCodeAt(0)
  let pos = 0
  // the next delimiter, record delimiter and quote at or after `pos` (-1: none left), found
  // once and reused until passed, so each is searched for in one sweep of the text
  let nextDelimiter = -2
  let nextRecord = -2
  let nextQuote = -2
  while (pos < n) {
    if (text.startsWith(recordDelimiter, pos)) {
      // an empty line: no record
      pos += recordDelimiter.length
      continue
    }
    let index = 0
    for (;;) {
      let end: number
      if (text.charCodeAt(pos) === QUOTE) {
        let from = pos + 1
        let value = ""
        for (;;) {
          const quote = text.indexOf("\"", from)
          if (quote < 0) throw new Error("a quote is not closed")
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(from, quote + 1)
            from = quote + 2
            continue
          }
          value += text.slice(from, quote)
          end = quote + 1
          break
        }
        if (end < n && text.charCodeAt(end) !== d && !text.startsWith(recordDelimiter, end)) {
          throw new Error("text after a closing quote")
        }
        field(index++, value)
      } else {
        if (nextDelimiter !== -1 && nextDelimiter < pos) nextDelimiter = text.indexOf(delimiter, pos)
        if (nextRecord !== -1 && nextRecord < pos) nextRecord = text.indexOf(recordDelimiter, pos)
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf("\"", pos)
        end = nextRecord === -1 ? n : nextRecord
        if (nextDelimiter !== -1 && nextDelimiter < end) end = nextDelimiter
        if (nextQuote !== -1 && nextQuote < end) throw new Error("a quote inside an unquoted field")
        field(index++, text.slice(pos, end))
      }
      if (end >= n) {
        pos = n
        break
      }
      if (text.charCodeAt(end) === d) {
        // a delimiter last in the text still ends a field: an empty one follows
        pos = end + 1
        continue
      }
      pos = end + recordDelimiter.length
      break
    }
    record(index)
  }
}

// Run from the TypeScript sources (tests, tsx), a worker thread does not inherit its process's
// TypeScript loader, so it starts through a shim that loads one; compiled (this package's dist/,
// or an app bundle that emits CsvParquetWorker.js beside its chunks) it starts on the JavaScript.
const entry = import.meta.url.endsWith(".ts")
  ? new URL("./CsvParquetWorkerFromSource.mjs", import.meta.url)
  : new URL("./CsvParquetWorker.js", import.meta.url)

interface Slot {
  readonly worker: Worker
  /** The pieces it has been given and not answered yet. */
  readonly pending: Map<number, Deferred.Deferred<Done, Failure>>
}

/** Worker threads for the scope: `run` gives a piece to the least busy; all are terminated when the scope closes. */
const workers = (count: number, setup: WorkerSetup, file: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const slots: Array<Slot> = []
      let closing = false
      let lost: DatasetError.DatasetError | undefined
      const lose = (why: string) => {
        if (closing || lost !== undefined) return
        lost = DatasetError.make(file, "ReadFailed", `could not convert to Parquet: ${why}`)
        for (const slot of slots) {
          for (const deferred of slot.pending.values()) Deferred.unsafeDone(deferred, Exit.fail(lost))
          slot.pending.clear()
        }
      }
      const spawn = () => {
        const worker = new Worker(entry, { workerData: setup })
        const slot: Slot = { worker, pending: new Map() }
        worker.on("message", (reply: PieceReply) => {
          const deferred = slot.pending.get(reply.index)
          if (deferred === undefined) return
          slot.pending.delete(reply.index)
          Deferred.unsafeDone(
            deferred,
            "error" in reply
              ? Exit.fail(new Serially(`piece ${reply.index} could not be read: ${reply.error}`))
              : Exit.succeed({ rows: reply.rows, group: reply.group })
          )
        })
        worker.on("error", (error) => lose(`a worker thread failed: ${DatasetError.describe(error)}`))
        worker.on("messageerror", (error) => lose(`a worker thread's answer could not be read: ${DatasetError.describe(error)}`))
        worker.on("exit", (code) => lose(`a worker thread stopped (exit code ${code})`))
        slots.push(slot)
      }
      try {
        for (let i = 0; i < count; i++) spawn()
      } catch (e) {
        lose(`could not start a worker thread: ${DatasetError.describe(e)}`)
      }
      const run = (index: number, bytes: Uint8Array): Effect.Effect<Deferred.Deferred<Done, Failure>> =>
        Effect.flatMap(Deferred.make<Done, Failure>(), (deferred) =>
          Effect.sync(() => {
            let slot = slots[0]
            for (const other of slots) if (slot === undefined || other.pending.size < slot.pending.size) slot = other
            if (lost !== undefined || slot === undefined) {
              Deferred.unsafeDone(deferred, Exit.fail(lost ?? DatasetError.make(file, "ReadFailed", "could not convert to Parquet: no worker thread")))
              return deferred
            }
            slot.pending.set(index, deferred)
            const task: PieceTask = { index, bytes }
            slot.worker.postMessage(task, [bytes.buffer as ArrayBuffer])
            return deferred
          })
        )
      const close = async () => {
        closing = true
        await Promise.allSettled(slots.map((slot) => slot.worker.terminate()))
      }
      return { run, close }
    }),
    (pool) => Effect.promise(pool.close)
  )

interface Settings {
  readonly inputFile: string
  readonly outputFile: string
  readonly inputFormat: "csv" | "tsv"
  readonly delimiter: string | undefined
  readonly requireAddressColumns: boolean
  readonly workers: number
  readonly parquet: Omit<Parquet.WriteOptions, "snappy">
  readonly minBytes: number
  readonly pieceBytes: number
  readonly pieceRows: number
  readonly blockBytes: number
  readonly progress: (bytesRead: number) => void
}

/** The parallel conversion; `Serially` when the file should be converted serially instead. */
const parallel = (s: Settings): Effect.Effect<{ readonly rows: number; readonly columns: ReadonlyArray<string> }, Failure> =>
  Effect.scoped(Effect.gen(function*() {
    const source = yield* serially("cannot open the input")(NodeFile.source(s.inputFile))
    const size = source.byteLength
    if (size < s.minBytes) return yield* Effect.fail(new Serially(`a small file (${size} bytes)`))
    yield* serially("the format")(Format.detect(source, s.inputFile, s.inputFormat))
    const dialect = yield* serially("the dialect")(
      Csv.dialect(source, s.inputFile, { delimiter: s.delimiter ?? (s.inputFormat === "tsv" ? "\t" : undefined) })
    )
    if (dialect.encoding !== "utf-8") return yield* Effect.fail(new Serially(`${dialect.encoding} text`))
    if (dialect.delimiter.length === 0 || /["\r\n]/.test(dialect.delimiter)) {
      return yield* Effect.fail(new Serially(`the delimiter ${JSON.stringify(dialect.delimiter)}`))
    }
    const found = yield* serially("the header")(Effect.tryPromise(async () => {
      const start = new Uint8Array(await source.slice(0, Math.min(size, maxHeaderBytes)))
      return readHead(start, TextEncoding.detect(start).bom, dialect.delimiter)
    }))
    if (found === undefined) return yield* Effect.fail(new Serially("no header found in the first MiB"))
    const columns = Csv.columnNames(found.header)
    if (s.requireAddressColumns && Contract.checkAddressColumns(s.inputFile, columns) !== undefined) {
      return yield* Effect.fail(new Serially("no address column"))
    }
    const writer = yield* serially("the output")(
      NodeFile.writer(s.outputFile, columns, { format: "parquet", parquet: s.parquet })
    )
    const pool = yield* workers(s.workers, {
      columns,
      delimiter: dialect.delimiter,
      recordDelimiter: found.recordDelimiter,
      parquet: s.parquet
    }, s.inputFile)

    // pieces handed to the workers and not yet written: reading waits while there are this many
    const permits = yield* Effect.makeSemaphore(2 * s.workers)
    // the pieces in file order (null: the end)
    const order = yield* Queue.unbounded<Deferred.Deferred<Done, Failure> | null>()

    const produce = Effect.gen(function*() {
      const cut = cutter(found.recordDelimiter, s.pieceBytes, s.pieceRows)
      let index = 0
      let handed = found.dataStart
      const send = (piece: Uint8Array) =>
        Effect.gen(function*() {
          const length = piece.length
          yield* permits.take(1)
          yield* Queue.offer(order, yield* pool.run(index++, piece))
          handed += length
          s.progress(handed)
        })
      for (let offset = found.dataStart; offset < size;) {
        const end = Math.min(size, offset + s.blockBytes)
        const block = yield* serially("could not read")(Effect.tryPromise(() => source.slice(offset, end)))
        offset = end
        for (const piece of cut.push(new Uint8Array(block))) yield* send(piece)
      }
      const rest = cut.end()
      if (rest !== undefined) yield* send(rest)
      yield* Queue.offer(order, null)
    }).pipe(
      // a failure to read (or a defect, e.g. thrown by onBytes) reaches the writing loop as a failed piece
      Effect.catchAllCause((cause) =>
        Effect.flatMap(Deferred.make<Done, Failure>(), (failed) =>
          Effect.zipRight(Deferred.failCause(failed, cause), Queue.offer(order, failed))
        )
      )
    )
    yield* Effect.forkScoped(produce)

    for (;;) {
      const next = yield* Queue.take(order)
      if (next === null) break
      const done = yield* Deferred.await(next)
      if (done.group !== null) yield* serially("could not write")(writer.writeEncoded(done.group))
      yield* permits.release(1)
    }
    yield* serially("could not write")(writer.close)
    return { rows: writer.rowsWritten(), columns }
  }))

/**
 * Converts a CSV or TSV file to a Parquet file on `options.workers` worker threads, atomically
 * (nothing appears at `outputFile` unless it succeeds). The rows, columns and values are those
 * of `NodeFile.convert(inputFile, outputFile, { inputFormat, delimiter, requireAddressColumns })`
 * with a Parquet output, and so is any error: a file this path cannot handle, or one with
 * anything wrong, is converted serially (see the module's comment). Fails by itself only when
 * a worker thread dies (`ReadFailed`). The workers end with the conversion, however it ends.
 */
export const convertCsvToParquet = (
  inputFile: string,
  outputFile: string,
  options: ConvertOptions & Tuning = {}
): Effect.Effect<{ readonly rows: number; readonly columns: ReadonlyArray<string> }, DatasetError.DatasetError> =>
  Effect.suspend(() => {
    const inputFormat = options.inputFormat ?? (Format.fromExtension(inputFile) === "tsv" ? "tsv" : "csv")
    const requireAddressColumns = options.requireAddressColumns ?? false
    const { onBytes } = options
    let furthest = 0
    const progress = (bytesRead: number) => {
      if (onBytes !== undefined && bytesRead > furthest) onBytes(furthest = bytesRead)
    }
    const parquet: Omit<Parquet.WriteOptions, "snappy"> = {
      ...(options.parquet?.codec !== undefined ? { codec: options.parquet.codec } : {}),
      ...(options.parquet?.pageSize !== undefined ? { pageSize: options.parquet.pageSize } : {}),
      ...(options.parquet?.keyValueMetadata !== undefined ? { keyValueMetadata: options.parquet.keyValueMetadata } : {})
    }
    const serial = (why: string) => {
      options.onSerial?.(why)
      return NodeFile.convert(inputFile, outputFile, {
        inputFormat,
        outputFormat: "parquet",
        requireAddressColumns,
        ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
        ...(options.parquet !== undefined ? { parquet } : {}),
        ...(onBytes !== undefined ? { onBytes: progress } : {})
      })
    }
    const positive = (value: number | undefined, fallback: number) =>
      value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback
    return parallel({
      inputFile,
      outputFile,
      inputFormat,
      delimiter: options.delimiter,
      requireAddressColumns,
      workers: positive(options.workers, defaultWorkers()),
      parquet,
      minBytes: Math.max(0, options.minBytes ?? defaults.minBytes),
      pieceBytes: positive(options.pieceBytes, defaults.pieceBytes),
      pieceRows: positive(options.pieceRows, defaults.pieceRows),
      blockBytes: positive(options.blockBytes, defaults.blockBytes),
      progress
    }).pipe(Effect.catchAll((failure) => (failure instanceof Serially ? serial(failure.why) : Effect.fail(failure))))
  })
