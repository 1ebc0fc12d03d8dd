/**
 * The Micro fetch client: the shared Micro suite (wire conformance with `@aws-sdk/client-location`,
 * the SDK's signature with session credentials, the real local service, throttling, clock skew and
 * credentials over a loopback server); then transport failures and the timeout over a stubbed fetch.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import { microClientSuite, started } from "@geojobs/test-support/MicroClientSuite"
import * as Micro from "effect/Micro"
import * as net from "node:net"
import * as FetchMicroLocationJobs from "../src/FetchMicroLocationJobs.js"

microClientSuite("@geojobs/fetch", "FetchMicroLocationJobs", FetchMicroLocationJobs.make, LocalService.make)

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
    expect(s.calls[0]!.url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs/j")
    let aborted = 0
    const slow = stub([(init) =>
      new Promise<Response>((_, reject) => {
        const abort = () => {
          aborted++
          reject(new DOMException("aborted", "AbortError"))
        }
        // On a loaded machine the 20 ms can pass before fetch is called (as a real fetch does,
        // an already aborted signal rejects at once).
        if (init.signal!.aborted) abort()
        else init.signal!.addEventListener("abort", abort)
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
  it("a refused connection names the address (Node's fetch); a browser's bare TypeError names the origin", async () => {
    // A port just freed: fetch refuses to dial the well-known ones (9, 1) itself, as "bad port".
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo
        server.close(() => resolve(port))
      })
    })
    const c = FetchMicroLocationJobs.make({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      retry: false
    })
    expect(await Micro.runPromise(Micro.flip(c.getJob({ JobId: "j" })))).toMatchObject({
      reason: "Transport",
      message: `GetJob: could not reach the service: connection refused at http://127.0.0.1:${port} (ECONNREFUSED): ` +
        "is the service running there? Check the endpoint"
    })
    const s = stub([() => {
      throw new TypeError("Failed to fetch")
    }])
    const b = FetchMicroLocationJobs.make({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, fetch: s.fetch, retry: false })
    expect((await Micro.runPromise(Micro.flip(b.getJob({ JobId: "j" })))).message).toBe(
      "GetJob: could not reach the service: Failed to fetch (https://metadata.geo.eu-west-1.amazonaws.com)"
    )
  })
})
