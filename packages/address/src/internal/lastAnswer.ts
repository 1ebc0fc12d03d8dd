/** @internal Replaying the last answer of a pure look-up that a row asks several times in a row. */

/**
 * `f` (a pure function of two strings, whose answers are read-only) answering the same two
 * strings again, as the last call did, from memory: the parser and validation ask about one
 * region or postal code several times per row, mostly as the very same strings. A call that
 * throws is not remembered.
 */
export const replayingLast = <A>(f: (a: string, b: string) => A): ((a: string, b: string) => A) => {
  let lastA: string | undefined
  let lastB: string | undefined
  let last!: A
  return (a, b) => {
    if (a === lastA && b === lastB) return last
    last = f(a, b)
    lastA = a
    lastB = b
    return last
  }
}
