/**
 * How deeply a JSON text nests, found by a scan of its bytes (no parse, no recursion), so a body
 * nested thousands deep is refused before a recursive decoder can run out of stack on it.
 *
 * @internal
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d

/**
 * The deepest a Jobs API request may nest. Real requests nest a few levels (StartJob's options
 * objects); the margin leaves room for clients that wrap values, far short of stack trouble.
 */
export const MAX_JSON_DEPTH = 64

/** True when the JSON text in `bytes` nests objects/arrays deeper than `limit` (strings are skipped). */
export const nestsDeeperThan = (bytes: Uint8Array, limit: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) inString = true
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > limit) return true
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--
  }
  return false
}
