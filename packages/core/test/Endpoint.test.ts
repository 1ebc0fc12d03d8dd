import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Endpoint from "../src/Endpoint.js"

const url = (options: Endpoint.EndpointOptions) => Either.getOrThrow(Endpoint.resolve(options)).url

describe("Endpoint.resolve", () => {
  it("resolves Regions to the metadata.geo hosts of their partition", () => {
    expect(url({ region: "us-east-1" })).toBe("https://metadata.geo.us-east-1.amazonaws.com")
    expect(url({ region: "eu-west-2" })).toBe("https://metadata.geo.eu-west-2.amazonaws.com")
    expect(url({ region: "cn-north-1" })).toBe("https://metadata.geo.cn-north-1.amazonaws.com.cn")
    expect(url({ region: "us-gov-west-1" })).toBe("https://metadata.geo.us-gov-west-1.amazonaws.com")
  })

  it("FIPS, dual-stack and both", () => {
    expect(url({ region: "us-east-1", useFips: true })).toBe("https://metadata.geo-fips.us-east-1.amazonaws.com")
    expect(url({ region: "us-east-1", useDualstack: true })).toBe("https://metadata.geo.us-east-1.api.aws")
    expect(url({ region: "us-east-1", useFips: true, useDualstack: true })).toBe("https://metadata.geo-fips.us-east-1.api.aws")
    expect(url({ region: "cn-north-1", useDualstack: true })).toBe("https://metadata.geo.cn-north-1.api.amazonwebservices.com.cn")
  })

  it("custom endpoints: prefix added unless disabled or already there; the path is kept", () => {
    const r = "eu-west-1"
    expect(url({ endpoint: "http://localhost:4566", region: r })).toBe("http://metadata.localhost:4566")
    expect(url({ endpoint: "http://localhost:4566/", region: r, disableHostPrefix: true })).toBe("http://localhost:4566")
    expect(url({ endpoint: "https://metadata.example.com", region: r })).toBe("https://metadata.example.com")
    expect(url({ endpoint: "http://[::1]:4566", region: r })).toBe("http://[::1]:4566")
    expect(url({ endpoint: "http://proxy.internal/geo/", region: r })).toBe("http://metadata.proxy.internal/geo")
    expect(Either.getOrThrow(Endpoint.resolve({ endpoint: "http://127.0.0.1:1", region: "eu-west-1" })).signingRegion).toBe("eu-west-1")
  })

  it("configuration errors are typed and say what is wrong", () => {
    const cases: Array<[Endpoint.EndpointOptions, RegExp]> = [
      [{}, /No region/],
      [{ endpoint: "http://127.0.0.1:1" }, /No region for the endpoint/],
      [{ region: "Not A Region" }, /Invalid region/],
      [{ endpoint: "not a url", region: "eu-west-1" }, /Invalid endpoint/],
      [{ endpoint: "file:///etc/passwd", region: "eu-west-1" }, /only http and https/],
      [{ endpoint: "http://x", useFips: true }, /FIPS/],
      [{ endpoint: "http://x", useDualstack: true }, /dual-stack/]
    ]
    for (const [options, message] of cases) {
      const r = Endpoint.resolve(options)
      expect(Either.isLeft(r)).toBe(true)
      if (Either.isLeft(r)) {
        expect(r.left.reason).toBe("Configuration")
        expect(r.left.message).toMatch(message)
      }
    }
  })

  it.effect("reads the AWS environment through Config", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) =>
        Effect.withConfigProvider(Endpoint.EndpointConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))
      expect(yield* read({ AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" })).toMatchObject({ region: "eu-west-1" })
      expect(yield* read({ AWS_DEFAULT_REGION: "us-west-2" })).toMatchObject({ region: "us-west-2" })
      expect(yield* read({ AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_LOCATION: "http://b" })).toMatchObject({ endpoint: "http://b" })
      expect(yield* read({ AWS_ENDPOINT_URL: "http://a" })).toMatchObject({ endpoint: "http://a" })
      expect(yield* read({ AWS_USE_FIPS_ENDPOINT: "true", AWS_USE_DUALSTACK_ENDPOINT: "false" })).toMatchObject({
        useFips: true,
        useDualstack: false
      })
      expect(yield* read({})).toEqual({ region: undefined, endpoint: undefined, useFips: false, useDualstack: false })
    }))
})
