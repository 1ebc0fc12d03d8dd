/**
 * The SDK's headers, from both clients alike: the user agent (with the app id), one invocation id
 * per call kept across its retries, a new one per call, and `amz-sdk-request: attempt=N; max=M`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as Fs from "node:fs"
import { libraryVersion } from "../src/internal/sdkHeaders.js"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import { json, makeScripted } from "./support/ScriptedHttp.js"
import { client as microClient, ok as microOk } from "./support/ScriptedMicro.js"

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const listOk = () => json(200, { Entries: [] })
const throttled = () => json(400, { message: "slow down" }, { "x-amzn-errortype": "ThrottlingException" })

/** The SDK headers of each request sent. */
const telemetry = (sent: ReadonlyArray<{ readonly headers: Readonly<Record<string, string | undefined>> }>) =>
  sent.map((s) => ({
    userAgent: s.headers["user-agent"],
    amzUserAgent: s.headers["x-amz-user-agent"],
    invocationId: s.headers["amz-sdk-invocation-id"],
    request: s.headers["amz-sdk-request"]
  }))

const expectCalls = (t: ReturnType<typeof telemetry>, maxAttempts: number) => {
  // two calls: the first throttled once then answered, the second answered at once
  expect(t.map((x) => x.request)).toEqual([
    `attempt=1; max=${maxAttempts}`,
    `attempt=2; max=${maxAttempts}`,
    `attempt=1; max=${maxAttempts}`
  ])
  expect(t[0]!.invocationId).toMatch(uuidV4)
  expect(t[1]!.invocationId).toBe(t[0]!.invocationId)
  expect(t[2]!.invocationId).toMatch(uuidV4)
  expect(t[2]!.invocationId).not.toBe(t[0]!.invocationId)
  const agent = `geojobs/${libraryVersion} ua/2.1 lang/js api/location#${libraryVersion} app/my-app_1-x`
  for (const x of t) expect([x.userAgent, x.amzUserAgent]).toEqual([agent, agent])
}

describe("the SDK's headers", () => {
  it("libraryVersion is the package's version", () => {
    const pkg = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    expect(libraryVersion).toBe(pkg.version)
  })

  it.live("LocationJobsClient: one invocation id per call across its retries, attempt=N; max=M, the app id", () => {
    const http = makeScripted([throttled(), listOk(), listOk()])
    const layer = LocationJobsClient.layer({
      region: "us-east-1",
      appId: "my-app_1 x",
      retry: { maxAttempts: 4, baseDelay: "1 millis", throttlingBaseDelay: "1 millis" }
    }).pipe(Layer.provide(http.layer))
    return Effect.gen(function*() {
      yield* LocationJobs.listJobs({})
      yield* LocationJobs.listJobs({})
      expectCalls(telemetry(http.sent), 4)
    }).pipe(Effect.provide(layer))
  })

  it("MicroLocationJobs: the same headers", async () => {
    const c = microClient(
      [{ status: 400, headers: { "x-amzn-errortype": "ThrottlingException" }, body: "{}" }, microOk({ Entries: [] }), microOk({ Entries: [] })],
      { appId: "my-app_1 x", retry: { maxAttempts: 4, baseDelayMs: 1, throttlingBaseDelayMs: 1 } }
    )
    const list = c.jobs.listJobs({})
    await Micro.runPromise(list)
    // the same Micro value run again is another call
    await Micro.runPromise(list)
    expectCalls(telemetry(c.sent), 4)
  })
})
