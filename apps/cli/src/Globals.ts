/**
 * The global options, accepted by every command (before or after the command name, as the
 * AWS CLI accepts them): `--region`, `--profile`, `--endpoint-url`, `--output`, `--debug`,
 * `--no-color`.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as Option from "effect/Option"
import * as Output from "./Output.js"

/** Parsed global options. */
export interface Globals {
  readonly region: string | undefined
  readonly profile: string | undefined
  readonly endpointUrl: string | undefined
  readonly output: Output.OutputFormat | undefined
  readonly debug: boolean
  readonly noColor: boolean
}

const optionalText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional, Options.map(Option.getOrUndefined))

/** The options, to spread into a command's config. */
export const options = {
  region: optionalText("region", "AWS Region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)."),
  profile: optionalText("profile", "A profile from ~/.aws/config and ~/.aws/credentials (else AWS_PROFILE)."),
  endpointUrl: optionalText(
    "endpoint-url",
    "Send requests to this URL (else AWS_ENDPOINT_URL_LOCATION, AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566."
  ),
  output: Options.choice("output", Output.formats).pipe(
    Options.withDescription("Output format: json (default when not a terminal), table (default on a terminal), text."),
    Options.optional,
    Options.map(Option.getOrUndefined)
  ),
  debug: Options.boolean("debug").pipe(
    Options.withDescription("Log every request and response (secrets redacted) and full error causes on stderr.")
  ),
  noColor: Options.boolean("no-color").pipe(Options.withDescription("No colours (also: NO_COLOR=1)."))
} as const

/** Leaf values win over those given before the command name. */
export const merge = (outer: Globals, inner: Globals): Globals => ({
  region: inner.region ?? outer.region,
  profile: inner.profile ?? outer.profile,
  endpointUrl: inner.endpointUrl ?? outer.endpointUrl,
  output: inner.output ?? outer.output,
  debug: inner.debug || outer.debug,
  noColor: inner.noColor || outer.noColor
})

/** Picks the global members out of a command's parsed config. */
export const pick = (config: Globals): Globals => ({
  region: config.region,
  profile: config.profile,
  endpointUrl: config.endpointUrl,
  output: config.output,
  debug: config.debug,
  noColor: config.noColor
})
