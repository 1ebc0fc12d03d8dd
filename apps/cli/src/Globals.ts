/**
 * The global options, accepted by every command (before or after the command name, as the
 * AWS CLI accepts them): `--region`, `--profile`, `--endpoint-url`, `--output`, `--query`,
 * `--debug`, `--no-color`, `--color`, and the AWS CLI's transport and pager flags
 * (`--no-cli-pager`, `--no-verify-ssl`, `--ca-bundle`, `--cli-read-timeout`,
 * `--cli-connect-timeout`), accepted so that pasted commands run.
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
  readonly query: string | undefined
  readonly debug: boolean
  readonly noColor: boolean
  readonly color: "on" | "off" | "auto" | undefined
  readonly noCliPager: boolean
  readonly noVerifySsl: boolean
  readonly caBundle: string | undefined
  readonly cliReadTimeout: number | undefined
  readonly cliConnectTimeout: number | undefined
  readonly noSignRequest: boolean
}

/** An optional text option (undefined when absent), as every command declares them. */
export const optionalText = (name: string, description: string) =>
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
    Options.withDescription(
      "Output format: json (default when not a terminal), table (default on a terminal), text, yaml, yaml-stream."
    ),
    Options.optional,
    Options.map(Option.getOrUndefined)
  ),
  query: optionalText("query", "A JMESPath query applied to the result before it is printed (as the AWS CLI's --query)."),
  debug: Options.boolean("debug").pipe(
    Options.withDescription("Log every request and response (secrets redacted) and full error causes on stderr.")
  ),
  noColor: Options.boolean("no-color").pipe(Options.withDescription("No colours (also: NO_COLOR=1).")),
  color: Options.choice("color", ["on", "off", "auto"] as const).pipe(
    Options.withDescription("Colour: on, off, auto (the default: on a terminal only)."),
    Options.optional,
    Options.map(Option.getOrUndefined)
  ),
  noCliPager: Options.boolean("no-cli-pager").pipe(
    Options.withDescription("Do not page the output (geojobs never pages; accepted as the AWS CLI's flag).")
  ),
  noVerifySsl: Options.boolean("no-verify-ssl").pipe(
    Options.withDescription("Do not verify TLS certificates of the endpoint (as the AWS CLI's flag).")
  ),
  caBundle: optionalText("ca-bundle", "A PEM file of CA certificates to verify TLS with (else AWS_CA_BUNDLE, the profile's ca_bundle)."),
  noSignRequest: Options.boolean("no-sign-request").pipe(
    Options.withDescription("Do not sign the Jobs API requests, and load no credentials for them (as the AWS CLI's flag).")
  ),
  cliReadTimeout: Options.integer("cli-read-timeout").pipe(
    Options.withDescription("Seconds a socket may stay silent waiting for an answer (default 60; 0 for no limit)."),
    Options.optional,
    Options.map(Option.getOrUndefined)
  ),
  cliConnectTimeout: Options.integer("cli-connect-timeout").pipe(
    Options.withDescription("Seconds to open a connection (default 60; 0 for no limit)."),
    Options.optional,
    Options.map(Option.getOrUndefined)
  )
} as const

/** Leaf values win over those given before the command name. */
export const merge = (outer: Globals, inner: Globals): Globals => ({
  region: inner.region ?? outer.region,
  profile: inner.profile ?? outer.profile,
  endpointUrl: inner.endpointUrl ?? outer.endpointUrl,
  output: inner.output ?? outer.output,
  query: inner.query ?? outer.query,
  debug: inner.debug || outer.debug,
  noColor: inner.noColor || outer.noColor,
  color: inner.color ?? outer.color,
  noCliPager: inner.noCliPager || outer.noCliPager,
  noVerifySsl: inner.noVerifySsl || outer.noVerifySsl,
  caBundle: inner.caBundle ?? outer.caBundle,
  cliReadTimeout: inner.cliReadTimeout ?? outer.cliReadTimeout,
  cliConnectTimeout: inner.cliConnectTimeout ?? outer.cliConnectTimeout,
  noSignRequest: inner.noSignRequest || outer.noSignRequest
})

/** Picks the global members out of a command's parsed config. */
export const pick = (config: Globals): Globals => ({
  region: config.region,
  profile: config.profile,
  endpointUrl: config.endpointUrl,
  output: config.output,
  query: config.query,
  debug: config.debug,
  noColor: config.noColor,
  color: config.color,
  noCliPager: config.noCliPager,
  noVerifySsl: config.noVerifySsl,
  caBundle: config.caBundle,
  cliReadTimeout: config.cliReadTimeout,
  cliConnectTimeout: config.cliConnectTimeout,
  noSignRequest: config.noSignRequest
})
