/**
 * Parameter values as the AWS CLI takes them: JSON (`{"Location":"…"}`), shorthand
 * (`Location=arn:aws:s3:::bucket,Format=Parquet`, `ValidateAddress={AdditionalFeatures=[Position]}`,
 * `k1=v1,k2=v2` for maps, `Key=a,Value=b` tag entries), or `file://path` holding either.
 * Only the syntax is checked here; the value is then checked with the whole request, as the AWS
 * CLI does (`ParameterValidation`), so that every problem is named at once.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { UsageError } from "./CliError.js"
import type { RequestShape } from "./internal/jobsRequests.js"

/** The shape a parameter value must have: the request model's (`internal/jobsRequests.ts`). */
export type Shape = RequestShape

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
// Reading a value as its shape asks (no checks: those come with the whole request)
// ---------------------------------------------------------------------------

const isDict = (v: unknown): v is { readonly [key: string]: Raw } => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * Gives a parsed value the form its shape asks for, as the AWS CLI does: shorthand's strings
 * become integers where the model says integer and a lone value becomes a one-item list (JSON
 * is taken as written). For maps, `Key=…,Value=…` entries (and a JSON list of them) are read
 * as map entries too, as tag flags in runbooks are often written. What does not fit is left
 * as it is, for the parameter check to name.
 */
const conform = (v: Raw, shape: Shape, shorthand: boolean): unknown => {
  switch (shape.type) {
    case "string":
      return v
    case "integer":
      return shorthand && typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v
    case "list": {
      const items = Array.isArray(v) ? v : shorthand && (typeof v === "string" || isDict(v)) ? [v] : undefined
      return items === undefined ? v : items.map((item: Raw) => conform(item, shape.member, shorthand))
    }
    case "structure": {
      if (!isDict(v)) return v
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(v)) {
        const member = shape.members.find((m) => m.name === key)
        out[key] = member === undefined ? value : conform(value, member.shape, shorthand)
      }
      return out
    }
    case "map": {
      const entries = Array.isArray(v) && v.length > 0 && v.every(isEntry) ? v : isEntry(v) ? [v] : undefined
      if (entries === undefined) return v
      const out: Record<string, string> = {}
      for (const entry of entries as ReadonlyArray<{ readonly Key: string; readonly Value?: string }>) out[entry.Key] = entry.Value ?? ""
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

/** Python's wording of a failed open (the AWS CLI quotes it). */
const osError = (e: unknown, path: string): string => {
  const code = (e as { code?: unknown }).code
  return code === "ENOENT"
    ? `[Errno 2] No such file or directory: '${path}'`
    : code === "EACCES"
    ? `[Errno 13] Permission denied: '${path}'`
    : code === "EISDIR"
    ? `[Errno 21] Is a directory: '${path}'`
    : String((e as Error).message ?? e)
}

/**
 * The text of a value: itself, or the contents of the `file://` file it names. Fails with the
 * AWS CLI's message when the file cannot be read.
 */
export const loadFile = (flag: string, raw: string, readFile: ReadFile): Either.Either<string, UsageError> => {
  if (!raw.startsWith("file://")) return Either.right(raw)
  const path = raw.slice("file://".length)
  try {
    return Either.right(readFile(path))
  } catch (e) {
    return Either.left(
      new UsageError({ message: `Error parsing parameter '${flag}': Unable to load paramfile ${raw}: ${osError(e, path)}` })
    )
  }
}

const looksLikeJson = (s: string) => /^\s*[[{"]/.test(s)

/**
 * Parses a parameter given as JSON, shorthand or `file://…`, in the form `shape` asks for.
 * `member` names it in messages (`InputOptions`), `flag` is the option (`--input-options`).
 */
export const parse = (
  flag: string,
  _member: string,
  raw: string,
  shape: Shape,
  readFile: ReadFile
): Either.Either<unknown, UsageError> =>
  Either.flatMap(loadFile(flag, raw, readFile), (text) => {
    try {
      if (looksLikeJson(text) || shape.type === "list" && /^\s*\[/.test(text)) {
        try {
          return Either.right(conform(JSON.parse(text) as Raw, shape, false))
        } catch (e) {
          throw new ParseFailure(`Error parsing parameter '${flag}': Invalid JSON: ${(e as Error).message}`)
        }
      }
      try {
        return Either.right(conform(parseShorthand(text), shape, true))
      } catch (e) {
        if (e instanceof ParseFailure) throw new ParseFailure(`Error parsing parameter '${flag}': Invalid shorthand: ${e.message}`)
        throw e
      }
    } catch (e) {
      if (e instanceof ParseFailure) return Either.left(new UsageError({ message: e.message }))
      throw e
    }
  })
