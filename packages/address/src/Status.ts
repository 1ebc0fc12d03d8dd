/**
 * Component validation statuses as Amazon Location reports them (spec §7.4): a `Status`
 * (`Validated`/`Unconfirmed`) with a `StatusDetail`, plus the record-level granularity and
 * match-confidence buckets.
 * @since 0.1.0
 */

/** `…_Status` values. */
export type Status = "Validated" | "Unconfirmed"

/** `…_StatusDetail` values. */
export type StatusDetail = "NotFound" | "StandardizedNoMatch" | "OutOfRange" | "Corrected" | "Exact" | "Alias" | "Appended"

/** A component's status pair. */
export interface ComponentStatus {
  readonly status: Status
  readonly detail: StatusDetail
}

/** Found as given in reference data. */
export const Exact: ComponentStatus = { status: "Validated", detail: "Exact" }
/** Found in reference data under another accepted form (e.g. `ST LOUIS` for `SAINT LOUIS`, `USA`). */
export const Alias: ComponentStatus = { status: "Validated", detail: "Alias" }
/** Missing in the input, filled in from reference data. */
export const Appended: ComponentStatus = { status: "Validated", detail: "Appended" }
/** Wrong or misspelt in the input, replaced from reference data. */
export const Corrected: ComponentStatus = { status: "Validated", detail: "Corrected" }
/** Standardised, but no reference data can confirm it (streets, numbers, units; format-only postal codes). */
export const StandardizedNoMatch: ComponentStatus = { status: "Unconfirmed", detail: "StandardizedNoMatch" }
/** Not found in the reference data (or malformed, or missing and not fillable). */
export const NotFound: ComponentStatus = { status: "Unconfirmed", detail: "NotFound" }

/** `ValidationGranularity`: how far down the address the validation reached. */
export type Granularity = "Premise" | "Street" | "LocalityAndPostalCode" | "Locality"

/** `MatchConfidence` buckets. */
export type Confidence = "High" | "MediumHigh" | "Medium" | "MediumLow" | "Low"

/** Whether a status is one of the `Validated` ones. */
export const isValidated = (s: ComponentStatus | undefined): boolean => s !== undefined && s.status === "Validated"
