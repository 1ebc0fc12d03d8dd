/**
 * @internal The last-line check shared by every country with postal reference data (US, AU):
 * postal code ↔ locality ↔ region, with corrections, appends and conflicts resolved by the
 * rules documented in the README ("two of three agree"; a valid postal code in the given
 * region outweighs a locality it does not serve; a correction needs a single candidate).
 */
import type { ComponentStatus } from "../Status.js"
import * as S from "../Status.js"
import { closest } from "./text.js"

/** One postal code/locality pair of the reference data. */
export interface Place {
  readonly postal: string
  /** Upper-case locality name. */
  readonly name: string
  readonly key: string
  readonly state: string
  readonly latitude: number | undefined
  readonly longitude: number | undefined
  readonly countyName?: string | undefined
  readonly countyFips?: string | undefined
}

/** The reference data of one country, as the check needs it. */
export interface Source {
  /** The places of a postal code: each one's `postal` is that code. */
  readonly byPostal: (postal: string) => ReadonlyArray<Place>
  readonly byPlace: (state: string, key: string) => ReadonlyArray<Place>
  readonly keysOf: (state: string) => ReadonlyArray<string>
  readonly statesOf: (key: string) => ReadonlyArray<string>
}

/** Inputs of the last line, already parsed. */
export interface LastLineInput {
  /** Well-formed postal base (e.g. 5-digit ZIP), or undefined. */
  readonly postal: string | undefined
  /** Whether a postal code was given at all (well-formed or not). */
  readonly postalGiven: boolean
  /** Region code when the input named a known region. */
  readonly region: string | undefined
  readonly regionVia: "code" | "name" | "alias" | undefined
  /** Whether region text was given (known or not). */
  readonly regionGiven: boolean
  readonly locality: string | undefined
  readonly localityKey: string | undefined
}

/** The outcome: chosen values and statuses; `place` carries the coordinate and county. */
export interface LastLineResult {
  postal: string | undefined
  postalStatus: ComponentStatus | undefined
  region: string | undefined
  regionStatus: ComponentStatus | undefined
  locality: string | undefined
  localityStatus: ComponentStatus | undefined
  /** The reference entry the validated postal code stands for (position, county). */
  place: Place | undefined
  /**
   * Whether the locality given was replaced (or left unconfirmed) because a valid postal code
   * outweighed it: the answer is less certain than a spelling put right.
   */
  conflict: boolean
}

const regionKept = (input: LastLineInput): ComponentStatus =>
  input.regionVia === "alias" ? S.Alias : S.Exact

const regionFor = (input: LastLineInput, state: string): ComponentStatus =>
  input.region === undefined ? (input.regionGiven ? S.Corrected : S.Appended) : input.region === state ? regionKept(input) : S.Corrected

const localityExact = (input: LastLineInput, place: Place): ComponentStatus =>
  input.locality === place.name ? S.Exact : S.Alias

const none: ReadonlyArray<Place> = []

/** Whether the last `placesIn` answer is a nearest spelling (not an exact match). */
let corrected = false

/**
 * Places of a locality in a state, exact or (when no exact match) with its nearest spelling;
 * `corrected` tells which.
 */
const placesIn = (source: Source, state: string, key: string): ReadonlyArray<Place> => {
  corrected = false
  const exact = source.byPlace(state, key)
  if (exact.length > 0) return exact
  const near = closest(key, source.keysOf(state))
  if (near === undefined) return none
  corrected = true
  return source.byPlace(state, near)
}

const uniqueState = (places: ReadonlyArray<Place>): string | undefined => {
  const first = places[0]?.state
  if (first === undefined) return undefined
  for (let i = 1; i < places.length; i++) if (places[i]!.state !== first) return undefined
  return first
}

/** Whether any of the places lies in `state`. */
const inState = (places: ReadonlyArray<Place>, state: string): boolean => {
  for (let i = 0; i < places.length; i++) if (places[i]!.state === state) return true
  return false
}

/** The first place when every place has its key and state (one locality under one name), else undefined. */
const singlePlace = (places: ReadonlyArray<Place>): Place | undefined => {
  const first = places[0]
  if (first === undefined) return undefined
  for (let i = 1; i < places.length; i++) if (places[i]!.key !== first.key || places[i]!.state !== first.state) return undefined
  return first
}

/** The first place with this key (`find` without a closure per call). */
const withKey = (places: ReadonlyArray<Place>, key: string): Place | undefined => {
  for (let i = 0; i < places.length; i++) if (places[i]!.key === key) return places[i]
  return undefined
}

/** Checks postal code, locality and region against a country's reference data, into `out` (every field written). */
export const check = (source: Source, input: LastLineInput, out: LastLineResult): LastLineResult => {
  out.postal = undefined
  out.postalStatus = undefined
  out.region = input.region
  out.regionStatus = undefined
  out.locality = input.locality
  out.localityStatus = undefined
  out.place = undefined
  out.conflict = false
  if (input.region !== undefined) out.regionStatus = regionKept(input)
  else if (input.regionGiven) out.regionStatus = S.NotFound
  const candidates = input.postal === undefined ? none : source.byPostal(input.postal)
  const key = input.localityKey

  if (candidates.length > 0) {
    // The postal code exists. Does the locality belong to it?
    let pick: Place | undefined
    let localityStatus: ComponentStatus | undefined
    if (key !== undefined) {
      pick = withKey(candidates, key)
      if (pick !== undefined) localityStatus = localityExact(input, pick)
      else {
        const near = closest(key, candidates.map((p) => p.key))
        if (near !== undefined) {
          pick = withKey(candidates, near)
          localityStatus = S.Corrected
        }
      }
    } else if (candidates.length === 1) {
      pick = candidates[0]
      localityStatus = S.Appended
    } else {
      const real = candidates.filter((p) => p.key === candidates[0]!.key)
      if (real.length === candidates.length) {
        pick = candidates[0]
        localityStatus = S.Appended
      }
    }
    if (pick !== undefined) {
      // the same text as `pick.postal` (a place of this postal code), without reading that string
      out.postal = input.postal
      out.postalStatus = S.Exact
      out.locality = pick.name
      out.localityStatus = localityStatus
      out.region = pick.state
      out.regionStatus = regionFor(input, pick.state)
      out.place = pick
      return out
    }
    if (key !== undefined) {
      // The locality is not one of the postal code's. When a region was given and the postal
      // code lies outside it, is the locality a real place of that region? Then locality and
      // region agree (two of three), and the postal code is the one that is wrong. A postal
      // code in the given region (or with no region given) outweighs the locality: a code
      // names one delivery area, a locality name is often a neighbourhood or a neighbouring town.
      const state = input.region !== undefined && !inState(candidates, input.region) ? input.region : undefined
      const found = state === undefined ? none : placesIn(source, state, key)
      if (found.length > 0) {
        const place = found[0]!
        out.locality = place.name
        out.localityStatus = corrected ? S.Corrected : localityExact(input, place)
        out.region = place.state
        out.regionStatus = regionFor(input, place.state)
        if (found.length === 1) {
          out.postal = place.postal
          out.postalStatus = S.Corrected
          out.place = place
        } else {
          out.postal = input.postal
          out.postalStatus = S.StandardizedNoMatch
        }
        return out
      }
      // The postal code decides: the locality becomes the postal code's when it serves a single
      // one, else the locality given stays, not found among the postal code's.
      out.postal = input.postal
      out.postalStatus = S.Exact
      out.conflict = true
      const only = singlePlace(candidates)
      if (only !== undefined) {
        out.locality = only.name
        out.localityStatus = S.Corrected
        out.region = only.state
        out.regionStatus = regionFor(input, only.state)
        out.place = only
      } else {
        out.localityStatus = S.NotFound
        const state = uniqueState(candidates)
        if (state !== undefined) {
          out.region = state
          out.regionStatus = regionFor(input, state)
        }
      }
      return out
    }
    // No locality given and the postal code has several: the region can still be appended.
    out.postal = input.postal
    out.postalStatus = S.Exact
    const state = uniqueState(candidates)
    if (state !== undefined) {
      out.region = state
      out.regionStatus = regionFor(input, state)
    }
    return out
  }

  // No usable postal code: locality and region must stand on their own.
  out.postal = input.postal
  out.postalStatus = input.postalGiven ? S.NotFound : undefined
  if (key === undefined) return out
  let state = input.region
  let regionAppended = false
  if (state === undefined) {
    const states = source.statesOf(key)
    if (states.length === 1) {
      state = states[0]
      regionAppended = true
    }
  }
  const found = state === undefined ? none : placesIn(source, state, key)
  if (found.length === 0) {
    out.localityStatus = state === undefined && source.statesOf(key).length > 1 ? S.StandardizedNoMatch : S.NotFound
    return out
  }
  const place = found[0]!
  out.locality = place.name
  out.localityStatus = corrected ? S.Corrected : localityExact(input, place)
  out.region = place.state
  out.regionStatus = regionAppended ? (input.regionGiven ? S.Corrected : S.Appended) : regionKept(input)
  if (found.length === 1) {
    out.postal = place.postal
    out.postalStatus = input.postalGiven ? S.Corrected : S.Appended
    out.place = place
  } else if (!input.postalGiven) out.postalStatus = S.NotFound
  return out
}
