/**
 * An address's lines and label as each country writes them (unit, floor, number and street;
 * locality, region and postal code in the country's order; the country's name at the end).
 *
 * @internal
 */
import type { Country } from "../Countries.js"
import type { Validated } from "../Validation.js"

/** Countries whose lines put the postal code before the locality ("75008 PARIS"). */
const postalFirst = new Set([
  "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "HR", "HU", "IS", "IT", "LI", "LU", "NL", "NO",
  "PL", "PT", "SE", "SI", "SK", "MX", "BR", "AR", "TR"
])

const add = (out: string, p: string | undefined): string =>
  p === undefined || p.length === 0 ? out : out.length === 0 ? p : out + " " + p

/** Joins the non-empty parts with single spaces (fixed arity: no rest-array per call). */
export const join = (a: string | undefined, b: string | undefined, c?: string | undefined, d?: string | undefined): string =>
  add(add(add(add("", a), b), c), d)

/** Each country's label ending (`", UNITED STATES"`), computed once per country: one concatenation per label fewer. */
const labelEnds = new Map<string, string>()
let lastEndOf: Country | undefined
let lastEnd = ""
const labelEnd = (country: Country): string => {
  // rows of a file mostly name one country: the last answer, without a map look-up
  if (country === lastEndOf) return lastEnd
  let n = labelEnds.get(country.code2)
  if (n === undefined) labelEnds.set(country.code2, (n = ", " + country.name.toUpperCase()))
  lastEndOf = country
  lastEnd = n
  return n
}

/** The non-empty lines among `a`, `b`, as an exact-size array (a `push` onto an empty array makes room for 16). */
const linesOf = (a: string, b: string): Array<string> =>
  a.length === 0 ? (b.length === 0 ? [] : [b]) : b.length === 0 ? [a] : [a, b]

/** Writes `v.lines` and `v.label` from the standardised components already in `v`. */
export const formatLines = (v: Validated, code2: string | undefined, numberAfter: boolean): void => {
  const unit = v.unitDesignator === undefined && v.unitNumber === undefined ? undefined : join(v.unitDesignator ?? "#", v.unitNumber)
  const floor = v.floorNumber === undefined && v.floorDesignator === undefined ? undefined : join(v.floorDesignator ?? "FL", v.floorNumber)
  const streetLine = numberAfter ? join(v.street, v.addressNumber) : join(v.addressNumber, v.street)
  let lines: Array<string>
  switch (code2) {
    case "GB":
      lines = []
      if (unit !== undefined || floor !== undefined) lines.push(join(unit, floor))
      if (streetLine.length > 0) lines.push(streetLine)
      if (v.locality !== undefined) lines.push(v.locality)
      if (v.postalCode !== undefined) lines.push(v.postalCode)
      break
    case "AU":
      lines = linesOf(join(unit, floor, streetLine), join(v.locality, v.regionCode, v.postalCode))
      break
    case "CA": {
      const civic = v.unitNumber !== undefined && v.addressNumber !== undefined && !numberAfter
        ? join(`${v.unitNumber}-${v.addressNumber}`, v.street, floor)
        : join(streetLine, floor, unit)
      const last = join(v.locality, v.regionCode) + (v.postalCode === undefined ? "" : `  ${v.postalCode}`)
      lines = linesOf(civic, last.trim())
      break
    }
    default: {
      const last = code2 !== undefined && postalFirst.has(code2)
        ? join(v.postalCode, v.locality, v.regionCode === undefined ? undefined : v.regionCode)
        : join(v.locality, v.regionCode, v.postalCode)
      lines = linesOf(join(streetLine, floor, unit), last)
    }
  }
  v.lines = lines
  if (lines.length > 0) {
    let label = lines[0]!
    for (let i = 1; i < lines.length; i++) label = label + ", " + lines[i]!
    v.label = v.country === undefined ? label : label + labelEnd(v.country)
  }
  else v.label = v.country === undefined ? undefined : labelEnd(v.country).slice(2)
}
