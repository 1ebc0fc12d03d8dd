/** @internal Cell cleaning and cheap string distances used by the parser and the checks. */

/** Why a cell cannot be read. */
export type CellProblem = "control" | "tooLong"

/** Longest cell accepted, in UTF-16 code units. */
export const maxCellLength = 1000

/** Longest cell that `cleanCell` first checks with a loop of its own. */
const shortCell = 12

/** Printable ASCII words separated by single spaces. */
const plainAscii = /^[!-~]+(?: [!-~]+)*$/

/**
 * Upper-cases a cell, turns tabs and line breaks into spaces, collapses runs of spaces and trims.
 * Returns a problem instead when the cell holds other control characters or is too long.
 */
export const cleanCell = (raw: string): string | CellProblem => {
  const n = raw.length
  if (n > maxCellLength) return "tooLong"
  // A short cell (a code, a postal code) often needs nothing at all: printable ASCII without
  // lower-case letters, single spaces, none at the ends. A loop over a few characters finds that
  // for less than the regular expression and `toUpperCase` below; any other short cell goes on.
  if (n <= shortCell) {
    let prev = 32
    let i = 0
    for (; i < n; i++) {
      const c = raw.charCodeAt(i)
      // letters a–z (97–122) and anything outside printable ASCII stop the loop
      if ((c > 32 && c < 97) || (c > 122 && c < 127) || (c === 32 && prev !== 32)) prev = c
      else break
    }
    if (i === n && prev !== 32) return raw
  }
  // The usual cell (printable ASCII, single spaces, none at the ends) needs at most its case
  // changed: one compiled regular-expression test is cheaper than the loop below, and
  // `toUpperCase` gives back the same string when there is nothing to change.
  if (plainAscii.test(raw)) return raw.toUpperCase()
  let lower = false
  let spacing = false
  let prevSpace = true
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c < 32 || c === 127) {
      if (c !== 9 && c !== 10 && c !== 13) return "control"
      spacing = true
    } else if (c >= 128 && c < 160) return "control"
    else if (c >= 97 && c <= 122) lower = true
    else if (c === 32) {
      if (prevSpace) spacing = true
      prevSpace = true
      continue
    } else if (c > 127) {
      lower = true
      spacing = true // non-ASCII spaces (NBSP, …) are collapsed too
    }
    prevSpace = false
  }
  if (prevSpace && raw.length > 0) spacing = true
  if (spacing) return collapse(raw.toUpperCase())
  return lower ? raw.toUpperCase() : raw
}

/** Whether `c` is a JavaScript white-space or line-terminator code unit (what `\s` and `trim` match). */
const isSpace = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff

/**
 * `text.replace(/\s+/g, " ").trim()` in one scan. Runs of words already one plain space apart are
 * copied as one slice each (`"  9500   MAIN ST SE  "` is two slices joined), not word by word.
 */
const collapse = (text: string): string => {
  let out = ""
  // the current run: from its first character to the end of its last word (`-1`: none yet)
  let from = -1
  let last = -1
  const n = text.length
  for (let i = 0; i < n; i++) {
    if (isSpace(text.charCodeAt(i))) continue
    if (from < 0) from = i
    else if (i > last && (i > last + 1 || text.charCodeAt(last) !== 32)) {
      // the words before this gap end the run: it is not a single plain space
      out = out.length === 0 ? text.slice(from, last) : out + " " + text.slice(from, last)
      from = i
    }
    last = i + 1
  }
  if (from < 0) return out
  const run = from === 0 && last === n ? text : text.slice(from, last)
  return out.length === 0 ? run : out + " " + run
}

let rowA = new Int32Array(64)
let rowB = new Int32Array(64)

/**
 * Levenshtein distance between `a` and `b`, or `max + 1` as soon as it must exceed `max`
 * (so near-miss searches over thousands of names stay cheap).
 */
export const boundedDistance = (a: string, b: string, max: number): number => {
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > max) return max + 1
  if (la === 0) return lb
  if (lb === 0) return la
  if (rowA.length <= lb) {
    rowA = new Int32Array(lb + 1)
    rowB = new Int32Array(lb + 1)
  }
  let prev = rowA
  let curr = rowB
  for (let j = 0; j <= lb; j++) prev[j] = j
  for (let i = 1; i <= la; i++) {
    curr[0] = i
    let rowMin = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= lb; j++) {
      const del = prev[j]! + 1
      const ins = curr[j - 1]! + 1
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1)
      const v = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub
      curr[j] = v
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    const t = prev
    prev = curr
    curr = t
  }
  return prev[lb]!
}

/** Edits allowed between a misspelt place name and the real one: none below 4 letters, 1 up to 6, then 2. */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length <= 6 ? 1 : 2)

/**
 * The closest of `candidates` to `key` within the allowed edits; `undefined` when none is close
 * enough or when two candidates tie (a guess between two places is no correction).
 */
export const closest = (key: string, candidates: ReadonlyArray<string>): string | undefined => {
  const max = allowedEdits(key.length)
  if (max === 0) return undefined
  let best: string | undefined
  let bestDistance = max + 1
  let tie = false
  const first = key.charCodeAt(0)
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - key.length) > max) continue
    // A cheap filter: a typo rarely changes the first letter; long lists (a state's cities) require it.
    if (candidate.charCodeAt(0) !== first && (max < 2 || candidates.length > 64)) continue
    const d = boundedDistance(key, candidate, bestDistance)
    if (d < bestDistance) {
      bestDistance = d
      best = candidate
      tie = false
    } else if (d === bestDistance && d <= max && candidate !== best) tie = true
  }
  return tie || bestDistance > max ? undefined : best
}
