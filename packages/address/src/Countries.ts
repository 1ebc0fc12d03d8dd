/**
 * Country resolution from an alpha-2 code, an alpha-3 code or a name (English, with the
 * variants `i18n-iso-countries` lists, e.g. `USA`, `UK`, `Great Britain`), as the spec's
 * `AddressComponents_Country` allows.
 *
 * Reference data: `i18n-iso-countries` (MIT), ISO 3166-1 codes and English names.
 * @since 0.1.0
 */
import codes from "i18n-iso-countries/codes.json" with { type: "json" }
import english from "i18n-iso-countries/langs/en.json" with { type: "json" }

/** A country as the output columns name it. */
export interface Country {
  readonly code2: string
  readonly code3: string
  readonly name: string
}

/** How the input named the country: the code itself, the ISO name, or another accepted name. */
export type CountryVia = "code2" | "code3" | "name" | "alias"

/** A resolved country and how it was named. */
export interface CountryMatch {
  readonly country: Country
  readonly via: CountryVia
}

/** Short names preferred over the ISO long form in `Output_Address_Country_Name`. */
const preferredNames: Record<string, string> = { US: "United States", GB: "United Kingdom" }
/** Informal names seen in address files that the package does not list. */
const extraAliases: Record<string, string> = {
  AMERICA: "US", "UNITED STATES OF AMERICA": "US", "U S A": "US", "U S": "US", ENGLAND: "GB", SCOTLAND: "GB",
  WALES: "GB", "NORTHERN IRELAND": "GB", BRITAIN: "GB", "GREAT BRITAIN": "GB", "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": "GB"
}

/** Upper case, no diacritics, punctuation as spaces, single spaces: the form names are compared in. */
export const nameKey = (text: string): string => {
  let s = text.toUpperCase()
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
  return s.replace(/['’]/g, "").replace(/[^A-Z0-9]+/g, " ").trim()
}

const index = new Map<string, CountryMatch>()
const byCode2 = new Map<string, Country>()
const names = english.countries as Record<string, string | ReadonlyArray<string>>
for (const [code2, code3] of codes as ReadonlyArray<ReadonlyArray<string>>) {
  const entry = names[code2!]
  const list = typeof entry === "string" ? [entry] : (entry ?? [])
  const country: Country = { code2: code2!, code3: code3!, name: preferredNames[code2!] ?? list[0] ?? code2! }
  byCode2.set(code2!, country)
  index.set(code2!, { country, via: "code2" })
  index.set(code3!, { country, via: "code3" })
  list.forEach((name, i) => {
    const key = nameKey(name)
    if (!index.has(key)) index.set(key, { country, via: i === 0 ? "name" : "alias" })
  })
}
for (const [alias, code2] of Object.entries(extraAliases)) {
  const key = nameKey(alias)
  if (!index.has(key)) index.set(key, { country: byCode2.get(code2)!, via: "alias" })
}

const plainName = /^[A-Z0-9]+( [A-Z0-9]+)*$/

/** Resolves a country from a code or a name; `undefined` when it names no ISO 3166-1 country. */
export const resolve = (text: string): CountryMatch | undefined => {
  const direct = index.get(text)
  if (direct !== undefined) return direct
  if (plainName.test(text)) return undefined // already in key form, and not found
  const key = nameKey(text)
  return key.length === 0 ? undefined : index.get(key)
}

/** The country for an ISO alpha-2 code (upper case). */
export const fromCode2 = (code2: string): Country | undefined => byCode2.get(code2)

/** Every ISO 3166-1 country known to the engine. */
export const all = (): ReadonlyArray<Country> => Array.from(byCode2.values())
