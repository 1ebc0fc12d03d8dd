/**
 * Endpoint resolution over a table of Regions (every partition: aws, aws-cn, aws-us-gov, aws-eusc,
 * aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, and names no pattern matches) × options (FIPS,
 * dual-stack, both, a custom endpoint with and without them, no Region), against the official
 * SDK's own endpoint resolver (`@aws-sdk/client-location`'s rule set and partition table): the same
 * URL, or an error where the SDK refuses. Both clients resolve through the same rules; the Micro
 * client is checked here too.
 */
import { LocationClient } from "@aws-sdk/client-location"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Endpoint from "../src/Endpoint.js"
import * as MicroLocationJobs from "../src/MicroLocationJobs.js"
import { LocationJobsClientError as MicroClientError } from "../src/MicroLocationJobsError.js"

const sdk = new LocationClient({ region: "us-east-1" })
/** The SDK's rule set, as its client calls it: the URL, or the error message. */
const sdkResolve = (params: { Region?: string; Endpoint?: string; UseFIPS: boolean; UseDualStack: boolean }) => {
  try {
    return { url: String(sdk.config.endpointProvider(params).url) }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

const regions = [
  "us-east-1",
  "eu-west-2",
  "ap-southeast-7",
  "mx-central-1",
  "aws-global",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-west-1",
  "us-gov-east-1",
  "eusc-de-east-1",
  "us-iso-east-1",
  "us-iso-west-1",
  "us-isob-east-1",
  "eu-isoe-west-1",
  "us-isof-south-1",
  "us-isof-east-1",
  // no partition's pattern: the SDK (and we) fall back to the commercial partition
  "eusc-fr-east-1",
  "zz-future-9"
]
const flags = [
  { UseFIPS: false, UseDualStack: false },
  { UseFIPS: true, UseDualStack: false },
  { UseFIPS: false, UseDualStack: true },
  { UseFIPS: true, UseDualStack: true }
]

/** Both clients' answer for the options: the URL or the `Configuration` message, which must agree. */
const ours = (options: Endpoint.EndpointOptions) => {
  const full = Endpoint.resolve(options)
  const micro = MicroLocationJobs.resolveEndpoint(options)
  if (Either.isLeft(full)) {
    expect(full.left.reason).toBe("Configuration")
    expect(micro).toBeInstanceOf(MicroClientError)
    expect((micro as MicroClientError).message).toBe(full.left.message)
    return { error: full.left.message }
  }
  expect(micro).toEqual(full.right)
  return full.right
}

describe("Endpoint.resolve = the SDK's endpoint resolver, over a table", () => {
  for (const region of regions) {
    for (const f of flags) {
      it(`${region}${f.UseFIPS ? " FIPS" : ""}${f.UseDualStack ? " dual-stack" : ""}`, () => {
        const expected = sdkResolve({ Region: region, ...f })
        expect(expected).toHaveProperty("url")
        const options = { region, useFips: f.UseFIPS, useDualstack: f.UseDualStack }
        expect(ours({ ...options, disableHostPrefix: true })).toEqual({ url: expected.url!.replace(/\/$/, ""), signingRegion: region })
        // The SDK puts the operation's host prefix in front when it sends; we resolve it in.
        expect(ours(options)).toMatchObject({ url: expected.url!.replace(/^https:\/\//, "https://metadata.").replace(/\/$/, "") })
      })
    }
  }

  it("Endpoint.partitionOf names the SDK's partitions", () => {
    expect(regions.map((r) => Endpoint.partitionOf(r).id)).toEqual([
      "aws",
      "aws",
      "aws",
      "aws",
      "aws",
      "aws-cn",
      "aws-cn",
      "aws-us-gov",
      "aws-us-gov",
      "aws-eusc",
      "aws-iso",
      "aws-iso",
      "aws-iso-b",
      "aws-iso-e",
      "aws-iso-f",
      "aws-iso-f",
      "aws",
      "aws"
    ])
  })

  it("a custom endpoint: used as given with a Region; FIPS or dual-stack with it are refused, as the SDK refuses them", () => {
    const endpoint = "http://127.0.0.1:4566"
    for (const f of flags) {
      const expected = sdkResolve({ Region: "eu-west-1", Endpoint: endpoint, ...f })
      const got = ours({ region: "eu-west-1", endpoint, useFips: f.UseFIPS, useDualstack: f.UseDualStack })
      if ("error" in expected) {
        expect(expected.error).toMatch(/^Invalid Configuration: (FIPS|Dualstack) and custom endpoint are not supported$/)
        expect(got).toHaveProperty("error")
        expect((got as { error: string }).error).toMatch(f.UseFIPS ? /cannot be combined with FIPS/ : /cannot be combined with dual-stack/)
      } else {
        expect(got).toEqual({ url: expected.url.replace(/\/$/, ""), signingRegion: "eu-west-1" })
      }
    }
  })

  it("no Region: refused, with or without a custom endpoint, as the SDK refuses (it would sign for no Region)", async () => {
    expect(sdkResolve({ UseFIPS: false, UseDualStack: false })).toEqual({ error: "Invalid Configuration: Missing Region" })
    expect(ours({})).toEqual({
      error: "No region: pass region, set AWS_REGION, set region in the AWS config profile, or give an endpoint"
    })
    const endpointOnly = new LocationClient({ endpoint: "http://127.0.0.1:4566" })
    await expect(endpointOnly.config.region()).rejects.toThrow("Region is missing")
    expect(ours({ endpoint: "http://127.0.0.1:4566" })).toEqual({
      error: "No region for the endpoint http://127.0.0.1:4566: requests are signed for a Region; " +
        "pass region, set AWS_REGION, or set region in the AWS config profile"
    })
  })
})
