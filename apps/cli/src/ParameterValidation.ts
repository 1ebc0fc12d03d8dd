/**
 * The AWS CLI's own check of a request before it is sent (botocore's parameter validation):
 * required and unknown members, value types, and minimum lengths and values — not maximums or
 * patterns, which the service checks. Every problem is reported, one per line after
 * `Parameter validation failed:`, worded and ordered as the AWS CLI words and orders them, so
 * that a request refused by the AWS CLI is refused here with the same lines and exit code.
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"
import type { RequestShape } from "./internal/jobsRequests.js"

/** A request the AWS CLI would refuse before sending it; `problems` are its report lines. */
export class ParameterValidationError extends Micro.TaggedError("ParameterValidationError")<{
  readonly problems: ReadonlyArray<string>
}> {
  override get message(): string {
    return ["Parameter validation failed:", ...this.problems].join("\n")
  }
}

/** A value as Python's `str()` prints it: the AWS CLI quotes values in its messages that way. */
export const pythonStr = (value: unknown): string => typeof value === "string" ? value : pythonRepr(value)

const pythonRepr = (value: unknown): string => {
  if (value === null || value === undefined) return "None"
  if (typeof value === "boolean") return value ? "True" : "False"
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value).replace(/e\+?/, "e+")
  if (typeof value === "string") {
    // Python prefers single quotes, and switches to double quotes for a string holding one.
    const quote = value.includes("'") && !value.includes("\"") ? "\"" : "'"
    const body = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t")
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`
  }
  return String(value)
}

/** The Python type a JSON/YAML value would have once loaded by the AWS CLI, as `str(type(v))`. */
export const pythonType = (value: unknown): string => {
  const name = value === null || value === undefined
    ? "NoneType"
    : typeof value === "boolean"
    ? "bool"
    : typeof value === "number"
    ? Number.isInteger(value) ? "int" : "float"
    : typeof value === "string"
    ? "str"
    : Array.isArray(value)
    ? "list"
    : "dict"
  return `<class '${name}'>`
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Checks `params` against `shape`; returns the report lines (none when the request is valid). */
export const validate = (params: unknown, shape: RequestShape): ReadonlyArray<string> => {
  const problems: Array<string> = []
  // botocore names the request "input" and members by their dotted path.
  const label = (name: string) => (name === "" ? "input" : name.startsWith(".") ? name.slice(1) : name)
  const invalidType = (name: string, value: unknown, valid: ReadonlyArray<string>) =>
    problems.push(
      `Invalid type for parameter ${label(name)}, value: ${pythonStr(value)}, type: ${pythonType(value)}, valid types: ${
        valid.map((t) => `<class '${t}'>`).join(", ")
      }`
    )
  const minimum = (name: string, size: number, min: number | undefined, kind: "length" | "value", shown = String(size)) => {
    if (min !== undefined && size < min) {
      problems.push(
        kind === "length"
          ? `Invalid length for parameter ${label(name)}, value: ${size}, valid min length: ${min}`
          : `Invalid value for parameter ${label(name)}, value: ${shown}, valid min value: ${min}`
      )
    }
  }
  const walk = (value: unknown, s: RequestShape, name: string): void => {
    switch (s.type) {
      case "structure": {
        if (!isDict(value)) return void invalidType(name, value, ["dict"])
        for (const m of s.members) {
          if (m.required && !(m.name in value)) problems.push(`Missing required parameter in ${label(name)}: "${m.name}"`)
        }
        const names = s.members.map((m) => m.name)
        const known: Array<string> = []
        for (const key of Object.keys(value)) {
          if (names.includes(key)) known.push(key)
          else problems.push(`Unknown parameter in ${label(name)}: "${key}", must be one of: ${names.join(", ")}`)
        }
        for (const key of known) walk(value[key], s.members.find((m) => m.name === key)!.shape, `${name}.${key}`)
        return
      }
      case "list": {
        if (!Array.isArray(value)) return void invalidType(name, value, ["list", "tuple"])
        minimum(name, value.length, s.min, "length")
        value.forEach((item, i) => walk(item, s.member, `${name}[${i}]`))
        return
      }
      case "map": {
        if (!isDict(value)) return void invalidType(name, value, ["dict"])
        for (const [key, v] of Object.entries(value)) {
          walk(key, s.key, `${name} (key: ${key})`)
          walk(v, s.value, `${name}.${key}`)
        }
        return
      }
      case "string": {
        if (typeof value !== "string") return void invalidType(name, value, ["str"])
        // Lengths in code points, as Python's len().
        minimum(name, [...value].length, s.min, "length")
        return
      }
      case "integer": {
        // A Python bool is an int: the AWS CLI lets true through where an integer is expected.
        if (typeof value === "boolean") return minimum(name, value ? 1 : 0, s.min, "value", pythonStr(value))
        if (typeof value !== "number" || !Number.isInteger(value)) return void invalidType(name, value, ["int"])
        minimum(name, value, s.min, "value")
        return
      }
    }
  }
  walk(params, shape, "")
  return problems
}
