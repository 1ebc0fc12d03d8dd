import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as AwsConfigFile from "../src/AwsConfigFile.js"
import * as Target from "../src/Target.js"
import { tempDir } from "./Harness.js"

const resolve = (flags: Target.TargetFlags, env: Record<string, string> = {}) =>
  Target.resolve(flags, { HOME: "/nonexistent", ...env })

describe("Target", () => {
  it("is the embedded local service with neither endpoint nor region", () => {
    expect(resolve({})).toEqual(Either.right({ _tag: "Embedded", dataDir: "./.geojobs" }))
  })

  it("prefers flags to the environment, and the Location endpoint variable to the generic one", () => {
    expect(resolve({ region: "eu-west-2" }, { AWS_REGION: "us-east-1" })).toMatchObject(
      Either.right({ _tag: "Aws", region: "eu-west-2", regionSource: "--region" })
    )
    expect(resolve({}, { AWS_DEFAULT_REGION: "us-west-2" })).toMatchObject(Either.right({ _tag: "Aws", region: "us-west-2" }))
    expect(resolve({}, { AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ENDPOINT_URL_LOCATION: "http://127.0.0.1:2" }))
      .toMatchObject(Either.right({ _tag: "Endpoint", url: "http://127.0.0.1:2", region: "us-east-1" }))
    expect(resolve({ endpointUrl: "http://localhost:4566/" }, { AWS_REGION: "eu-west-1" })).toMatchObject(
      Either.right({ _tag: "Endpoint", url: "http://localhost:4566", region: "eu-west-1" })
    )
  })

  it("takes the Region of a selected profile from ~/.aws/config", () => {
    const home = tempDir()
    Fs.mkdirSync(Path.join(home, ".aws"))
    Fs.writeFileSync(Path.join(home, ".aws", "config"), "[default]\nregion = ap-south-1\n\n[profile work]\nregion = eu-central-1 # comment\n")
    expect(Target.resolve({}, { HOME: home })).toMatchObject(Either.right({ _tag: "Embedded" }))
    expect(Target.resolve({}, { HOME: home, AWS_PROFILE: "work" })).toMatchObject(
      Either.right({ _tag: "Aws", region: "eu-central-1", profile: "work" })
    )
    expect(Target.resolve({ profile: "default" }, { HOME: home })).toMatchObject(Either.right({ _tag: "Aws", region: "ap-south-1" }))
    const missing = Target.resolve({ profile: "nope" }, { HOME: home })
    expect(Either.isLeft(missing) && missing.left.message).toBe("The config profile (nope) could not be found")
  })

  it("rejects a malformed endpoint", () => {
    const r = resolve({ endpointUrl: "ftp://x" })
    expect(Either.isLeft(r) && r.left.message).toMatch(/must be an http:\/\/ or https:\/\/ URL/)
  })
})

describe("Target: endpoints from the config file's services sections", () => {
  const home = tempDir()
  Fs.mkdirSync(Path.join(home, ".aws"))
  Fs.writeFileSync(
    Path.join(home, ".aws", "config"),
    [
      "[profile dev]",
      "region = eu-west-1",
      "services = local-services",
      "endpoint_url = http://127.0.0.1:9999",
      "max_attempts = 7",
      "",
      "[services local-services]",
      "location =",
      "  endpoint_url = http://127.0.0.1:4566",
      "s3 =",
      "  endpoint_url = http://127.0.0.1:4567",
      ""
    ].join("\n")
  )

  it("takes location's endpoint_url from the profile's services section before its endpoint_url", () => {
    expect(Target.resolve({}, { HOME: home, AWS_PROFILE: "dev" })).toMatchObject(
      Either.right({ _tag: "Endpoint", url: "http://127.0.0.1:4566", region: "eu-west-1", urlSource: "profile dev's services section" })
    )
  })

  it("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores the environment and the file, not the flag", () => {
    const env = { HOME: home, AWS_PROFILE: "dev", AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }
    expect(Target.resolve({}, env)).toMatchObject(Either.right({ _tag: "Aws", region: "eu-west-1" }))
    expect(Target.resolve({ endpointUrl: "http://127.0.0.1:2" }, env)).toMatchObject(Either.right({ _tag: "Endpoint", url: "http://127.0.0.1:2" }))
  })

  it("reads nested blocks as parent.key", () => {
    const ini = AwsConfigFile.parseIni("[services x]\nlocation =\n  endpoint_url = http://a\n  other = 1\nplain = 2\n")
    expect(Object.fromEntries(ini.get("services x")!)).toEqual({
      location: "",
      "location.endpoint_url": "http://a",
      "location.other": "1",
      plain: "2"
    })
  })
})
