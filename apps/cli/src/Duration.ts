/**
 * Durations on the command line: `90` (seconds), `90s`, `500ms`, `15m`, `2h`, `1h30m`.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { UsageError } from "./CliError.js"

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds of a duration flag value. */
export const parse = (flag: string, raw: string): Either.Either<number, UsageError> => {
  const text = raw.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Either.right(Math.round(Number(text) * 1000))
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!
    matched = re.lastIndex
  }
  if (matched === 0 || matched !== text.length) {
    return Either.left(new UsageError({ message: `${flag}: cannot read "${raw}" as a duration (e.g. 90, 90s, 15m, 1h30m)` }))
  }
  return Either.right(Math.round(total))
}
