/**
 * The AWS CLI's whole-request options, on every Jobs command: `--cli-input-json` and
 * `--cli-input-yaml` (a value or `file://…`), and `--generate-cli-skeleton`. Failures are worded
 * as AWS CLI v2 words them. YAML is parsed by the `yaml` package, loaded only when
 * `--cli-input-yaml` is given (start-up time).
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { UsageError } from "./CliError.js"
import * as Skeleton from "./Skeleton.js"
import { pythonType } from "./ParameterValidation.js"
import * as Shorthand from "./Shorthand.js"
import { optionalText } from "./Globals.js"

/** The options, to spread into a command's config. */
export const options = {
  cliInputJson: optionalText(
    "cli-input-json",
    "The request as JSON (or file://…), as --generate-cli-skeleton prints it; flags override its members."
  ),
  cliInputYaml: optionalText(
    "cli-input-yaml",
    "The request as YAML (or file://…), as --generate-cli-skeleton yaml-input prints it; flags override its members."
  ),
  generateCliSkeleton: Options.choice("generate-cli-skeleton", Skeleton.kinds).pipe(
    Options.withDescription(
      "Print a request to fill in (input, the default; yaml-input) or a sample response (output) without calling the service."
    ),
    Options.optional,
    Options.map(Option.getOrUndefined)
  )
} as const

/** The parsed whole-request options. */
export interface Flags {
  readonly cliInputJson: string | undefined
  readonly cliInputYaml: string | undefined
  readonly generateCliSkeleton: Skeleton.Kind | undefined
}

const refuse = (message: string) => Effect.fail(new UsageError({ message }))

/**
 * The request members given by `--cli-input-json`/`--cli-input-yaml`, in their order, or
 * undefined when neither is given. Only their syntax is checked here: the members are checked
 * with the whole request.
 */
export const read = (flags: Flags, readFile: Shorthand.ReadFile): Effect.Effect<Record<string, unknown> | undefined, UsageError> =>
  Effect.gen(function*() {
    if (flags.cliInputJson !== undefined && flags.cliInputYaml !== undefined) {
      return yield* refuse("Only one --cli-input- parameter may be specified.")
    }
    const kind = flags.cliInputJson !== undefined ? "json" : flags.cliInputYaml !== undefined ? "yaml" : undefined
    if (kind === undefined) return undefined
    const flag = `--cli-input-${kind}`
    const text = yield* Either.match(Shorthand.loadFile(flag, (kind === "json" ? flags.cliInputJson : flags.cliInputYaml)!, readFile), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
    let value: unknown
    if (kind === "json") {
      try {
        value = JSON.parse(text)
      } catch {
        // The AWS CLI names the option without its dashes here.
        return yield* refuse("Error parsing parameter 'cli-input-json': Invalid JSON received.")
      }
    } else {
      const Yaml = yield* Effect.orDie(Effect.tryPromise(() => import("yaml")))
      const document = Yaml.parseDocument(text)
      if (document.errors.length > 0) return yield* refuse("Error parsing parameter 'cli-input-yaml': Invalid YAML received.")
      value = document.toJS()
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return yield* refuse(`Error parsing parameter '${flag}': Invalid type: expecting map, received ${pythonType(value)}`)
    }
    return value as Record<string, unknown>
  })
