/**
 * @internal The rule behind `Outcome`: the order in which a row's cells are asked, and the
 * reason texts.
 */
import type { Category, Outcome, Reason } from "../Outcome.js"

const reason = (category: Category, text: string) => ({ category, text })

/** Every reason code: its category and a short text. */
export const reasons = {
  Confirmed: reason("Validated", "Every component the reference data can check was confirmed"),
  Corrected: reason("Corrected", "Confirmed after correcting the input"),
  CountryNotFound: reason("Unconfirmed", "The country is missing or not recognised"),
  NoReferenceData: reason("Unconfirmed", "No reference data for this country: the address was only standardised"),
  RegionMismatch: reason("Unconfirmed", "The region contradicts the postal code"),
  RegionNotFound: reason("Unconfirmed", "The region is not one of the country's"),
  PostalCodeNotFound: reason("Unconfirmed", "The postal code does not exist or is malformed"),
  PostalCodeMissing: reason("Unconfirmed", "No postal code, and none could be filled in from the locality"),
  PostalCodeMismatch: reason("Unconfirmed", "The postal code belongs to another locality than the one given"),
  PostalCodeUnverifiable: reason("Unconfirmed", "No list of this country's postal codes: only its format and region were checked"),
  LocalityNotFound: reason("Unconfirmed", "The locality is not one of the postal code's or the region's"),
  LocalityUnconfirmed: reason("Unconfirmed", "The locality could not be confirmed"),
  LocalityMissing: reason("Unconfirmed", "No locality, and the postal code does not give one"),
  StreetMissing: reason("Unconfirmed", "No street or PO box: the address cannot be delivered to"),
  InvalidInput: reason("Failed", "The row has no usable address"),
  InvalidValue: reason("Failed", "An address cell is not text"),
  InternalError: reason("Failed", "The engine failed on this row"),
  Error: reason("Failed", "The row could not be processed")
} as const

const C = "Output_ValidationResults_Components_Address_"

/** The components whose statuses are read, with the words the texts name them by. */
const components: ReadonlyArray<readonly [string, string]> = [
  ["Country", "country"], ["Region", "region"], ["Locality", "locality"], ["PostalCodeDetails_Base", "postal code"],
  ["PostalCodeDetails_Extension", "postal code extension"], ["Street", "street"], ["AddressNumber", "address number"],
  ["SecondaryAddressComponents_Unit", "unit"], ["SecondaryAddressComponents_Floor", "floor"]
]
const statusColumns = components.map(([c]) => C + c + "_Status")
const detailColumns = components.map(([c]) => C + c + "_StatusDetail")

/** Every column `classify` may read. */
export const columnsRead: ReadonlyArray<string> = [
  "ErrorType",
  "ErrorMessage",
  "Output_Address_Country_Code2",
  "Output_Address_PostalCode",
  ...statusColumns,
  ...detailColumns
]

/** Countries with postal reference data (postal code ↔ locality ↔ region). */
const postalData = new Set(["US", "AU"])
/** Countries whose postal codes are checked for format and region only (localities: the gazetteer). */
const formatOnly = new Set(["CA", "GB"])

const present = (v: unknown): boolean => v !== null && v !== undefined && v !== ""

/** A row's cells: one array per column of {@link columnsRead} (undefined: the column is absent). */
export type Cells = ReadonlyArray<ReadonlyArray<unknown> | undefined>

// where each column read sits in `columnsRead`
const errorTypeAt = 0
const errorMessageAt = 1
const countryAt = 2
const postalCodeAt = 3
const statusAt = 4
const detailAt = 4 + components.length

const cell = (cells: Cells, k: number, i: number): unknown => {
  const column = cells[k]
  return column === undefined ? undefined : column[i]
}

/** The components whose bit is set in `mask` (bit k: `components[k]`), named and joined ("region, postal code"). */
const named = (mask: number): string => {
  let out = ""
  for (let k = 0; k < components.length; k++) {
    if ((mask & (1 << k)) !== 0) out = out.length === 0 ? components[k]![1] : out + ", " + components[k]![1]
  }
  return out
}

const reasonCodes = Object.keys(reasons) as ReadonlyArray<Reason>
const reasonIndex = new Map(reasonCodes.map((code, k) => [code, k]))

/**
 * The outcomes made so far, by reason and the components corrected and appended (9 bits each):
 * every row that is not Failed has one of these, and a file has few distinct ones, so rows
 * share their outcome (and its message) instead of building one each.
 */
const made = new Map<number, Outcome>()

const outcome = (code: Reason, corrected: number, appended: number): Outcome => {
  const key = (reasonIndex.get(code)! << 18) | (corrected << 9) | appended
  let o = made.get(key)
  if (o === undefined) {
    const extra = corrected !== 0 ? "corrected: " + named(corrected) : appended !== 0 ? "appended: " + named(appended) : ""
    o = code === "Corrected"
      ? { category: "Corrected", reason: code, message: "Corrected: " + named(corrected) }
      : { category: reasons[code].category, reason: code, message: extra.length === 0 ? reasons[code].text : reasons[code].text + "; " + extra }
    made.set(key, o)
  }
  return o
}

/** Classifies row `i` of `cells` (the rule of `Outcome`). */
export const classifyAt = (cells: Cells, i: number): Outcome => {
  const errorType = cell(cells, errorTypeAt, i)
  const message = cell(cells, errorMessageAt, i)
  if (present(errorType) || present(message)) {
    const code: Reason = errorType === "InvalidInput" || errorType === "InvalidValue" || errorType === "InternalError" ? errorType : "Error"
    return { category: "Failed", reason: code, message: present(message) ? String(message) : reasons[code].text }
  }
  let corrected = 0
  let appended = 0
  for (let k = 0; k < components.length; k++) {
    const detail = cell(cells, detailAt + k, i)
    if (detail === "Corrected") corrected |= 1 << k
    else if (detail === "Appended") appended |= 1 << k
  }
  const status = (k: number) => cell(cells, statusAt + k, i)
  const detail = (k: number) => cell(cells, detailAt + k, i)
  const unconfirmed = (code: Reason) => outcome(code, corrected, 0)

  if (status(0) !== "Validated") return unconfirmed("CountryNotFound")
  const country = cell(cells, countryAt, i)
  const hasPostalData = typeof country === "string" && postalData.has(country)
  if (!hasPostalData && !(typeof country === "string" && formatOnly.has(country))) return unconfirmed("NoReferenceData")
  // region
  if (status(1) === "Unconfirmed") return unconfirmed(detail(1) === "StandardizedNoMatch" ? "RegionMismatch" : "RegionNotFound")
  // postal code: missing or unknown
  const postal = status(3)
  if (postal !== "Validated" && detail(3) !== "StandardizedNoMatch") {
    return unconfirmed(present(cell(cells, postalCodeAt, i)) && detail(3) === "NotFound" ? "PostalCodeNotFound" : "PostalCodeMissing")
  }
  // locality
  const locality = status(2)
  if (locality === "Unconfirmed") return unconfirmed(detail(2) === "NotFound" ? "LocalityNotFound" : "LocalityUnconfirmed")
  if (locality !== "Validated") return unconfirmed("LocalityMissing")
  // a well-formed postal code that the reference data does not confirm
  if (postal !== "Validated") return unconfirmed(hasPostalData ? "PostalCodeMismatch" : "PostalCodeUnverifiable")
  if (!present(status(5))) return unconfirmed("StreetMissing")
  if (corrected !== 0) return outcome("Corrected", corrected, 0)
  return outcome("Confirmed", 0, appended)
}

/** Classifies a row given how to read its cells by output column name. */
export const classify = (value: (column: string) => unknown): Outcome =>
  classifyAt(columnsRead.map((column) => [value(column)]), 0)
