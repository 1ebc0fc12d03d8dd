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
 *
 * This module is the interface; the body is in `internal/`: `validate.ts` (one record),
 * `postalReference.ts` (the US/AU reference data as the checks read it), `addressLines.ts` (lines
 * and label) and `matchScore.ts` (score and confidence).
 *
 * @since 0.1.0
 */
import type { Country } from "./Countries.js"
import { confidenceOf as confidenceOfScore } from "./internal/matchScore.js"
import { knownLocality as isKnownLocality } from "./internal/postalReference.js"
import { validateInto as validateRecordInto } from "./internal/validate.js"
import type { ParsedAddress } from "./Parse.js"
import type { ComponentStatus, Confidence, Granularity } from "./Status.js"

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

/** Whether `text` is a known locality (used by the parser to split one-line addresses). */
export const knownLocality: (country: string, text: string, region: string | undefined, postal: string | undefined) => boolean =
  isKnownLocality

/** `MatchConfidence` bucket of a score (thresholds documented in the README). */
export const confidenceOf: (score: number) => Confidence = confidenceOfScore

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

/**
 * `validate` into `v`, every field written (`v.lines` a new array): one record reused per engine.
 * The values are worked out in locals and each field is stored once, in declaration order, before
 * `formatLines` reads them (a reset of all 40 fields first, then the real values, cost a second
 * store per field and re-reads of the record).
 */
export const validateInto: (p: ParsedAddress, v: Validated) => Validated = validateRecordInto
