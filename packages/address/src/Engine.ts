/**
 * The ValidateAddress engine: one input row in, one output row out, never a throw.
 *
 * `make` fixes a file's column list once (from its input columns and the requested features);
 * `validate` returns a record keyed by column name, `validateInto` fills an array aligned with
 * `columns` (no per-row object with ~80 keys: the fast path for writers).
 * @since 0.1.0
 */
import * as AustraliaReference from "./AustraliaReference.js"
import * as Gazetteer from "./Gazetteer.js"
import { cleanCell } from "./internal/text.js"
import type { Cell, Column, Feature } from "./Output.js"
import * as Output from "./Output.js"
import { makeParsed, parseInto, type RawAddress } from "./Parse.js"
import * as UnitedStatesReference from "./UnitedStatesReference.js"
import { knownLocality, makeValidated, type Validated, validateInto as validateParsed } from "./Validation.js"

/** Options of `make`. */
export interface EngineOptions {
  /** Input column names in file order; each becomes an `Input_<name>` passthrough column. */
  readonly inputColumns: ReadonlyArray<string>
  /** StartJob's `AdditionalFeatures`. */
  readonly features?: ReadonlyArray<Feature>
  /** `Output_Id` of each output record; must be unique. Default: a random prefix + a counter. */
  readonly idGenerator?: () => string
}

/** One input row: cells by column name. Anything that is not a string, null or undefined is a bad cell. */
export type InputRow = Readonly<Record<string, unknown>>

/** `ErrorType` values this engine writes (the spec leaves the set UNKNOWN). */
export type ErrorType = "InvalidInput" | "InvalidValue" | "InternalError"

/** A validating engine for one file layout. */
export interface Engine {
  /** The exact output columns, in order. */
  readonly columns: ReadonlyArray<Column>
  /** Validates a row into a record keyed by output column name. */
  readonly validate: (row: InputRow) => Record<string, Cell>
  /** Validates a row into `out` (resized to `columns.length`), aligned with `columns`. */
  readonly validateInto: (row: InputRow, out: Array<Cell>) => void
  /**
   * Validates a row given as its cells aligned with `inputColumns` (`cells[i]` is the cell of
   * `inputColumns[i]`) into `out`: the columnar fast path (no row object per record).
   */
  readonly validateCells: (cells: ReadonlyArray<unknown>, out: Array<Cell>) => void
  /**
   * Validates row `r` of `inputs` (one array per input column, aligned with `inputColumns`) into
   * row `row` of `columns` (aligned with `columns`): the same cells as `validateCells`, stored
   * straight into a columnar batch (no row array copied out cell by cell, no input row copied in).
   * Every column in `filled` must be an array; the others are never touched.
   */
  readonly validateCellsInto: (inputs: ReadonlyArray<ReadonlyArray<unknown>>, r: number, columns: Output.Columns, row: number) => void
  /**
   * The indexes of the columns a row can hold a value in, ascending; every other column is
   * null in every row (most country-specific attributes: no reference data). Lets a columnar
   * caller skip them.
   */
  readonly filled: ReadonlyArray<number>
}

/** The address input columns of spec §7.2 (besides `Id`). */
export const addressInputColumns = [
  "AddressLines_1", "AddressLines_2", "AddressLines_3", "AddressLines_4", "AddressLines_5",
  "AddressComponents_Country", "AddressComponents_Region", "AddressComponents_SubRegion",
  "AddressComponents_Locality", "AddressComponents_PostalCode", "AddressComponents_Street",
  "AddressComponents_AddressNumber", "AddressComponents_Unit", "AddressComponents_UnitDesignator"
] as const

class RowError {
  constructor(readonly type: ErrorType, readonly message: string) {}
}

/** One address cell, cleaned; `value` is what the row holds under `column`. */
const read = (value: unknown, column: string): string | undefined => {
  const v = value
  if (v === undefined || v === null) return undefined
  if (typeof v !== "string") throw new RowError("InvalidValue", `${column} must be a string, got ${v instanceof Uint8Array ? "binary" : typeof v}`)
  const c = cleanCell(v)
  if (c === "control") throw new RowError("InvalidInput", `${column} contains control characters`)
  if (c === "tooLong") throw new RowError("InvalidInput", `${column} is longer than 1000 characters`)
  return c.length === 0 ? undefined : c
}

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/** A row's cleaned address cells, filled in place for each row (validation is synchronous). */
type RawScratch = Mutable<RawAddress>

const makeRaw = (): RawScratch => ({
  lines: [], country: undefined, region: undefined, subRegion: undefined, locality: undefined, postalCode: undefined,
  street: undefined, addressNumber: undefined, unit: undefined, unitDesignator: undefined
})

/**
 * Fills `raw` with the address cells of a row: `values[k]` is the cell of `addressInputColumns[k]`
 * when the file lists that column (already read for the passthrough columns), else `row` is read.
 */
const rawOf = (row: InputRow, values: ReadonlyArray<unknown>, known: ReadonlyArray<boolean>, raw: RawScratch): RawScratch => {
  const lines: Array<string> = []
  raw.lines = lines
  for (let k = 0; k < 5; k++) {
    const line = read(known[k] ? values[k] : row[addressInputColumns[k]], addressInputColumns[k])
    if (line !== undefined) lines.push(line)
  }
  raw.country = read(known[5] ? values[5] : row[addressInputColumns[5]], addressInputColumns[5])
  raw.region = read(known[6] ? values[6] : row[addressInputColumns[6]], addressInputColumns[6])
  raw.subRegion = read(known[7] ? values[7] : row[addressInputColumns[7]], addressInputColumns[7])
  raw.locality = read(known[8] ? values[8] : row[addressInputColumns[8]], addressInputColumns[8])
  raw.postalCode = read(known[9] ? values[9] : row[addressInputColumns[9]], addressInputColumns[9])
  raw.street = read(known[10] ? values[10] : row[addressInputColumns[10]], addressInputColumns[10])
  raw.addressNumber = read(known[11] ? values[11] : row[addressInputColumns[11]], addressInputColumns[11])
  raw.unit = read(known[12] ? values[12] : row[addressInputColumns[12]], addressInputColumns[12])
  raw.unitDesignator = read(known[13] ? values[13] : row[addressInputColumns[13]], addressInputColumns[13])
  if (lines.length === 0 && raw.country === undefined && raw.region === undefined && raw.subRegion === undefined &&
    raw.locality === undefined && raw.postalCode === undefined && raw.street === undefined && raw.addressNumber === undefined) {
    throw new RowError("InvalidInput", "The record has no address: every AddressLines and AddressComponents cell is empty")
  }
  return raw
}

const passthrough = (v: unknown): Cell =>
  typeof v === "string" ? v : v === undefined || v === null ? null : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? String(v) : null

const defaultIds = (): (() => string) => {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  const prefix = c?.randomUUID?.() ?? Math.random().toString(36).slice(2) + Date.now().toString(36)
  let n = 0
  return () => `${prefix}-${n++}`
}

/**
 * Builds the reference indexes now (about a second) instead of on the first row that needs them:
 * call it at service start so the first job's latency does not include it.
 */
export const warmUp = (): void => {
  UnitedStatesReference.us()
  AustraliaReference.au()
  Gazetteer.warmUp()
}

/** Builds an engine for one file layout. Reference indexes are built on first use and shared. */
export const make = (options: EngineOptions): Engine => {
  const features = options.features ?? []
  const columns = Output.columns(options.inputColumns, features)
  const inputs = options.inputColumns.slice()
  const position = features.includes("Position")
  const countrySpecific = features.includes("CountrySpecificAttributes")
  const nextId = options.idGenerator ?? defaultIds()
  const width = columns.length
  // For each address column: where it is among the input columns (its cell is read once), or -1.
  const addressAt = addressInputColumns.map((c) => inputs.indexOf(c))
  const addressKnown = addressAt.map((k) => k >= 0)
  // For each input column: which address column it is, or -1.
  const addressIndex = inputs.map((c) => (addressInputColumns as ReadonlyArray<string>).indexOf(c))

  // the address cells of the current row (reused: validation is synchronous)
  const values: Array<unknown> = new Array(addressAt.length)
  const noRow: InputRow = {}
  // the row's records, reused row after row (each is consumed before the next row starts)
  const raw = makeRaw()
  const parsed = makeParsed()
  const validated = makeValidated()

  const validateInto = (row: InputRow, out: Array<Cell>): void => {
    if (out.length !== width) out.length = width
    let i = 0
    for (; i < inputs.length; i++) {
      const value = row[inputs[i]!]
      out[i] = passthrough(value)
      const k = addressIndex[i]!
      if (k >= 0) values[k] = value
    }
    finish(row, out, i)
  }

  const validateCells = (cells: ReadonlyArray<unknown>, out: Array<Cell>): void => {
    if (out.length !== width) out.length = width
    let i = 0
    for (; i < inputs.length; i++) {
      const value = cells[i]
      out[i] = passthrough(value)
      const k = addressIndex[i]!
      if (k >= 0) values[k] = value
    }
    finish(noRow, out, i)
  }

  // why the last `check` gave no address
  let error: RowError | undefined
  /** Validates the current row's address cells (`values`, else `row`); undefined with `error` set when it fails. */
  const check = (row: InputRow): Validated | undefined => {
    error = undefined
    try {
      return validateParsed(parseInto(rawOf(row, values, addressKnown, raw), knownLocality, parsed), validated)
    } catch (e) {
      error = e instanceof RowError ? e : new RowError("InternalError", e instanceof Error ? e.message : String(e))
      return undefined
    }
  }

  /**
   * The cells after the passthrough ones (from column `at`: `Output_Id`, the error cells, the
   * address and the features) of the current row into row `row` of `cols`; every filled column
   * from `at` on is written, the others are not touched.
   */
  const finishInto = (row: InputRow, cols: Output.Columns, at: number, r: number): void => {
    let i = at
    cols[i++]![r] = nextId()
    const v = check(row)
    cols[i++]![r] = error === undefined ? null : error.type
    cols[i++]![r] = error === undefined ? null : error.message
    if (v === undefined) {
      for (let k = 0; k < addressFilled.length; k++) cols[addressFilled[k]!]![r] = null
      return
    }
    i = Output.writeAddressInto(cols, i, r, v)
    if (position) i = Output.writePositionInto(cols, i, r, v)
    if (countrySpecific) i = Output.writeCountrySpecificInto(cols, i, r, v)
  }

  // one-row columns the row paths go through (a column outside `filled` is never written: null)
  const rowColumns: Array<Array<Cell>> = Array.from({ length: width }, () => [null])
  const finish = (row: InputRow, out: Array<Cell>, at: number): void => {
    finishInto(row, rowColumns, at, 0)
    for (let c = at; c < width; c++) out[c] = rowColumns[c]![0]!
  }

  const validateCellsInto = (inputs: ReadonlyArray<ReadonlyArray<unknown>>, r: number, cols: Output.Columns, row: number): void => {
    let i = 0
    for (; i < inputs.length; i++) {
      const value = inputs[i]![r]
      cols[i]![row] = passthrough(value)
      const k = addressIndex[i]!
      if (k >= 0) values[k] = value
    }
    finishInto(noRow, cols, i, row)
  }

  const validate = (row: InputRow): Record<string, Cell> => {
    const cells: Array<Cell> = []
    validateInto(row, cells)
    const record: Record<string, Cell> = {}
    for (let k = 0; k < width; k++) record[columns[k]!.name] = cells[k]!
    return record
  }

  const filled: Array<number> = []
  const csaAt = countrySpecific ? width - Output.countrySpecificColumns.length : width
  for (let c = 0; c < width; c++) if (c < csaAt || Output.countrySpecificFilled[c - csaAt]) filled.push(c)

  // the filled columns after ErrorMessage: an error row's nulls
  const addressFilled = filled.filter((c) => c >= inputs.length + Output.generalColumns.length)

  return { columns, validate, validateInto, validateCells, validateCellsInto, filled }
}
