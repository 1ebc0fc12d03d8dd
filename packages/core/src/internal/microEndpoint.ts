/**
 * Endpoint resolution for `MicroLocationJobs`: the rules of `Endpoint.resolve` (Region → host in
 * its partition, FIPS, dual-stack, a custom endpoint, the `metadata.` host prefix unless disabled
 * or the host is an IP literal), without `Config` or `Either`. Held equal to `Endpoint.resolve`
 * by a property test.
 *
 * @internal
 */
import type { EndpointOptions, ResolvedEndpoint } from "../Endpoint.js"
import { LocationJobsClientError } from "../MicroLocationJobsError.js"

const partitions: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/^cn-\w+-\d+$/, "amazonaws.com.cn", "api.amazonwebservices.com.cn"],
  [/^us-iso-\w+-\d+$/, "c2s.ic.gov", "c2s.ic.gov"],
  [/^us-isob-\w+-\d+$/, "sc2s.sgov.gov", "sc2s.sgov.gov"],
  [/^eu-isoe-\w+-\d+$/, "cloud.adc-e.uk", "cloud.adc-e.uk"],
  [/^us-isof-\w+-\d+$/, "csp.hci.ic.gov", "csp.hci.ic.gov"]
]

const RegionPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const IpV4 = /^\d{1,3}(\.\d{1,3}){3}$/
const HostPrefix = "metadata."

const configError = (message: string) => new LocationJobsClientError({ reason: "Configuration", message })

/** The base URL and signing Region, or the `Configuration` error `Endpoint.resolve` gives. */
export const resolveEndpoint = (options: EndpointOptions): ResolvedEndpoint | LocationJobsClientError => {
  const region = options.region?.trim() || undefined
  if (region !== undefined && !RegionPattern.test(region)) {
    return configError(`Invalid region "${region}": expected a name like us-east-1`)
  }
  if (options.endpoint !== undefined && options.endpoint !== "") {
    if (options.useFips) return configError("A custom endpoint cannot be combined with FIPS")
    if (options.useDualstack) return configError("A custom endpoint cannot be combined with dual-stack")
    let url: URL
    try {
      url = new URL(options.endpoint)
    } catch {
      return configError(`Invalid endpoint "${options.endpoint}": expected a URL like http://127.0.0.1:4566`)
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return configError(`Invalid endpoint "${options.endpoint}": only http and https are supported`)
    }
    const isIp = IpV4.test(url.hostname) || url.hostname.startsWith("[")
    if (!options.disableHostPrefix && !isIp && !url.hostname.startsWith(HostPrefix)) {
      url.hostname = HostPrefix + url.hostname
    }
    return { url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`, signingRegion: region ?? "us-east-1" }
  }
  if (region === undefined) return configError("No region: set AWS_REGION, pass a region, or give an endpoint")
  const partition = partitions.find(([re]) => re.test(region))
  const suffix = options.useDualstack ? (partition?.[2] ?? "api.aws") : (partition?.[1] ?? "amazonaws.com")
  const host = (options.useFips ? "geo-fips." : "geo.") + region + "." + suffix
  return { url: `https://${options.disableHostPrefix ? "" : HostPrefix}${host}`, signingRegion: region }
}
