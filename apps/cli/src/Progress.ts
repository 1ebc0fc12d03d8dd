/**
 * Progress of a long command in phases (`validate`: convert, upload, validate, download, write),
 * on stderr.
 *
 * - On a terminal: one live line, redrawn at most every 100 ms, with the phase, what is done of
 *   the total (rows or bytes), the percentage, the rate and the time left; when a phase ends its
 *   final line stays and the next phase's line starts below it.
 * - Elsewhere (a pipe, a log file, CI): only each phase's final line, so logs stay short.
 * - Quiet: nothing.
 *
 * Final lines read `geojobs: convert: 200,000 rows in 1.2s (166,667 rows/s)`.
 *
 * @since 0.1.0
 */
import type { IoService } from "./Io.js"

/** What a phase counts. */
export type Unit = "rows" | "bytes"

/** One phase. */
export interface Phase {
  /** Sets how much is done. */
  readonly set: (done: number) => void
  /** Adds to what is done. */
  readonly add: (n: number) => void
  /** Sets (or corrects) the total, when it becomes known. */
  readonly total: (total: number) => void
  /**
   * Ends the phase with its final line: what was done in its unit by default, or the amount
   * given (a conversion measured in bytes ends as rows), or a text after the phase's name.
   */
  readonly end: (final?: string | { readonly unit: Unit; readonly done: number }) => void
}

/** The phases of one command. */
export interface Progress {
  readonly phase: (name: string, options?: { readonly unit?: Unit; readonly total?: number | undefined }) => Phase
}

const number = (n: number) => Math.round(n).toLocaleString("en-US")

const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`

/** An amount in its unit. */
export const amount = (n: number, unit: Unit): string => (unit === "rows" ? `${number(n)} rows` : bytes(n))

/** A duration as `850ms`, `4.2s`, `3m05s`. */
export const duration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
}

const rate = (n: number, ms: number, unit: Unit) =>
  ms <= 0 ? "" : unit === "rows" ? `${number((n * 1000) / ms)} rows/s` : `${bytes((n * 1000) / ms)}/s`

/** The live text of a phase. */
export const liveText = (name: string, unit: Unit, done: number, total: number | undefined, ms: number): string => {
  const parts = [`${name}: ${total !== undefined && total > 0 ? `${amount(done, unit)} of ${amount(total, unit)}` : amount(done, unit)}`]
  if (total !== undefined && total > 0) parts.push(`${Math.min(100, Math.floor((done / total) * 100))}%`)
  if (ms >= 500 && done > 0) {
    parts.push(rate(done, ms, unit))
    if (total !== undefined && total > done) parts.push(`ETA ${duration(((total - done) * ms) / done)}`)
  }
  return parts.join(", ")
}

/** The final text of a phase. */
export const finalText = (name: string, unit: Unit, done: number, ms: number): string =>
  `${name}: ${amount(done, unit)} in ${duration(ms)}${ms >= 50 && done > 0 ? ` (${rate(done, ms, unit)})` : ""}`

/** Progress on `io`'s stderr; `now` is the clock (ms). */
export const make = (io: IoService, options: { readonly quiet?: boolean; readonly now?: () => number } = {}): Progress => {
  const now = options.now ?? (() => performance.now())
  const tty = io.stderrIsTty
  const width = Math.max(20, (io.columns || 80) - 1)
  let live = false
  const draw = (text: string) => {
    const line = `geojobs: ${text}`
    io.stderr(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + "…" : line}`)
    live = true
  }
  const print = (text: string) => {
    if (options.quiet) return
    if (tty && live) io.stderr("\r\x1b[2K")
    live = false
    io.stderr(`geojobs: ${text}\n`)
  }
  return {
    phase: (name, phaseOptions = {}) => {
      const unit = phaseOptions.unit ?? "rows"
      const started = now()
      let done = 0
      let total = phaseOptions.total
      let drawn = -Infinity
      let ended = false
      const redraw = (force = false) => {
        if (options.quiet || !tty || ended) return
        const t = now()
        if (!force && t - drawn < 100) return
        drawn = t
        draw(liveText(name, unit, done, total, t - started))
      }
      redraw(true)
      return {
        set: (n) => {
          done = n
          redraw()
        },
        add: (n) => {
          done += n
          redraw()
        },
        total: (n) => {
          total = n
          redraw()
        },
        end: (final) => {
          if (ended) return
          ended = true
          print(
            typeof final === "string"
              ? `${name}: ${final}`
              : finalText(name, final?.unit ?? unit, final?.done ?? done, now() - started)
          )
        }
      }
    }
  }
}
