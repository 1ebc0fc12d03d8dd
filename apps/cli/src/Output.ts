/**
 * Printing results as the AWS CLI (v2) does: members in the service model's order, timestamps
 * as ISO 8601 with `+00:00`, `--query` (JMESPath) applied to the whole result, then `json`
 * (4-space indent), `text` (tab-separated, keys sorted), `table` (boxed sections), `yaml` or
 * `yaml-stream`. An empty result prints nothing, as the AWS CLI.
 *
 * The YAML and JMESPath libraries are imported when a command first needs them, not by every
 * command (`render` and `yaml` load them).
 *
 * @since 0.1.0
 */
import type * as Yaml from "yaml"
import type { Shape } from "./internal/jobsModel.js"
import { outputs } from "./internal/jobsModel.js"
import type { Plain } from "./internal/plain.js"
import { table as tableOf } from "./internal/tableFormat.js"
import { text as textOf } from "./internal/textFormat.js"
import * as Query from "./Query.js"

/** The `--output` formats. */
export type OutputFormat = "json" | "table" | "text" | "yaml" | "yaml-stream"

/** All formats, for the option. */
export const formats: ReadonlyArray<OutputFormat> = ["json", "text", "table", "yaml", "yaml-stream"]

/** Whether a string names a format (for settings read from files and the environment). */
export const isFormat = (s: string | undefined): s is OutputFormat => formats.includes(s as OutputFormat)

/** A timestamp as AWS CLI v2 prints it: Python's `isoformat()` of a UTC datetime. */
export const timestamp = (date: Date): string => {
  const iso = date.toISOString() // 2024-01-01T00:00:00.123Z
  const ms = date.getUTCMilliseconds()
  return `${iso.slice(0, 19)}${ms === 0 ? "" : `.${String(ms * 1000).padStart(6, "0")}`}+00:00`
}

const asDate = (value: unknown): Date | undefined => {
  if (value instanceof Date) return value
  if (typeof value === "number") return new Date(value * 1000)
  if (typeof value === "string") {
    const d = new Date(value)
    return Number.isNaN(d.getTime()) ? undefined : d
  }
  return undefined
}

/**
 * A response as plain data in the model's member order (members the model does not know are
 * kept, after the known ones), `undefined` members dropped, timestamps formatted.
 */
export const toPlain = (value: unknown, shape?: Shape): Plain => {
  if (value === null || value === undefined) return null
  if (shape?.type === "timestamp" || value instanceof Date) {
    const d = asDate(value)
    if (d !== undefined) return timestamp(d)
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (typeof value === "bigint") return Number(value)
  if (Array.isArray(value)) return value.map((v) => toPlain(v, shape?.type === "list" ? shape.member : undefined))
  if (typeof value === "object") {
    const record = value as Record<string, unknown>
    const out: Record<string, Plain> = {}
    if (shape?.type === "structure") {
      for (const [name, member] of shape.members) if (record[name] !== undefined) out[name] = toPlain(record[name], member)
    }
    for (const [k, v] of Object.entries(record)) {
      if (v !== undefined && !(k in out)) out[k] = toPlain(v, shape?.type === "map" ? shape.value : undefined)
    }
    return out
  }
  return String(value)
}

/** `json`: as `aws --output json` (indent 4); `{}` prints nothing. */
export const json = (value: Plain): string =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
    ? ""
    : JSON.stringify(value, null, 4) + "\n"

/** `text`: as `aws --output text`. */
export const text = (value: Plain): string => textOf(value)

/** `table`: as `aws --output table` for a terminal `width` columns wide (80 when not a terminal). */
export const table = (title: string, value: Plain, width = 80): string => tableOf(title, value, width)

const yamlOptions: Yaml.ToStringOptions & Yaml.DocumentOptions & Yaml.SchemaOptions = {
  // YAML 1.1 as the AWS CLI's emitter: strings that would read as timestamps, booleans or
  // numbers there are quoted; keys sorted; list items not indented under their key.
  version: "1.1",
  sortMapEntries: true,
  indentSeq: false,
  singleQuote: true,
  lineWidth: 80,
  minContentWidth: 0
}

let yamlLibrary: Promise<typeof Yaml> | undefined

/** The `yaml` package, imported on first use. */
const loadYaml = (): Promise<typeof Yaml> => (yamlLibrary ??= import("yaml"))

const yamlWith = (library: typeof Yaml, value: Plain): string =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
    ? ""
    : library.stringify(value, yamlOptions)

/** `yaml`: as AWS CLI v2's `--output yaml`; `{}` prints nothing. */
export const yaml = (value: Plain): Promise<string> => loadYaml().then((library) => yamlWith(library, value))

/** What to print and how. */
export interface Options {
  readonly format: OutputFormat
  /** The operation name: titles tables, picks the model shape. */
  readonly operation: string
  /** A `--query` expression. */
  readonly query?: string | undefined
  /** Terminal width for tables. */
  readonly width?: number | undefined
  /**
   * A paginated result (the response argument is then ignored): its pages of `resultKey`
   * items and the `--max-items` resume token. The AWS CLI prints such a result whole, with the
   * token as `NextToken`, except as text: each page, then the token, each queried on its own.
   */
  readonly paginated?: {
    readonly resultKey: string
    readonly pages: ReadonlyArray<ReadonlyArray<unknown>>
    readonly resumeToken: string | undefined
  } | undefined
  /** The response is plain data already in print order (a sample response): no model shape applied. */
  readonly plain?: boolean | undefined
}

/** Formats a response: model order, then the query, then the format. */
export const render = async (options: Options, response: unknown): Promise<string> => {
  const search = options.query === undefined ? undefined : await Query.searcher(options.query)
  const yamlOf = options.format === "yaml" || options.format === "yaml-stream" ? await loadYaml() : undefined
  return renderWith(options, response, search, yamlOf)
}

const renderWith = (
  options: Options,
  response: unknown,
  search: ((value: Plain) => Plain) | undefined,
  yamlOf: typeof Yaml | undefined
): string => {
  const shape = outputs[options.operation]
  const select = (value: Plain) => (search === undefined ? value : search(value))
  const paginated = options.paginated
  if (paginated !== undefined && options.format === "text") {
    const pages = paginated.pages.map((items) => text(select(toPlain({ [paginated.resultKey]: items }, shape))))
    const token = paginated.resumeToken !== undefined
      ? text(select({ NextToken: { NextToken: paginated.resumeToken } }))
      : ""
    return pages.join("") + token
  }
  const whole = paginated === undefined
    ? response
    : {
      [paginated.resultKey]: paginated.pages.flat(),
      ...(paginated.resumeToken !== undefined ? { NextToken: paginated.resumeToken } : {})
    }
  const selected = select(options.plain === true ? whole as Plain : toPlain(whole, shape))
  switch (options.format) {
    case "json":
      return json(selected)
    case "text":
      return text(selected)
    case "table":
      return table(options.operation, selected, options.width)
    case "yaml":
      return yamlWith(yamlOf!, selected)
    case "yaml-stream":
      // One document per page; results here are whole, so one page.
      return yamlWith(yamlOf!, [selected])
  }
}

