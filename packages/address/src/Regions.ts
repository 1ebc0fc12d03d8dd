/**
 * Official first-level subdivision codes for the four countries this engine knows best:
 * US states, DC, territories and military "states" (USPS codes, with ANSI/FIPS state codes);
 * Canadian provinces and territories (Canada Post codes, with the first letters of their
 * postal codes); Australian states and territories (Australia Post codes); the four countries
 * of the United Kingdom (ISO 3166-2:GB codes without the `GB-` prefix).
 *
 * Small static tables of public, official codes, written by hand.
 * @since 0.1.0
 */
import { replayingLast } from "./internal/lastAnswer.js"

/** One subdivision: its postal code, its name, and an optional official numeric code. */
export interface Region {
  readonly code: string
  readonly name: string
  /** US: the two-digit ANSI/FIPS state code (used for 5-digit county FIPS codes). */
  readonly fips?: string
  /** CA: the first letters of the postal codes used in this province or territory. */
  readonly postalLetters?: string
}

const us = (code: string, name: string, fips?: string): Region => (fips ? { code, name, fips } : { code, name })

/** US states, DC, the inhabited territories, freely associated states and military codes. */
export const UnitedStates: ReadonlyArray<Region> = [
  us("AL", "Alabama", "01"), us("AK", "Alaska", "02"), us("AZ", "Arizona", "04"), us("AR", "Arkansas", "05"),
  us("CA", "California", "06"), us("CO", "Colorado", "08"), us("CT", "Connecticut", "09"),
  us("DE", "Delaware", "10"), us("DC", "District of Columbia", "11"), us("FL", "Florida", "12"),
  us("GA", "Georgia", "13"), us("HI", "Hawaii", "15"), us("ID", "Idaho", "16"), us("IL", "Illinois", "17"),
  us("IN", "Indiana", "18"), us("IA", "Iowa", "19"), us("KS", "Kansas", "20"), us("KY", "Kentucky", "21"),
  us("LA", "Louisiana", "22"), us("ME", "Maine", "23"), us("MD", "Maryland", "24"),
  us("MA", "Massachusetts", "25"), us("MI", "Michigan", "26"), us("MN", "Minnesota", "27"),
  us("MS", "Mississippi", "28"), us("MO", "Missouri", "29"), us("MT", "Montana", "30"),
  us("NE", "Nebraska", "31"), us("NV", "Nevada", "32"), us("NH", "New Hampshire", "33"),
  us("NJ", "New Jersey", "34"), us("NM", "New Mexico", "35"), us("NY", "New York", "36"),
  us("NC", "North Carolina", "37"), us("ND", "North Dakota", "38"), us("OH", "Ohio", "39"),
  us("OK", "Oklahoma", "40"), us("OR", "Oregon", "41"), us("PA", "Pennsylvania", "42"),
  us("RI", "Rhode Island", "44"), us("SC", "South Carolina", "45"), us("SD", "South Dakota", "46"),
  us("TN", "Tennessee", "47"), us("TX", "Texas", "48"), us("UT", "Utah", "49"), us("VT", "Vermont", "50"),
  us("VA", "Virginia", "51"), us("WA", "Washington", "53"), us("WV", "West Virginia", "54"),
  us("WI", "Wisconsin", "55"), us("WY", "Wyoming", "56"),
  us("AS", "American Samoa", "60"), us("FM", "Federated States of Micronesia", "64"), us("GU", "Guam", "66"),
  us("MH", "Marshall Islands", "68"), us("MP", "Northern Mariana Islands", "69"), us("PW", "Palau", "70"),
  us("PR", "Puerto Rico", "72"), us("UM", "U.S. Minor Outlying Islands", "74"), us("VI", "U.S. Virgin Islands", "78"),
  us("AA", "Armed Forces Americas"), us("AE", "Armed Forces Europe"), us("AP", "Armed Forces Pacific")
]

/** Canadian provinces and territories with the first letter(s) of their postal codes. */
export const Canada: ReadonlyArray<Region> = [
  { code: "AB", name: "Alberta", postalLetters: "T" },
  { code: "BC", name: "British Columbia", postalLetters: "V" },
  { code: "MB", name: "Manitoba", postalLetters: "R" },
  { code: "NB", name: "New Brunswick", postalLetters: "E" },
  { code: "NL", name: "Newfoundland and Labrador", postalLetters: "A" },
  { code: "NS", name: "Nova Scotia", postalLetters: "B" },
  { code: "NT", name: "Northwest Territories", postalLetters: "X" },
  { code: "NU", name: "Nunavut", postalLetters: "X" },
  { code: "ON", name: "Ontario", postalLetters: "KLMNP" },
  { code: "PE", name: "Prince Edward Island", postalLetters: "C" },
  { code: "QC", name: "Quebec", postalLetters: "GHJ" },
  { code: "SK", name: "Saskatchewan", postalLetters: "S" },
  { code: "YT", name: "Yukon", postalLetters: "Y" }
]

/** Australian states and territories (Australia Post abbreviations). */
export const Australia: ReadonlyArray<Region> = [
  { code: "ACT", name: "Australian Capital Territory" },
  { code: "NSW", name: "New South Wales" },
  { code: "NT", name: "Northern Territory" },
  { code: "QLD", name: "Queensland" },
  { code: "SA", name: "South Australia" },
  { code: "TAS", name: "Tasmania" },
  { code: "VIC", name: "Victoria" },
  { code: "WA", name: "Western Australia" }
]

/** The countries of the United Kingdom (ISO 3166-2:GB). */
export const UnitedKingdom: ReadonlyArray<Region> = [
  { code: "ENG", name: "England" },
  { code: "NIR", name: "Northern Ireland" },
  { code: "SCT", name: "Scotland" },
  { code: "WLS", name: "Wales" }
]

/** Extra spellings accepted on input, per country (upper case, no punctuation) → code. */
const aliases: Record<string, Record<string, string>> = {
  US: { "D C": "DC", "PUERTO RICO": "PR", "VIRGIN ISLANDS": "VI" },
  CA: { "QUÉBEC": "QC", "PQ": "QC", "NEWFOUNDLAND": "NL", "NF": "NL", "YUKON TERRITORY": "YT", "PEI": "PE" },
  AU: { "AUSTRALIAN CAPITAL TERRITORY": "ACT", "TASMANIA": "TAS" },
  GB: { "GREAT BRITAIN": "ENG", "N IRELAND": "NIR", "CYMRU": "WLS" }
}

/** The subdivision tables by ISO alpha-2 country code. */
export const byCountry: Readonly<Record<string, ReadonlyArray<Region>>> = {
  US: UnitedStates,
  CA: Canada,
  AU: Australia,
  GB: UnitedKingdom
}

/** What `lookup` returns: the region and whether the input was its code, its name, or an alias. */
export interface RegionMatch {
  readonly region: Region
  readonly via: "code" | "name" | "alias"
}

const indexes = new Map<string, Map<string, RegionMatch>>()
for (const country of Object.keys(byCountry)) {
  const index = new Map<string, RegionMatch>()
  for (const region of byCountry[country]!) {
    index.set(region.code, { region, via: "code" })
    index.set(region.name.toUpperCase().replace(/\./g, ""), { region, via: "name" })
  }
  for (const [alias, code] of Object.entries(aliases[country] ?? {})) {
    const region = index.get(code)!.region
    if (!index.has(alias)) index.set(alias, { region, via: "alias" })
  }
  indexes.set(country, index)
}

/** The US table, looked up most (no per-call country look-up). */
const usIndex = indexes.get("US")!

/**
 * Finds a subdivision of `country` (alpha-2) from an upper-case code, name or alias;
 * `undefined` for countries without a table or for unknown text. A row asks about the same text
 * several times (the parser's region window, its country inference, then validation): the last
 * answer is replayed.
 */
export const lookup: (country: string, text: string) => RegionMatch | undefined = replayingLast((country, text) =>
  (country === "US" ? usIndex : indexes.get(country))?.get(text)
)

/** Whether this engine has a subdivision table for `country` (alpha-2). */
export const hasTable = (country: string): boolean => indexes.has(country)

/** The longest region name in words, for parsers scanning backwards. */
export const maxNameWords = 4

const lastWords = new Set<string>()
for (const index of indexes.values()) {
  for (const key of index.keys()) {
    const space = key.lastIndexOf(" ")
    if (space > 0) lastWords.add(key.slice(space + 1))
  }
}

/** Whether `word` ends some multi-word region name or alias (`YORK`, `CAROLINA`, …): a cheap pre-check. */
export const endsMultiWordName = (word: string): boolean => lastWords.has(word)
