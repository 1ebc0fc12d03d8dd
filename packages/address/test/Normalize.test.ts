/**
 * `placeKey`'s fast path (a name that is already its own key is returned as is) gives exactly
 * what the character-by-character construction gives, on random names.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { placeKey } from "../src/Normalize.js"

/** The construction as it was before the fast path (the reference). */
const reference = (name: string): string => {
  let out = ""
  let word = ""
  const flush = () => {
    if (word.length === 0) return
    const long = word === "ST" ? "SAINT" : word === "STE" ? "SAINTE" : word === "MT" ? "MOUNT" : word === "FT" ? "FORT" : word
    out = out.length === 0 ? long : out + " " + long
    word = ""
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 127) word += name[i]
    else if (c >= 97 && c <= 122) word += String.fromCharCode(c - 32)
    else if (c === 39 || c === 46) continue
    else flush()
  }
  flush()
  return out
}

describe("placeKey", () => {
  it("equals the reference construction on random names", () => {
    const pieces = ["ST", "STE", "MT", "FT", "SAINT", "LOUIS", "A", "E", "S", "T", "F", "M", "ST.", "O'", "st", "é", "1", " ", " ", "  ", "-", ".", "\t", "\u00a0"]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), (parts) => {
        const name = parts.join("")
        expect(placeKey(name)).toBe(reference(name))
      }),
      { numRuns: 20_000 }
    )
    for (const name of ["", "SAINT LOUIS", "ST LOUIS", "FORT WORTH", "FT WORTH", "STEVENS POINT", "MSTE", "A B", " A", "A ", "A  B", "O'FALLON"]) {
      expect(placeKey(name)).toBe(reference(name))
    }
  })
})
