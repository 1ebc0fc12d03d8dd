/**
 * Validation of one parsed record into a `Validated`: the country, the last line (checked
 * against the postal reference data for US/AU, the postal code's shape and the gazetteer for
 * CA/GB), the postal code's standard form, the street standardised, then lines, granularity,
 * score and delivery indicators.
 *
 * @internal
 */
import * as Gazetteer from "../Gazetteer.js"
import { directional, placeKey, streetType, unitDesignator } from "../Normalize.js"
import type { ParsedAddress } from "../Parse.js"
import * as PostalCodes from "../PostalCodes.js"
import * as Regions from "../Regions.js"
import type { ComponentStatus, Granularity } from "../Status.js"
import * as S from "../Status.js"
import * as UnitedStatesReference from "../UnitedStatesReference.js"
import type { Validated } from "../Validation.js"
import { formatLines, join } from "./addressLines.js"
import { check, type LastLineInput, type LastLineResult, type Place } from "./lastLine.js"
import { confidenceOf, conflictPenalty, credit, weights } from "./matchScore.js"
import { auSource, placesOfPostal, usSource } from "./postalReference.js"

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

const abbreviatedTypes = new Set(["US", "CA", "AU"])

/** The last-line check's input and result, reused (validation is synchronous and `check` calls nothing back). */
const lastLineInput: Mutable<LastLineInput> = {
  postal: undefined, postalGiven: false, region: undefined, regionVia: undefined, regionGiven: false,
  locality: undefined, localityKey: undefined
}
const lastLineResult: LastLineResult = {
  postal: undefined, postalStatus: undefined, region: undefined, regionStatus: undefined,
  locality: undefined, localityStatus: undefined, place: undefined, conflict: false
}

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
