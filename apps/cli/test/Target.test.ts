import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Fs from "node:fs"
import * as Path from "node:path"
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
