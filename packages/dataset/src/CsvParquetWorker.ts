/**
 * The worker thread of `NodeParallel.convertCsvToParquet`: takes pieces of a CSV file (whole
 * records, UTF-8 bytes, transferred) and answers with each piece's rows encoded as one Parquet
 * row group (its bytes transferred back), or with why the piece could not be read.
 *
 * A piece is read the way `Csv` reads a file, so that the row groups hold exactly the values the
 * serial conversion writes: the text checked as UTF-8 (a byte-order mark is content here: the
 * file's own was before the header), its records read by `NodeParallel.readRecords` or, when
 * that gives up, by csv-parse with the serial reader's options; an empty field is null, a
 * missing trailing one too, an extra one is dropped. The header was read by the main thread,
 * which passes the column names and the file's delimiters in `workerData`.
 *
 * @since 0.1.0
 */
import { parse } from "csv-parse/sync"
import { parentPort, workerData } from "node:worker_threads"
import * as Csv from "./Csv.js"
import { type RecordDelimiter, readRecords } from "./NodeParallel.js"
import * as NodeSnappy from "./NodeSnappy.js"
import * as Parquet from "./Parquet.js"

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  /** The output's columns (the mapped header), all STRING. */
  readonly columns: ReadonlyArray<string>
  /** The field delimiter. */
  readonly delimiter: string
  /** The record delimiter the file's first line ends with (csv-parse keeps to that one). */
  readonly recordDelimiter: RecordDelimiter
  /** The Parquet options that can cross threads (pages are compressed with `NodeSnappy.compressor()`). */
  readonly parquet: Omit<Parquet.WriteOptions, "snappy">
}

/** A piece of the file: consecutive whole records. */
export interface PieceTask {
  readonly index: number
  readonly bytes: Uint8Array
}

/** The answer to a {@link PieceTask}: its rows as one row group (`null` when it has none), or why not. */
export type PieceReply =
  | { readonly index: number; readonly rows: number; readonly group: Parquet.EncodedRowGroup | null }
  | { readonly index: number; readonly error: string }

const port = parentPort
if (port === null) throw new Error("CsvParquetWorker runs in a worker thread")

const setup = workerData as WorkerSetup
const names = setup.columns
const width = names.length
const at: Record<string, number> = Object.create(null)
for (let c = 0; c < width; c++) at[names[c]!] = c
const encoder = Parquet.rowGroupEncoder(
  names.map((name) => ({ name, type: "STRING" as const })),
  { ...setup.parquet, snappy: NodeSnappy.compressor() }
)

/**
 * Rows handed to the row group builder at a time: their strings are encoded and let go while
 * still young, instead of a whole piece's rows outliving a few collections.
 */
const batchRows = 4096

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
const fast = setup.delimiter.length === 1

/**
 * Encodes the rows that `read(field, record)` reports (as `readRecords` does) as one row group,
 * the way `Csv` makes them: an empty field is null, a missing one too, an extra one is dropped.
 */
const encodeRows = (
  read: (field: (index: number, value: string) => void, record: (fields: number) => void) => void
): { readonly rows: number; readonly group: Parquet.EncodedRowGroup | null } => {
  const builder = encoder.builder()
  const batch = names.map(() => new Array<string | null>(batchRows))
  const values = (name: string) => batch[at[name]!]
  let n = 0
  read(
    (index, value) => {
      if (index < width) batch[index]![n] = value === "" ? null : value
    },
    (fields) => {
      for (let c = fields; c < width; c++) batch[c]![n] = null
      if (++n === batchRows) {
        builder.add(n, values)
        n = 0
      }
    }
  )
  if (n > 0) builder.add(n, values)
  const rows = builder.rows()
  return { rows, group: rows === 0 ? null : builder.finish() }
}

/** The piece's records as csv-parse reads them with the serial reader's options. */
const csvParse = (bytes: Uint8Array) => (field: (index: number, value: string) => void, record: (fields: number) => void) => {
  parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    bom: false,
    ...Csv.parserOptions(setup.delimiter),
    record_delimiter: setup.recordDelimiter,
    on_record: (fields: Array<string>) => {
      for (let c = 0; c < fields.length; c++) field(c, fields[c]!)
      record(fields.length)
      // kept nowhere: the batch has the values
      return null
    }
  })
}

const readPiece = (bytes: Uint8Array): { readonly rows: number; readonly group: Parquet.EncodedRowGroup | null } => {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    throw new Error("the piece is not valid UTF-8")
  }
  if (fast) {
    try {
      return encodeRows((field, record) => readRecords(text, setup.delimiter, setup.recordDelimiter, field, record))
    } catch {
      // not the common case: csv-parse decides
    }
  }
  return encodeRows(csvParse(bytes))
}

port.on("message", (task: PieceTask) => {
  let reply: PieceReply
  try {
    const { group, rows } = readPiece(task.bytes)
    reply = { index: task.index, rows, group }
  } catch (e) {
    reply = { index: task.index, error: e instanceof Error ? e.message : String(e) }
  }
  port.postMessage(reply, "group" in reply && reply.group !== null ? [reply.group.bytes.buffer as ArrayBuffer] : [])
})
