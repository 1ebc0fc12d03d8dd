/**
 * JSON files holding one array of objects (`[{…},{…}]`): what many tools export, and the `json`
 * output of `geojobs validate`.
 *
 * Writing streams one object per line inside the brackets, every column in column order.
 * Reading parses the whole file (it is one JSON value), so it is for files that fit in memory
 * (up to {@link maxReadBytes}); for larger ones use JSON Lines. Values are read as JSON Lines
 * reads them (`JsonLines.cellsOf`): strings as they are, numbers as written, nested values as
 * JSON text.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { parse as parseLossless } from "lossless-json"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { mapHeaders } from "./AddressColumns.js"
import type { ByteSink, ByteSource } from "./Bytes.js"
import type { ColumnarChunk, Value } from "./Chunk.js"
import * as Contract from "./Contract.js"
import * as DatasetError from "./DatasetError.js"
import * as DatasetWriter from "./DatasetWriter.js"
import { cellsOf, jsonValue } from "./JsonLines.js"
import * as TextEncoding from "./TextEncoding.js"

/** The largest JSON array file {@link readColumnar} reads (it holds the whole file in memory). */
export const maxReadBytes = 512 * 1024 * 1024

/** Options for {@link readColumnar}. */
export interface ReadOptions {
  readonly chunkSize?: number
  readonly requireAddressColumns?: boolean
  readonly mapHeaders?: boolean
}

const notJson = (file: string, why: string) => DatasetError.make(file, "NotJsonLines", `not a JSON array of objects: ${why}`)

const load = async (source: ByteSource, file: string): Promise<string> => {
  if (source.byteLength > maxReadBytes) {
    throw notJson(
      file,
      `${source.byteLength} bytes is too large to read at once; convert it to JSON Lines first, e.g. jq -c '.[]' in.json > in.jsonl`
    )
  }
  const parts: Array<Uint8Array> = []
  try {
    for await (const block of TextEncoding.utf8Blocks(source)) parts.push(block)
  } catch (cause) {
    if (cause instanceof TextEncoding.InvalidText) throw notJson(file, TextEncoding.explain(cause, file))
    throw cause
  }
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true })
  return parts.map((part) => decoder.decode(part, { stream: true })).join("") + decoder.decode()
}

async function* chunks(source: ByteSource, file: string, options: ReadOptions): AsyncGenerator<ColumnarChunk> {
  const chunkSize = Math.max(1, options.chunkSize ?? 10_000)
  const text = await load(source, file)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw notJson(file, `not valid JSON (${DatasetError.describe(cause)})`)
  }
  if (!Array.isArray(value)) throw notJson(file, "the file is not an array")
  let exact: ReadonlyArray<unknown> | undefined
  const exactAt = (i: number) => () => (exact ??= parseLossless(text) as ReadonlyArray<unknown>)[i]

  // every key of the file, mapped like CSV headers, in order of first appearance
  const keys: Array<string> = []
  const seen = new Set<string>()
  for (const [i, item] of value.entries()) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw notJson(file, `item ${i + 1} is ${Array.isArray(item) ? "an array" : item === null ? "null" : `a ${typeof item}`}, not an object`)
    }
    for (const key of Object.keys(item)) {
      if (!seen.has(key)) {
        seen.add(key)
        keys.push(key)
      }
    }
  }
  const names = options.mapHeaders === false ? keys : mapHeaders(keys)
  if (options.requireAddressColumns ?? true) {
    const problem = Contract.checkAddressColumns(file, names)
    if (problem !== undefined) throw problem
  }
  for (let start = 0; start < value.length; start += chunkSize) {
    const length = Math.min(chunkSize, value.length - start)
    const data: Record<string, Array<string | null>> = Object.create(null)
    for (const name of names) data[name] = new Array<string | null>(length).fill(null)
    for (let i = 0; i < length; i++) {
      const cells = cellsOf(value[start + i] as Record<string, unknown>, exactAt(start + i))
      for (let k = 0; k < keys.length; k++) {
        const cell = cells[keys[k]!]
        if (cell !== undefined) data[names[k]!]![i] = cell
      }
    }
    yield { columns: names, data, length }
  }
}

const readError = (file: string) => DatasetError.fromUnknown(file, "ReadFailed", "could not read")

/** The rows of a JSON array file in columnar chunks. */
export const readColumnar = (
  source: ByteSource,
  file: string,
  options: ReadOptions = {}
): Stream.Stream<ColumnarChunk, DatasetError.DatasetError> => Stream.fromAsyncIterable(chunks(source, file, options), readError(file))

/**
 * `length` rows as array elements, each on its own line after a comma (`,\n{…}`): the first
 * element of the file drops its comma.
 */
const elements = (names: ReadonlyArray<string>, prefixes: ReadonlyArray<string>) =>
(length: number, values: (name: string) => ReadonlyArray<Value> | undefined): string => {
  const arrays = names.map((name) => values(name))
  let text = ""
  for (let i = 0; i < length; i++) {
    let row = arrays.length === 0 ? "{" : ""
    for (let c = 0; c < arrays.length; c++) {
      const array = arrays[c]
      row += prefixes[c]! + jsonValue(array === undefined ? null : array[i])
    }
    text += ",\n" + row + "}"
  }
  return text
}

/**
 * The encoder used by {@link writer}: `[`, one object per line separated by commas, `]`. A
 * chunk encoded apart (`Dataset.chunkEncoder`) is its rows as {@link elements}.
 */
export const encoder = (columns: ReadonlyArray<DatasetWriter.Column>): DatasetWriter.FormatEncoder => {
  const textEncoder = new TextEncoder()
  const names = columns.map((c) => c.name)
  const prefixes = names.map((name, i) => (i === 0 ? "{" : ",") + JSON.stringify(name) + ":")
  const encode = elements(names, prefixes)
  let first = true
  // the file's first element loses its leading comma
  const place = (bytes: Uint8Array): Uint8Array => {
    if (!first || bytes.length === 0) return bytes
    first = false
    return bytes.subarray(1)
  }
  return {
    start: () => [textEncoder.encode("[")],
    encode: (length, values) => [place(textEncoder.encode(encode(length, values)))],
    append: (chunk) => {
      if (chunk.format !== "json") throw new Error(`a ${chunk.format} chunk cannot go into a JSON file`)
      return [place(chunk.bytes)]
    },
    finish: () => [textEncoder.encode(first ? "]\n" : "\n]\n")]
  }
}

/** Encodes rows apart from a file, for {@link encoder}'s `append` (see `Dataset.chunkEncoder`). */
export const detachedEncoder = (columns: ReadonlyArray<DatasetWriter.Column>) => {
  const names = columns.map((c) => c.name)
  const prefixes = names.map((name, i) => (i === 0 ? "{" : ",") + JSON.stringify(name) + ":")
  return elements(names, prefixes)
}

/** A JSON array writer over `sink`: one object per row with every column, in column order. */
export const writer = (
  sink: ByteSink,
  file: string,
  columns: DatasetWriter.Columns
): Effect.Effect<DatasetWriter.DatasetWriter, DatasetError.DatasetError, Scope.Scope> =>
  Effect.flatMap(DatasetWriter.resolveColumns(file, columns), (resolved) => DatasetWriter.make(file, sink, resolved, encoder(resolved)))
