/**
 * The first line(s) of an address read forwards: unit and floor anywhere, then a PO box or the
 * address number and the street (directional prefix, base name, type, directional suffix, for
 * the countries whose streets read that way).
 *
 * @internal
 */
import { directional, ordinalNumber, streetType, unitDesignator } from "../Normalize.js"
import type { StreetParts } from "../Parse.js"
import { joinPicked, joinTokens, picked, removePicks, type Tokens } from "./tokens.js"
import { hasDigit, isFraction, isNumberLike, isNumberWithLetter, slashUnitAt } from "./words.js"

/** Countries whose streets read `number base type` with English street types. */
const englishStreets = new Set(["US", "CA", "AU", "GB", "NZ", "IE"])

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/** A street's parts as the parser fills them (one per parse, reused). */
export type StreetScratch = Mutable<StreetParts>

/** What the first line's reader works in (a part of the parser's work area). */
export interface FirstLineWork {
  readonly first: FirstLine
  readonly street: StreetScratch
  /** The street line as indices into its words (grown when a record has more words). */
  main: Int32Array
}

/** The street of a PO box (shared, never written). */
const poBoxStreet: StreetParts = { prefix: undefined, baseName: "PO BOX", type: undefined, suffix: undefined }

/**
 * Fills `out` with the street of the words at `picks[from, to)` (indices into `words`); undefined
 * when the range is empty.
 */
const parseStreetRange = (words: ReadonlyArray<string>, picks: Int32Array, from: number, to: number, country: string | undefined, out: StreetScratch): StreetParts | undefined => {
  if (to - from === 0) return undefined
  if (country === undefined || !englishStreets.has(country)) {
    out.prefix = undefined
    out.baseName = joinPicked(words, picks, from, to)
    out.type = undefined
    out.suffix = undefined
    return out
  }
  let i = from
  let j = to
  let prefix: string | undefined
  let suffix: string | undefined
  let type: string | undefined
  if (j - i >= 2 && directional(words[picks[j - 1]!]!) !== undefined) suffix = words[picks[--j]!]
  if (j - i >= 2 && streetType(words[picks[j - 1]!]!) !== undefined) type = words[picks[--j]!]
  if (j - i >= 2 && directional(words[picks[i]!]!) !== undefined) prefix = words[picks[i++]!]
  out.prefix = prefix
  out.baseName = joinPicked(words, picks, i, j)
  out.type = type
  out.suffix = suffix
  return out
}

export interface FirstLine {
  number: string | undefined
  street: StreetParts | undefined
  unitDesignator: string | undefined
  unitNumber: string | undefined
  floorDesignator: string | undefined
  floorNumber: string | undefined
  poBox: boolean
  numberAfterStreet: boolean
}

const takeUnit = (line: FirstLine, designator: string, range: string | undefined): void => {
  const d = unitDesignator(designator)
  if (d?.floor === true) {
    if (line.floorNumber === undefined) {
      line.floorDesignator = designator
      line.floorNumber = range
    }
  } else if (line.unitNumber === undefined && line.unitDesignator === undefined) {
    line.unitDesignator = designator
    line.unitNumber = range
  }
}

/** Reads the first line(s): unit and floor anywhere, then PO box or number and street. */
export const parseFirstLine = (t: Tokens, end: number, country: string | undefined, work: FirstLineWork): FirstLine => {
  const line = work.first
  line.number = undefined
  line.street = undefined
  line.unitDesignator = undefined
  line.unitNumber = undefined
  line.floorDesignator = undefined
  line.floorNumber = undefined
  line.poBox = false
  line.numberAfterStreet = false
  // Walk the segments; whole segments that are a unit or floor ("APT 4B", "3RD FLOOR") are taken out.
  // The street line is the first remaining segment that starts with a number or a PO box; else the first.
  const words = t.words
  let restCount = 0
  let firstFrom = -1
  let firstTo = -1
  let mainFrom = -1
  let mainTo = -1
  for (let s = 0; s < end;) {
    let e = s + 1
    while (e < end && !t.starts[e]) e++
    const len = e - s
    const w0 = words[s]!
    const d = unitDesignator(w0)
    if (d !== undefined && len <= 3 && (restCount > 0 || len <= (d.needsRange ? 2 : 1)) && !(len >= 2 && streetType(words[e - 1]!) !== undefined)) {
      takeUnit(line, d.abbreviation, d.needsRange && len > 1 ? joinTokens(t, s + 1, e) : undefined)
    } else if (len === 2 && words[s + 1] === "FLOOR" && ordinalNumber(w0) !== undefined) {
      takeUnit(line, "FL", ordinalNumber(w0))
    } else {
      if (restCount++ === 0) {
        firstFrom = s
        firstTo = e
      }
      if (mainFrom < 0 && (isNumberLike(w0) || slashUnitAt(w0) >= 0 || w0 === "PO" || (w0 === "P" && len >= 2 && words[s + 1] === "O"))) {
        mainFrom = s
        mainTo = e
      }
    }
    s = e
  }
  if (restCount === 0) return line
  // The street line, as indices into `words` (no copy of the words): `n` of them in `main`.
  if (mainFrom < 0) {
    mainFrom = firstFrom
    mainTo = firstTo
  }
  let n = mainTo - mainFrom
  if (work.main.length < n) work.main = new Int32Array(2 * n)
  const main = work.main
  for (let i = 0; i < n; i++) main[i] = mainFrom + i
  // "#" anywhere
  let hash = -1
  if (t.hash) for (let i = 0; i < n && hash < 0; i++) if (words[main[i]!] === "#") hash = i
  if (hash >= 0) {
    const range = picked(words, main, n, hash + 1)
    takeUnit(line, "#", range)
    n = removePicks(main, n, hash, range === undefined ? 1 : 2)
  }
  // A unit before the number: "APT 4B 123 MAIN ST", "SUITE 200 1600 …"
  const lead = n >= 3 ? unitDesignator(words[main[0]!]!) : undefined
  if (lead !== undefined && lead.needsRange && isNumberLike(words[main[2]!]!)) {
    takeUnit(line, lead.abbreviation, words[main[1]!])
    n = removePicks(main, n, 0, 2)
  }
  // "4/123 MAIN ST" (unit/number, as in Australia and New Zealand): the number after the slash
  // stands in for the first word (`head`); nothing below removes that word
  let head = n > 0 ? words[main[0]!]! : undefined
  const slash = n >= 2 ? slashUnitAt(head!) : -1
  if (slash >= 0) {
    takeUnit(line, "UNIT", head!.slice(0, slash))
    head = head!.slice(slash + 1)
  }
  // Units and floors after the street: "… ST APT 4B", "… AVE FL 34 STE 3400", "… 34TH FLOOR"
  for (let i = 2; i < n; i++) {
    const w = words[main[i]!]!
    if (w === "FLOOR" && ordinalNumber(words[main[i - 1]!]!) !== undefined && i >= 3) {
      takeUnit(line, "FL", ordinalNumber(words[main[i - 1]!]!))
      n = removePicks(main, n, i - 1, 2)
      i -= 2
      continue
    }
    const d = unitDesignator(w)
    if (d === undefined) continue
    const prev = words[main[i - 1]!]!
    const afterStreet = streetType(prev) !== undefined || directional(prev) !== undefined || hasDigit(prev) || i >= 3
    if (!afterStreet) continue
    if (d.needsRange) {
      const range = picked(words, main, n, i + 1)
      if (range === undefined) continue
      takeUnit(line, d.abbreviation, range)
      n = removePicks(main, n, i, 2)
    } else {
      takeUnit(line, d.abbreviation, undefined)
      n = removePicks(main, n, i, 1)
    }
    i--
  }
  // PO boxes
  const w1 = picked(words, main, n, 1)
  let k = 0
  if (head === "PO" && w1 === "BOX") k = 2
  else if (head === "P" && w1 === "O" && picked(words, main, n, 2) === "BOX") k = 3
  else if (head === "POST" && w1 === "OFFICE" && picked(words, main, n, 2) === "BOX") k = 3
  else if (head === "BOX" && n === 2) k = 1
  if (k > 0 && n === k + 1) {
    line.poBox = true
    line.number = picked(words, main, n, k)
    line.street = poBoxStreet
    return line
  }
  // Number first (most countries) or last ("UNTER DEN LINDEN 77")
  let from = 0
  let to = n
  if (to >= 2 && isNumberLike(head!)) {
    line.number = head
    from = 1
    if (to - from >= 2 && isFraction(w1!)) {
      line.number += " " + w1
      from = 2
    }
  } else if (to >= 2 && isNumberWithLetter(words[main[to - 1]!]!)) {
    line.number = words[main[to - 1]!]
    line.numberAfterStreet = true
    to--
  } else if (to === 1 && isNumberLike(head!)) {
    line.number = head
    from = 1
  }
  line.street = parseStreetRange(words, main, from, to, country, work.street)
  return line
}

export const splitComponentStreet = (text: string, country: string | undefined, work: FirstLineWork): StreetParts | undefined => {
  const words = text.split(" ")
  if (work.main.length < words.length) work.main = new Int32Array(2 * words.length)
  for (let i = 0; i < words.length; i++) work.main[i] = i
  return parseStreetRange(words, work.main, 0, words.length, country, work.street)
}
