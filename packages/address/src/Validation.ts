/**
 * From parsed components to a validated, standardised address: the values of every `Output_*`
 * column, the component statuses, granularity, confidence, delivery indicators and position.
 *
 * What is checked against data: the country (ISO 3166-1), regions (official code tables),
 * US ZIP ↔ city ↔ state (+ county, ZIP centroid) and AU postcode ↔ locality ↔ state (+ locality
 * point). CA/GB postal codes are checked for format and region consistency only; CA/GB
 * localities against the GeoNames gazetteer (which also places US/AU localities that the postal
 * data gives no point for). Streets,
 * address numbers and units are standardised but never confirmed (no street data): they are
 * `Unconfirmed`/`StandardizedNoMatch`, and the granularity never exceeds `LocalityAndPostalCode`.
 * @since 0.1.0
 */
import * as AustraliaReference from "./AustraliaReference.js"
import type { Country } from "./Countries.js"
import * as Gazetteer from "./Gazetteer.js"
import { check, type LastLineInput, type LastLineResult, type Place, type Source } from "./internal/lastLine.js"
import { directional, placeKey, streetType, unitDesignator } from "./Normalize.js"
import type { ParsedAddress } from "./Parse.js"
import * as PostalCodes from "./PostalCodes.js"
import * as UnitedStatesReference from "./UnitedStatesReference.js"
import * as Regions from "./Regions.js"
import type { ComponentStatus, Confidence, Granularity } from "./Status.js"
import * as S from "./Status.js"
import { replayingLast } from "./internal/lastAnswer.js"

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/** The standardised, validated address of one record. */
export interface Validated {
  country: Country | undefined
  regionCode: string | undefined
  regionName: string | undefined
  subRegionCode: string | undefined
  subRegionName: string | undefined
  locality: string | undefined
  postalCode: string | undefined
  postalBase: string | undefined
  postalExtension: string | undefined
  street: string | undefined
  streetBaseName: string | undefined
  streetPrefix: string | undefined
  streetSuffix: string | undefined
  streetType: string | undefined
  streetTypePlacement: "BeforeBaseName" | "AfterBaseName" | undefined
  addressNumber: string | undefined
  unitNumber: string | undefined
  unitDesignator: string | undefined
  floorNumber: string | undefined
  floorDesignator: string | undefined
  lines: Array<string>
  label: string | undefined
  countryStatus: ComponentStatus | undefined
  regionStatus: ComponentStatus | undefined
  localityStatus: ComponentStatus | undefined
  streetStatus: ComponentStatus | undefined
  addressNumberStatus: ComponentStatus | undefined
  postalBaseStatus: ComponentStatus | undefined
  postalExtensionStatus: ComponentStatus | undefined
  unitStatus: ComponentStatus | undefined
  floorStatus: ComponentStatus | undefined
  granularity: Granularity | undefined
  confidence: Confidence
  score: number
  mailable: boolean
  locatable: boolean
  latitude: number | undefined
  longitude: number | undefined
  /** US only: whether the ZIP Code exists in the reference data. */
  zipValid: boolean | undefined
  /** US only: the 5-digit county FIPS code of the validated ZIP. */
  countyFips: string | undefined
}

const noZip: ReadonlyArray<Place> = []
const usSource: Source = {
  // a fresh one-element list of the record (young, cheap) rather than the index's own list:
  // one object fewer to fetch from memory per ZIP
  byPostal: (code) => {
    const record = UnitedStatesReference.zip(code)
    return record === undefined ? noZip : [record]
  },
  byPlace: UnitedStatesReference.zipsOf,
  keysOf: (state) => UnitedStatesReference.us().cityKeys.get(state) ?? [],
  statesOf: (key) => UnitedStatesReference.us().statesOfCity.get(key) ?? []
}
const auByPlace = new Map<string, ReadonlyArray<Place>>()
const auByPostal = new Map<string, ReadonlyArray<Place>>()
const none: ReadonlyArray<Place> = []
/** Memoises reference look-ups as `Place` lists (bounded by the size of the reference data). */
function cached(map: Map<string, ReadonlyArray<Place>>, state: string, key: string, make: () => ReadonlyArray<Place>): ReadonlyArray<Place> {
  const k = state.length === 0 ? key : state + "|" + key
  let v = map.get(k)
  if (v === undefined) {
    v = make()
    // only places that exist are kept, so misspelt input cannot grow the cache without bound
    if (v.length > 0) map.set(k, v)
    else v = none
  }
  return v
}

const auPlace = (l: AustraliaReference.Locality): Place => ({
  postal: l.postcode, name: l.name, key: l.key, state: l.state, latitude: l.latitude, longitude: l.longitude
})
const auSource: Source = {
  byPostal: (postcode) => cached(auByPostal, "", postcode, () => AustraliaReference.localitiesOf(postcode).map(auPlace)),
  byPlace: (state, key) => cached(auByPlace, state, key, () => AustraliaReference.postcodesOf(state, key).map(auPlace)),
  keysOf: (state) => AustraliaReference.au().localityKeys.get(state) ?? [],
  statesOf: (key) => {
    const out: Array<string> = []
    for (const [state, byName] of AustraliaReference.au().localities) if (byName.has(key)) out.push(state)
    return out
  }
}

/**
 * The reference places of a postal code of `country` (US or AU); the parser asks about the same
 * code several times in a row, so the last answer is replayed.
 */
const placesOfPostal = replayingLast((country: string, postal: string): ReadonlyArray<Place> => {
  const pc = PostalCodes.parse(country, postal)
  return pc === undefined ? none : (country === "US" ? usSource : auSource).byPostal(pc.base)
})

/** Whether `text` is a known locality (used by the parser to split one-line addresses). */
export const knownLocality = (country: string, text: string, region: string | undefined, postal: string | undefined): boolean => {
  const source = country === "US" ? usSource : country === "AU" ? auSource : undefined
  if (source === undefined) return false
  const key = placeKey(text)
  const places = postal === undefined ? none : placesOfPostal(country, postal)
  if (postal !== undefined) {
    // An empty text asks whether the postal code itself exists.
    if (key.length === 0) return places.length > 0
    // A known postal code decides alone (cheap, and the splitter falls back to street types).
    if (places.length > 0) {
      for (let i = 0; i < places.length; i++) if (places[i]!.key === key) return true
      return false
    }
  }
  if (key.length === 0) return false
  const state = region === undefined ? undefined : Regions.lookup(country, region)?.region.code
  if (state !== undefined) return source.byPlace(state, key).length > 0
  return source.statesOf(key).length > 0
}

/** Countries whose lines put the postal code before the locality ("75008 PARIS"). */
const postalFirst = new Set([
  "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "HR", "HU", "IS", "IT", "LI", "LU", "NL", "NO",
  "PL", "PT", "SE", "SI", "SK", "MX", "BR", "AR", "TR"
])
const abbreviatedTypes = new Set(["US", "CA", "AU"])

const add = (out: string, p: string | undefined): string =>
  p === undefined || p.length === 0 ? out : out.length === 0 ? p : out + " " + p

/** Joins the non-empty parts with single spaces (fixed arity: no rest-array per call). */
const join = (a: string | undefined, b: string | undefined, c?: string | undefined, d?: string | undefined): string =>
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

const weights = { country: 0.1, region: 0.15, locality: 0.25, postal: 0.25, street: 0.15, number: 0.1 } as const

/** The score one component contributes (fraction of its weight); absent components give 0. */
const credit = (s: ComponentStatus | undefined): number => {
  if (s === undefined) return 0
  switch (s.detail) {
    case "Exact":
    case "Alias":
      return 1
    case "Appended":
      return 0.9
    case "Corrected":
      return 0.6
    case "StandardizedNoMatch":
      return 0.5
    default:
      return 0
  }
}

/** `MatchConfidence` bucket of a score (thresholds documented in the README). */
export const confidenceOf = (score: number): Confidence =>
  score >= 0.8 ? "High" : score >= 0.7 ? "MediumHigh" : score >= 0.55 ? "Medium" : score >= 0.4 ? "MediumLow" : "Low"

/** An empty `Validated` (for `validateInto`). */
export const makeValidated = (): Validated => ({
  country: undefined, regionCode: undefined, regionName: undefined, subRegionCode: undefined, subRegionName: undefined,
  locality: undefined, postalCode: undefined, postalBase: undefined, postalExtension: undefined,
  street: undefined, streetBaseName: undefined, streetPrefix: undefined, streetSuffix: undefined, streetType: undefined,
  streetTypePlacement: undefined, addressNumber: undefined, unitNumber: undefined, unitDesignator: undefined,
  floorNumber: undefined, floorDesignator: undefined, lines: [], label: undefined,
  countryStatus: undefined, regionStatus: undefined, localityStatus: undefined, streetStatus: undefined,
  addressNumberStatus: undefined, postalBaseStatus: undefined, postalExtensionStatus: undefined, unitStatus: undefined,
  floorStatus: undefined, granularity: undefined, confidence: "Low", score: 0, mailable: false, locatable: false,
  latitude: undefined, longitude: undefined, zipValid: undefined, countyFips: undefined
})

/** Validates and standardises one parsed record. */
export const validate = (p: ParsedAddress): Validated => validateInto(p, makeValidated())

/** The last-line check's input and result, reused (validation is synchronous and `check` calls nothing back). */
const lastLineInput: Mutable<LastLineInput> = {
  postal: undefined, postalGiven: false, region: undefined, regionVia: undefined, regionGiven: false,
  locality: undefined, localityKey: undefined
}
const lastLineResult: LastLineResult = {
  postal: undefined, postalStatus: undefined, region: undefined, regionStatus: undefined,
  locality: undefined, localityStatus: undefined, place: undefined, conflict: false
}

/** How much a conflict between a valid postal code and the locality given lowers the score. */
const conflictPenalty = 0.1

/** The first of `regions` in which the gazetteer has a place named `key`. */
const placeIn = (country: string, regions: ReadonlyArray<string>, key: string): Gazetteer.Place | undefined => {
  for (let i = 0; i < regions.length; i++) {
    const found = Gazetteer.find(country, regions[i]!, key)
    if (found !== undefined) return found
  }
  return undefined
}

/** The one region of `regions` in which the gazetteer has a place named `key`, else undefined. */
const onlyRegionOf = (country: string, regions: ReadonlyArray<string>, key: string): string | undefined => {
  let only: string | undefined
  for (let i = 0; i < regions.length; i++) {
    if (Gazetteer.find(country, regions[i]!, key) === undefined) continue
    if (only !== undefined) return undefined
    only = regions[i]
  }
  return only
}

/**
 * `validate` into `v`, every field written (`v.lines` a new array): one record reused per engine.
 * The values are worked out in locals and each field is stored once, in declaration order, before
 * `formatLines` reads them (a reset of all 40 fields first, then the real values, cost a second
 * store per field and re-reads of the record).
 */
export const validateInto = (p: ParsedAddress, v: Validated): Validated => {
  const country = p.country?.country
  const code2 = country?.code2
  // Country
  const countryStatus: ComponentStatus | undefined = p.country !== undefined
    ? (p.countrySource === "inferred" ? S.Appended : p.country.via === "alias" ? S.Alias : S.Exact)
    : p.countryText !== undefined ? S.NotFound : undefined

  // Region, locality, postal code
  const regionMatch = code2 === undefined || p.region === undefined ? undefined : Regions.lookup(code2, p.region)
  let pc = code2 === undefined || p.postalCode === undefined ? undefined : PostalCodes.parse(code2, p.postalCode)
  // A code that lost its leading zeros is put back only when the reference data has the result.
  let repaired = false
  if (pc === undefined && p.postalCode !== undefined && (code2 === "US" || code2 === "AU")) {
    const fixed = PostalCodes.repair(code2, p.postalCode)
    if (fixed !== undefined && placesOfPostal(code2, fixed.base).length > 0) {
      pc = fixed
      repaired = true
    }
  }
  let regionCode = regionMatch?.region.code
  let regionStatus: ComponentStatus | undefined = regionMatch === undefined
    ? (p.region === undefined ? undefined : Regions.hasTable(code2 ?? "") ? S.NotFound : S.StandardizedNoMatch)
    : regionMatch.via === "alias" ? S.Alias : S.Exact
  let locality = p.locality
  let localityStatus: ComponentStatus | undefined = p.locality === undefined ? undefined : S.StandardizedNoMatch
  let postal: string | undefined = pc?.base ?? p.postalCode
  let postalStatus: ComponentStatus | undefined = p.postalCode === undefined ? undefined : pc === undefined ? (PostalCodes.hasFormat(code2 ?? "") ? S.NotFound : S.StandardizedNoMatch) : S.StandardizedNoMatch
  let place: Place | undefined
  let latitude: number | undefined
  let longitude: number | undefined
  let conflict = false
  let zipValid: boolean | undefined
  const source = code2 === "US" ? usSource : code2 === "AU" ? auSource : undefined
  if (source !== undefined) {
    const input = lastLineInput
    input.postal = pc?.base
    input.postalGiven = p.postalCode !== undefined
    input.region = regionCode
    input.regionVia = regionMatch?.via
    input.regionGiven = p.region !== undefined
    input.locality = p.locality
    input.localityKey = p.locality === undefined ? undefined : placeKey(p.locality)
    const r = check(source, input, lastLineResult)
    regionCode = r.region
    regionStatus = r.regionStatus
    locality = r.locality
    localityStatus = r.localityStatus
    postal = r.postal ?? p.postalCode
    // the repaired code kept as it was looked up is a correction of the input's
    postalStatus = repaired && r.postal === pc!.base && S.isValidated(r.postalStatus) ? S.Corrected : r.postalStatus
    place = r.place
    conflict = r.conflict
    if (place !== undefined) {
      latitude = place.latitude
      longitude = place.longitude
    }
    // A validated locality that the postal data gives no point for (a city of many ZIP Codes and
    // none given): the gazetteer's point of the locality.
    if (latitude === undefined && locality !== undefined && regionCode !== undefined && S.isValidated(localityStatus)) {
      const g = Gazetteer.find(code2!, regionCode, placeKey(locality))
      if (g !== undefined) {
        latitude = g.latitude
        longitude = g.longitude
      }
    }
    // (a validated place of this ZIP is its reference record, so the dense ZIP table alone
    // answers: no read of the record's postal code string)
    if (code2 === "US") zipValid = pc !== undefined && UnitedStatesReference.zip(pc.base) !== undefined
  } else if (code2 !== undefined && (pc !== undefined || Gazetteer.covers(code2))) {
    // Countries without postal reference data (CA, GB): the postal code's shape may imply the
    // region, and the gazetteer knows the larger localities and their regions.
    const implied = pc === undefined ? undefined : PostalCodes.impliedRegions(code2, pc)
    const key = p.locality === undefined || !Gazetteer.covers(code2) ? undefined : placeKey(p.locality)
    let found: Gazetteer.Place | undefined
    if (regionCode !== undefined) {
      if (implied !== undefined && !implied.includes(regionCode)) {
        // The region contradicts the postal code: a locality that lies in the postal code's
        // region and not in the given one makes two of three, and the region is corrected;
        // otherwise nothing decides between them.
        found = key === undefined || Gazetteer.find(code2, regionCode, key) !== undefined ? undefined : placeIn(code2, implied, key)
        if (found !== undefined) {
          regionCode = found.region
          regionStatus = S.Corrected
        } else regionStatus = S.StandardizedNoMatch
      }
    } else if (p.region === undefined) {
      if (implied !== undefined && implied.length === 1) {
        regionCode = implied[0]
        regionStatus = S.Appended
      } else if (key !== undefined) {
        // no region from the postal code alone (`X`: NT or NU; a British area astride a border)
        const only = onlyRegionOf(code2, implied ?? Gazetteer.regionsOf(code2, key), key)
        if (only !== undefined) {
          regionCode = only
          regionStatus = S.Appended
        }
      }
    }
    if (key !== undefined && regionCode !== undefined && S.isValidated(regionStatus)) {
      found ??= Gazetteer.find(code2, regionCode, key)
      if (found !== undefined) {
        const exact = placeKey(found.name) === key
        locality = exact ? p.locality : found.name
        localityStatus = exact ? S.Exact : S.Alias
        latitude = found.latitude
        longitude = found.longitude
      }
    }
  }
  let postalCode: string | undefined
  let postalBase: string | undefined
  let postalExtension: string | undefined
  if (postal !== undefined) {
    // `postal` is usually the input's own base (`pc.base`): a base parses as itself (full = base),
    // so it is not parsed again
    let stdBase: string | undefined
    let stdFull: string | undefined
    if (pc !== undefined && postal === pc.base) {
      stdBase = pc.base
      stdFull = pc.base
    } else if (code2 !== undefined) {
      const std = PostalCodes.parse(code2, postal)
      stdBase = std?.base
      stdFull = std?.full
    }
    postalBase = stdBase ?? postal
    postalExtension = pc !== undefined && stdBase !== undefined && stdBase === pc.base ? pc.extension : undefined
    postalCode = code2 !== "US" ? (stdFull ?? postal) : postalExtension === undefined ? postalBase : `${postalBase}-${postalExtension}`
  }

  // Street, number, units: standardised, never confirmed
  const st = p.street
  let street: string | undefined
  let streetBaseName: string | undefined
  let streetPrefix: string | undefined
  let streetSuffix: string | undefined
  let streetTypeOut: string | undefined
  let streetStatus: ComponentStatus | undefined
  if (st !== undefined && st.baseName.length > 0) {
    const t = st.type === undefined ? undefined : streetType(st.type)
    streetTypeOut = t === undefined ? st.type : code2 !== undefined && abbreviatedTypes.has(code2) ? t.abbreviation : t.name
    streetBaseName = st.baseName
    streetPrefix = st.prefix === undefined ? undefined : directional(st.prefix)
    streetSuffix = st.suffix === undefined ? undefined : directional(st.suffix)
    street = join(streetPrefix, st.baseName, streetTypeOut, streetSuffix)
    streetStatus = S.StandardizedNoMatch
  }
  const unitGiven = p.unitNumber !== undefined || p.unitDesignator !== undefined
  const floorGiven = p.floorNumber !== undefined || p.floorDesignator !== undefined

  v.country = country
  v.regionCode = regionCode ?? (regionMatch === undefined ? p.region : undefined)
  // the input's own region when the check kept it (no second look-up of its code)
  v.regionName = regionCode === undefined
    ? undefined
    : regionMatch !== undefined && regionMatch.region.code === regionCode ? regionMatch.region.name : Regions.lookup(code2!, regionCode)?.region.name
  v.subRegionCode = place === undefined ? undefined : place.countyFips
  v.subRegionName = place === undefined ? p.subRegion : (place.countyName ?? p.subRegion)
  v.locality = locality
  v.postalCode = postalCode
  v.postalBase = postalBase
  v.postalExtension = postalExtension
  v.street = street
  v.streetBaseName = streetBaseName
  v.streetPrefix = streetPrefix
  v.streetSuffix = streetSuffix
  v.streetType = streetTypeOut
  v.streetTypePlacement = streetTypeOut === undefined ? undefined : "AfterBaseName"
  v.addressNumber = p.addressNumber
  v.unitNumber = p.unitNumber
  v.unitDesignator = unitGiven && p.unitDesignator !== undefined ? (unitDesignator(p.unitDesignator)?.abbreviation ?? p.unitDesignator) : p.unitDesignator
  v.floorNumber = p.floorNumber
  v.floorDesignator = p.floorDesignator
  // (lines and label: formatLines, below)
  v.countryStatus = countryStatus
  v.regionStatus = regionStatus
  v.localityStatus = localityStatus
  v.streetStatus = streetStatus
  v.addressNumberStatus = p.addressNumber === undefined ? undefined : S.StandardizedNoMatch
  v.postalBaseStatus = postalStatus
  v.postalExtensionStatus = pc?.extension === undefined ? undefined : postalExtension === undefined ? S.NotFound : S.StandardizedNoMatch
  v.unitStatus = unitGiven ? S.StandardizedNoMatch : undefined
  v.floorStatus = floorGiven ? S.StandardizedNoMatch : undefined

  formatLines(v, code2, p.numberAfterStreet || p.poBox)

  // Granularity, confidence, delivery indicators
  const localityOk = S.isValidated(localityStatus)
  const postalOk = S.isValidated(postalStatus)
  const granularity: Granularity | undefined = localityOk && postalOk ? "LocalityAndPostalCode" : localityOk ? "Locality" : undefined
  let score = weights.country * credit(countryStatus) + weights.region * credit(regionStatus) +
    weights.locality * credit(localityStatus) + weights.postal * credit(postalStatus) +
    weights.street * credit(streetStatus) + weights.number * credit(v.addressNumberStatus)
  const cap = granularity === "LocalityAndPostalCode" ? 0.85 : granularity === "Locality" ? 0.7 : 0.4
  if (score > cap) score = cap
  if (conflict) score = score > conflictPenalty ? score - conflictPenalty : 0
  score = Math.round(score * 100) / 100
  const deliverable = (street !== undefined && p.addressNumber !== undefined) || p.poBox
  v.granularity = granularity
  v.confidence = confidenceOf(score)
  v.score = score
  v.mailable = deliverable && granularity === "LocalityAndPostalCode"
  v.locatable = granularity === "LocalityAndPostalCode" && latitude !== undefined
  v.latitude = latitude
  v.longitude = longitude
  v.zipValid = zipValid
  v.countyFips = place === undefined ? undefined : place.countyFips
  return v
}

/** The non-empty lines among `a`, `b`, as an exact-size array (a `push` onto an empty array makes room for 16). */
const linesOf = (a: string, b: string): Array<string> =>
  a.length === 0 ? (b.length === 0 ? [] : [b]) : b.length === 0 ? [a] : [a, b]

const formatLines = (v: Validated, code2: string | undefined, numberAfter: boolean): void => {
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
