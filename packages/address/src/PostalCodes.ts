/**
 * Postal code formats for the United States (ZIP, ZIP+4), Canada (`A1A 1A1`), Australia
 * (four digits) and the United Kingdom (outward + inward code), with what a code's shape alone
 * says about its region (Canada: the first letter; Australia: Australia Post's number ranges;
 * the UK: the postcode areas that lie wholly in Scotland, Wales or Northern Ireland).
 *
 * Small documented regexes and tables, written by hand from the postal authorities' public rules.
 * A well-formed code is not proof that the code exists: only reference data can say that.
 * @since 0.1.0
 */
import { replayingLast } from "./internal/lastAnswer.js"
import * as Regions from "./Regions.js"

/** A postal code split as the output columns want it. */
export interface PostalCode {
  /** The full code in its standard form: `20500-0003`, `K1A 0A9`, `2600`, `SW1A 2AA`. */
  readonly full: string
  /** `PostalCodeDetails_Base`: the ZIP, or the whole code elsewhere. */
  readonly base: string
  /** `PostalCodeDetails_Extension`: the ZIP+4 add-on, when given. */
  readonly extension: string | undefined
}

const usZip = /^(\d{5})(?:-?(\d{4}))?$/
const caCode = /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$/
const auCode = /^\d{4}$/
const gbCode = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[ABD-HJLNP-UW-Z]{2})$/
const gbOutward = /^[A-Z]{1,2}\d[A-Z\d]?$/
const gbInward = /^\d[ABD-HJLNP-UW-Z]{2}$/
const caFirst = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]$/
const caSecond = /^\d[ABCEGHJ-NPRSTV-Z]\d$/
const zip5 = /^\d{5}$/
const plus4 = /^-?\d{4}$/

const isDigits = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/**
 * Parses a postal code written as one token (upper case) for `country`; `undefined` if malformed.
 * The parser's tail scan and validation ask about the same code: the last answer is replayed.
 */
export const parse: (country: string, text: string) => PostalCode | undefined = replayingLast(parseCode)

function parseCode(country: string, text: string): PostalCode | undefined {
  switch (country) {
    case "US": {
      if (text.length === 5 && isDigits(text)) return { full: text, base: text, extension: undefined }
      const m = usZip.exec(text)
      if (m === null) return undefined
      return m[2] === undefined ? { full: m[1]!, base: m[1]!, extension: undefined } : { full: `${m[1]}-${m[2]}`, base: m[1]!, extension: m[2] }
    }
    case "CA": {
      const m = caCode.exec(text)
      if (m === null) return undefined
      const full = `${m[1]} ${m[2]}`
      return { full, base: full, extension: undefined }
    }
    case "AU":
      return auCode.test(text) ? { full: text, base: text, extension: undefined } : undefined
    case "GB": {
      if (text === "GIR 0AA" || text === "GIR0AA") return { full: "GIR 0AA", base: "GIR 0AA", extension: undefined }
      const m = gbCode.exec(text)
      if (m === null) return undefined
      const full = `${m[1]} ${m[2]}`
      return { full, base: full, extension: undefined }
    }
    default:
      return undefined
  }
}

const usShort = /^(\d{4})(?:-(\d{4}))?$/
const auShort = /^\d{3}$/

/**
 * A code of `country` that lost its leading zeros, with them put back: spreadsheets and number
 * columns store ZIP Codes and postcodes as numbers (`02108` → `2108`). Only where the format is
 * all digits of a fixed length: US ZIP Codes of 4 digits, optionally with `-` and a ZIP+4 add-on
 * (New England, New Jersey and Puerto Rico begin with 0; three digits are far more often a
 * truncated ZIP Code than one of the few that begin with 00), and Australian postcodes of 3 digits
 * (the Northern Territory's begin with 0). Canadian and British codes begin with a letter and
 * cannot lose a zero. A repaired code is a guess until reference data confirms that it exists.
 */
export const repair = (country: string, text: string): PostalCode | undefined => {
  if (country === "US") {
    const m = usShort.exec(text)
    if (m === null) return undefined
    const base = m[1]!.padStart(5, "0")
    return m[2] === undefined ? { full: base, base, extension: undefined } : { full: `${base}-${m[2]}`, base, extension: m[2] }
  }
  if (country === "AU" && auShort.test(text)) {
    const base = "0" + text
    return { full: base, base, extension: undefined }
  }
  return undefined
}

/** Whether this module knows the postal code format of `country`. */
export const hasFormat = (country: string): boolean =>
  country === "US" || country === "CA" || country === "AU" || country === "GB"

/**
 * Whether the last one or two tokens (upper case) form a postal code of `country`;
 * returns how many tokens it spans (0 when none). Used by the parser scanning a line backwards.
 */
export const tailLength = (country: string, tokens: ReadonlyArray<string>, end: number): number => {
  if (end <= 0) return 0
  const last = tokens[end - 1]!
  if (parse(country, last) !== undefined) return 1
  if (end >= 2) {
    const prev = tokens[end - 2]!
    // a code that lost its leading zeros, read as one only right after the country's region
    // ("BOSTON MA 2108", "DARWIN NT 800"): a short number alone may be a house or box number
    if ((country === "US" || country === "AU") && repair(country, last) !== undefined && Regions.lookup(country, prev) !== undefined) return 1
    if (country === "CA" && caFirst.test(prev) && caSecond.test(last)) return 2
    if (country === "GB" && gbOutward.test(prev) && gbInward.test(last)) return 2
    if (country === "US" && zip5.test(prev) && plus4.test(last)) return 2
  }
  return 0
}

/** Joins the tokens a postal code spans into the text `parse` reads. */
export const joinTail = (country: string, tokens: ReadonlyArray<string>, end: number, length: number): string =>
  length === 1 ? tokens[end - 1]! : country === "US" ? tokens[end - 2]! + "-" + tokens[end - 1]!.replace("-", "") : tokens[end - 2]! + " " + tokens[end - 1]!

const auRanges: ReadonlyArray<readonly [number, number, string]> = [
  [200, 299, "ACT"], [800, 999, "NT"], [1000, 2599, "NSW"], [2600, 2618, "ACT"], [2619, 2899, "NSW"],
  [2900, 2920, "ACT"], [2921, 2999, "NSW"], [3000, 3999, "VIC"], [4000, 4999, "QLD"], [5000, 5999, "SA"],
  [6000, 6999, "WA"], [7000, 7999, "TAS"], [8000, 8999, "VIC"], [9000, 9999, "QLD"]
]
const gbScotland = new Set(["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"])
const gbWales = new Set(["CF", "LL", "NP", "SA"])
/** Postcode areas that straddle a border: no region is implied by them. */
const gbMixed = new Set(["CH", "HR", "LD", "SY", "TD"])

/**
 * The region codes a well-formed postal code implies (Regions codes), or `undefined` when the
 * code's shape says nothing. Canada: `X` is shared by NT and NU. UK: areas wholly within one country.
 */
export const impliedRegions = (country: string, code: PostalCode): ReadonlyArray<string> | undefined => {
  switch (country) {
    case "CA": {
      const letter = code.base[0]!
      if (letter === "X") return ["NT", "NU"]
      if (letter === "K" || letter === "L" || letter === "M" || letter === "N" || letter === "P") return ["ON"]
      if (letter === "G" || letter === "H" || letter === "J") return ["QC"]
      const map: Record<string, string> = { T: "AB", V: "BC", R: "MB", E: "NB", A: "NL", B: "NS", C: "PE", S: "SK", Y: "YT" }
      const code2 = map[letter]
      return code2 === undefined ? undefined : [code2]
    }
    case "AU": {
      const n = Number(code.base)
      for (const [lo, hi, state] of auRanges) if (n >= lo && n <= hi) return [state]
      return undefined
    }
    case "GB": {
      const area = /^[A-Z]+/.exec(code.base)![0]
      if (area === "BT") return ["NIR"]
      if (gbScotland.has(area)) return ["SCT"]
      if (gbWales.has(area)) return ["WLS"]
      if (gbMixed.has(area) || area === "GIR" || area === "GY" || area === "JE" || area === "IM") return undefined
      return ["ENG"]
    }
    default:
      return undefined
  }
}
