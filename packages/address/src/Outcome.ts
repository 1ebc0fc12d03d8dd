/**
 * What a result row amounts to, for people who must act on it: one of four categories, a reason
 * code and a short text. Defined here once, for every reader of result files (the CLI's summary,
 * reports, review lists).
 *
 * - **Validated**: every component the reference data can check was confirmed (`Exact`, `Alias`,
 *   or `Appended`: filling in a component the input left out is not a correction of it), the
 *   locality and the postal code included, and a street is present. Streets, numbers and units
 *   are never checkable (no street data), so they only need to be there.
 * - **Corrected**: as Validated, after the engine replaced something the input had wrong; the
 *   text names the components.
 * - **Unconfirmed**: something could not be confirmed; the reason says what (an unknown postal
 *   code, a region that contradicts the postal code, a country without postal reference data…).
 * - **Failed**: the row could not be processed (`ErrorType`); the text is its `ErrorMessage`.
 *
 * The category is derived from the columns Amazon Location's result files have (`ErrorType`,
 * the country code, the component `…_Status`/`…_StatusDetail` pairs), so the same rule reads a
 * file of the real service: no column is added to the output.
 * @since 0.1.0
 */
import * as internal from "./internal/outcome.js"

/** The four result categories. */
export type Category = "Validated" | "Corrected" | "Unconfirmed" | "Failed"

/** The categories, best first. */
export const categories: ReadonlyArray<Category> = ["Validated", "Corrected", "Unconfirmed", "Failed"]

/** Reason codes, each with its category and a short text (see the package README's table). */
export const reasons = internal.reasons

/** A reason code. */
export type Reason = keyof typeof internal.reasons

/** A row's category, reason code and a short text about the row. */
export interface Outcome {
  readonly category: Category
  readonly reason: Reason
  readonly message: string
}

/** Classifies a result row given how to read its cells by output column name. */
export const classify: (value: (column: string) => unknown) => Outcome = internal.classify

/**
 * Classifies the rows of a columnar result chunk: `column` gives a column's cells by output
 * column name (undefined when the chunk lacks it), asked once for each of {@link columnsRead};
 * the classifier then takes a row's index. The same rule as `classify`, for a reader of many
 * rows: no function call per cell, and rows with the same reason and the same components
 * corrected (or appended) share one `Outcome` object (they are read-only).
 *
 * @since 0.4.0
 */
export const classifier = (column: (name: string) => ReadonlyArray<unknown> | undefined): ((row: number) => Outcome) => {
  const cells = internal.columnsRead.map(column)
  return (row) => internal.classifyAt(cells, row)
}

/**
 * Every output column `classify` may read: a reader of a result file that only classifies its
 * rows can decode these and skip the rest.
 *
 * @since 0.4.0
 */
export const columnsRead: ReadonlyArray<string> = internal.columnsRead

/** Classifies a result row held as a record keyed by output column name (`Engine.validate`'s). */
export const ofRecord = (record: Readonly<Record<string, unknown>>): Outcome => internal.classify((column) => record[column])
