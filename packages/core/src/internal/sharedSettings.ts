/**
 * Where a client's settings come from when it is configured from its surroundings, as the AWS SDK
 * for JavaScript v3 decides: explicit options, then the environment, then the profile of the shared
 * config file. One pure function for both clients; reading the environment (`Config`,
 * `process.env`) and the file (an adapter's job: the core reads no files) is the caller's.
 *
 * @internal
 */

/**
 * What a profile of the shared config file (`~/.aws/config`) says, keys as the file spells them.
 * `services_location_endpoint_url` is the `endpoint_url` under `location` in the `[services …]`
 * section the profile names with `services = …`.
 */
export interface ProfileSettings {
  readonly region?: string | undefined
  readonly endpoint_url?: string | undefined
  readonly services_location_endpoint_url?: string | undefined
  readonly use_fips_endpoint?: string | undefined
  readonly use_dualstack_endpoint?: string | undefined
  readonly max_attempts?: string | undefined
  readonly retry_mode?: string | undefined
}

/** The environment variables read, by name. */
export const environmentNames = [
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL_LOCATION",
  "AWS_ENDPOINT_URL",
  "AWS_USE_FIPS_ENDPOINT",
  "AWS_USE_DUALSTACK_ENDPOINT",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE"
] as const

export type Environment = { readonly [K in (typeof environmentNames)[number]]?: string | undefined }

/**
 * The retry modes the SDK accepts. All three run our standard policy: `legacy` as the JS SDK v3
 * does (it has no legacy strategy), and `adaptive` without the SDK's client-side rate limiter (the
 * retry budget already keeps a storm of retries from multiplying the load).
 */
export type RetryMode = "standard" | "adaptive" | "legacy"

/** The settings found, each undefined when no source gives it. */
export interface Settings {
  readonly region: string | undefined
  readonly endpoint: string | undefined
  readonly useFips: boolean | undefined
  readonly useDualstack: boolean | undefined
  readonly maxAttempts: number | undefined
  readonly retryMode: RetryMode | undefined
}

/** A setting that is present but unusable, named with where it came from. */
export interface Problem {
  readonly problem: string
}

const present = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim()

/** The first of `[source, value]` pairs with a value. */
const first = (...pairs: ReadonlyArray<readonly [string, string | undefined]>): readonly [string, string] | undefined => {
  for (const [source, value] of pairs) {
    const v = present(value)
    if (v !== undefined) return [source, v]
  }
  return undefined
}

const fileKey = (key: string) => `${key} in the shared config file`

class Invalid {
  constructor(readonly problem: string) {}
}

const booleanOf = (found: readonly [string, string] | undefined): boolean | undefined => {
  if (found === undefined) return undefined
  const v = found[1].toLowerCase()
  // The SDK's `true`/`false`, and the other words `Config.boolean` took here before.
  if (v === "true" || v === "yes" || v === "on" || v === "1") return true
  if (v === "false" || v === "no" || v === "off" || v === "0") return false
  throw new Invalid(`${found[0]} must be true or false, got '${found[1]}'`)
}

const attemptsOf = (found: readonly [string, string] | undefined): number | undefined => {
  if (found === undefined) return undefined
  const n = /^\d+$/.test(found[1]) ? Number(found[1]) : NaN
  if (!(n >= 1)) throw new Invalid(`${found[0]} must be a whole number of at least 1, got '${found[1]}'`)
  return n
}

const modeOf = (found: readonly [string, string] | undefined): RetryMode | undefined => {
  if (found === undefined) return undefined
  const v = found[1].toLowerCase()
  if (v === "standard" || v === "adaptive" || v === "legacy") return v
  throw new Invalid(`${found[0]} must be standard, adaptive or legacy, got '${found[1]}'`)
}

/**
 * The settings of the environment and the profile, the environment first: for the endpoint
 * `AWS_ENDPOINT_URL_LOCATION`, `AWS_ENDPOINT_URL`, the profile's `services` entry for `location`, the
 * profile's `endpoint_url`; for the Region `AWS_REGION`, `AWS_DEFAULT_REGION`, `region`.
 */
export const resolveSettings = (env: Environment, profile: ProfileSettings | undefined): Settings | Problem => {
  const p = profile ?? {}
  try {
    return {
      region: first(["AWS_REGION", env.AWS_REGION], ["AWS_DEFAULT_REGION", env.AWS_DEFAULT_REGION], [fileKey("region"), p.region])?.[1],
      endpoint: first(
        ["AWS_ENDPOINT_URL_LOCATION", env.AWS_ENDPOINT_URL_LOCATION],
        ["AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL],
        [fileKey("services location endpoint_url"), p.services_location_endpoint_url],
        [fileKey("endpoint_url"), p.endpoint_url]
      )?.[1],
      useFips: booleanOf(first(["AWS_USE_FIPS_ENDPOINT", env.AWS_USE_FIPS_ENDPOINT], [fileKey("use_fips_endpoint"), p.use_fips_endpoint])),
      useDualstack: booleanOf(
        first(["AWS_USE_DUALSTACK_ENDPOINT", env.AWS_USE_DUALSTACK_ENDPOINT], [fileKey("use_dualstack_endpoint"), p.use_dualstack_endpoint])
      ),
      maxAttempts: attemptsOf(first(["AWS_MAX_ATTEMPTS", env.AWS_MAX_ATTEMPTS], [fileKey("max_attempts"), p.max_attempts])),
      retryMode: modeOf(first(["AWS_RETRY_MODE", env.AWS_RETRY_MODE], [fileKey("retry_mode"), p.retry_mode]))
    }
  } catch (e) {
    if (e instanceof Invalid) return { problem: e.problem }
    throw e
  }
}

export const isProblem = (s: Settings | Problem): s is Problem => "problem" in s

/** What `applySettings` fills in: the endpoint options and a retry option of either client's shape. */
export interface Configurable<R> {
  readonly region?: string | undefined
  readonly endpoint?: string | undefined
  readonly useFips?: boolean | undefined
  readonly useDualstack?: boolean | undefined
  readonly retry?: R | undefined
}

/**
 * `options` with what they leave unset taken from `settings`: explicit options win. The attempts
 * fill the standard policy's `maxAttempts` unless the options set it, turn retries off (`false`)
 * or bring a Schedule of their own.
 */
export const applySettings = <R, O extends Configurable<R>>(options: O, settings: Settings): O => {
  const retry = options.retry as unknown
  const keepRetry = settings.maxAttempts === undefined || retry === false ||
    (typeof retry === "object" && retry !== null &&
      ("schedule" in retry || (retry as { maxAttempts?: unknown }).maxAttempts !== undefined))
  return {
    ...options,
    region: options.region ?? settings.region,
    endpoint: options.endpoint ?? settings.endpoint,
    useFips: options.useFips ?? settings.useFips,
    useDualstack: options.useDualstack ?? settings.useDualstack,
    ...(keepRetry ? {} : { retry: { ...(retry as object | undefined), maxAttempts: settings.maxAttempts } })
  }
}
