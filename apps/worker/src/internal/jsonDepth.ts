/**
 * How deeply a JSON text nests, found by scanning it (no parse, no recursion), so a body built
 * to overflow a recursive parser or decoder is refused before either sees it.
 */

/** True when the text opens more than `max` arrays or objects inside one another. */
export const tooDeep = (text: string, max: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}
