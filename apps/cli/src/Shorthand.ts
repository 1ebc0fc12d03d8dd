/**
 * Parameter values as the AWS CLI takes them: JSON (`{"Location":"…"}`), shorthand
 * (`Location=arn:aws:s3:::bucket,Format=Parquet`, `ValidateAddress={AdditionalFeatures=[Position]}`,
 * `k1=v1,k2=v2` for maps, `Key=a,Value=b` tag entries), or `file://path` holding either.
 * The result is checked against the parameter's shape, with AWS-CLI-style messages
 * ("Unknown parameter in InputOptions: "Foo", must be one of: Location, Format").
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { UsageError } from "./CliError.js"

/** The shape a parameter value must have. */
export type Shape =
  | { readonly _tag: "String"; readonly values?: ReadonlyArray<string> }
  | { readonly _tag: "Integer" }
  | { readonly _tag: "List"; readonly item: Shape }
  | { readonly _tag: "Struct"; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly _tag: "Map" }

/** Shape constructors. */
export const string = (values?: ReadonlyArray<string>): Shape =>
  values === undefined ? { _tag: "String" } : { _tag: "String", values }
export const integer: Shape = { _tag: "Integer" }
export const list = (item: Shape): Shape => ({ _tag: "List", item })
export const struct = (fields: Readonly<Record<string, Shape>>): Shape => ({ _tag: "Struct", fields })
export const map: Shape = { _tag: "Map" }

/** A parsed value before it is checked: strings, lists and objects. */
export type Raw = string | number | boolean | null | ReadonlyArray<Raw> | { readonly [key: string]: Raw }

/** Reads `file://` parameter files (relative to the working directory). */
export type ReadFile = (path: string) => string

class ParseFailure {
  constructor(readonly message: string) {}
}

// ---------------------------------------------------------------------------
// Shorthand syntax
// ---------------------------------------------------------------------------

const keyStart = /^\s*[^=,[\]{}"']+=/

/** Parses AWS shorthand: `a=b,c=[d,e],f={g=h}`. Throws ParseFailure. */
export const parseShorthand = (input: string): { readonly [key: string]: Raw } => {
  let i = 0
  const fail = (what: string): never => {
    throw new ParseFailure(`${what} at character ${i + 1} of ${JSON.stringify(input)}`)
  }
  const skipSpaces = () => {
    while (i < input.length && input[i] === " ") i++
  }

  const quoted = (): string => {
    const quote = input[i]!
    i++
    let out = ""
    while (i < input.length && input[i] !== quote) {
      if (input[i] === "\\" && i + 1 < input.length) i++
      out += input[i]
      i++
    }
    if (i >= input.length) fail(`unclosed ${quote}`)
    i++
    return out
  }

  const bare = (stops: string): string => {
    let out = ""
    while (i < input.length && !stops.includes(input[i]!)) {
      if (input[i] === "\\" && i + 1 < input.length) i++
      out += input[i]
      i++
    }
    return out.trim()
  }

  const value = (stops: string): Raw => {
    skipSpaces()
    const c = input[i]
    if (c === "[") return listValue()
    if (c === "{") {
      i++
      const s = structValue("}")
      if (input[i] !== "}") fail("expected }")
      i++
      return s
    }
    if (c === "\"" || c === "'") return quoted()
    return bare(stops)
  }

  const listValue = (): Array<Raw> => {
    i++ // [
    const items: Array<Raw> = []
    skipSpaces()
    if (input[i] === "]") {
      i++
      return items
    }
    for (;;) {
      items.push(value(",]"))
      skipSpaces()
      if (input[i] === ",") {
        i++
        continue
      }
      if (input[i] === "]") {
        i++
        return items
      }
      fail("expected , or ]")
    }
  }

  const structValue = (terminator: string): { [key: string]: Raw } => {
    const out: { [key: string]: Raw } = {}
    for (;;) {
      skipSpaces()
      const eq = input.indexOf("=", i)
      if (eq < 0) fail(`expected key=value`)
      const key = input.slice(i, eq).trim()
      if (key.length === 0 || /[,[\]{}]/.test(key)) fail(`expected key=value`)
      i = eq + 1
      let v = value(terminator === "" ? "," : `,${terminator}`)
      // `Key=a,b,c`: a bare comma-separated continuation without `=` makes a list
      while (typeof v === "string" && input[i] === "," && !keyStart.test(input.slice(i + 1)) && i + 1 < input.length) {
        const items: Array<Raw> = [v]
        while (input[i] === "," && !keyStart.test(input.slice(i + 1)) && i + 1 < input.length) {
          i++
          items.push(value(terminator === "" ? "," : `,${terminator}`))
        }
        v = items
      }
      if (key in out) fail(`${key} is given twice`)
      out[key] = v
      skipSpaces()
      if (i >= input.length || (terminator !== "" && input[i] === terminator)) return out
      if (input[i] === ",") {
        i++
        continue
      }
      fail(`unexpected ${JSON.stringify(input[i])}`)
    }
  }

  if (input.trim().length === 0) fail("empty value")
  const result = structValue("")
  if (i < input.length) fail(`unexpected ${JSON.stringify(input[i])}`)
  return result
}

// ---------------------------------------------------------------------------
// Checking against a shape
// ---------------------------------------------------------------------------

const typeName = (v: Raw): string =>
  v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? "structure" : typeof v

const check = (v: Raw, shape: Shape, path: string): unknown => {
  switch (shape._tag) {
    case "String": {
      if (typeof v !== "string") throw new ParseFailure(`Invalid type for parameter ${path}: expected a string, got a ${typeName(v)}`)
      if (shape.values !== undefined && !shape.values.includes(v)) {
        throw new ParseFailure(`Invalid value for parameter ${path}: "${v}", must be one of: ${shape.values.join(", ")}`)
      }
      return v
    }
    case "Integer": {
      const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v
      if (typeof n !== "number" || !Number.isInteger(n)) {
        throw new ParseFailure(`Invalid type for parameter ${path}: expected an integer, got ${JSON.stringify(v)}`)
      }
      return n
    }
    case "List": {
      const items = Array.isArray(v) ? v : typeof v === "string" ? [v] : undefined
      if (items === undefined) throw new ParseFailure(`Invalid type for parameter ${path}: expected a list, got a ${typeName(v)}`)
      return items.map((item: Raw, n: number) => check(item, shape.item, `${path}[${n}]`))
    }
    case "Struct": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new ParseFailure(`Invalid type for parameter ${path}: expected a structure, got a ${typeName(v)}`)
      }
      const out: Record<string, unknown> = {}
      const names = Object.keys(shape.fields)
      for (const [key, value] of Object.entries(v as Record<string, Raw>)) {
        const fieldShape = shape.fields[key]
        if (fieldShape === undefined) {
          throw new ParseFailure(`Unknown parameter in ${path}: "${key}", must be one of: ${names.join(", ")}`)
        }
        out[key] = check(value, fieldShape, `${path}.${key}`)
      }
      return out
    }
    case "Map": {
      // `[{"Key":"a","Value":"b"}, …]` and `Key=a,Value=b` are accepted as entries too.
      const entries = Array.isArray(v) ? v : isEntry(v) ? [v] : undefined
      if (entries !== undefined) {
        const out: Record<string, string> = {}
        for (const entry of entries) {
          if (!isEntry(entry)) throw new ParseFailure(`Invalid value for parameter ${path}: expected Key=…,Value=… entries`)
          out[entry.Key] = entry.Value ?? ""
        }
        return out
      }
      if (typeof v !== "object" || v === null) {
        throw new ParseFailure(`Invalid type for parameter ${path}: expected a map of strings, got a ${typeName(v)}`)
      }
      const out: Record<string, string> = {}
      for (const [key, value] of Object.entries(v as Record<string, Raw>)) {
        if (typeof value !== "string") throw new ParseFailure(`Invalid type for parameter ${path}.${key}: expected a string`)
        out[key] = value
      }
      return out
    }
  }
}

const isEntry = (v: unknown): v is { readonly Key: string; readonly Value?: string } =>
  typeof v === "object" && v !== null && !Array.isArray(v) &&
  Object.keys(v).every((k) => k === "Key" || k === "Value") && typeof (v as { Key?: unknown }).Key === "string" &&
  ((v as { Value?: unknown }).Value === undefined || typeof (v as { Value?: unknown }).Value === "string")

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

const loadFile = (flag: string, raw: string, readFile: ReadFile): string => {
  if (!raw.startsWith("file://")) return raw
  const path = raw.slice("file://".length)
  try {
    return readFile(path)
  } catch (e) {
    const code = (e as { code?: unknown }).code
    throw new ParseFailure(
      `Error parsing parameter '${flag}': Unable to load paramfile ${raw}: ${code === "ENOENT" ? "no such file" : String((e as Error).message ?? e)}`
    )
  }
}

const looksLikeJson = (s: string) => /^\s*[[{"]/.test(s)

/**
 * Parses a parameter given as JSON, shorthand or `file://…`, and checks it against `shape`.
 * `member` names it in messages (`InputOptions`), `flag` is the option (`--input-options`).
 */
export const parse = (
  flag: string,
  member: string,
  raw: string,
  shape: Shape,
  readFile: ReadFile
): Either.Either<unknown, UsageError> => {
  try {
    const text = loadFile(flag, raw, readFile)
    let value: Raw
    if (looksLikeJson(text) || shape._tag === "List" && /^\s*\[/.test(text)) {
      try {
        value = JSON.parse(text) as Raw
      } catch (e) {
        throw new ParseFailure(`Error parsing parameter '${flag}': Invalid JSON: ${(e as Error).message}`)
      }
    } else {
      try {
        value = parseShorthand(text)
      } catch (e) {
        if (e instanceof ParseFailure) throw new ParseFailure(`Error parsing parameter '${flag}': Invalid shorthand: ${e.message}`)
        throw e
      }
    }
    try {
      return Either.right(check(value, shape, member))
    } catch (e) {
      if (e instanceof ParseFailure) throw new ParseFailure(`Parameter validation failed for '${flag}': ${e.message}`)
      throw e
    }
  } catch (e) {
    if (e instanceof ParseFailure) return Either.left(new UsageError({ message: e.message }))
    throw e
  }
}

/**
 * Parses `--cli-input-json` (JSON or `file://`): an object whose members are the operation's
 * request members, checked against `shape`.
 */
export const parseCliInputJson = (
  raw: string,
  shape: Shape,
  readFile: ReadFile
): Either.Either<Record<string, unknown>, UsageError> => {
  try {
    const text = loadFile("--cli-input-json", raw, readFile)
    let value: Raw
    try {
      value = JSON.parse(text) as Raw
    } catch (e) {
      throw new ParseFailure(`Error parsing parameter '--cli-input-json': Invalid JSON: ${(e as Error).message}`)
    }
    try {
      return Either.right(check(value, shape, "input") as Record<string, unknown>)
    } catch (e) {
      if (e instanceof ParseFailure) throw new ParseFailure(`Parameter validation failed for '--cli-input-json': ${e.message}`)
      throw e
    }
  } catch (e) {
    if (e instanceof ParseFailure) return Either.left(new UsageError({ message: e.message }))
    throw e
  }
}
