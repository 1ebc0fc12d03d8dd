/**
 * Parsing of single-line and multi-line address inputs into components: address number,
 * street (directional prefix, base name, type, directional suffix), unit and floor, locality,
 * region, postal code and country.
 *
 * Lines are read as the spec asks: `AddressLines_*` in mail order, `AddressComponents_*` for
 * the last-line parts. A component given in its own column wins over one parsed from a line.
 * The parser scans the last line backwards (country, postal code, region, locality) and the
 * first line forwards (unit, number, street). When a line has no commas between street and
 * locality, a `knownLocality` callback (backed by reference data) picks the split.
 * @since 0.1.0
 */
import * as Countries from "./Countries.js"
import { directional, streetType, unitDesignator } from "./Normalize.js"
import * as PostalCodes from "./PostalCodes.js"
import * as Regions from "./Regions.js"
import { type FirstLine, parseFirstLine, splitComponentStreet, type StreetScratch } from "./internal/firstLine.js"
import { joinTokens, segmentStartOf, type Tokens, tokenize, windowCrossesSegment } from "./internal/tokens.js"
import { hasDigit, isAlpha3, isNumberLike, slashUnitAt } from "./internal/words.js"

/** The components of a street name. `type` is the word as written (standardised later). */
export interface StreetParts {
  readonly prefix: string | undefined
  readonly baseName: string
  readonly type: string | undefined
  readonly suffix: string | undefined
}

/** The components found in one input record (upper case, spaces collapsed). */
export interface ParsedAddress {
  readonly country: Countries.CountryMatch | undefined
  /** Where the country came from: its column, a line, or inferred from postal code and region. */
  readonly countrySource: "component" | "line" | "inferred" | undefined
  /** Country text that names no known country. */
  readonly countryText: string | undefined
  readonly region: string | undefined
  readonly subRegion: string | undefined
  readonly locality: string | undefined
  readonly postalCode: string | undefined
  readonly addressNumber: string | undefined
  readonly street: StreetParts | undefined
  readonly unitDesignator: string | undefined
  readonly unitNumber: string | undefined
  readonly floorDesignator: string | undefined
  readonly floorNumber: string | undefined
  readonly poBox: boolean
  /** Whether the number followed the street on the input line (`UNTER DEN LINDEN 77`). */
  readonly numberAfterStreet: boolean
}

/** The cleaned input: address lines and the component columns (upper case, trimmed; absent when blank). */
export interface RawAddress {
  readonly lines: ReadonlyArray<string>
  readonly country?: string | undefined
  readonly region?: string | undefined
  readonly subRegion?: string | undefined
  readonly locality?: string | undefined
  readonly postalCode?: string | undefined
  readonly street?: string | undefined
  readonly addressNumber?: string | undefined
  readonly unit?: string | undefined
  readonly unitDesignator?: string | undefined
}

/** Tells whether `text` is a known locality for a country (and region/postal code when known). */
export type KnownLocality = (country: string, text: string, region: string | undefined, postalCode: string | undefined) => boolean

/** Countries tried, in order, when neither a column nor a line names the country. */
const inferable = ["US", "CA", "GB", "AU"] as const
const inferredMatches = new Map<string, Countries.CountryMatch>()
/** The (shared, read-only) match of an inferred country. */
const inferredCountry = (code2: string): Countries.CountryMatch => {
  let m = inferredMatches.get(code2)
  if (m === undefined) inferredMatches.set(code2, (m = { country: Countries.fromCode2(code2)!, via: "code2" }))
  return m
}

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/**
 * What one parse works in, reused from record to record (parsing is synchronous): the words,
 * the last and first line and the street. Nothing in it outlives a
 * parse except through `parseInto`'s output, which the caller consumes before the next one.
 */
interface Work {
  readonly tokens: Tokens
  readonly tail: Tail
  readonly first: FirstLine
  readonly street: StreetScratch
  /** The street line as indices into its words (grown when a record has more words). */
  main: Int32Array
}

const makeWork = (): Work => ({
  tokens: { words: [], count: 0, starts: new Uint8Array(64), hash: false, texts: [], line: new Int32Array(64), at: new Int32Array(64) },
  tail: { postal: undefined, region: undefined, locality: undefined, end: 0 },
  first: {
    number: undefined, street: undefined, unitDesignator: undefined, unitNumber: undefined,
    floorDesignator: undefined, floorNumber: undefined, poBox: false, numberAfterStreet: false
  },
  street: { prefix: undefined, baseName: "", type: undefined, suffix: undefined },
  main: new Int32Array(64)
})

/** The shared work area, and whether a parse is using it (a `known` callback that parses gets its own). */
const shared = makeWork()
let sharedBusy = false

/** Country names that are also names of US states or Canadian provinces: read as regions on a line. */
const ambiguousCountryNames = new Set(["GEORGIA", "JERSEY"])

/** The country `countryFromLine` found (valid when it returned a length > 0). */
let lineCountry: Countries.CountryMatch | undefined

/** How many trailing words name a country (0: none); the match is left in `lineCountry`. */
const countryFromLine = (t: Tokens, end: number): number => {
  if (end === 0) return 0
  const start = segmentStartOf(t, end - 1)
  if (start > 0) {
    // the whole last segment names a country ("…, United States"); bare alpha-2 codes are too
    // ambiguous with regions ("…, CA") except the usual US and UK
    let digits = false
    for (let i = start; i < end && !digits; i++) digits = hasDigit(t.words[i]!)
    if (!digits) {
      const text = end - start === 1 ? t.words[start]! : joinTokens(t, start, end)
      const m = ambiguousCountryNames.has(text) ? undefined : Countries.resolve(text)
      if (m !== undefined && (m.via !== "code2" || text === "US" || text === "GB")) {
        lineCountry = m
        return end - start
      }
    }
  }
  const last = t.words[end - 1]!
  if (end >= 2 && (isAlpha3(last) || last === "US" || last === "UK")) {
    const m = Countries.resolve(last)
    if (m !== undefined && (m.via === "code3" || last === "US" || last === "UK")) {
      lineCountry = m
      return 1
    }
  }
  return 0
}

interface Tail {
  postal: string | undefined
  region: string | undefined
  locality: string | undefined
  /** Words before the last line. */
  end: number
}

const regionWindow = (country: string, t: Tokens, end: number, floor: number): number => {
  const longest = Regions.endsMultiWordName(t.words[end - 1]!) ? Math.min(Regions.maxNameWords, end - floor) : Math.min(1, end - floor)
  for (let k = longest; k >= 1; k--) {
    const from = end - k
    if (windowCrossesSegment(t, from, end)) continue
    const text = k === 1 ? t.words[from]! : joinTokens(t, from, end)
    if (Regions.lookup(country, text) !== undefined) return k
  }
  return 0
}

const isFirstLineStart = (word: string): boolean =>
  isNumberLike(word) || unitDesignator(word) !== undefined || word === "PO" || word === "BOX" || slashUnitAt(word) >= 0

/** Reads the last line (postal code, region, locality) backwards from the end of the words. */
const parseTail = (country: string, t: Tokens, end: number, known: KnownLocality | undefined, hint: RawAddress, tail: Tail): Tail => {
  tail.postal = undefined
  tail.region = undefined
  tail.locality = undefined
  tail.end = end
  if (end === 0) return tail
  const tailSegment = segmentStartOf(t, end - 1)
  let evidence = false
  let pl = PostalCodes.tailLength(country, t.words, end)
  if (pl === 0 && !PostalCodes.hasFormat(country) && end >= 2 && hasDigit(t.words[end - 1]!) && t.words[end - 1]!.length <= 10 && tailSegment > 0) pl = 1
  if (pl > 0 && end - pl >= 0) {
    tail.postal = PostalCodes.joinTail(country, t.words, end, pl)
    end -= pl
    evidence = true
  }
  if (Regions.hasTable(country) && end > 0) {
    const floor = segmentStartOf(t, end - 1) === 0 ? 1 : 0
    let k = regionWindow(country, t, end, floor)
    // With the region given in its own column and no postal code in the line, a trailing word
    // that names another region is part of the street ("900 COURT ST NE" in Oregon is not
    // Nebraska): only the same region may be read off the line.
    const region = k > 0 ? joinTokens(t, end - k, end) : undefined
    if (k > 0 && pl === 0 && hint.region !== undefined) {
      const inLine = Regions.lookup(country, region!)
      const given = Regions.lookup(country, hint.region)
      if (given === undefined || inLine !== given) k = 0
    }
    if (k > 0) {
      tail.region = region
      end -= k
      evidence = true
    }
  }
  // Continental order: "75008 PARIS" as the last segment
  if (tail.postal === undefined && !PostalCodes.hasFormat(country) && end > 0) {
    const s = segmentStartOf(t, end - 1)
    if (s > 0 && end - s >= 2 && hasDigit(t.words[s]!) && t.words[s]!.length <= 10) {
      tail.postal = t.words[s]!
      tail.locality = joinTokens(t, s + 1, end)
      tail.end = s
      return tail
    }
  }
  if (end === 0) {
    tail.end = 0
    return tail
  }
  const s = segmentStartOf(t, end - 1)
  if (s > 0) {
    if (!isFirstLineStart(t.words[s]!) && (evidence || hint.locality === undefined)) {
      tail.locality = joinTokens(t, s, end)
      end = s
    }
  } else if (evidence && end >= 2) {
    // One segment holds street and locality: find where the locality starts.
    let split = -1
    if (known !== undefined) {
      let text = ""
      // the whole segment may be the locality when nothing looks like a street before it
      const longest = Math.min(4, isNumberLike(t.words[0]!) ? end - 1 : end)
      for (let k = longest; k >= 1; k--) {
        text = k === longest ? joinTokens(t, end - k, end) : text.slice(t.words[end - k - 1]!.length + 1)
        if (known(country, text, tail.region ?? hint.region, tail.postal ?? hint.postalCode)) {
          split = end - k
          break
        }
      }
    }
    if (split < 0) {
      for (let i = end - 2; i >= 1; i--) {
        const w = t.words[i]!
        if (streetType(w) !== undefined || (directional(w) !== undefined && i >= 2 && streetType(t.words[i - 1]!) !== undefined)) {
          split = i + 1
          break
        }
        const d = unitDesignator(w)
        if (d !== undefined && d.needsRange && i + 1 < end - 1) {
          split = i + 2
          break
        }
      }
    }
    if (split < 0 && end >= 3 && isNumberLike(t.words[0]!)) split = end - 1
    if (split >= 0 && split < end) {
      tail.locality = joinTokens(t, split, end)
      end = split
    }
  }
  tail.end = end
  return tail
}

/** A parsed address as `parseInto` fills it. */
export type ParsedScratch = Mutable<ParsedAddress>

/** An empty `ParsedScratch` (for `parseInto`). */
export const makeParsed = (): ParsedScratch => ({
  country: undefined, countrySource: undefined, countryText: undefined, region: undefined, subRegion: undefined,
  locality: undefined, postalCode: undefined, addressNumber: undefined, street: undefined, unitDesignator: undefined,
  unitNumber: undefined, floorDesignator: undefined, floorNumber: undefined, poBox: false, numberAfterStreet: false
})

/**
 * Parses one record. `lines` and the component columns must already be cleaned (upper case,
 * single spaces, trimmed; blank cells absent).
 */
export const parse = (raw: RawAddress, known?: KnownLocality): ParsedAddress => {
  const p = parseInto(raw, known, makeParsed())
  return p.street === undefined ? p : { ...p, street: { ...p.street } }
}

/**
 * `parse` into `out` (every field written), for a caller that consumes the result before the
 * next parse: `out.street` may be a record the next parse overwrites.
 */
export const parseInto = (raw: RawAddress, known: KnownLocality | undefined, out: ParsedScratch): ParsedScratch => {
  if (sharedBusy) return parseWith(raw, known, out, makeWork())
  sharedBusy = true
  try {
    return parseWith(raw, known, out, shared)
  } finally {
    sharedBusy = false
  }
}

const parseWith = (raw: RawAddress, known: KnownLocality | undefined, out: ParsedScratch, work: Work): ParsedScratch => {
  const t = tokenize(raw.lines, work.tokens)
  let end = t.count
  let country: Countries.CountryMatch | undefined
  let countrySource: ParsedAddress["countrySource"]
  let countryText: string | undefined
  if (raw.country !== undefined) {
    country = Countries.resolve(raw.country)
    countrySource = country === undefined ? undefined : "component"
    if (country === undefined) countryText = raw.country
  }
  const fromLine = countryFromLine(t, end)
  if (fromLine > 0 && (country === undefined || lineCountry!.country.code2 === country.country.code2)) {
    if (country === undefined && countryText === undefined) {
      country = lineCountry
      countrySource = "line"
    }
    end -= fromLine
  }
  let tail: Tail | undefined
  let code2 = country?.country.code2
  if (code2 !== undefined) tail = parseTail(code2, t, end, known, raw, work.tail)
  else if (countryText === undefined) {
    // Infer the country from the shape of the last line (a postal code with a matching region).
    for (const candidate of inferable) {
      const attempt = parseTail(candidate, t, end, known, raw, work.tail)
      // A code that lost its leading zeros ("WA 6243" read as a US ZIP 06243) is evidence for a
      // country only with the locality it is written with: Western Australia is `WA` too.
      if (attempt.postal !== undefined && PostalCodes.parse(candidate, attempt.postal) === undefined) {
        const fixed = PostalCodes.repair(candidate, attempt.postal)
        if (fixed !== undefined && (known === undefined || attempt.locality === undefined || !known(candidate, attempt.locality, undefined, fixed.full))) continue
      }
      const postalOk = attempt.postal !== undefined || (raw.postalCode !== undefined && PostalCodes.parse(candidate, raw.postalCode) !== undefined)
      const regionText = attempt.region ?? raw.region
      const regionOk = regionText !== undefined && Regions.lookup(candidate, regionText) !== undefined
      const distinctive = candidate === "CA" || candidate === "GB"
      const postalText = attempt.postal ?? raw.postalCode
      const localityText = attempt.locality ?? raw.locality
      const knownPair = postalOk && !regionOk && !distinctive && candidate === "US" && postalText !== undefined &&
        known !== undefined && known(candidate, localityText ?? "", undefined, postalText)
      if ((postalOk && (regionOk || distinctive || knownPair)) || (regionOk && candidate === "US")) {
        tail = attempt
        code2 = candidate
        country = inferredCountry(candidate)
        countrySource = "inferred"
        break
      }
    }
  }
  if (tail === undefined) tail = parseTail(code2 ?? "", t, end, undefined, raw, work.tail)
  const first = parseFirstLine(t, tail.end, code2, work)
  const street = raw.street !== undefined ? splitComponentStreet(raw.street, code2, work) : first.street
  let unitDesignatorOut = first.unitDesignator
  let unitNumber = first.unitNumber
  if (raw.unit !== undefined || raw.unitDesignator !== undefined) {
    const d = raw.unitDesignator === undefined ? undefined : unitDesignator(raw.unitDesignator)
    unitDesignatorOut = d?.abbreviation ?? raw.unitDesignator
    unitNumber = raw.unit
  }
  out.country = country
  out.countrySource = countrySource
  out.countryText = countryText
  out.region = raw.region ?? tail.region
  out.subRegion = raw.subRegion
  out.locality = raw.locality ?? tail.locality
  out.postalCode = raw.postalCode ?? tail.postal
  out.addressNumber = raw.addressNumber ?? first.number
  out.street = street
  out.unitDesignator = unitDesignatorOut
  out.unitNumber = unitNumber
  out.floorDesignator = first.floorDesignator
  out.floorNumber = first.floorNumber
  out.poBox = first.poBox && raw.street === undefined
  out.numberAfterStreet = raw.addressNumber === undefined && first.numberAfterStreet
  return out
}
