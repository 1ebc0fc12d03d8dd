/**
 * Endpoint resolution for the Jobs API, following the service's rule set:
 * `https://geo.{region}.{dnsSuffix}`, FIPS `geo-fips`, dual-stack suffixes, a custom endpoint,
 * and the `metadata.` host prefix every Jobs operation carries (with an opt-out for
 * emulators whose `metadata.<host>` does not resolve).
 *
 * Settings come from options or, with {@link EndpointConfig}, from `Config`
 * (AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_LOCATION, AWS_ENDPOINT_URL,
 * AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { LocationJobsClientError } from "./LocationJobsError.js"

/** What decides the endpoint. */
export interface EndpointOptions {
  /** AWS Region, e.g. `us-east-1`. Required unless `endpoint` is given. */
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
  /** The Region used for signing (`us-east-1` when a custom endpoint has no Region). */
  readonly signingRegion: string
}

interface Partition {
  readonly dnsSuffix: string
  readonly dualStackDnsSuffix: string
}

const AWS: Partition = { dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws" }
const partitions: ReadonlyArray<readonly [RegExp, Partition]> = [
  [/^cn-\w+-\d+$/, { dnsSuffix: "amazonaws.com.cn", dualStackDnsSuffix: "api.amazonwebservices.com.cn" }],
  [/^us-gov-\w+-\d+$/, { dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws" }],
  [/^us-iso-\w+-\d+$/, { dnsSuffix: "c2s.ic.gov", dualStackDnsSuffix: "c2s.ic.gov" }],
  [/^us-isob-\w+-\d+$/, { dnsSuffix: "sc2s.sgov.gov", dualStackDnsSuffix: "sc2s.sgov.gov" }],
  [/^eu-isoe-\w+-\d+$/, { dnsSuffix: "cloud.adc-e.uk", dualStackDnsSuffix: "cloud.adc-e.uk" }],
  [/^us-isof-\w+-\d+$/, { dnsSuffix: "csp.hci.ic.gov", dualStackDnsSuffix: "csp.hci.ic.gov" }]
]

/** A Region as the rule set accepts it: DNS-label characters only. */
const RegionPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const IpV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** The host prefix of every Jobs operation. */
export const HostPrefix = "metadata."

const configError = (message: string) => new LocationJobsClientError({ reason: "Configuration", message })

/** The partition a Region belongs to (the commercial one when no other matches). */
export const partitionOf = (region: string): Partition => {
  for (const [re, p] of partitions) if (re.test(region)) return p
  return AWS
}

/**
 * Resolves the base URL. Fails with a `Configuration` client error when there is neither a
 * Region nor an endpoint, when the Region is malformed, when the endpoint is not an
 * http(s) URL, or when FIPS/dual-stack is asked for with a custom endpoint.
 */
export const resolve = (options: EndpointOptions): Either.Either<ResolvedEndpoint, LocationJobsClientError> => {
  const region = options.region?.trim() || undefined
  if (region !== undefined && !RegionPattern.test(region)) {
    return Either.left(configError(`Invalid region "${region}": expected a name like us-east-1`))
  }
  if (options.endpoint !== undefined && options.endpoint !== "") {
    if (options.useFips) return Either.left(configError("A custom endpoint cannot be combined with FIPS"))
    if (options.useDualstack) return Either.left(configError("A custom endpoint cannot be combined with dual-stack"))
    let url: URL
    try {
      url = new URL(options.endpoint)
    } catch {
      return Either.left(configError(`Invalid endpoint "${options.endpoint}": expected a URL like http://127.0.0.1:4566`))
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Either.left(configError(`Invalid endpoint "${options.endpoint}": only http and https are supported`))
    }
    const isIp = IpV4.test(url.hostname) || url.hostname.startsWith("[")
    if (!options.disableHostPrefix && !isIp && !url.hostname.startsWith(HostPrefix)) {
      url.hostname = HostPrefix + url.hostname
    }
    const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`
    return Either.right({ url: base, signingRegion: region ?? "us-east-1" })
  }
  if (region === undefined) {
    return Either.left(configError("No region: set AWS_REGION, pass a region, or give an endpoint"))
  }
  const partition = partitionOf(region)
  const host = (options.useFips ? "geo-fips." : "geo.") + region + "." +
    (options.useDualstack ? partition.dualStackDnsSuffix : partition.dnsSuffix)
  const prefix = options.disableHostPrefix ? "" : HostPrefix
  return Either.right({ url: `https://${prefix}${host}`, signingRegion: region })
}

const optionalString = (name: string) => Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))
const optionalBoolean = (name: string) =>
  Config.option(Config.boolean(name)).pipe(Config.map(Option.getOrElse(() => false)))

/**
 * Endpoint options from the usual AWS environment variables. `AWS_ENDPOINT_URL_LOCATION`
 * wins over `AWS_ENDPOINT_URL`; `AWS_REGION` wins over `AWS_DEFAULT_REGION`.
 */
export const EndpointConfig: Config.Config<EndpointOptions> = Config.all({
  region: Config.all([optionalString("AWS_REGION"), optionalString("AWS_DEFAULT_REGION")]).pipe(
    Config.map(([a, b]) => a ?? b)
  ),
  endpoint: Config.all([optionalString("AWS_ENDPOINT_URL_LOCATION"), optionalString("AWS_ENDPOINT_URL")]).pipe(
    Config.map(([a, b]) => a ?? b)
  ),
  useFips: optionalBoolean("AWS_USE_FIPS_ENDPOINT"),
  useDualstack: optionalBoolean("AWS_USE_DUALSTACK_ENDPOINT")
})

/** `options` with every endpoint setting it leaves unset filled from {@link EndpointConfig}. */
export const withConfig = <O extends EndpointOptions>(options: O): Effect.Effect<O, ConfigError.ConfigError> =>
  Effect.map(EndpointConfig, (fromEnv) => ({
    ...options,
    region: options.region ?? fromEnv.region,
    endpoint: options.endpoint ?? fromEnv.endpoint,
    useFips: options.useFips ?? fromEnv.useFips,
    useDualstack: options.useDualstack ?? fromEnv.useDualstack
  }))
