/**
 * The Micro fetch client: the shared Micro suite (wire conformance with `@aws-sdk/client-location`,
 * the SDK's signature with session credentials, the real local service); then clock-skew
 * correction, credentials providers and transport failures over a stubbed fetch.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Micro from "effect/Micro"
import { microClientSuite, started, startInput } from "../../node/test/support/microSuite.js"
import * as FetchMicroLocationJobs from "../src/FetchMicroLocationJobs.js"

microClientSuite("@geojobs/fetch", "FetchMicroLocationJobs", FetchMicroLocationJobs.make)

describe("FetchMicroLocationJobs over a stubbed fetch", () => {
  const stub = (answers: Array<(init: RequestInit) => Response | Promise<Response>>) => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = []
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), headers: init!.headers as Record<string, string> })
      return answers[Math.min(calls.length - 1, answers.length - 1)]!(init!)
    }) as typeof globalThis.fetch
    return { calls, fetch }
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

  it("a 403 with a Date far from ours corrects the signing clock and resends once", async () => {
    const serverTime = Date.now() + 60 * 60 * 1000
    const s = stub([
      () => json(403, { message: "Signature expired" }, { date: new Date(serverTime).toUTCString(), "x-amzn-errortype": "InvalidSignatureException" }),
      () => json(200, started)
    ])
    const c = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, fetch: s.fetch, retry: false })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    expect(s.calls).toHaveLength(2)
    const dateOf = (h: Record<string, string>) => {
      const d = h["x-amz-date"]!
      return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15))
    }
    expect(Math.abs(dateOf(s.calls[1]!.headers) - serverTime)).toBeLessThan(5000)
    expect(s.calls[0]!.url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs/j")
  })

  it("a credentials provider is called once while its credentials are fresh; its failure is a Credentials error", async () => {
    const s = stub([() => json(200, started)])
    let calls = 0
    const c = FetchMicroLocationJobs.make({
      region: "us-east-1",
      fetch: s.fetch,
      credentials: async () => {
        calls++
        return { accessKeyId: "a", secretAccessKey: "b", sessionToken: "t", expiration: new Date(Date.now() + 3_600_000) }
      }
    })
    await Micro.runPromise(Micro.all([c.getJob({ JobId: "j" }), c.getJob({ JobId: "k" })], { concurrency: 2 }))
    await Micro.runPromise(c.getJob({ JobId: "l" }))
    expect(calls).toBe(1)
    expect(s.calls.every((x) => x.headers["x-amz-security-token"] === "t")).toBe(true)
    const failing = FetchMicroLocationJobs.make({
      region: "us-east-1",
      fetch: s.fetch,
      credentials: () => Promise.reject(new Error("no session"))
    })
    const exit = await Micro.runPromiseExit(failing.startJob({ ...startInput }))
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
      _tag: "LocationJobsClientError",
      reason: "Credentials",
      message: "StartJob: no usable credentials: the credentials provider failed: no session"
    })
    const empty = FetchMicroLocationJobs.make({ region: "us-east-1", fetch: s.fetch, credentials: { accessKeyId: "", secretAccessKey: "b" } })
    const exit2 = await Micro.runPromiseExit(empty.getJob({ JobId: "j" }))
    expect(exit2._tag === "Failure" && exit2.cause._tag === "Fail" ? exit2.cause.error : undefined).toMatchObject({ reason: "Credentials" })
  })

  it("a fetch that rejects is a Transport error, retried; the attempt timeout aborts fetch", async () => {
    let n = 0
    const s = stub([
      () => {
        n++
        throw new TypeError("Failed to fetch")
      },
      () => json(200, started)
    ])
    const c = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, fetch: s.fetch, retry: { baseDelayMs: 1 } })
    expect((await Micro.runPromise(c.getJob({ JobId: "j" }))).JobId).toBe("j")
    expect(n).toBe(1)
    let aborted = 0
    const slow = stub([(init) =>
      new Promise<Response>((_, reject) => {
        init.signal!.addEventListener("abort", () => {
          aborted++
          reject(new DOMException("aborted", "AbortError"))
        })
      })
    ])
    const t = FetchMicroLocationJobs.make({
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      fetch: slow.fetch,
      attemptTimeoutMs: 20,
      retry: false
    })
    const exit = await Micro.runPromiseExit(t.getJob({ JobId: "j" }))
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({ reason: "Timeout" })
    expect(aborted).toBe(1)
  })
})
