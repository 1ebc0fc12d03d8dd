/**
 * The input contract of a ValidateAddress job (spec §7.2): the 15 column names, the `Row`
 * type the readers produce, the per-row problem marker, and the header-alias mapping used
 * by the CSV and JSON Lines readers.
 *
 * @since 0.1.0
 */

/** `Id`: the optional record identifier, mirrored to `Input_Id` in the output. */
export const Id = "Id" as const

/** The 14 address columns (every input column except `Id`), in spec order. */
export const AddressColumns = [
  "AddressLines_1",
  "AddressLines_2",
  "AddressLines_3",
  "AddressLines_4",
  "AddressLines_5",
  "AddressComponents_Country",
  "AddressComponents_Region",
  "AddressComponents_SubRegion",
  "AddressComponents_Locality",
  "AddressComponents_PostalCode",
  "AddressComponents_Street",
  "AddressComponents_AddressNumber",
  "AddressComponents_Unit",
  "AddressComponents_UnitDesignator"
] as const

/** One of the 14 address column names. */
export type AddressColumn = (typeof AddressColumns)[number]

/** The 15 input columns of spec §7.2 (exact names), `Id` first. */
export const InputColumns = [Id, ...AddressColumns] as const

/** One of the 15 input column names. */
export type InputColumn = (typeof InputColumns)[number]

const inputColumnSet: ReadonlySet<string> = new Set(InputColumns)
const addressColumnSet: ReadonlySet<string> = new Set(AddressColumns)

/** Whether `name` is exactly one of the 15 spec input columns. */
export const isInputColumn = (name: string): name is InputColumn => inputColumnSet.has(name)

/** Whether `name` is exactly one of the 14 address columns (`Id` is not one). */
export const isAddressColumn = (name: string): name is AddressColumn => addressColumnSet.has(name)

/**
 * One input record: every column of the file (spec columns and extra columns alike) as an
 * optional string. `null` is an absent value (a Parquet null, an empty CSV field, a JSON
 * `null` or a missing JSON key).
 *
 * A row may also carry {@link RowError}: see there.
 */
export type Row = Record<string, string | null>

/**
 * The per-row problem marker.
 *
 * When one value of a row cannot be read as a string — a Parquet list or struct cell, a CSV
 * line with the wrong number of fields — the readers do not fail the file (a JSON object or
 * array is not such a value: it is read as its JSON text). They set that column to `null` and put a human-readable message under this key:
 *
 * ```ts
 * row[RowError] === "column AddressLines_1: a list value cannot be read as a string"
 * ```
 *
 * Rows without a problem do not have the key at all. The name starts with `__` so it can
 * never clash with a spec column; writers ignore it unless a column spec names it. In the
 * columnar form the same messages are in `ColumnarChunk.rowErrors`.
 */
export const RowError = "__geojobs_error" as const

/** The problem message of a row, if it has one (see {@link RowError}). */
export const rowError = (row: Readonly<Record<string, unknown>>): string | undefined => {
  const message = row[RowError]
  return typeof message === "string" ? message : undefined
}

/** The columns of a row that are real data columns (everything but {@link RowError}). */
export const dataColumns = (row: Readonly<Record<string, unknown>>): Array<string> =>
  Object.keys(row).filter((key) => key !== RowError)

/**
 * Normalises a header for alias lookup: compatibility-normalised (NFKC), lower case, and
 * everything but letters and digits removed (spaces of every kind, `_ - . / # ( )`…).
 * `"Postal Code"`, `"postal_code"`, `"POSTAL-CODE"` and `"Zip/Postal Code"`'s parts all
 * compare equal this way: `"postalcode"`.
 */
export const normalizeHeader = (header: string): string => header.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")

/**
 * Common header spellings and the spec column each stands for, keyed by their
 * {@link normalizeHeader normalised} form. The spec names themselves match
 * case/space/underscore-insensitively too (`addresslines1`, `address_components_country`…).
 *
 * Documented in the package README ("Header aliases").
 */
export const HeaderAliases: Readonly<Record<string, InputColumn>> = (() => {
  const table: Record<string, InputColumn> = {}
  const add = (column: InputColumn, ...spellings: ReadonlyArray<string>) => {
    for (const spelling of spellings) table[normalizeHeader(spelling)] = column
  }
  // the spec names themselves, and their parts without the group prefix
  for (const column of InputColumns) add(column, column)
  add("Id", "id", "record_id", "recordid", "record id")
  add(
    "AddressLines_1",
    "address",
    "address1",
    "address_1",
    "address line 1",
    "addressline1",
    "address_line_1",
    "street address",
    "street_address",
    "line1",
    "line 1",
    "full address",
    "full_address",
    "addr",
    "addr1",
    "address line",
    "street address 1",
    "street address line 1",
    "street1",
    "street line 1",
    "mailing address",
    "postal address",
    "address 1 street"
  )
  add(
    "AddressLines_2",
    "address2",
    "address_2",
    "address line 2",
    "addressline2",
    "line2",
    "line 2",
    "addr2",
    "street2",
    "street address 2",
    "street address line 2",
    "street line 2"
  )
  add("AddressLines_3", "address3", "address_3", "address line 3", "addressline3", "line3", "line 3")
  add("AddressLines_4", "address4", "address_4", "address line 4", "addressline4", "line4", "line 4")
  add("AddressLines_5", "address5", "address_5", "address line 5", "addressline5", "line5", "line 5")
  add(
    "AddressComponents_Country",
    "country",
    "country_code",
    "countrycode",
    "country code",
    "country name",
    "country/region",
    "country iso",
    "iso country",
    "iso country code",
    "nation"
  )
  add(
    "AddressComponents_Region",
    "state",
    "province",
    "region",
    "state_code",
    "state code",
    "territory",
    "state/province",
    "province/state",
    "state/region",
    "state/province/region",
    "province/territory",
    "state or province",
    "prefecture"
  )
  add("AddressComponents_SubRegion", "county", "subregion", "sub_region", "district")
  add(
    "AddressComponents_Locality",
    "city",
    "town",
    "locality",
    "municipality",
    "suburb",
    "city/town",
    "town/city",
    "suburb/city",
    "city/suburb",
    "city or town",
    "village"
  )
  add(
    "AddressComponents_PostalCode",
    "zip",
    "zipcode",
    "zip_code",
    "zip code",
    "postcode",
    "post_code",
    "postal_code",
    "postal code",
    "postalcode",
    "zip/postal code",
    "postal/zip code",
    "zip or postal code",
    "postal or zip code",
    "postcode/zip",
    "zip/postcode",
    "zip+4",
    "zip5",
    "postal"
  )
  add("AddressComponents_Street", "street", "street_name", "street name", "streetname")
  add(
    "AddressComponents_AddressNumber",
    "number",
    "house_number",
    "house number",
    "housenumber",
    "street_number",
    "street number",
    "address_number",
    "addressnumber",
    "house no",
    "street no",
    "building number"
  )
  add(
    "AddressComponents_Unit",
    "unit",
    "apt",
    "apartment",
    "suite",
    "unit_number",
    "unit number",
    "apt/suite",
    "unit/apt",
    "apartment number",
    "apt number",
    "suite number"
  )
  add("AddressComponents_UnitDesignator", "unit_designator", "unit designator", "unit_type", "unit type")
  return table
})()

/**
 * Words exports put before the usual names (`Billing City`, `Mailing Zip/Postal Code`, Outlook's
 * `Business Street`, Google's `Address 1 - City`): a header that is one of these followed by a
 * known spelling stands for that spelling's column.
 */
const qualifiers: ReadonlyArray<string> = [
  "address1",
  "billing",
  "mailing",
  "shipping",
  "delivery",
  "postal",
  "home",
  "business",
  "work",
  "primary",
  "physical",
  "residential",
  "street"
]

/**
 * The spec column a header stands for, if it is a known spelling (see {@link HeaderAliases}),
 * compared case-, space- and punctuation-insensitively, also after one of the usual qualifiers
 * (`Billing`, `Mailing`, `Shipping`, `Home`, `Business`…); a qualified `Street` is the whole
 * street line (`AddressLines_1`), as such exports fill it.
 */
export const canonicalColumn = (header: string): InputColumn | undefined => {
  const key = normalizeHeader(header)
  const direct = HeaderAliases[key]
  if (direct !== undefined) return direct
  for (const qualifier of qualifiers) {
    if (key.length > qualifier.length && key.startsWith(qualifier)) {
      const rest = key.slice(qualifier.length)
      // an export's "Billing Street" / "Business Street" is the whole street line
      if (rest === "street") return "AddressLines_1"
      const column = HeaderAliases[rest]
      if (column !== undefined) return column
    }
  }
  return undefined
}

/**
 * Maps the headers of a CSV or JSON Lines file to the names the rows will carry, in order.
 *
 * - A header that is a known spelling of a spec column becomes that column's exact name.
 * - If two headers stand for the same spec column, an exact spec name wins; otherwise the
 *   first one wins. The others keep their own name (they pass through as extra columns).
 * - Unknown headers pass through unchanged. Duplicate names get a `_2`, `_3`… suffix so no
 *   value is lost.
 */
export const mapHeaders = (headers: ReadonlyArray<string>): Array<string> => {
  const canonical = headers.map((header) => canonicalColumn(header))
  const owner = new Map<InputColumn, number>()
  headers.forEach((header, index) => {
    const column = canonical[index]
    if (column === undefined) return
    const current = owner.get(column)
    if (current === undefined) owner.set(column, index)
    else if (header === column && headers[current] !== column) owner.set(column, index)
  })
  const used = new Set<string>()
  const names = headers.map((header, index) => {
    const column = canonical[index]
    const name = column !== undefined && owner.get(column) === index ? column : header
    return name
  })
  // spec names are reserved for their owners; everything else is made unique
  for (const column of owner.keys()) used.add(column)
  return names.map((name, index) => {
    const column = canonical[index]
    if (column !== undefined && owner.get(column) === index) return name
    let candidate = name
    let n = 2
    while (used.has(candidate) || candidate === RowError) candidate = `${name}_${n++}`
    used.add(candidate)
    return candidate
  })
}

/** The address columns among `headers` (exact names), in spec order. */
export const presentAddressColumns = (headers: Iterable<string>): Array<AddressColumn> => {
  const set = new Set(headers)
  return AddressColumns.filter((column) => set.has(column))
}
