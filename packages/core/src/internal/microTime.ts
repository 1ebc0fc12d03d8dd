/**
 * Times as the Micro modules print them.
 *
 * @internal
 */

/** `Duration.format`'s text for a whole number of ms (`30s`, `1m 30s`, `250ms`). */
export const formatMillis = (ms: number): string => {
  const parts: Array<string> = []
  let rest = Math.floor(ms)
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0) parts.push(`${n}${unit}`)
  }
  return parts.length === 0 ? "0" : parts.join(" ")
}
