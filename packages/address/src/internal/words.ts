/**
 * @internal Character-class tests on single words, written as loops over char codes: the
 * parser asks them of every word, where regular expressions cost more than the rest of the
 * work. Each mirrors the regular expression in its comment exactly (ASCII `\d` and `[A-Z]`).
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isUpper = (c: number): boolean => c >= 65 && c <= 90

/** Index after the run of digits starting at `from`. */
const digitsEnd = (w: string, from: number): number => {
  let i = from
  while (i < w.length && isDigit(w.charCodeAt(i))) i++
  return i
}

/** `/^(\d+[A-Z]?|\d+-\d+[A-Z]?|[A-Z]\d+)$/`: a house number (`123`, `123A`, `12-14`, `A12`). */
export const isNumberLike = (w: string): boolean => {
  const n = w.length
  if (n === 0) return false
  const c0 = w.charCodeAt(0)
  if (isUpper(c0)) return n >= 2 && digitsEnd(w, 1) === n
  if (!isDigit(c0)) return false
  let i = digitsEnd(w, 1)
  if (i === n) return true
  const c = w.charCodeAt(i)
  if (isUpper(c)) return i + 1 === n
  if (c !== 45) return false
  const j = digitsEnd(w, i + 1)
  if (j === i + 1) return false
  i = j
  return i === n || (i + 1 === n && isUpper(w.charCodeAt(i)))
}

/** `/^\d+[A-Z]?$/`: a number, possibly with a letter (`77`, `12B`). */
export const isNumberWithLetter = (w: string): boolean => {
  const n = w.length
  if (n === 0 || !isDigit(w.charCodeAt(0))) return false
  const i = digitsEnd(w, 1)
  return i === n || (i + 1 === n && isUpper(w.charCodeAt(i)))
}

/** `/^\d\/\d$/`: a fraction such as `1/2`. */
export const isFraction = (w: string): boolean =>
  w.length === 3 && isDigit(w.charCodeAt(0)) && w.charCodeAt(1) === 47 && isDigit(w.charCodeAt(2))

/**
 * `/^([0-9]+[A-Z]?|[A-Z])\/(\d+[A-Z]?)$/`: unit/number (`4/123`); returns the index of the slash,
 * or -1 when the word does not have that shape.
 */
export const slashUnitAt = (w: string): number => {
  const n = w.length
  if (n < 3) return -1
  const c0 = w.charCodeAt(0)
  let i: number
  if (isDigit(c0)) {
    i = digitsEnd(w, 1)
    if (i < n && isUpper(w.charCodeAt(i))) i++
  } else if (isUpper(c0)) i = 1
  else return -1
  if (i >= n || w.charCodeAt(i) !== 47) return -1
  const slash = i
  if (slash + 1 >= n || !isDigit(w.charCodeAt(slash + 1))) return -1
  i = digitsEnd(w, slash + 2)
  if (i < n && isUpper(w.charCodeAt(i))) i++
  return i === n ? slash : -1
}

/** `/\d/`: whether the text holds a digit. */
export const hasDigit = (w: string): boolean => {
  for (let i = 0; i < w.length; i++) if (isDigit(w.charCodeAt(i))) return true
  return false
}

/** `/^[A-Z]{3}$/`. */
export const isAlpha3 = (w: string): boolean =>
  w.length === 3 && isUpper(w.charCodeAt(0)) && isUpper(w.charCodeAt(1)) && isUpper(w.charCodeAt(2))

/** `/^(\d+)(ST|ND|RD|TH)$/`: the digits of an ordinal (`3RD` → `3`), or undefined. */
export const ordinalDigits = (w: string): string | undefined => {
  const n = w.length
  if (n < 3 || !isDigit(w.charCodeAt(0))) return undefined
  const i = digitsEnd(w, 1)
  if (i !== n - 2) return undefined
  const a = w.charCodeAt(n - 2)
  const b = w.charCodeAt(n - 1)
  // ST, ND, RD, TH
  if ((a === 83 && b === 84) || (a === 78 && b === 68) || (a === 82 && b === 68) || (a === 84 && b === 72)) return w.slice(0, i)
  return undefined
}

/**
 * A cheap pre-check for a table of upper-case words: whether `word` may be one of `keys`, from
 * its length and first letter alone (one bit per length and letter). A `Map.get` of a word just
 * sliced from a line first hashes all of it; most words the parser asks about (numbers, names)
 * fail this test without that.
 */
export const keyFilter = (keys: Iterable<string>): ((word: string) => boolean) => {
  // one mask per length for words that start with a letter (64–95) and one for digits and
  // punctuation (32–63): numbers are asked about as often as names, and `#` is a key
  const masks = new Int32Array(32)
  const lowMasks = new Int32Array(32)
  const others: Array<string> = []
  for (const k of keys) {
    const c = k.charCodeAt(0)
    if (k.length < 32 && c >= 64 && c < 96) masks[k.length] |= 1 << (c - 64)
    else if (k.length < 32 && c >= 32 && c < 64) lowMasks[k.length] |= 1 << (c - 32)
    else others.push(k)
  }
  return (word) => {
    const n = word.length
    const c = word.charCodeAt(0)
    if (n < 32 && c >= 64 && c < 96) return ((masks[n]! >>> (c - 64)) & 1) === 1
    if (n < 32 && c >= 32 && c < 64) return ((lowMasks[n]! >>> (c - 32)) & 1) === 1
    for (let i = 0; i < others.length; i++) if (others[i] === word) return true
    return false
  }
}
