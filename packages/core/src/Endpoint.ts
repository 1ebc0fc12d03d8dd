/**
 * Endpoint resolution for the Jobs API, following the service's rule set:
 * `https://geo.{region}.{dnsSuffix}` in the Region's partition (`aws`, `aws-cn`, `aws-eusc`, `aws-us-gov`
 * and the ISO ones, as the AWS SDK's partition table has them), FIPS `geo-fips`, dual-stack suffixes, a custom endpoint,
 * and the `metadata.` host prefix every Jobs operation carries (with an opt-out for
 * emulators whose `metadata.<host>` does not resolve).
 *
 * Settings come from options or, with {@link EndpointConfig}, from `Config`
 * (AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_LOCATION, AWS_ENDPOINT_URL,
 * AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT), and with `withConfig` also from a profile
 * of the shared config file (`SharedConfig`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as rules from "./internal/endpointRules.js"
import * as settingsRules from "./internal/sharedSettings.js"
import { LocationJobsClientError } from "./LocationJobsError.js"
import * as SharedConfig from "./SharedConfig.js"

/** What decides the endpoint. */
export interface EndpointOptions {
  /** AWS Region, e.g. `us-east-1`: where requests go, and what they are signed for. Required, with a custom endpoint too. */
  readonly region?: string | undefined
  /** A custom base URL, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint?: string | undefined
  /** Use the FIPS endpoint (not with a custom endpoint). */
  readonly useFips?: boolean | undefined
  /** Use the dual-stack endpoint (not with a custom endpoint). */
  readonly useDualstack?: boolean | undefined
  /**
   * Do not prepend `metadata.` to the host. Needed for local emulators whose
   * `metadata.localhost` does not resolve. IP-literal hosts never get the prefix.
   */
  readonly disableHostPrefix?: boolean | undefined
}

/** A resolved endpoint. */
export interface ResolvedEndpoint {
  /** Base URL without a trailing slash, host prefix applied, e.g. `https://metadata.geo.us-east-1.amazonaws.com`. */
  readonly url: string
  /** The Region used for signing: the configured one (a custom endpoint needs one too, as in the AWS SDK). */
  readonly signingRegion: string
}

/** A partition's DNS suffixes (and, since 0.2.0, its id: `aws`, `aws-cn`, `aws-eusc`, `aws-iso`, …). */
export type Partition = rules.Partition

/** The host prefix of every Jobs operation. */
export const HostPrefix = rules.HostPrefix

/** The partition a Region belongs to, as the AWS SDK decides (the commercial one when no other matches). */
export const partitionOf: (region: string) => Partition = rules.partitionOf

/**
 * Resolves the base URL. Fails with a `Configuration` client error when there is no Region (a
 * custom endpoint needs one too, to sign with, as the AWS SDK requires), when the Region is
 * malformed, when the endpoint is not an http(s) URL, or when FIPS/dual-stack is asked for with a
 * custom endpoint. The rules are shared with `MicroLocationJobs`.
 */
export const resolve = (options: EndpointOptions): Either.Either<ResolvedEndpoint, LocationJobsClientError> => {
  const r = rules.resolveRules(options)
  return rules.isProblem(r)
    ? Either.left(new LocationJobsClientError({ reason: "Configuration", message: r.problem }))
    : Either.right(r)
}

/**
 * Endpoint options from the usual AWS environment variables. `AWS_ENDPOINT_URL_LOCATION`
 * wins over `AWS_ENDPOINT_URL`; `AWS_REGION` wins over `AWS_DEFAULT_REGION` (the rule of
 * `SharedConfig`, which also reads retry settings and the shared config file's profile).
 */
export const EndpointConfig: Config.Config<EndpointOptions> = Config.mapOrFail(SharedConfig.EnvironmentConfig, (env) => {
  const found = settingsRules.resolveSettings(env, undefined)
  return settingsRules.isProblem(found)
    ? Either.left(ConfigError.InvalidData([], found.problem))
    : Either.right(endpointOf(found))
})

const endpointOf = (found: SharedConfig.Settings): EndpointOptions => ({
  region: found.region,
  endpoint: found.endpoint,
  useFips: found.useFips ?? false,
  useDualstack: found.useDualstack ?? false
})

/**
 * `options` with every endpoint setting it leaves unset filled from the environment and then from
 * `profile`, a profile of the shared config file when an adapter read one (see `SharedConfig`).
 */
export const withConfig = <O extends EndpointOptions>(
  options: O,
  profile?: SharedConfig.ProfileSettings | undefined
): Effect.Effect<O, ConfigError.ConfigError> =>
  Effect.map(SharedConfig.settings(profile), (found) => {
    const fromEnv = endpointOf(found)
    return {
      ...options,
      region: options.region ?? fromEnv.region,
      endpoint: options.endpoint ?? fromEnv.endpoint,
      useFips: options.useFips ?? fromEnv.useFips,
      useDualstack: options.useDualstack ?? fromEnv.useDualstack
    }
  })
