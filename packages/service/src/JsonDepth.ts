/**
 * How deeply a JSON text nests, found by one scan (no parse, no recursion), so a body nested
 * thousands deep is refused before a recursive decoder can run out of stack on it. Used by the
 * Jobs API's wire handler (and so the local service and the test doubles) and by the worker's
 * HTTP API.
 *
 * @since 0.2.0
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
export const MAX_REQUEST_DEPTH = 64

/**
 * True when the JSON text (bytes or a string) opens more than `limit` arrays or objects inside
 * one another. Brackets inside strings do not count; the text need not be valid JSON.
 */
export const nestsDeeperThan = (json: Uint8Array | string, limit: number): boolean => {
  const at = typeof json === "string" ? (i: number) => json.charCodeAt(i) : (i: number) => json[i]!
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = at(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  return false
}
