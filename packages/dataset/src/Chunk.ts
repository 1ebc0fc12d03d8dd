/**
 * The two shapes a chunk of rows can take.
 *
 * - Row form: `ReadonlyArray<Row>`, one object per record. Convenient.
 * - Columnar form: {@link ColumnarChunk}, one array per column. What Parquet stores and what
 *   the Parquet reader and writer work in; converting to rows costs one object per record,
 *   so a hot pipeline (read → engine → write) can stay columnar end to end.
 *
 * @since 0.1.0
 */
import { RowError } from "./AddressColumns.js"
import type { Row } from "./AddressColumns.js"

/** A value a writer accepts. `undefined` is written as null. */
export type Value = string | number | boolean | bigint | null | undefined

/**
 * A chunk of `length` rows stored column by column: `data[name][i]` is row `i`'s value of
 * column `name`, for each name in `columns` (in file order).
 *
 * `rowErrors`, when present, has `length` entries: the per-row problem message (see
 * `AddressColumns.RowError`) or `null`. It is absent when no row of the chunk has a problem.
 *
 * `plain`, when present (`Parquet.decodeRawBatches` with `keepPlain`), holds for some columns
 * the PLAIN encoding of their non-null values (each a 4-byte little-endian length and its UTF-8
 * bytes, in row order) exactly as the file stored them: a writer passing such a column through
 * unchanged can copy the bytes instead of encoding the strings again
 * (`Parquet.RowGroupBuilder.add`'s `plain`).
 */
export interface ColumnarChunk<A = string | null> {
  readonly columns: ReadonlyArray<string>
  readonly data: Readonly<Record<string, ReadonlyArray<A>>>
  readonly length: number
  readonly rowErrors?: ReadonlyArray<string | null>
  readonly plain?: Readonly<Record<string, Uint8Array>>
}

/**
 * Converts a columnar chunk to rows. Every row has every column of the chunk, in column
 * order (so all rows share one object shape), plus `RowError` when it has a problem.
 */
export const toRows = (chunk: ColumnarChunk): Array<Row> => {
  const { columns, data, length, rowErrors } = chunk
  const arrays = columns.map((name) => data[name]!)
  const width = columns.length
  // A constructor specialised on the column names gives every row the same hidden class
  // and avoids dictionary-mode objects; measurably faster than a loop of `row[name] = v`.
  const build = rowBuilder(columns)
  const rows = new Array<Row>(length)
  const values = new Array<string | null>(width)
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < width; c++) values[c] = arrays[c]![i] ?? null
    const row = build(values)
    if (rowErrors !== undefined) {
      const message = rowErrors[i]
      if (message != null) row[RowError] = message
    }
    rows[i] = row
  }
  return rows
}

const builders = new Map<string, (values: ReadonlyArray<string | null>) => Row>()

/** A function building `{ [columns[0]]: values[0], … }` with a fixed shape. Cached by column list. */
const rowBuilder = (columns: ReadonlyArray<string>): ((values: ReadonlyArray<string | null>) => Row) => {
  const key = JSON.stringify(columns)
  let build = builders.get(key)
  if (build === undefined) {
    if (columns.includes("__proto__")) {
      // `{"__proto__": v}` and `row["__proto__"] = v` set the prototype: define own properties
      build = (values) => Object.fromEntries(columns.map((name, c) => [name, values[c] ?? null])) as Row
    } else if (columns.length > 0 && columns.length <= 1000) {
      const body = `return {${columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ")}}`
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        build = new Function("v", body) as (values: ReadonlyArray<string | null>) => Row
      } catch {
        build = undefined
      }
    }
    if (build === undefined) {
      build = (values: ReadonlyArray<string | null>) => {
        const row: Row = {}
        for (let c = 0; c < columns.length; c++) row[columns[c]!] = values[c] ?? null
        return row
      }
    }
    if (builders.size > 256) builders.clear()
    builders.set(key, build)
  }
  return build
}

/**
 * Converts rows to a columnar chunk over `columns` (by default: the keys of all rows, in
 * order of first appearance, without `RowError`). Missing keys become `null`.
 */
export const fromRows = <A = string | null>(
  rows: ReadonlyArray<Readonly<Record<string, A>>>,
  columns?: ReadonlyArray<string>
): ColumnarChunk<A | null> => {
  const names = columns ?? columnsOf(rows)
  const data: Record<string, Array<A | null>> = Object.create(null)
  for (const name of names) {
    const array = new Array<A | null>(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i]![name]
      array[i] = value === undefined ? null : value
    }
    data[name] = array
  }
  let rowErrors: Array<string | null> | undefined
  for (let i = 0; i < rows.length; i++) {
    const message = (rows[i] as Record<string, unknown>)[RowError]
    if (typeof message === "string") {
      rowErrors ??= new Array<string | null>(rows.length).fill(null)
      rowErrors[i] = message
    }
  }
  return rowErrors === undefined
    ? { columns: names, data, length: rows.length }
    : { columns: names, data, length: rows.length, rowErrors }
}

/** The keys of all rows in order of first appearance, without `RowError`. */
export const columnsOf = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>): Array<string> => {
  const seen = new Set<string>()
  for (const row of rows) {
    for (const key in row) if (key !== RowError) seen.add(key)
  }
  return [...seen]
}

/** Rows `[start, end)` of a columnar chunk, as a columnar chunk (arrays are copied). */
export const slice = <A>(chunk: ColumnarChunk<A>, start: number, end: number): ColumnarChunk<A> => {
  const data: Record<string, ReadonlyArray<A>> = Object.create(null)
  for (const name of chunk.columns) data[name] = chunk.data[name]!.slice(start, end)
  const base = { columns: chunk.columns, data, length: Math.max(0, Math.min(end, chunk.length) - start) }
  return chunk.rowErrors === undefined ? base : { ...base, rowErrors: chunk.rowErrors.slice(start, end) }
}

type Extractor = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>, out: Array<Array<unknown>>) => void
const extractors = new Map<string, Extractor>()

/**
 * Transposes rows into one array per column (`out[c][i] = rows[i][columns[c]]`), the inverse
 * of {@link toRows}. A function specialised on the column names reads each column through its
 * own monomorphic property access, which is several times faster than `row[name]` with a
 * changing `name`. Cached by column list.
 */
export const transpose = (
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  columns: ReadonlyArray<string>
): Array<Array<unknown>> => {
  const out = columns.map(() => new Array<unknown>(rows.length))
  const key = JSON.stringify(columns)
  let extract: Extractor | undefined = extractors.get(key)
  if (extract === undefined) {
    if (columns.length > 0 && columns.length <= 1000) {
      const reads = columns
        .map((name, c) =>
          name === "__proto__"
            ? `o${c}[i] = Object.hasOwn(r, "__proto__") ? r["__proto__"] : undefined`
            : `o${c}[i] = r[${JSON.stringify(name)}]`
        )
        .join("; ")
      const body = `${columns.map((_, c) => `const o${c} = out[${c}]`).join("; ")}
for (let i = 0; i < rows.length; i++) { const r = rows[i]; ${reads} }`
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        extract = new Function("rows", "out", body) as Extractor
      } catch {
        extract = undefined
      }
    }
    if (extract === undefined) {
      extract = (input, target) => {
        columns.forEach((name, c) => {
          const array = target[c]!
          for (let i = 0; i < input.length; i++) array[i] = Object.hasOwn(input[i]!, name) ? input[i]![name] : undefined
        })
      }
    }
    if (extractors.size > 256) extractors.clear()
    extractors.set(key, extract)
  }
  extract(rows, out)
  return out
}

/**
 * Column names made distinct as the readers make a file's repeated headers distinct: the second
 * `x` becomes `x_2`, the third `x_3` (skipping names already taken).
 *
 * @since 0.4.0
 */
export const uniqueNames = (names: ReadonlyArray<string>): Array<string> => {
  const used = new Set<string>()
  return names.map((name) => {
    let candidate = name
    for (let k = 2; used.has(candidate); k++) candidate = `${name}_${k}`
    used.add(candidate)
    return candidate
  })
}
