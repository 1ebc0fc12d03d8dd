/**
 * The output columns of a ValidateAddress result file (spec §7.3–7.5) and how a validated
 * address fills them.
 *
 * Order (the spec leaves it UNKNOWN; this is the engine's fixed choice): `Input_*` (one per input
 * column, in input order), `Output_Id`, `ErrorType`, `ErrorMessage`, the §7.4 `Output_*` columns in
 * the order the spec lists them, then `Output_Position_Longitude`/`_Latitude` only when
 * `Position` is requested, then every country's CountrySpecificAttributes columns (AUS, CAN, USA,
 * GBR) only when `CountrySpecificAttributes` is requested (null where not applicable).
 * @since 0.1.0
 */
import type { ComponentStatus } from "./Status.js"
import type { Validated } from "./Validation.js"

/** Physical type of an output column. */
export type ColumnType = "STRING" | "BOOLEAN" | "DOUBLE"

/** One output column. */
export interface Column {
  readonly name: string
  readonly type: ColumnType
}

/** A cell of an output row. */
export type Cell = string | number | boolean | null

/** The additional features of StartJob's `ValidateAddress` action options. */
export type Feature = "Position" | "CountrySpecificAttributes"

const s = (name: string): Column => ({ name, type: "STRING" })
const b = (name: string): Column => ({ name, type: "BOOLEAN" })
const d = (name: string): Column => ({ name, type: "DOUBLE" })

const A = "Output_Address_"
const VR = "Output_ValidationResults_"
const C = "Output_ValidationResults_Components_Address_"

/** The component status prefixes, in output order. */
export const statusComponents = [
  "Country", "Region", "Locality", "Street", "AddressNumber", "PostalCodeDetails_Base",
  "PostalCodeDetails_Extension", "SecondaryAddressComponents_Unit", "SecondaryAddressComponents_Floor"
] as const

/** The §7.4 columns, in order. */
export const addressColumns: ReadonlyArray<Column> = [
  s("Output_AddressId"),
  s("Output_AddressLines_1"), s("Output_AddressLines_2"), s("Output_AddressLines_3"), s("Output_AddressLines_4"), s("Output_AddressLines_5"),
  s(A + "Label"), s(A + "Country_Code2"), s(A + "Country_Code3"), s(A + "Country_Name"),
  s(A + "Region_Code"), s(A + "Region_Name"), s(A + "SubRegion_Code"), s(A + "SubRegion_Name"),
  s(A + "Locality"), s(A + "PostalCode"), s(A + "PostalCodeDetails_Base"), s(A + "PostalCodeDetails_Extension"),
  s(A + "Street"), s(A + "StreetComponents_BaseName"), s(A + "StreetComponents_Prefix"), s(A + "StreetComponents_Suffix"),
  s(A + "StreetComponents_Type"), s(A + "StreetComponents_TypePlacement"), s(A + "AddressNumber"),
  s(A + "SecondaryAddressComponents_Unit_Number"), s(A + "SecondaryAddressComponents_Unit_Designator"),
  s(A + "SecondaryAddressComponents_Floor_Number"), s(A + "SecondaryAddressComponents_Floor_Designator"),
  b("Output_AddressMetadata_DeliveryIndicators_Mailable"), b("Output_AddressMetadata_DeliveryIndicators_Locatable"),
  s(VR + "ValidationGranularity"), s(VR + "MatchConfidence"), d(VR + "MatchConfidenceScore"),
  ...statusComponents.flatMap((c) => [s(C + c + "_Status"), s(C + c + "_StatusDetail")])
]

/** The Position feature's columns. */
export const positionColumns: ReadonlyArray<Column> = [d("Output_Position_Longitude"), d("Output_Position_Latitude")]

const CSA = "Output_CountrySpecificAttributes_"
/** The CountrySpecificAttributes feature's columns, all four countries. */
export const countrySpecificColumns: ReadonlyArray<Column> = [
  s(CSA + "AUS_AustraliaPost_DeliveryPointIdentifier"), s(CSA + "AUS_Census_MeshBlockId"), s(CSA + "AUS_Gnaf_AddressClass"),
  s(CSA + "AUS_Gnaf_GnafPid"), s(CSA + "AUS_Gnaf_LegalParcelId"), s(CSA + "AUS_Gnaf_StatisticalArea1"),
  s(CSA + "CAN_CanadaPost_BuildingType"), s(CSA + "CAN_CanadaPost_RecordType"), s(CSA + "CAN_Census_DisseminationArea"),
  s(CSA + "CAN_Census_Division"), s(CSA + "CAN_Census_MetropolitanArea"), s(CSA + "CAN_Census_Subdivision"), s(CSA + "CAN_Census_Tract"),
  s(CSA + "USA_Usps_CarrierRoute"), s(CSA + "USA_Usps_DefaultFlag"), s(CSA + "USA_Usps_DeliveryPoint_Barcode"),
  s(CSA + "USA_Usps_DeliveryPoint_CheckDigit"), s(CSA + "USA_Usps_Elot_AscendingDescendingFlag"), s(CSA + "USA_Usps_Elot_SequenceNumber"),
  s(CSA + "USA_Usps_NonDeliverableRecord"), s(CSA + "USA_Usps_PoBoxOnlyFlag"), s(CSA + "USA_Usps_RecordType"),
  s(CSA + "USA_Usps_RuralRouteDefault"), s(CSA + "USA_Usps_Urbanization"), b(CSA + "USA_Usps_ZipValid"),
  s(CSA + "USA_Usps_Zip10"), s(CSA + "USA_Usps_Zip9"), s(CSA + "USA_Census_BlockId"),
  s(CSA + "USA_Census_CombinedStatisticalArea_Number"), s(CSA + "USA_Census_CombinedStatisticalArea_Name"),
  s(CSA + "USA_Census_CoreBasedStatisticalArea_Number"), s(CSA + "USA_Census_CoreBasedStatisticalArea_Name"),
  s(CSA + "USA_Census_CountyFipsCode"), s(CSA + "USA_Census_MetropolitanAreaFlag"),
  s(CSA + "GBR_RoyalMail_SubBuilding"), s(CSA + "GBR_RoyalMail_ThoroughfareName"), s(CSA + "GBR_RoyalMail_DependentThoroughfareName"),
  s(CSA + "GBR_RoyalMail_DependentLocality"), s(CSA + "GBR_RoyalMail_DoubleDependentLocality"),
  s(CSA + "GBR_RoyalMail_OrganizationName"), s(CSA + "GBR_RoyalMail_Udprn")
]
const zipValidIndex = countrySpecificColumns.findIndex((c) => c.name.endsWith("USA_Usps_ZipValid"))
const countyFipsIndex = countrySpecificColumns.findIndex((c) => c.name.endsWith("USA_Census_CountyFipsCode"))

/** Whether `writeCountrySpecific` ever writes a value into each of `countrySpecificColumns` (the others are always null). */
export const countrySpecificFilled: ReadonlyArray<boolean> = countrySpecificColumns.map((_, k) => k === zipValidIndex || k === countyFipsIndex)

/** The leading general columns after `Input_*`. */
export const generalColumns: ReadonlyArray<Column> = [s("Output_Id"), s("ErrorType"), s("ErrorMessage")]

/** The full, fixed column list of a file with these input columns and features. */
export const columns = (inputColumns: ReadonlyArray<string>, features: ReadonlyArray<Feature>): ReadonlyArray<Column> => [
  ...inputColumns.map((c) => s(`Input_${c}`)),
  ...generalColumns,
  ...addressColumns,
  ...(features.includes("Position") ? positionColumns : []),
  ...(features.includes("CountrySpecificAttributes") ? countrySpecificColumns : [])
]

const str = (v: string | undefined): Cell => (v === undefined ? null : v)

/** 64-bit FNV-1a of a string, as 16 hex digits: a stable `Output_AddressId` for a standardised address. */
export const addressId = (text: string): string => {
  let h1 = 0x811c9dc5 | 0
  let h2 = 0x01000193 | 0
  const n = text.length
  let i = 0
  // two characters per step: the same hash (each step is the one-character step twice), fewer
  // loop checks per character
  for (; i + 1 < n; i += 2) {
    const c = text.charCodeAt(i)
    const d = text.charCodeAt(i + 1)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 15)
    h1 = Math.imul(h1 ^ d, 0x01000193)
    h2 = Math.imul(h2 ^ d, 0x5bd1e995) ^ (h1 >>> 15)
  }
  if (i < n) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 15)
  }
  return hex16(h1, h2)
}

/** Char codes of the lower-case hex digits. */
const hexDigit: ReadonlyArray<number> = Array.from("0123456789abcdef", (c) => c.charCodeAt(0))
/**
 * Two 32-bit values as 16 lower-case hex digits, built as one flat string by one `fromCharCode`
 * (`toString(16)` + `padStart`, or eight concatenated byte pairs, cost more than the hash).
 */
const hex16 = (a: number, b: number): string =>
  String.fromCharCode(
    hexDigit[a >>> 28]!, hexDigit[(a >>> 24) & 15]!, hexDigit[(a >>> 20) & 15]!, hexDigit[(a >>> 16) & 15]!,
    hexDigit[(a >>> 12) & 15]!, hexDigit[(a >>> 8) & 15]!, hexDigit[(a >>> 4) & 15]!, hexDigit[a & 15]!,
    hexDigit[b >>> 28]!, hexDigit[(b >>> 24) & 15]!, hexDigit[(b >>> 20) & 15]!, hexDigit[(b >>> 16) & 15]!,
    hexDigit[(b >>> 12) & 15]!, hexDigit[(b >>> 8) & 15]!, hexDigit[(b >>> 4) & 15]!, hexDigit[b & 15]!
  )

/**
 * The scores a row can have (hundredths, 0–1) as numbers already boxed: storing a fresh double
 * into an array of mixed cells allocates a heap number per row; a boxed one is stored as it is.
 */
const boxedScores: ReadonlyArray<Cell> = Array.from({ length: 101 }, (_, k) => k / 100)

/** `score` as one of `boxedScores` when it is one (the same value), else itself. */
const scoreCell = (score: number): Cell => {
  const k = Math.round(score * 100)
  return k >= 0 && k <= 100 && boxedScores[k] === score ? boxedScores[k]! : score
}

/**
 * One-row columns that the row writers (`writeAddress`, `writePosition`, `writeCountrySpecific`)
 * go through, so each cell list and each rule is written once, in its `*Into` writer (the columnar
 * hot path); rows are written one at a time (synchronous).
 */
const oneRow: Array<Array<Cell>> = Array.from(
  { length: Math.max(addressColumns.length, positionColumns.length, countrySpecificColumns.length) },
  () => [null]
)

/**
 * `count` cells of `v` into `out` from `at` by the column writer `write`: the cells it leaves
 * untouched are null. Returns the index after them.
 */
const viaOneRow = <V extends Validated | undefined>(
  out: Array<Cell>,
  at: number,
  count: number,
  write: (cols: Columns, at: number, row: number, v: V) => number,
  v: V
): number => {
  for (let k = 0; k < count; k++) oneRow[k]![0] = null
  write(oneRow, 0, 0, v)
  for (let k = 0; k < count; k++) out[at + k] = oneRow[k]![0]!
  return at + count
}

/** Writes the §7.4 cells of `v` into `out` from index `at`; returns the index after them. */
export const writeAddress = (out: Array<Cell>, at: number, v: Validated): number =>
  viaOneRow(out, at, addressColumns.length, writeAddressInto, v)

/** Writes the Position cells (longitude, latitude); null when no reference coordinate exists. */
export const writePosition = (out: Array<Cell>, at: number, v: Validated | undefined): number =>
  viaOneRow(out, at, positionColumns.length, writePositionInto, v)

/** Writes the CountrySpecificAttributes cells: only what reference data supports (US ZipValid, county FIPS). */
export const writeCountrySpecific = (out: Array<Cell>, at: number, v: Validated | undefined): number =>
  viaOneRow(out, at, countrySpecificColumns.length, writeCountrySpecificInto, v)

/** Fills `count` cells with null from `at` (error rows). */
export const writeNulls = (out: Array<Cell>, at: number, count: number): number => {
  for (let k = 0; k < count; k++) out[at + k] = null
  return at + count
}

/**
 * A batch's output columns (aligned with the file's columns) that the `*Into` writers store a row's
 * cells into at the row's index: every column the writers touch must be an array; the others
 * (outside an engine's `filled`) may be undefined and are never written. Writing straight into
 * them spares a columnar caller a row array it would then copy out cell by cell.
 */
export type Columns = ReadonlyArray<Array<Cell> | undefined>

const putStatusInto = (cols: Columns, at: number, row: number, st: ComponentStatus | undefined): void => {
  cols[at]![row] = st === undefined ? null : st.status
  cols[at + 1]![row] = st === undefined ? null : st.detail
}

/** Writes the §7.4 cells of `v` into row `row` of `cols` from column `at`; returns the column after them. */
export const writeAddressInto = (cols: Columns, at: number, row: number, v: Validated): number => {
  let i = at
  cols[i++]![row] = v.label === undefined ? null : addressId(v.label)
  for (let k = 0; k < 5; k++) cols[i++]![row] = k < v.lines.length ? v.lines[k]! : null
  cols[i++]![row] = str(v.label)
  cols[i++]![row] = v.country === undefined ? null : v.country.code2
  cols[i++]![row] = v.country === undefined ? null : v.country.code3
  cols[i++]![row] = v.country === undefined ? null : v.country.name
  cols[i++]![row] = str(v.regionCode)
  cols[i++]![row] = str(v.regionName)
  cols[i++]![row] = str(v.subRegionCode)
  cols[i++]![row] = str(v.subRegionName)
  cols[i++]![row] = str(v.locality)
  cols[i++]![row] = str(v.postalCode)
  cols[i++]![row] = str(v.postalBase)
  cols[i++]![row] = str(v.postalExtension)
  cols[i++]![row] = str(v.street)
  cols[i++]![row] = str(v.streetBaseName)
  cols[i++]![row] = str(v.streetPrefix)
  cols[i++]![row] = str(v.streetSuffix)
  cols[i++]![row] = str(v.streetType)
  cols[i++]![row] = str(v.streetTypePlacement)
  cols[i++]![row] = str(v.addressNumber)
  cols[i++]![row] = str(v.unitNumber)
  cols[i++]![row] = str(v.unitDesignator)
  cols[i++]![row] = str(v.floorNumber)
  cols[i++]![row] = str(v.floorDesignator)
  cols[i++]![row] = v.mailable
  cols[i++]![row] = v.locatable
  cols[i++]![row] = str(v.granularity)
  cols[i++]![row] = v.confidence
  cols[i++]![row] = scoreCell(v.score)
  putStatusInto(cols, i, row, v.countryStatus)
  putStatusInto(cols, i + 2, row, v.regionStatus)
  putStatusInto(cols, i + 4, row, v.localityStatus)
  putStatusInto(cols, i + 6, row, v.streetStatus)
  putStatusInto(cols, i + 8, row, v.addressNumberStatus)
  putStatusInto(cols, i + 10, row, v.postalBaseStatus)
  putStatusInto(cols, i + 12, row, v.postalExtensionStatus)
  putStatusInto(cols, i + 14, row, v.unitStatus)
  putStatusInto(cols, i + 16, row, v.floorStatus)
  return i + 18
}

/** `writePosition` into row `row` of `cols`. */
export const writePositionInto = (cols: Columns, at: number, row: number, v: Validated | undefined): number => {
  cols[at]![row] = v?.longitude ?? null
  cols[at + 1]![row] = v?.latitude ?? null
  return at + 2
}

/**
 * `writeCountrySpecific` into row `row` of `cols`, writing only the columns it can put a value in
 * (`countrySpecificFilled`): the others stay untouched (undefined for a columnar caller).
 */
export const writeCountrySpecificInto = (cols: Columns, at: number, row: number, v: Validated | undefined): number => {
  const us = v !== undefined && v.country?.code2 === "US"
  cols[at + zipValidIndex]![row] = us && v.zipValid !== undefined ? v.zipValid : null
  cols[at + countyFipsIndex]![row] = us && v.countyFips !== undefined ? v.countyFips : null
  return at + countrySpecificColumns.length
}
