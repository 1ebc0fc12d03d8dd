import { describe, expect, it } from "@effect/vitest"
import { credentialsFor, emulatorCredentials, isLoopback } from "../src/Emulator.js"

describe("Emulator", () => {
  it("loopback URLs only", () => {
    for (const url of ["http://127.0.0.1:4566", "http://localhost:4566", "http://[::1]:4566", "http://127.1.2.3"]) expect(isLoopback(url), url).toBe(true)
    for (const url of ["https://metadata.geo.us-east-1.amazonaws.com", "http://10.0.0.1:4566", "http://127.0.0.1.example.com", "not a url"]) {
      expect(isLoopback(url), url).toBe(false)
    }
  })

  it("the test key for a loopback endpoint unless keys or a profile are configured", () => {
    expect(credentialsFor("http://127.0.0.1:4566", undefined, {})).toEqual(emulatorCredentials)
    expect(credentialsFor("http://127.0.0.1:4566", undefined, { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "s" })).toBeUndefined()
    expect(credentialsFor("http://127.0.0.1:4566", "dev", {})).toBeUndefined()
    expect(credentialsFor("https://metadata.geo.eu-west-1.amazonaws.com", undefined, {})).toBeUndefined()
  })
})
