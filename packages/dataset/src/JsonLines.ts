/**
 * JSON Lines reading (block by block, chunks of N rows) and writing.
 *
 * Reading: one JSON object per line (blank lines skipped, `\r\n` accepted, UTF-8 with an
 * optional BOM). Keys are mapped to spec names like CSV headers. Strings stay strings,
 * numbers and booleans become their text, `null` and missing keys are `null`; an object or
 * array value becomes a per-row problem (`AddressColumns.RowError`). A line that is not a
 * JSON object fails the file (`NotJsonLines`, with the line number).
 *
 * The columns of a chunk are every key seen so far in the file, in order of first
 * appearance; the address-column check looks at the keys of the first chunk.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { mapHeaders } from "./AddressColumns.js"
import type { Row } from "./AddressColumns.js"
import { blocks } from "./Bytes.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import * as Chunk from "./Chunk.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as Contract from "./Contract.js"
import * as DatasetError from "./DatasetError.js"
import * as DatasetWriter from "./DatasetWriter.js"
import * as Format from "./Format.js"

/** Options for the JSON Lines readers. */
export interface ReadOptions {
  /** Rows per chunk. Default 10,000. */
  readonly chunkSize?: number
  /** Fail with `NoAddressColumns` unless an address column is among the first chunk's keys. Default `true`. */
  readonly requireAddressColumns?: boolean
  /** Map common key spellings to spec names (see README). Default `true`. */
  readonly mapHeaders?: boolean
  /** Longest accepted line, in UTF-16 units. Default 64 Mi. */
  readonly maxLineLength?: number
}

const DEFAULT_CHUNK = 10_000

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`

async function* chunks(source: ByteSource, file: string, options: ReadOptions): AsyncGenerator<ColumnarChunk> {
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK)
  const maxLine = options.maxLineLength ?? 64 * 1024 * 1024
  const map = options.mapHeaders !== false
  const decoder = new TextDecoder("utf-8", { fatal: true })

  const columns: Array<string> = []
  const columnIndex = new Map<string, number>()
  // raw key list (joined) → mapped names, per object shape
  const shapes = new Map<string, Array<string>>()
  let data: Array<Array<string | null>> = []
  let rowErrors: Array<string | null> | undefined
  let n = 0
  let line = 0
  let checked = options.requireAddressColumns === false

  const column = (name: string): number => {
    let at = columnIndex.get(name)
    if (at === undefined) {
      at = columns.length
      columns.push(name)
      columnIndex.set(name, at)
      data.push(new Array<string | null>(chunkSize).fill(null))
    }
    return at
  }
  const newChunk = () => {
    data = columns.map(() => new Array<string | null>(chunkSize).fill(null))
    rowErrors = undefined
    n = 0
  }
  const flush = (): ColumnarChunk => {
    const record: Record<string, Array<string | null>> = Object.create(null)
    for (let c = 0; c < columns.length; c++) {
      const array = data[c]!
      if (array.length !== n) array.length = n
      record[columns[c]!] = array
    }
    const names = columns.slice()
    const chunk: ColumnarChunk =
      rowErrors === undefined ? { columns: names, data: record, length: n } : { columns: names, data: record, length: n, rowErrors: rowErrors.slice(0, n) }
    if (!checked) {
      checked = true
      const problem = Contract.checkAddressColumns(file, names)
      if (problem !== undefined) throw problem
    }
    newChunk()
    return chunk
  }
  const problem = (message: string) => {
    rowErrors ??= new Array<string | null>(chunkSize).fill(null)
    if (rowErrors[n] === null) rowErrors[n] = message
  }
  const handle = (text: string): boolean => {
    line++
    const trimmed = text.trim()
    if (trimmed.length === 0) return false
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch (cause) {
      throw DatasetError.make(file, "NotJsonLines", `not JSON Lines: line ${line} is not valid JSON (${DatasetError.describe(cause)})`, {
        cause
      })
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw DatasetError.make(file, "NotJsonLines", `not JSON Lines: line ${line} is ${kindOf(value)}, not a JSON object`)
    }
    const object = value as Record<string, unknown>
    const keys = Object.keys(object)
    let names: Array<string> | undefined
    if (map) {
      const shape = keys.join("\u0000")
      names = shapes.get(shape)
      if (names === undefined) {
        names = mapHeaders(keys)
        if (shapes.size > 10_000) shapes.clear()
        shapes.set(shape, names)
      }
    }
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!
      const name = names === undefined ? key : names[k]!
      const at = column(name)
      const v = object[key]
      let cell: string | null
      switch (typeof v) {
        case "string":
          cell = v
          break
        case "number":
        case "boolean":
          cell = String(v)
          break
        default:
          cell = null
          if (v !== null && v !== undefined) problem(`line ${line}, column ${name}: ${kindOf(v)} value cannot be read as a string`)
      }
      data[at]![n] = cell
    }
    n++
    return n === chunkSize
  }

  let carry = ""
  let offset = 0
  for await (const block of blocks(source)) {
    let text: string
    try {
      text = carry + decoder.decode(block, { stream: true })
    } catch {
      throw DatasetError.make(file, "NotJsonLines", `not JSON Lines: the text is not valid UTF-8 (in bytes ${offset}-${offset + block.length})`)
    }
    offset += block.length
    let start = 0
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const full = handle(text.slice(start, nl))
      start = nl + 1
      if (full) yield flush()
    }
    carry = text.slice(start)
    if (carry.length > maxLine) {
      throw DatasetError.make(file, "NotJsonLines", `not JSON Lines: line ${line + 1} is longer than ${maxLine} characters`)
    }
  }
  try {
    carry += decoder.decode()
  } catch {
    throw DatasetError.make(file, "NotJsonLines", "not JSON Lines: the text ends inside a UTF-8 character")
  }
  if (carry.length > 0 && handle(carry)) yield flush()
  if (n > 0 || !checked) {
    const chunk = flush()
    if (chunk.length > 0) yield chunk
  }
}

const readError = (file: string) => (cause: unknown): DatasetError.DatasetError =>
  cause instanceof DatasetError.DatasetError
    ? cause
    : DatasetError.make(file, "ReadFailed", `could not read: ${DatasetError.describe(cause)}`, { cause })

/** The rows of a JSON Lines source in columnar chunks of `chunkSize` rows. */
export const readColumnar = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> =>
  Stream.unwrap(
    Effect.as(Format.detect(source, file, "jsonl"), Stream.fromAsyncIterable(chunks(source, file, options), readError(file)))
  )

/** The rows of a JSON Lines source in chunks of `chunkSize` rows. */
export const read = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ReadonlyArray<Row>, DatasetError.DatasetError> => Stream.map(readColumnar(source, file, options), Chunk.toRows)

// ---------------------------------------------------------------------------------------------

/** JSON text of a value: strings quoted, numbers/booleans as JSON, bigint as a JSON number, NaN/∞ and null as `null`. */
export const jsonValue = (value: Value): string => {
  if (value === null || value === undefined) return "null"
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? String(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "bigint":
      return value.toString()
  }
}

/** The encoder used by {@link writer}. */
export const encoder = (columns: ReadonlyArray<DatasetWriter.Column>): DatasetWriter.FormatEncoder => {
  const textEncoder = new TextEncoder()
  const names = columns.map((c) => c.name)
  const prefixes = names.map((name, i) => (i === 0 ? "{" : ",") + JSON.stringify(name) + ":")
  return {
    start: () => [],
    encode: (length, values) => {
      const arrays = names.map((name) => values(name))
      const lines = new Array<string>(length)
      for (let i = 0; i < length; i++) {
        let text = ""
        for (let c = 0; c < arrays.length; c++) {
          const array = arrays[c]
          text += prefixes[c]! + jsonValue(array === undefined ? null : array[i])
        }
        lines[i] = (arrays.length === 0 ? "{" : "") + text + "}\n"
      }
      return [textEncoder.encode(lines.join(""))]
    },
    finish: () => []
  }
}

/** A JSON Lines writer over `sink`: one object per row with every column, in column order. */
export const writer = (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.flatMap(DatasetWriter.resolveColumns(file, columns), (resolved) => DatasetWriter.make(file, sink, resolved, encoder(resolved)))
