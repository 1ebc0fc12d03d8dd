/**
 * Printing results as the AWS CLI does: `json` (4-space indent, timestamps as ISO 8601),
 * `table` (boxed sections with the operation's name as title), `text` (tab-separated values,
 * keys sorted, nested lists on lines prefixed with the upper-cased member name).
 *
 * @since 0.1.0
 */

/** The `--output` formats. */
export type OutputFormat = "json" | "table" | "text"

/** All formats, for the option. */
export const formats: ReadonlyArray<OutputFormat> = ["json", "table", "text"]

type Plain = string | number | boolean | null | ReadonlyArray<Plain> | { readonly [key: string]: Plain }

/** Dates to ISO strings, `undefined` members dropped, Options and brands as their values. */
export const toPlain = (value: unknown): Plain => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (typeof value === "bigint") return Number(value)
  if (Array.isArray(value)) return value.map(toPlain)
  if (typeof value === "object") {
    const out: Record<string, Plain> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v)
    return out
  }
  return String(value)
}

const isScalar = (v: Plain): v is string | number | boolean | null => v === null || typeof v !== "object"
const scalarText = (v: string | number | boolean | null): string => (v === null ? "None" : String(v))

/** `json`: as `aws --output json` (indent 4). */
export const json = (value: unknown): string => JSON.stringify(toPlain(value), null, 4)

// ---------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------

const textLines = (value: Plain, prefix: string | undefined, out: Array<string>): void => {
  if (isScalar(value)) {
    out.push(prefix === undefined ? scalarText(value) : `${prefix}\t${scalarText(value)}`)
    return
  }
  if (Array.isArray(value)) {
    const items = value as ReadonlyArray<Plain>
    if (items.every(isScalar)) {
      const line = items.map((v) => scalarText(v as string)).join("\t")
      out.push(prefix === undefined ? line : `${prefix}\t${line}`)
    } else {
      for (const item of items) textLines(item, prefix, out)
    }
    return
  }
  const entries = Object.entries(value as Record<string, Plain>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const scalars = entries.filter(([, v]) => isScalar(v))
  if (scalars.length > 0) {
    const line = scalars.map(([, v]) => scalarText(v as string)).join("\t")
    out.push(prefix === undefined ? line : `${prefix}\t${line}`)
  }
  for (const [k, v] of entries) if (!isScalar(v)) textLines(v, k.toUpperCase(), out)
}

/** `text`: as `aws --output text`. */
export const text = (value: unknown): string => {
  const out: Array<string> = []
  textLines(toPlain(value), undefined, out)
  return out.join("\n")
}

// ---------------------------------------------------------------------------
// table
// ---------------------------------------------------------------------------

const pad = (s: string, width: number) => s + " ".repeat(Math.max(0, width - s.length))
const center = (s: string, width: number) => {
  const left = Math.floor((width - s.length) / 2)
  return " ".repeat(Math.max(0, left)) + s + " ".repeat(Math.max(0, width - s.length - left))
}

/** One boxed grid: a title, optional header row, rows of cells. */
const grid = (title: string, headers: ReadonlyArray<string> | undefined, rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const columns = Math.max(headers?.length ?? 0, ...rows.map((r) => r.length), 1)
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...[headers?.[c] ?? "", ...rows.map((r) => r[c] ?? "")].map((s) => s.length + 4)))
  let inner = widths.reduce((a, b) => a + b, 0) + columns - 1
  if (title.length + 4 > inner) {
    widths[columns - 1]! += title.length + 4 - inner
    inner = title.length + 4
  }
  const rule = "+" + widths.map((w) => "-".repeat(w)).join("+") + "+"
  const line = (cells: ReadonlyArray<string>) => "|" + widths.map((w, c) => pad(`  ${cells[c] ?? ""}`, w)).join("|") + "|"
  const lines = ["-".repeat(inner + 2), "|" + center(title, inner) + "|", rule]
  if (headers !== undefined) lines.push(line(headers), rule)
  for (const r of rows) lines.push(line(r))
  if (rows.length > 0) lines.push(rule)
  return lines
}

const tableLines = (title: string, value: Plain, out: Array<string>): void => {
  if (isScalar(value)) {
    out.push(...grid(title, undefined, [[scalarText(value)]]))
    return
  }
  if (Array.isArray(value)) {
    const items = value as ReadonlyArray<Plain>
    if (items.every(isScalar)) {
      out.push(...grid(title, undefined, items.map((v) => [scalarText(v as string)])))
      return
    }
    for (const item of items) tableLines(title, item, out)
    return
  }
  const entries = Object.entries(value as Record<string, Plain>)
  const scalars = entries.filter(([, v]) => isScalar(v))
  if (scalars.length > 0 || entries.length === 0) {
    out.push(...grid(title, undefined, scalars.map(([k, v]) => [k, scalarText(v as string)])))
  }
  for (const [k, v] of entries) if (!isScalar(v)) tableLines(k, v, out)
}

/** `table`: as `aws --output table` (sections for nested members). */
export const table = (title: string, value: unknown): string => {
  const out: Array<string> = []
  tableLines(title, toPlain(value), out)
  return out.join("\n")
}

/** Formats `value` (titled `title` in tables). */
export const format = (format: OutputFormat, title: string, value: unknown): string =>
  format === "json" ? json(value) : format === "text" ? text(value) : table(title, value)
