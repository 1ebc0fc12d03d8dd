/**
 * JSON Lines reading (block by block, chunks of N rows) and writing.
 *
 * Reading: one JSON object per line (blank lines skipped, `\r\n` accepted, UTF-8 with an
 * optional BOM, or UTF-16 with its BOM). Keys are mapped to spec names like CSV headers.
 * Every value survives as text: strings stay strings (`""` too), numbers and booleans become
 * their text as written (`1.50`, `007e2`, digits beyond a double's precision, via
 * `lossless-json`), objects and arrays become their JSON text; `null` and missing keys are
 * `null`. A line that is not a JSON object fails the file (`NotJsonLines`, with the line
 * number).
 *
 * The columns of a chunk are every key seen so far in the file, in order of first
 * appearance; the address-column check looks at the keys of the first chunk.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { isLosslessNumber, parse as parseLossless, stringify as stringifyLossless } from "lossless-json"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { mapHeaders } from "./AddressColumns.js"
import type { Row } from "./AddressColumns.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import * as Chunk from "./Chunk.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as Contract from "./Contract.js"
import * as DatasetError from "./DatasetError.js"
import * as DatasetWriter from "./DatasetWriter.js"
import * as Format from "./Format.js"
import * as TextEncoding from "./TextEncoding.js"

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

/**
 * `object` as `lossless-json` reads it from `source` (its JSON text, or a function giving that
 * reading), or `object` itself when that fails (e.g. duplicate keys, which JSON.parse allows).
 */
const losslessOf = (
  object: Readonly<Record<string, unknown>>,
  source: string | (() => unknown)
): Readonly<Record<string, unknown>> => {
  try {
    const parsed = typeof source === "string" ? parseLossless(source) : source()
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : object
  } catch {
    return object
  }
}

/** The text of a number, boolean or nested value: `exact` is the same value as `lossless-json` read it. */
const valueText = (v: unknown, exact: unknown): string | null => {
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false"
    case "number":
      return isLosslessNumber(exact) ? exact.value : String(v)
    case "object":
      return v === null ? null : (exact === v ? JSON.stringify(v) : stringifyLossless(exact)) ?? null
    default:
      return null
  }
}

/**
 * The cells of one parsed JSON object, keyed as in the object: strings as they are, numbers as
 * written and nested values as JSON text, `null` as `null`. `source` is the object's JSON text,
 * or a function giving the object parsed by `lossless-json`; either is used only when the
 * object holds a number or a nested value (JSON.parse has lost how they were written).
 */
export const cellsOf = (
  object: Readonly<Record<string, unknown>>,
  source: string | (() => unknown)
): Record<string, string | null> => {
  const cells: Record<string, string | null> = Object.create(null)
  let exact: Readonly<Record<string, unknown>> | undefined
  for (const key of Object.keys(object)) {
    const v = object[key]
    if (typeof v === "string") cells[key] = v
    else if (v === null || v === undefined) cells[key] = null
    else {
      exact ??= losslessOf(object, source)
      cells[key] = valueText(v, Object.hasOwn(exact, key) ? exact[key] : v)
    }
  }
  return cells
}

async function* chunks(source: ByteSource, file: string, options: ReadOptions): AsyncGenerator<ColumnarChunk> {
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK)
  const maxLine = options.maxLineLength ?? 64 * 1024 * 1024
  const map = options.mapHeaders !== false
  // the bytes come checked (and without a BOM) from TextEncoding.utf8Blocks
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true })

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
    let exact: Readonly<Record<string, unknown>> | undefined
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!
      const name = names === undefined ? key : names[k]!
      const v = object[key]
      let cell: string | null
      if (typeof v === "string") cell = v
      else if (v === null || v === undefined) cell = null
      else {
        exact ??= losslessOf(object, trimmed)
        cell = valueText(v, Object.hasOwn(exact, key) ? exact[key] : v)
      }
      data[column(name)]![n] = cell
    }
    n++
    return n === chunkSize
  }

  let carry = ""
  try {
    for await (const block of TextEncoding.utf8Blocks(source)) {
      const text = carry + decoder.decode(block, { stream: true })
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
  } catch (cause) {
    if (cause instanceof TextEncoding.InvalidText) {
      throw DatasetError.make(file, "NotJsonLines", `not JSON Lines: ${TextEncoding.explain(cause, file)}`)
    }
    throw cause
  }
  carry += decoder.decode()
  if (carry.length > 0 && handle(carry)) yield flush()
  if (n > 0 || !checked) {
    const chunk = flush()
    if (chunk.length > 0) yield chunk
  }
}

const readError = (file: string) => DatasetError.fromUnknown(file, "ReadFailed", "could not read")

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
    // a chunk encoded apart is whole lines of the same columns (see `Dataset.chunkEncoder`)
    append: (chunk) => {
      if (chunk.format !== "jsonl") throw new Error(`a ${chunk.format} chunk cannot go into a JSON Lines file`)
      return [chunk.bytes]
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
