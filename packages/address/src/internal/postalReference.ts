/**
 * The postal reference data of the US and Australia as the last-line check reads it (a
 * `Source` per country, AU look-ups memoised), and the parser's question whether a text is a
 * known locality.
 *
 * @internal
 */
import * as AustraliaReference from "../AustraliaReference.js"
import { placeKey } from "../Normalize.js"
import * as PostalCodes from "../PostalCodes.js"
import * as Regions from "../Regions.js"
import * as UnitedStatesReference from "../UnitedStatesReference.js"
import { replayingLast } from "./lastAnswer.js"
import type { Place, Source } from "./lastLine.js"

const noZip: ReadonlyArray<Place> = []
/** The US reference data (ZIP Codes, cities, states) as the last-line check reads it. */
export const usSource: Source = {
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
/** The Australian reference data (postcodes, localities, states) as the last-line check reads it. */
export const auSource: Source = {
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
export const placesOfPostal = replayingLast((country: string, postal: string): ReadonlyArray<Place> => {
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
