/**
 * The words of an address's lines, as the parser reads them: split on spaces and commas (periods
 * removed), each word's line and offset kept so that runs of words can be joined back as written,
 * and where each line or comma-separated segment starts. Reused from parse to parse.
 *
 * @internal
 */

/** The words of one parse (see `tokenize`). */
export interface Tokens {
  /**
   * The words are `words[0, count)`. The array is kept from parse to parse and written in place:
   * entries past `count` are stale (a new array per parse would cost its growth as it is filled).
   */
  readonly words: Array<string>
  count: number
  /**
   * `starts[i]` is 1 when word i opens a new line or comma-separated segment. Kept from parse to
   * parse (grown when a record has more words): entries past `count` are stale.
   */
  starts: Uint8Array
  /** Whether some word is `#` (else the first line need not look for one). */
  hash: boolean
  /** The lines as split (periods removed): `texts[line[i]]` holds word i from offset `at[i]`. */
  texts: ReadonlyArray<string>
  line: Int32Array
  at: Int32Array
}

const periods = /\./g

/** `words.slice(from, to).join(" ")` without the intermediate array (one word: the word itself). */
export const joinWords = (words: ReadonlyArray<string>, from: number, to: number): string => {
  if (to - from === 1) return words[from]!
  let out = ""
  for (let i = from; i < to; i++) out = i === from ? words[i]! : out + " " + words[i]!
  return out
}

/**
 * `joinWords(t.words, from, to)`, sliced from the line when the words stand there one space
 * apart: one string, instead of one per word added.
 */
export const joinTokens = (t: Tokens, from: number, to: number): string => {
  if (to - from === 1) return t.words[from]!
  const { words, line, at } = t
  const l = line[from]!
  const text = t.texts[l]!
  for (let i = from + 1; i < to; i++) {
    const gap = at[i]! - 1
    if (line[i] !== l || gap !== at[i - 1]! + words[i - 1]!.length || text.charCodeAt(gap) !== 32) return joinWords(words, from, to)
  }
  return text.slice(at[from]!, at[to - 1]! + words[to - 1]!.length)
}

/** `joinWords` of the words at `picks[from, to)` (indices into `words`). */
export const joinPicked = (words: ReadonlyArray<string>, picks: Int32Array, from: number, to: number): string => {
  if (to - from === 1) return words[picks[from]!]!
  let out = ""
  for (let i = from; i < to; i++) out = i === from ? words[picks[i]!]! : out + " " + words[picks[i]!]!
  return out
}

/** The word at `picks[i]`, or undefined past the first `length` picks. */
export const picked = (words: ReadonlyArray<string>, picks: Int32Array, length: number, i: number): string | undefined =>
  i < length ? words[picks[i]!] : undefined

/** Removes `count` entries of `picks[0, length)` at `at`; returns the new length. */
export const removePicks = (picks: Int32Array, length: number, at: number, count: number): number => {
  const k = Math.min(count, length - at)
  if (k <= 0) return length
  for (let i = at; i + k < length; i++) picks[i] = picks[i + k]!
  return length - k
}

/**
 * Splits the lines into words in one scan per line (no intermediate piece/part arrays):
 * periods vanish (`N.W.` → `NW`), `#` is a word of its own (`#4B` → `# 4B`), commas and
 * semicolons end a segment, spaces end a word.
 */
export const tokenize = (lines: ReadonlyArray<string>, t: Tokens): Tokens => {
  const words = t.words
  t.hash = false
  // a word per character at most (plus one per `#`): grown once here, never in the loop
  let most = 0
  for (let l = 0; l < lines.length; l++) most += lines[l]!.length
  if (most > t.starts.length) {
    t.starts = new Uint8Array(2 * most)
    t.line = new Int32Array(2 * most)
    t.at = new Int32Array(2 * most)
  }
  const { starts, line, at } = t
  // the lines themselves unless one has periods (then a copy with the stripped texts)
  let texts: Array<string> | undefined
  let w = 0
  for (let l = 0; l < lines.length; l++) {
    let text = lines[l]!
    if (text.indexOf(".") >= 0) {
      text = text.replace(periods, "")
      texts ??= lines.slice()
      texts[l] = text
    }
    let pending = 1
    let from = -1
    const n = text.length
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 44 || c === 59 || c === 35) {
        if (from >= 0) {
          words[w] = text.slice(from, i)
          starts[w] = pending
          line[w] = l
          at[w++] = from
          pending = 0
          from = -1
        }
        if (c === 35) {
          t.hash = true
          words[w] = "#"
          starts[w] = pending
          line[w] = l
          at[w++] = i
          pending = 0
        } else if (c !== 32) pending = 1
      } else if (from < 0) from = i
    }
    if (from >= 0) {
      words[w] = from === 0 ? text : text.slice(from)
      starts[w] = pending
      line[w] = l
      at[w++] = from
    }
  }
  t.count = w
  t.texts = texts ?? lines
  return t
}

export const segmentStartOf = (t: Tokens, index: number): number => {
  let i = index
  while (i > 0 && !t.starts[i]) i--
  return i
}

export const windowCrossesSegment = (t: Tokens, from: number, to: number): boolean => {
  for (let i = from + 1; i < to; i++) if (t.starts[i]) return true
  return false
}
