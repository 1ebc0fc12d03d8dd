/**
 * `NodeHttpTransport`'s socket settings (what the CLI's `--cli-read-timeout`, `--no-verify-ssl`
 * and `--ca-bundle` become): a socket silent for `readTimeout` fails the request as a Transport
 * error whose cause is a `SocketTimeout` naming the endpoint, and the server sees it closed;
 * answers within the limit are unaffected; the TLS settings reach the https agent.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeHttpTransport from "../src/NodeHttpTransport.js"

let server: http.Server
let base = ""
const closed: Array<string> = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/silent") {
      res.on("close", () => closed.push("silent"))
      return
    }
    setTimeout(() => res.end("ok"), 20)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const get = (path: string, options: NodeHttpTransport.AgentOptions) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => Effect.flatMap(client.get(`${base}${path}`), (r) => r.text)).pipe(
    Effect.provide(NodeHttpTransport.layerWith(options))
  )

describe("NodeHttpTransport socket settings", () => {
  it.effect("a socket silent for readTimeout fails with a SocketTimeout naming the endpoint", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(get("/silent", { readTimeout: 150 }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? (exit.cause as { error?: { reason?: string; cause?: unknown } }).error : undefined
      expect(error?.reason).toBe("Transport")
      expect(error?.cause).toBeInstanceOf(NodeHttpTransport.SocketTimeout)
      const cause = error?.cause as NodeHttpTransport.SocketTimeout
      expect(cause.phase).toBe("read")
      expect(cause.message).toBe(`Read timeout on endpoint URL: "${base}/silent"`)
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 50)))
      expect(closed).toContain("silent")
    }))

  it.effect("answers within the limits are unaffected (connect and read timeouts set)", () =>
    Effect.gen(function*() {
      expect(yield* get("/ok", { readTimeout: 2_000, connectTimeout: 2_000 })).toBe("ok")
    }))

  it("the TLS settings reach the https agent; none by default", () => {
    const agents = NodeHttpTransport.newAgents({ rejectUnauthorized: false, ca: "PEM", connectTimeout: 5, readTimeout: 6 })
    expect(agents.https.options.rejectUnauthorized).toBe(false)
    expect(agents.https.options.ca).toBe("PEM")
    expect(agents.timeouts).toEqual({ connect: 5, read: 6 })
    const plain = NodeHttpTransport.newAgents()
    expect(plain.https.options.rejectUnauthorized).toBeUndefined()
    expect(plain.timeouts).toBeUndefined()
    for (const a of [agents, plain]) {
      a.http.destroy()
      a.https.destroy()
    }
  })
})
