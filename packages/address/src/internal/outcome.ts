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

const make = (code: Reason, extra?: string): Outcome => ({
  category: reasons[code].category,
  reason: code,
  message: extra === undefined || extra.length === 0 ? reasons[code].text : reasons[code].text + "; " + extra
})

/** The components whose detail is `detail`, named and joined ("region, postal code"), or "". */
const named = (value: (column: string) => unknown, detail: string): string => {
  let out = ""
  for (let k = 0; k < components.length; k++) {
    if (value(detailColumns[k]!) === detail) out = out.length === 0 ? components[k]![1] : out + ", " + components[k]![1]
  }
  return out
}

export const classify = (value: (column: string) => unknown): Outcome => {
  const errorType = value("ErrorType")
  if (present(errorType) || present(value("ErrorMessage"))) {
    const code: Reason = errorType === "InvalidInput" || errorType === "InvalidValue" || errorType === "InternalError" ? errorType : "Error"
    const message = value("ErrorMessage")
    return { category: "Failed", reason: code, message: present(message) ? String(message) : reasons[code].text }
  }
  const status = (k: number) => value(statusColumns[k]!)
  const detail = (k: number) => value(detailColumns[k]!)
  const corrected = named(value, "Corrected")
  const also = corrected.length === 0 ? undefined : "corrected: " + corrected
  const unconfirmed = (code: Reason) => make(code, also)

  if (status(0) !== "Validated") return unconfirmed("CountryNotFound")
  const country = value("Output_Address_Country_Code2")
  const hasPostalData = typeof country === "string" && postalData.has(country)
  if (!hasPostalData && !(typeof country === "string" && formatOnly.has(country))) return unconfirmed("NoReferenceData")
  // region
  if (status(1) === "Unconfirmed") return unconfirmed(detail(1) === "StandardizedNoMatch" ? "RegionMismatch" : "RegionNotFound")
  // postal code: missing or unknown
  const postal = status(3)
  if (postal !== "Validated" && detail(3) !== "StandardizedNoMatch") {
    return unconfirmed(present(value("Output_Address_PostalCode")) && detail(3) === "NotFound" ? "PostalCodeNotFound" : "PostalCodeMissing")
  }
  // locality
  const locality = status(2)
  if (locality === "Unconfirmed") return unconfirmed(detail(2) === "NotFound" ? "LocalityNotFound" : "LocalityUnconfirmed")
  if (locality !== "Validated") return unconfirmed("LocalityMissing")
  // a well-formed postal code that the reference data does not confirm
  if (postal !== "Validated") return unconfirmed(hasPostalData ? "PostalCodeMismatch" : "PostalCodeUnverifiable")
  if (!present(status(5))) return unconfirmed("StreetMissing")
  if (corrected.length > 0) return { category: "Corrected", reason: "Corrected", message: "Corrected: " + corrected }
  const appended = named(value, "Appended")
  return make("Confirmed", appended.length === 0 ? undefined : "appended: " + appended)
}
