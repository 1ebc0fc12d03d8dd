/**
 * Generated, varied input rows for the benchmark and the golden-output test (deterministic:
 * a fixed-seed LCG). `benchRows` is the benchmark's mix; `wideRows` adds more shapes (AU
 * localities, CA/GB codes, PO boxes, floors, punctuation, component-only rows, bad cells) so
 * the golden test covers more of the parser than the benchmark does.
 */
import * as AustraliaReference from "../src/AustraliaReference.js"
import * as UnitedStatesReference from "../src/UnitedStatesReference.js"

type Row = Record<string, unknown>

const lcg = (seed: number) => {
  let s = seed
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)]!
  return { rand, pick }
}

const cap = (s: string) => s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase())
const typo = (s: string) => (s.length > 5 ? s.slice(0, 2) + s.slice(3) : s)

/** The benchmark's rows: `count` rows from seed 42 (the benchmark uses 50,000). */
export const benchRows = (count: number, seed = 42): Array<Row> => {
  const { rand, pick } = lcg(seed)
  const streets = ["Main St", "Oak Avenue", "N Broad Street", "Pennsylvania Ave NW", "Elm Dr", "Sunset Blvd", "2nd St", "Lake Shore Drive", "Park Pl", "W Washington Street", "Maple Court", "Highland Rd SE"]
  const units = ["", "", "", " Apt 4B", " Suite 200", " #12", " Unit 3"]
  const zips = Array.from(UnitedStatesReference.us().zips.values()).filter((z) => z.latitude !== undefined)
  const makeRow = (i: number): Row => {
    const z = pick(zips)
    const number = String(1 + Math.floor(rand() * 9999))
    const street = pick(streets) + pick(units)
    const city = cap(z.name)
    switch (i % 10) {
      case 0: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal}` }
      case 1: return { Id: String(i), AddressLines_1: `${number} ${street}, ${city}, ${z.state} ${z.postal}` }
      case 2: return { Id: String(i), AddressLines_1: `${number} ${street}`.toLowerCase(), AddressComponents_Locality: typo(city), AddressComponents_PostalCode: z.postal, AddressComponents_Country: "USA" }
      case 3: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressComponents_Locality: city, AddressComponents_PostalCode: z.postal }
      case 4: return { Id: String(i), AddressLines_1: `  ${number}   ${street}  `, AddressLines_2: `${city} ${z.state}`, AddressComponents_Country: "United States" }
      case 5: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressLines_2: `${city}, ${z.state} ${z.postal.slice(0, 4)}9` }
      case 6: return { Id: String(i), AddressLines_1: `${number} ${street} ${city} ${z.state} ${z.postal}-${String(1000 + (i % 9000))}` }
      case 7: return pick([
        { Id: String(i), AddressLines_1: `${number} George St, Sydney NSW 2000`, AddressComponents_Country: "AU" },
        { Id: String(i), AddressLines_1: `${number} Downing Street`, AddressLines_2: "London SW1A 2AA", AddressComponents_Country: "GBR" },
        { Id: String(i), AddressLines_1: `${number} Wellington St, Ottawa ON K1A 0A9` },
        { Id: String(i), AddressLines_1: `Unter den Linden ${number}`, AddressLines_2: "10117 Berlin", AddressComponents_Country: "Germany" }
      ])
      case 8: return { Id: String(i), AddressLines_1: `${number} ${street}`, AddressComponents_Locality: city, AddressComponents_Region: z.state, AddressComponents_PostalCode: z.postal, AddressComponents_Country: "US" }
      default: return i % 100 === 9 ? { Id: String(i), AddressLines_1: i % 200 === 9 ? 42 : "" } : { Id: String(i), AddressLines_1: `${street} ${number}`, AddressLines_2: `${city}, ${z.state}` }
    }
  }
  return Array.from({ length: count }, (_, i) => makeRow(i))
}

/** More shapes than the benchmark: every address column, odd punctuation, AU/CA/GB variety, bad cells. */
export const wideRows = (count: number, seed = 7): Array<Row> => {
  const { rand, pick } = lcg(seed)
  const zips = Array.from(UnitedStatesReference.us().zips.values())
  const au = Array.from(AustraliaReference.au().postcodes.values()).flat()
  const stateNames = ["New York", "North Carolina", "District of Columbia", "West Virginia", "Rhode Island", "New Jersey", "Georgia", "Texas", "D.C.", "Puerto Rico", "Calif"]
  const streetWords = ["Main", "Oak", "Broad", "Pennsylvania", "Elm", "Sunset", "2nd", "Lake Shore", "Park", "Washington", "St. Charles", "Martin Luther King Jr", "Fifth", "O'Farrell", "Avenue of the Americas", "Box", "PO", "North"]
  const types = ["St", "Street", "Ave", "Av.", "Avenue", "Blvd", "Rd", "Dr.", "Ct", "Ln", "Pkwy", "Hwy", "Way", "Pl", "Terrace", "Circle", "", "Floor", "Suite"]
  const dirs = ["", "", "", "N", "S.", "E", "W", "NW", "N.E.", "Southwest", "North"]
  const units = ["", "", "", "", " Apt 4B", " Suite 200", " #12", " # 7", " Unit 3", " Ste. 5", " Fl 3", " 3rd Floor", " Bldg C", " Rear", " PH", " Apt", " Lot 9", " Room 12"]
  const countries = ["", "", "", "US", "USA", "United States", "America", "U.S.A.", "Canada", "CAN", "AU", "Australia", "UK", "GB", "England", "Deutschland", "Germany", "France", "Atlantis", "ca", "Mexico", "Jersey"]
  const spaced = (s: string) => (rand() < 0.1 ? s.replace(/ /g, "  ") : rand() < 0.05 ? s.replace(/ /g, "\t") : s)
  const cased = (s: string) => (rand() < 0.2 ? s.toLowerCase() : rand() < 0.3 ? s.toUpperCase() : s)
  const caLetters = "ABCEGHJKLMNPRSTVXYDFIOQUWZ"
  const caCode = () => `${pick([...caLetters])}${Math.floor(rand() * 10)}${pick([...caLetters])}${rand() < 0.5 ? " " : ""}${Math.floor(rand() * 10)}${pick([...caLetters])}${Math.floor(rand() * 10)}`
  const gbCodes = ["SW1A 2AA", "SW1A2AA", "EH1 1YZ", "CF10 1AA", "BT1 5GS", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "W1A 0AX", "TD15 1AA", "ZZ9 9ZZ", "EC1A 1BB", "LL11 2XY"]
  const firstLine = (): string => {
    const r = rand()
    if (r < 0.06) return pick(["PO Box 1234", "P.O. Box 55", "P O Box 9", "Post Office Box 77", "Box 12", "PO BOX"])
    if (r < 0.1) return `${pick(["Apt 4B", "Suite 200", "Unit 7"])} ${1 + Math.floor(rand() * 999)} ${pick(streetWords)} ${pick(types)}`
    if (r < 0.14) return `${1 + Math.floor(rand() * 40)}/${1 + Math.floor(rand() * 300)} ${pick(streetWords)} ${pick(types)}`
    if (r < 0.18) return `${pick(streetWords)} ${pick(types)} ${1 + Math.floor(rand() * 300)}${pick(["", "A", "B"])}`
    if (r < 0.21) return `${1 + Math.floor(rand() * 300)} 1/2 ${pick(streetWords)} ${pick(types)}`
    if (r < 0.23) return `${1 + Math.floor(rand() * 300)}-${1 + Math.floor(rand() * 30)} ${pick(streetWords)} ${pick(types)}`
    const number = rand() < 0.9 ? String(1 + Math.floor(rand() * 99999)) + (rand() < 0.05 ? "B" : "") : ""
    return [number, pick(dirs), pick(streetWords), pick(types), pick(dirs)].filter((x) => x.length > 0).join(" ") + pick(units)
  }
  const usLast = (): { city: string; state: string; zip: string; parts: Row } => {
    const z = pick(zips)
    let city = cap(z.name)
    const rc = rand()
    if (rc < 0.1) city = typo(city)
    else if (rc < 0.15) city = city.replace(/^Saint /, "St. ").replace(/^Mount /, "Mt ").replace(/^Fort /, "Ft. ")
    else if (rc < 0.18) city = pick(["Springfield", "Portland", "Nowhere", "Washington", "Kansas City", "New York", "Los Angeles", "Columbus"])
    else if (rc < 0.2) city = ""
    let state = z.state
    const rs = rand()
    if (rs < 0.1) state = pick(stateNames)
    else if (rs < 0.15) state = pick(["CA", "NY", "TX", "ZZ", "Ontario", ""])
    else if (rs < 0.2) state = state.toLowerCase()
    let zip = z.postal
    const rz = rand()
    if (rz < 0.08) zip = `${zip}-${String(1000 + Math.floor(rand() * 9000))}`
    else if (rz < 0.1) zip = `${zip}${String(1000 + Math.floor(rand() * 9000))}`
    else if (rz < 0.13) zip = ""
    else if (rz < 0.16) zip = pick(zips).postal
    else if (rz < 0.18) zip = zip.slice(0, 4) + "9"
    else if (rz < 0.19) zip = zip.slice(0, 3)
    return { city, state, zip, parts: {} }
  }
  const row = (i: number): Row => {
    const kind = Math.floor(rand() * 16)
    const line1 = cased(firstLine())
    const country = pick(countries)
    const base: Row = { Id: String(i) }
    if (country !== "" && rand() < 0.7) base.AddressComponents_Country = country
    switch (kind) {
      case 0: case 1: case 2: {
        const l = usLast()
        const sep = pick([", ", " ", ",", " , ", "; "])
        const last = [l.city, l.state, l.zip].filter((x) => x.length > 0).join(pick([" ", ", "]))
        if (rand() < 0.5) return { ...base, AddressLines_1: spaced(line1), AddressLines_2: spaced(cased(last)) }
        return { ...base, AddressLines_1: spaced(cased(line1 + sep + last + (rand() < 0.15 ? pick([", USA", " US", ", United States", " USA"]) : ""))) }
      }
      case 3: case 4: {
        const l = usLast()
        const r: Row = { ...base, AddressLines_1: line1 }
        if (l.city !== "" && rand() < 0.85) r.AddressComponents_Locality = cased(l.city)
        if (l.state !== "" && rand() < 0.6) r.AddressComponents_Region = l.state
        if (l.zip !== "" && rand() < 0.8) r.AddressComponents_PostalCode = l.zip
        if (rand() < 0.1) r.AddressComponents_SubRegion = "Some County"
        return r
      }
      case 5: {
        const l = usLast()
        const r: Row = { ...base, AddressComponents_Street: cased(`${pick(dirs)} ${pick(streetWords)} ${pick(types)}`.trim()), AddressComponents_AddressNumber: String(1 + Math.floor(rand() * 999)), AddressComponents_Locality: l.city, AddressComponents_PostalCode: l.zip }
        if (rand() < 0.4) r.AddressComponents_Unit = String(1 + Math.floor(rand() * 99))
        if (rand() < 0.4) r.AddressComponents_UnitDesignator = pick(["Apt", "Suite", "STE", "Unit", "Flat", "Penthouse", "Bogus"])
        if (rand() < 0.3) r.AddressLines_1 = line1
        return r
      }
      case 6: case 7: {
        const a = pick(au)
        let name = cap(a.name)
        if (rand() < 0.15) name = typo(name)
        const state = rand() < 0.8 ? a.state : pick(["NSW", "VIC", "QLD", "New South Wales", "Tasmania", ""])
        const pc = rand() < 0.85 ? a.postcode : rand() < 0.5 ? "" : pick(au).postcode
        const last = [name, state, pc].filter((x) => x.length > 0).join(" ")
        const c = rand() < 0.6 ? pick(["AU", "AUS", "Australia"]) : undefined
        const r: Row = rand() < 0.5 ? { Id: String(i), AddressLines_1: cased(`${line1}, ${last}`) } : { Id: String(i), AddressLines_1: line1, AddressLines_2: last }
        if (c !== undefined) r.AddressComponents_Country = c
        else if (rand() < 0.3) r.AddressLines_1 = `${r.AddressLines_1 as string}, Australia`
        return r
      }
      case 8: {
        const code = rand() < 0.8 ? caCode() : "K1A 0A"
        const prov = pick(["ON", "QC", "BC", "AB", "Quebec", "Nova Scotia", "PEI", "NU", ""])
        const r: Row = { Id: String(i), AddressLines_1: cased(`${line1}, ${pick(["Ottawa", "Montreal", "Toronto", "St. John's", "Iqaluit"])} ${prov} ${code}`) }
        if (rand() < 0.5) r.AddressComponents_Country = pick(["CA", "Canada", "CAN"])
        return r
      }
      case 9: {
        const code = pick(gbCodes)
        const r: Row = { Id: String(i), AddressLines_1: line1, AddressLines_2: cased(`${pick(["London", "Edinburgh", "Cardiff", "Belfast", "Manchester"])}${pick([" ", ", "])}${code}`) }
        if (rand() < 0.6) r.AddressComponents_Country = pick(["GB", "GBR", "UK", "United Kingdom", "Scotland", "Wales"])
        else if (rand() < 0.5) r.AddressLines_3 = pick(["United Kingdom", "UK", "England"])
        return r
      }
      case 10: {
        const r: Row = { Id: String(i), AddressLines_1: cased(`${pick(streetWords)} ${1 + Math.floor(rand() * 200)}`), AddressLines_2: pick(["10117 Berlin", "75008 Paris", "1010 Wien", "00100 Roma", "Berlin", "28001 Madrid", "Mexico DF"]) }
        if (rand() < 0.7) r.AddressComponents_Country = pick(["DE", "DEU", "Germany", "FR", "France", "AT", "IT", "ES", "MX", "JP", "Narnia"])
        return r
      }
      case 11: {
        const l = usLast()
        const r: Row = { ...base }
        if (rand() < 0.5) r.AddressComponents_Locality = l.city
        if (rand() < 0.5) r.AddressComponents_Region = l.state
        if (rand() < 0.5) r.AddressComponents_PostalCode = l.zip
        if (rand() < 0.3) r.AddressLines_1 = `${l.city} ${l.state} ${l.zip}`
        return r
      }
      case 12: {
        const bad = pick<unknown>(["", null, 42, true, new Uint8Array(3), { x: 1 }, "a\u0001b", "x".repeat(1001), "   ", "\t\n", "#", ",,,", "APT", "., ;", "Caf\u00e9 Street 9, Montr\u00e9al QC H2X 1Y4", "12\u00a0Main\u00a0St, Boston MA 02133", "1 Main St\r\nBoston MA 02133"])
        const r: Row = { Id: rand() < 0.1 ? 7 : String(i), AddressLines_1: bad }
        if (rand() < 0.3) r.AddressLines_2 = pick<unknown>(["Boston MA 02133", 3.5, null, ""])
        if (rand() < 0.2) r.AddressComponents_Unit = pick<unknown>(["4", 4, "\u0002"])
        return r
      }
      case 13: {
        const l = usLast()
        const lines = [line1, pick(["", "Attn: Billing", "c/o John Smith", "Floor 3", "Apt 9"]), `${l.city}, ${l.state} ${l.zip}`].filter((x) => x.length > 0)
        const r: Row = { ...base }
        lines.forEach((x, k) => { r[`AddressLines_${k + 1}`] = x })
        if (rand() < 0.2) r.AddressLines_5 = pick(["USA", "United States of America", "US"])
        return r
      }
      case 14: {
        const l = usLast()
        return { ...base, AddressLines_1: cased(`${l.city} ${l.state} ${l.zip}`.trim()) }
      }
      default: {
        const l = usLast()
        const words = `${line1} ${l.city} ${l.state} ${l.zip}`.replace(/,/g, "")
        return { ...base, AddressLines_1: rand() < 0.3 ? words.replace(/ /g, " . ") : words }
      }
    }
  }
  return Array.from({ length: count }, (_, i) => row(i))
}

import { createHash } from "node:crypto"
import * as Engine from "../src/Engine.js"

/** The golden sets: name → engine options and rows. */
export const goldenSets = () => [
  {
    name: "bench",
    inputColumns: ["Id", "AddressLines_1", "AddressLines_2", "AddressComponents_Country", "AddressComponents_Region", "AddressComponents_Locality", "AddressComponents_PostalCode"],
    features: ["Position", "CountrySpecificAttributes"] as const,
    rows: benchRows(5000)
  },
  {
    name: "wide",
    inputColumns: ["Id", ...Engine.addressInputColumns],
    features: ["Position", "CountrySpecificAttributes"] as const,
    rows: wideRows(6000)
  }
]

/**
 * One fingerprint per row: the first 10 hex digits of the SHA-1 of every output cell except
 * `Output_Id` (which depends on the id generator).
 */
export const fingerprints = (set: ReturnType<typeof goldenSets>[number], order: "forward" | "reverse" = "forward"): Array<string> => {
  const engine = Engine.make({ inputColumns: set.inputColumns, features: set.features })
  const idIndex = engine.columns.findIndex((c) => c.name === "Output_Id")
  const out: Array<import("../src/Output.js").Cell> = []
  const result = new Array<string>(set.rows.length)
  for (let k = 0; k < set.rows.length; k++) {
    const i = order === "forward" ? k : set.rows.length - 1 - k
    engine.validateInto(set.rows[i]!, out)
    out[idIndex] = null
    result[i] = createHash("sha1").update(JSON.stringify(out)).digest("hex").slice(0, 10)
  }
  return result
}
