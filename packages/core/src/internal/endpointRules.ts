/**
 * The endpoint rules of the Jobs API, once, as data and pure functions: the partitions (as the AWS
 * SDK's `partitions.json` lists them: exact Region names first, then each partition's Region
 * pattern, else the commercial one), the service's rule set (`geo`/`geo-fips`, the DNS suffix or
 * the dual-stack one, a custom endpoint as given) and the `metadata.` host prefix. `Endpoint.resolve`
 * (Effect) and `MicroLocationJobs` both resolve through `resolveRules`; each wraps the problem in its
 * own error class.
 *
 * @internal
 */

/** A partition's DNS facts, as the SDK's partition table gives them. */
export interface Partition {
  /** The SDK's partition id: `aws`, `aws-cn`, `aws-eusc`, `aws-iso`, … */
  readonly id: string
  readonly dnsSuffix: string
  readonly dualStackDnsSuffix: string
}

/**
 * The SDK's partitions in its order (a Region matching no pattern belongs to the first, `aws`):
 * id, Region pattern, DNS suffix, dual-stack DNS suffix, and whether `<id>-global` is one of its
 * Region names. Tuples, not objects: this table goes into every browser bundle of the Micro client.
 */
const partitions: ReadonlyArray<readonly [string, RegExp, string, string, boolean]> = [
  ["aws", /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, "amazonaws.com", "api.aws", true],
  ["aws-cn", /^cn-\w+-\d+$/, "amazonaws.com.cn", "api.amazonwebservices.com.cn", true],
  ["aws-eusc", /^eusc-(de)-\w+-\d+$/, "amazonaws.eu", "api.amazonwebservices.eu", false],
  ["aws-iso", /^us-iso-\w+-\d+$/, "c2s.ic.gov", "api.aws.ic.gov", true],
  ["aws-iso-b", /^us-isob-\w+-\d+$/, "sc2s.sgov.gov", "api.aws.scloud", true],
  ["aws-iso-e", /^eu-isoe-\w+-\d+$/, "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true],
  ["aws-iso-f", /^us-isof-\w+-\d+$/, "csp.hci.ic.gov", "api.aws.hci.ic.gov", true],
  ["aws-us-gov", /^us-gov-\w+-\d+$/, "amazonaws.com", "api.aws", true]
]

/** The partition a Region belongs to: by name, then by pattern, else the commercial one (as the SDK decides). */
export const partitionOf = (region: string): Partition => {
  const p = partitions.find(([id, , , , global]) => global && region === `${id}-global`) ??
    partitions.find(([, re]) => re.test(region)) ?? partitions[0]!
  return { id: p[0], dnsSuffix: p[2], dualStackDnsSuffix: p[3] }
}

/** A Region as the rule set accepts it: one DNS label. */
const RegionPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const IpV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** The host prefix of every Jobs operation. */
export const HostPrefix = "metadata."

/** What the rules read (the fields of `Endpoint.EndpointOptions`). */
export interface RuleInput {
  readonly region?: string | undefined
  readonly endpoint?: string | undefined
  readonly useFips?: boolean | undefined
  readonly useDualstack?: boolean | undefined
  readonly disableHostPrefix?: boolean | undefined
}

/** A resolved endpoint: base URL (host prefix applied, no trailing slash) and signing Region. */
export interface Resolved {
  readonly url: string
  readonly signingRegion: string
}

/** Why the options resolve to no endpoint: the message of a `Configuration` error. */
export interface Problem {
  readonly problem: string
}

/**
 * The endpoint for `input`, or the problem. A custom endpoint needs a Region as well (to sign with),
 * as the SDK requires; FIPS and dual-stack do not combine with one.
 */
export const resolveRules = (input: RuleInput): Resolved | Problem => {
  const region = input.region?.trim() || undefined
  if (region !== undefined && !RegionPattern.test(region)) {
    return { problem: `Invalid region "${region}": expected a name like us-east-1` }
  }
  if (input.endpoint !== undefined && input.endpoint !== "") {
    if (input.useFips) return { problem: "A custom endpoint cannot be combined with FIPS: unset useFips (AWS_USE_FIPS_ENDPOINT)" }
    if (input.useDualstack) {
      return { problem: "A custom endpoint cannot be combined with dual-stack: unset useDualstack (AWS_USE_DUALSTACK_ENDPOINT)" }
    }
    let url: URL
    try {
      url = new URL(input.endpoint)
    } catch {
      return { problem: `Invalid endpoint "${input.endpoint}": expected a URL like http://127.0.0.1:4566` }
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { problem: `Invalid endpoint "${input.endpoint}": only http and https are supported` }
    }
    if (region === undefined) {
      return {
        problem: `No region for the endpoint ${input.endpoint}: requests are signed for a Region; ` +
          "pass region, set AWS_REGION, or set region in the AWS config profile"
      }
    }
    const isIp = IpV4.test(url.hostname) || url.hostname.startsWith("[")
    if (!input.disableHostPrefix && !isIp && !url.hostname.startsWith(HostPrefix)) {
      url.hostname = HostPrefix + url.hostname
    }
    return { url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`, signingRegion: region }
  }
  if (region === undefined) {
    return { problem: "No region: pass region, set AWS_REGION, set region in the AWS config profile, or give an endpoint" }
  }
  const partition = partitionOf(region)
  const host = (input.useFips ? "geo-fips." : "geo.") + region + "." +
    (input.useDualstack ? partition.dualStackDnsSuffix : partition.dnsSuffix)
  return { url: `https://${input.disableHostPrefix ? "" : HostPrefix}${host}`, signingRegion: region }
}

/** True when `resolveRules` gave a problem. */
export const isProblem = (r: Resolved | Problem): r is Problem => "problem" in r
