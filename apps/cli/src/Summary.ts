/**
 * The summary of a validated file, counted from the output columns of spec §7:
 *
 * - **failed**: `ErrorType` (or `ErrorMessage`) is set — the row could not be processed;
 * - **unconfirmed**: otherwise, some component's `…_StatusDetail` is `NotFound` or
 *   `OutOfRange`, or no `MatchConfidence` was given — the address could not be confirmed;
 * - **corrected**: otherwise, some component's `…_StatusDetail` is `Corrected`, or `Appended` for
 *   a component other than the country (which is routinely inferred) — valid after the service
 *   fixed or filled something in;
 * - **validated**: the rest (every component `Exact`, `Alias` or `StandardizedNoMatch`).
 *
 * @since 0.1.0
 */

/** The counts. */
export interface Summary {
  readonly rows: number
  readonly validated: number
  readonly corrected: number
  readonly unconfirmed: number
  readonly failed: number
}

/** What a row is. */
export type Outcome = "validated" | "corrected" | "unconfirmed" | "failed"

const detailColumn = /^Output_ValidationResults_Components_.+_StatusDetail$/

const present = (v: unknown) => v !== null && v !== undefined && v !== ""

/** Classifies one row (given its column lookup). */
export const classify = (columns: ReadonlyArray<string>, value: (column: string) => unknown): Outcome => {
  if (present(value("ErrorType")) || present(value("ErrorMessage"))) return "failed"
  let corrected = false
  for (const column of columns) {
    if (!detailColumn.test(column)) continue
    const detail = value(column)
    if (detail === "NotFound" || detail === "OutOfRange") return "unconfirmed"
    if (detail === "Corrected" || (detail === "Appended" && !column.includes("_Address_Country_"))) corrected = true
  }
  if (columns.includes("Output_ValidationResults_MatchConfidence") && !present(value("Output_ValidationResults_MatchConfidence"))) {
    return "unconfirmed"
  }
  return corrected ? "corrected" : "validated"
}

/** A running count. */
export const make = () => {
  const counts = { rows: 0, validated: 0, corrected: 0, unconfirmed: 0, failed: 0 }
  return {
    /** Adds a columnar chunk. */
    add: (chunk: { readonly columns: ReadonlyArray<string>; readonly data: Readonly<Record<string, ReadonlyArray<unknown>>>; readonly length: number }) => {
      for (let i = 0; i < chunk.length; i++) {
        counts[classify(chunk.columns, (c) => chunk.data[c]?.[i])]++
        counts.rows++
      }
    },
    result: (): Summary => ({ ...counts })
  }
}
