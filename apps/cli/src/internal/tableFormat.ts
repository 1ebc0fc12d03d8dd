/**
 * `--output table` as the AWS CLI lays it out: sections titled by member name, scalar members
 * as a header row and a value row (or key/value rows when the table is wider than the
 * terminal), nested members as sections indented by one `|` on each side, column widths
 * scaled to the widest section. Keys are sorted; widths count characters.
 */
import type { Plain } from "./plain.js"
import { isScalar, scalarText } from "./plain.js"

interface Section {
  title: string
  headers: Array<string>
  rows: Array<Array<string>>
  indent: number
  maxWidths: Array<number>
}

const newSection = (title: string, indent: number): Section => ({ title, headers: [], rows: [], indent, maxWidths: [] })

const updateWidths = (section: Section, row: ReadonlyArray<string>) => {
  if (section.maxWidths.length === 0) section.maxWidths = row.map((c) => c.length)
  else row.forEach((c, i) => (section.maxWidths[i] = Math.max(c.length, section.maxWidths[i] ?? 0)))
}

const spaces = (n: number) => " ".repeat(Math.max(0, n))

/** Python's `round` (half to even), which the AWS CLI's width scaling uses. */
const roundHalfEven = (x: number): number => {
  const floor = Math.floor(x)
  const diff = x - floor
  if (Math.abs(diff - 0.5) < 1e-9) return floor % 2 === 0 ? floor : floor + 1
  return Math.round(x)
}

const columnWidths = (section: Section, maxWidth: number): Array<number> => {
  const unscaled = section.maxWidths.map((w) => w + 4)
  if (unscaled.length === 0) return unscaled
  const factor = maxWidth / unscaled.reduce((a, b) => a + b, 0)
  const scaled = unscaled.map((w) => roundHalfEven(factor * w))
  let off = scaled.reduce((a, b) => a + b, 0) - maxWidth
  while (off !== 0) {
    const order = scaled.map((_, i) => i)
    if (off < 0) order.reverse()
    for (const i of order) {
      if (off > 0) {
        scaled[i]!--
        off--
      } else {
        scaled[i]!++
        off++
      }
      if (off === 0) break
    }
  }
  return scaled
}

const totalWidth = (section: Section): number => {
  const columns = section.maxWidths.reduce((a, w) => a + w + 4, 0) + 2 + 2 * section.indent
  return Math.max(section.title.length + 2 + 2 * section.indent, columns)
}

const center = (text: string, length: number, left: string, right: string): string => {
  const start = Math.floor(length / 2) - Math.floor(text.length / 2) - 1
  const soFar = left.length + start + text.length
  return left + spaces(start) + text + spaces(length - right.length - soFar) + right
}

const alignLeft = (text: string, length: number, left: string, right: string): string => {
  const padding = length - (text.length + 2 + left.length + right.length) >= 0 ? 2 : 0
  return left + spaces(padding) + text + spaces(length - (left.length + padding + text.length) - right.length) + right
}

const lineBreak = (widths: ReadonlyArray<number>): string =>
  widths.map((w, i) => (i === 0 ? `+${"-".repeat(Math.max(0, w - 2))}+` : `${"-".repeat(Math.max(0, w - 1))}+`)).join("")

class Builder {
  readonly sections: Array<Section> = []
  private current: Section | undefined

  newSection(title: string, indent: number) {
    this.current = newSection(title, indent)
    this.sections.push(this.current)
  }
  header(headers: ReadonlyArray<string>) {
    updateWidths(this.current!, headers)
    this.current!.headers = [...headers]
  }
  row(cells: ReadonlyArray<string>) {
    this.current!.rows.push([...cells])
    updateWidths(this.current!, cells)
  }

  build(title: string | undefined, value: Plain, indent: number): boolean {
    if (isEmpty(value)) return false
    if (title !== undefined) this.newSection(title, indent)
    if (Array.isArray(value)) {
      const items = value as ReadonlyArray<Plain>
      if (isObject(items[0]!)) this.fromList(items, indent, title)
      else {
        for (const item of items) {
          if (isScalar(item)) this.row([scalarText(item)])
          else if (Array.isArray(item) && item.every(isScalar)) this.row(item.map((v) => scalarText(v as string)))
          else this.build(undefined, item, 0)
        }
      }
    } else if (isObject(value)) this.fromObject(value, indent)
    return true
  }

  private fromObject(value: { readonly [key: string]: Plain }, indent: number) {
    const [headers, more] = groupKeys([value])
    if (headers.length === 1) this.row([headers[0]!, scalarText(value[headers[0]!] as string)])
    else if (headers.length > 0) {
      this.header(headers)
      this.row(headers.map((k) => scalarText(value[k] as string)))
    }
    for (const k of more) this.build(k, value[k]!, indent + 1)
  }

  private fromList(items: ReadonlyArray<Plain>, indent: number, title: string | undefined) {
    const objects = items.filter(isObject)
    const [headers, more] = groupKeys(objects)
    this.header(headers)
    objects.forEach((element, i) => {
      if (i > 0 && more.length > 0) {
        this.newSection(title ?? "", indent)
        this.header(headers)
      }
      this.row(headers.map((k) => (k in element ? scalarText(element[k] as string) : "")))
      for (const k of more) if (k in element) this.build(k, element[k]!, indent + 1)
    })
  }
}

const isObject = (v: Plain): v is { readonly [key: string]: Plain } => v !== null && typeof v === "object" && !Array.isArray(v)

/** Python truthiness: the AWS CLI prints nothing for an empty or false value. */
const isEmpty = (v: Plain): boolean =>
  v === null || v === "" || v === 0 || v === false || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0)

const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

const groupKeys = (objects: ReadonlyArray<{ readonly [key: string]: Plain }>): [Array<string>, Array<string>] => {
  const headers = new Set<string>()
  const more = new Set<string>()
  for (const o of objects) for (const [k, v] of Object.entries(o)) (isScalar(v) ? headers : more).add(k)
  return [sorted(headers), sorted(more)]
}

const render = (sections: Array<Section>, terminalWidth: number): string => {
  let maxWidth = Math.max(...sections.map(totalWidth))
  if (maxWidth > terminalWidth) {
    // Too wide: one-row sections become key/value rows, as the AWS CLI reformats them.
    sections.forEach((s, i) => {
      if (s.rows.length === 1 && s.headers.length > 0) {
        const vertical = newSection(s.title, s.indent)
        s.headers.forEach((h, c) => {
          vertical.rows.push([h, s.rows[0]![c] ?? ""])
          updateWidths(vertical, [h, s.rows[0]![c] ?? ""])
        })
        sections[i] = vertical
      }
    })
    maxWidth = Math.max(...sections.map(totalWidth))
  }
  const out: Array<string> = ["-".repeat(maxWidth)]
  for (const s of sections) {
    const edge = "|".repeat(s.indent)
    const write = (line: string) => out.push(edge + line + edge)
    const width = maxWidth - s.indent * 2
    if (s.title !== "") {
      write(center(s.title, width, "|", "|"))
      if (s.headers.length === 0 && s.rows.length === 0) write(`+${"-".repeat(width - 2)}+`)
    }
    if (s.headers.length > 0) {
      const widths = columnWidths(s, width)
      write(lineBreak(widths))
      write(s.headers.map((h, i) => center(h, widths[i]!, i === 0 ? "|" : "", "|")).join(""))
    }
    if (s.rows.length > 0) {
      const widths = columnWidths(s, width)
      if (widths.length === 0) continue
      write(lineBreak(widths))
      for (const row of s.rows) write(widths.map((w, i) => alignLeft(row[i] ?? "", w, i === 0 ? "|" : "", "|")).join(""))
      write(lineBreak(widths))
    }
  }
  return out.map((l) => l + "\n").join("")
}

/** The table for `value` titled `title`; empty when the AWS CLI prints nothing. */
export const table = (title: string, value: Plain, terminalWidth: number): string => {
  const builder = new Builder()
  return builder.build(title, value, 0) ? render(builder.sections, terminalWidth) : ""
}
