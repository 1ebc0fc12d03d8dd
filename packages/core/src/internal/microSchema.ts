/**
 * A few lines of schema for `MicroLocationJobs`: checks and decoders that follow `effect/Schema`'s
 * decoding rules closely enough to report the same issues (paths, order, messages, "Expected …,
 * actual …" texts) as the request and response Schemas of `Job.ts`, without bundling Schema.
 * Property tests hold the two equal.
 *
 * @internal
 */

/** One problem: where (keys and indexes from the root) and what; `missing` for an absent required key. */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
  readonly missing: boolean
}

type Path = ReadonlyArray<string | number>

/** What a parse returns when it fails (its issues are in the array it was given). */
export const Fail: unique symbol = Symbol.for("@geojobs/core/MicroSchema/Fail") as never

/** A check-and-decode step with the description Schema prints for it. */
export interface Node<A = unknown> {
  readonly d: () => string
  readonly p: (u: unknown, path: Path, issues: Array<Issue>) => A | typeof Fail
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const propertyKey = (k: PropertyKey) => (typeof k === "string" ? JSON.stringify(k) : String(k))

/** What Schema prints as a value's "actual" (`Inspectable.formatUnknown`, no spacing). */
export const formatUnknown = (input: unknown): string => {
  const seen = new WeakSet<object>()
  const go = (v: unknown): string => {
    if (Array.isArray(v)) {
      if (seen.has(v)) return "[Circular]"
      seen.add(v)
      return `[${v.map(go).join(",")}]`
    }
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString()
    if (
      (typeof v === "object" || typeof v === "function") && v !== null &&
      typeof (v as { toString?: unknown }).toString === "function" &&
      (v as { toString: unknown }).toString !== Object.prototype.toString &&
      (v as { toString: unknown }).toString !== Array.prototype.toString
    ) {
      let s: string
      try {
        s = String((v as { toString: () => unknown }).toString())
      } catch {
        s = "[toString threw]"
      }
      return v instanceof Error && v.cause ? `${s} (cause: ${go(v.cause)})` : s
    }
    if (typeof v === "string") return JSON.stringify(v)
    if (typeof v === "bigint") return String(v) + "n"
    if (v instanceof Set || v instanceof Map) {
      if (seen.has(v)) return "[Circular]"
      seen.add(v)
      return `${v.constructor.name}(${go(Array.from(v))})`
    }
    if (typeof v === "object" && v !== null) {
      if (seen.has(v)) return "[Circular]"
      seen.add(v)
      const body = `{${Reflect.ownKeys(v).map((k) => `${propertyKey(k)}:${go((v as any)[k])}`).join(",")}}`
      const ctor = (v as { constructor?: { name?: string } }).constructor
      return ctor && ctor !== Object && ctor.name ? `${ctor.name}(${body})` : body
    }
    return String(v)
  }
  return go(input)
}

const typeIssue = (issues: Array<Issue>, path: Path, expected: string, u: unknown): typeof Fail => {
  issues.push({ path, message: `Expected ${expected}, actual ${formatUnknown(u)}`, missing: false })
  return Fail
}

const primitive = <A>(name: string, is: (u: unknown) => u is A): Node<A> => ({
  d: () => name,
  p: (u, path, issues) => (is(u) ? u : typeIssue(issues, path, name, u))
})

/** `Schema.String`. */
export const string: Node<string> = primitive("string", (u): u is string => typeof u === "string")
/** `Schema.Number`. */
export const number: Node<number> = primitive("number", (u): u is number => typeof u === "number")

/** `Schema.Literal(...values)` of strings: a mismatch names the first value, as Schema's union does. */
export const literal = <const L extends ReadonlyArray<string>>(...values: L): Node<L[number]> => ({
  d: () => values.map((v) => JSON.stringify(v)).join(" | "),
  p: (u, path, issues) =>
    values.includes(u as string) ? (u as L[number]) : typeIssue(issues, path, JSON.stringify(values[0]), u)
})

/** `literal` with a `message` annotation: a mismatch is reported with `message(actual)`. */
export const literalWithMessage = <L extends string>(node: Node<L>, message: (actual: unknown) => string): Node<L> => ({
  d: node.d,
  p: (u, path, issues) => {
    if (node.p(u, path, []) !== Fail) return u as L
    issues.push({ path, message: message(u), missing: false })
    return Fail
  }
})

/**
 * A refinement: `check` runs on the decoded value when `from` succeeded and returns nothing, a
 * message for this path, or issues at sub-paths. `d` is the whole description (Schema's chain).
 */
export const refine = <A>(
  from: Node<A>,
  d: string | (() => string),
  check: (a: A) => string | undefined | ReadonlyArray<{ readonly path: Path; readonly message: string }>
): Node<A> => ({
  d: typeof d === "string" ? () => d : d,
  p: (u, path, issues) => {
    const a = from.p(u, path, issues)
    if (a === Fail) return Fail
    const problem = check(a)
    if (problem === undefined) return a
    if (typeof problem === "string") issues.push({ path, message: problem, missing: false })
    else for (const i of problem) issues.push({ path: [...path, ...i.path], message: i.message, missing: false })
    return Fail
  }
})

/** A string refinement chain of lengths and a pattern, each with its message (the first that fails wins). */
export const text = (
  d: string,
  checks: ReadonlyArray<readonly [(s: string) => boolean, string | ((s: string) => string)]>
): Node<string> =>
  refine(string, d, (s) => {
    for (const [ok, message] of checks) if (!ok(s)) return typeof message === "string" ? message : message(s)
    return undefined
  })

/** A decode step after `from` (Schema's `transform`), failing with `message` when `decode` gives undefined. */
export const transform = <A, B>(from: Node<A>, d: () => string, decode: (a: A) => B | undefined, message: string): Node<B> => ({
  d,
  p: (u, path, issues) => {
    const a = from.p(u, path, issues)
    if (a === Fail) return Fail
    const b = decode(a)
    if (b === undefined) {
      issues.push({ path, message, missing: false })
      return Fail
    }
    return b
  }
})

/** A struct member: its node, optional (exact: present means not `undefined`) or required. */
export interface Field {
  readonly node: Node
  readonly optional: boolean
}

/** Member helpers. */
export const required = (node: Node): Field => ({ node, optional: false })
/** An optional member (`optionalWith({ exact: true })`). */
export const optional = (node: Node): Field => ({ node, optional: true })

/**
 * `Schema.Struct`: every member checked in order (all issues kept); the output has the known
 * members only, in member order.
 */
export const struct = <A>(fields: Record<string, Field>): Node<A> => {
  const d = () =>
    `{ ${Object.entries(fields).map(([k, f]) => `readonly ${k}${f.optional ? "?" : ""}: ${f.node.d()}`).join("; ")} }`
  return {
    d,
    p: (u, path, issues) => {
      if (!isRecord(u)) return typeIssue(issues, path, d(), u)
      const out: Record<string, unknown> = {}
      let failed = false
      for (const key in fields) {
        const field = fields[key]!
        const has = Object.prototype.hasOwnProperty.call(u, key)
        if (!has && field.optional) continue
        const at = [...path, key]
        if (!has) {
          if (field.node.p(undefined, at, []) === Fail) {
            issues.push({ path: at, message: "is missing", missing: true })
            failed = true
          }
          continue
        }
        const v = field.node.p(u[key], at, issues)
        if (v === Fail) failed = true
        else out[key] = v
      }
      return failed ? Fail : (out as A)
    }
  }
}

/** `Schema.Record({ key: Schema.String, value })`: string keys, each value checked. */
export const record = <V>(value: Node<V>): Node<Record<string, V>> => {
  const d = () => `{ readonly [x: string]: ${value.d()} }`
  return {
    d,
    p: (u, path, issues) => {
      if (!isRecord(u)) return typeIssue(issues, path, d(), u)
      const out: Record<string, V> = {}
      let failed = false
      for (const key of Object.keys(u)) {
        const v = value.p(u[key], [...path, key], issues)
        if (v === Fail) failed = true
        else out[key] = v
      }
      return failed ? Fail : out
    }
  }
}

/** `Schema.Array(item)`. */
export const array = <A>(item: Node<A>): Node<ReadonlyArray<A>> => {
  const d = () => `ReadonlyArray<${item.d()}>`
  return {
    d,
    p: (u, path, issues) => {
      if (!Array.isArray(u)) return typeIssue(issues, path, d(), u)
      const out: Array<A> = []
      let failed = false
      for (let i = 0; i < u.length; i++) {
        const v = item.p(u[i], [...path, i], issues)
        if (v === Fail) failed = true
        else out.push(v)
      }
      return failed ? Fail : out
    }
  }
}
