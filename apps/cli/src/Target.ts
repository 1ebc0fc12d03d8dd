/**
 * Which service a run talks to, decided once from the flags and the environment:
 *
 * 1. an endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_LOCATION`, `AWS_ENDPOINT_URL`, the selected
 *    profile's `services` section's `location` `endpoint_url`, or its `endpoint_url`; all but the
 *    flag ignored with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, as the AWS CLI) → that endpoint;
 * 2. else a Region (`--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, or the `region` of the
 *    profile selected with `--profile`/`AWS_PROFILE`) → AWS in that Region;
 * 3. else the embedded local service, started in-process on a free port, data in `./.geojobs`
 *    (or `GEOJOBS_DATA_DIR`).
 *
 * The default profile's region is not consulted unless a profile is selected: without an
 * explicit choice, the CLI never reaches AWS.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as AwsConfigFile from "./AwsConfigFile.js"
import { UsageError } from "./CliError.js"

/** Where requests go. */
export type Target =
  | {
    readonly _tag: "Aws"
    readonly region: string
    /** What set the Region, for the target line. */
    readonly regionSource: string
    readonly profile: string | undefined
  }
  | {
    readonly _tag: "Endpoint"
    readonly url: string
    readonly urlSource: string
    readonly region: string
    readonly profile: string | undefined
  }
  | {
    readonly _tag: "Embedded"
    /** As given (for messages), relative to the working directory. */
    readonly dataDir: string
  }

/** The flags that decide the target. */
export interface TargetFlags {
  readonly region?: string | undefined
  readonly profile?: string | undefined
  readonly endpointUrl?: string | undefined
}

const nonEmpty = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : s.trim())

/** Resolves the target; fails on a malformed endpoint or an unknown/Region-less selected profile. */
export const resolve = (
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>
): Either.Either<Target, UsageError> => {
  const profileName = nonEmpty(flags.profile) ?? nonEmpty(env.AWS_PROFILE)
  const profile = profileName === undefined ? undefined : AwsConfigFile.profile(profileName, env)
  if (profileName !== undefined && profile !== undefined && !profile.exists && profileName !== "default") {
    return Either.left(new UsageError({ message: `The config profile (${profileName}) could not be found` }))
  }
  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: only --endpoint-url counts (as the AWS CLI)
  const configured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true"
  const endpoint: readonly [string, string] | undefined = nonEmpty(flags.endpointUrl) !== undefined
    ? [nonEmpty(flags.endpointUrl)!, "--endpoint-url"]
    : !configured
    ? undefined
    : nonEmpty(env.AWS_ENDPOINT_URL_LOCATION) !== undefined
    ? [nonEmpty(env.AWS_ENDPOINT_URL_LOCATION)!, "AWS_ENDPOINT_URL_LOCATION"]
    : nonEmpty(env.AWS_ENDPOINT_URL) !== undefined
    ? [nonEmpty(env.AWS_ENDPOINT_URL)!, "AWS_ENDPOINT_URL"]
    : nonEmpty(profile?.servicesEndpointUrl) !== undefined
    ? [nonEmpty(profile?.servicesEndpointUrl)!, `profile ${profileName}'s services section`]
    : nonEmpty(profile?.endpointUrl) !== undefined
    ? [nonEmpty(profile?.endpointUrl)!, `profile ${profileName}`]
    : undefined
  const region: readonly [string, string] | undefined = nonEmpty(flags.region) !== undefined
    ? [nonEmpty(flags.region)!, "--region"]
    : nonEmpty(env.AWS_REGION) !== undefined
    ? [nonEmpty(env.AWS_REGION)!, "AWS_REGION"]
    : nonEmpty(env.AWS_DEFAULT_REGION) !== undefined
    ? [nonEmpty(env.AWS_DEFAULT_REGION)!, "AWS_DEFAULT_REGION"]
    : nonEmpty(profile?.region) !== undefined
    ? [nonEmpty(profile?.region)!, `profile ${profileName}`]
    : undefined

  if (endpoint !== undefined) {
    const [url, urlSource] = endpoint
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return Either.left(new UsageError({ message: `Invalid endpoint: ${url} (from ${urlSource}); expected e.g. http://127.0.0.1:4566` }))
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return Either.left(new UsageError({ message: `Invalid endpoint: ${url} (from ${urlSource}); it must be an http:// or https:// URL` }))
    }
    return Either.right({ _tag: "Endpoint", url: url.replace(/\/+$/, ""), urlSource, region: region?.[0] ?? "us-east-1", profile: profileName })
  }
  if (region !== undefined) {
    return Either.right({ _tag: "Aws", region: region[0], regionSource: region[1], profile: profileName })
  }
  if (profileName !== undefined) {
    return Either.left(
      new UsageError({
        message: `You must specify a region: profile ${profileName} has none; pass --region or set region in ~/.aws/config`
      })
    )
  }
  return Either.right({ _tag: "Embedded", dataDir: nonEmpty(env.GEOJOBS_DATA_DIR) ?? "./.geojobs" })
}
