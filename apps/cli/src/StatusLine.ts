/**
 * A progress line on stderr: rewritten in place on a terminal (`\r` + erase line), or printed
 * as a plain line whenever its text changes otherwise (so logs stay readable).
 *
 * @since 0.1.0
 */
import type { IoService } from "./Io.js"

/** A live status line. */
export interface StatusLine {
  /**
   * Shows `text` (on a terminal: replaces the current line). Elsewhere the line is printed
   * only when `key` (default: the text) changes.
   */
  readonly update: (text: string, key?: string) => void
  /** Ends the line (clears it on a terminal). */
  readonly done: () => void
}

/** A status line on `io`'s stderr. */
export const make = (io: IoService): StatusLine => {
  let last: string | undefined
  let shown = false
  if (io.stderrIsTty) {
    const width = Math.max(20, (io.columns || 80) - 1)
    return {
      update: (text) => {
        io.stderr(`\r\x1b[2K${text.length > width ? text.slice(0, width - 1) + "…" : text}`)
        shown = true
      },
      done: () => {
        if (shown) io.stderr("\r\x1b[2K")
        shown = false
      }
    }
  }
  return {
    update: (text, key = text) => {
      if (key !== last) io.stderr(`geojobs: ${text}\n`)
      last = key
    },
    done: () => {}
  }
}

/** Seconds as `1m05s`. */
export const elapsed = (ms: number): string => {
  const s = Math.floor(ms / 1000)
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
}
