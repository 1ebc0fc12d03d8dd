/**
 * `--query`: JMESPath as the AWS CLI evaluates it, with the reference `jmespath` package (the
 * same language level as the Python library the AWS CLI uses), checked before any call. A
 * syntax error is worded as the AWS CLI words it (its first line). The library is imported on
 * first use: commands without `--query` do not load it.
 *
 * @since 0.1.0
 */
import type { Plain } from "./internal/plain.js"

interface Token {
  readonly type: string
  readonly value: unknown
  readonly start: number
}

interface Library {
  readonly compile: (expression: string) => unknown
  readonly tokenize: (expression: string) => ReadonlyArray<Token>
  readonly search: (value: unknown, expression: string) => unknown
}

let loaded: Promise<Library> | undefined

/** The `jmespath` package (CommonJS: its functions are the default export's members). */
const library = (): Promise<Library> =>
  (loaded ??= import("jmespath").then((m) => ((m as { default?: unknown }).default ?? m) as Library))

/** `UnquotedIdentifier` → `UNQUOTED_IDENTIFIER`, as the Python library names token types. */
const pythonType = (type: string) => type.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()

/** The AWS CLI's wording of a syntax error (the JavaScript library words them otherwise). */
const describe = (library: Library, expression: string, error: Error): string => {
  const unknown = /^Unknown character:(.*)$/.exec(error.message)
  if (unknown) return `Bad jmespath expression: Unknown token ${unknown[1]}:`
  if (/EOF/.test(error.message)) return "Invalid jmespath expression: Incomplete expression:"
  const unexpected = /^Unexpected token type: (\w+), value: (.*)$/.exec(error.message)
  if (unexpected) {
    const [, type, value] = unexpected
    let column = 0
    try {
      column = library.tokenize(expression).find((t) => t.type === type && String(t.value) === value)?.start ?? 0
    } catch {
      // keep column 0
    }
    return `Unexpected token: ${value}: Parse error at column ${column}, token "${value}" (${pythonType(type!)}), for expression:`
  }
  return `Invalid jmespath expression: ${error.message}`
}

/** Why an expression does not parse (the AWS CLI's line), or undefined when it does. */
export const check = (expression: string): Promise<string | undefined> =>
  library().then((lib) => {
    try {
      lib.compile(expression)
      return undefined
    } catch (e) {
      return e instanceof Error ? describe(lib, expression, e) : String(e)
    }
  })

/** A function that evaluates `expression` on a value. */
export const searcher = (expression: string): Promise<(value: Plain) => Plain> =>
  library().then((lib) => (value: Plain) => (lib.search(value, expression) ?? null) as Plain)

/** Evaluates `expression` on `value`. */
export const search = (value: Plain, expression: string): Promise<Plain> =>
  searcher(expression).then((f) => f(value))
