import { describe, expect, it } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as SharedConfig from "../src/SharedConfig.js"

const settingsOf = (env: Record<string, string>, profile?: SharedConfig.ProfileSettings) =>
  Either.getOrThrow(SharedConfig.fromEnvironment(env, profile))

describe("SharedConfig", () => {
  it("the environment beats the profile; AWS_REGION beats AWS_DEFAULT_REGION", () => {
    const profile = {
      region: "us-west-2",
      endpoint_url: "http://file",
      services_location_endpoint_url: "http://file-location",
      max_attempts: "7",
      retry_mode: "adaptive"
    }
    expect(settingsOf({}, profile)).toEqual({
      region: "us-west-2",
      endpoint: "http://file-location",
      useFips: undefined,
      useDualstack: undefined,
      maxAttempts: 7,
      retryMode: "adaptive"
    })
    expect(settingsOf({ AWS_DEFAULT_REGION: "eu-north-1", AWS_ENDPOINT_URL: "http://env", AWS_MAX_ATTEMPTS: "2" }, profile))
      .toMatchObject({ region: "eu-north-1", endpoint: "http://env", maxAttempts: 2 })
    expect(settingsOf({ AWS_REGION: "ca-central-1", AWS_DEFAULT_REGION: "eu-north-1", AWS_RETRY_MODE: "legacy" }, profile))
      .toMatchObject({ region: "ca-central-1", retryMode: "legacy" })
    expect(settingsOf({}, { endpoint_url: "http://file" }).endpoint).toBe("http://file")
  })

  it("unusable values name the setting and where it came from", () => {
    const problem = (env: Record<string, string>, profile?: SharedConfig.ProfileSettings) =>
      Either.getLeft(SharedConfig.fromEnvironment(env, profile)).pipe((o) => o._tag === "Some" ? o.value : undefined)
    expect(problem({ AWS_MAX_ATTEMPTS: "three" })).toBe("AWS_MAX_ATTEMPTS must be a whole number of at least 1, got 'three'")
    expect(problem({}, { max_attempts: "0" })).toMatch(/^max_attempts in the shared config file must be/)
    expect(problem({ AWS_RETRY_MODE: "fast" })).toMatch(/AWS_RETRY_MODE must be standard, adaptive or legacy/)
    expect(problem({ AWS_USE_FIPS_ENDPOINT: "maybe" })).toMatch(/AWS_USE_FIPS_ENDPOINT must be true or false/)
  })

  it("explicit options win; the attempts fill the standard policy only where the options leave them", () => {
    const found = settingsOf({ AWS_REGION: "eu-west-1", AWS_MAX_ATTEMPTS: "4" })
    expect(SharedConfig.apply({}, found)).toMatchObject({ region: "eu-west-1", retry: { maxAttempts: 4 } })
    expect(SharedConfig.apply({ region: "us-east-1", retry: { baseDelay: "1 millis" } }, found)).toMatchObject({
      region: "us-east-1",
      retry: { baseDelay: "1 millis", maxAttempts: 4 }
    })
    expect(SharedConfig.apply({ retry: { maxAttempts: 9 } }, found).retry).toEqual({ maxAttempts: 9 })
    expect(SharedConfig.apply({ retry: false as const }, found).retry).toBe(false)
    const schedule = { schedule: "mine" }
    expect(SharedConfig.apply({ retry: schedule }, found).retry).toBe(schedule)
  })

  it.effect("LocationJobsClient.layerConfig reads AWS_MAX_ATTEMPTS and a profile an adapter read", () =>
    Effect.gen(function*() {
      const seen: Array<string | undefined> = []
      const http = HttpClient.make((request) => {
        seen.push(`${new URL(request.url).host} ${request.headers["amz-sdk-request"]}`)
        return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(JSON.stringify({ Entries: [] }))))
      })
      const run = (env: Record<string, string>, profile?: SharedConfig.ProfileSettings) =>
        Effect.provide(
          LocationJobs.listJobs(),
          LocationJobsClient.layerConfig({ disableHostPrefix: true }, profile).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, http)),
            Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
          )
        )
      yield* run({ AWS_MAX_ATTEMPTS: "6" }, { region: "eu-west-1", endpoint_url: "http://file.test" })
      yield* run({ AWS_ENDPOINT_URL: "http://env.test" }, { region: "eu-west-1", endpoint_url: "http://file.test", max_attempts: "2" })
      expect(seen).toEqual(["file.test attempt=1; max=6", "env.test attempt=1; max=2"])
    }))
})
