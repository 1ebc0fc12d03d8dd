import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import * as Stream from "effect/Stream"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as net from "node:net"
import * as AutoHttpTransport from "../src/AutoHttpTransport.js"
import * as NodeHttpTransport from "../src/NodeHttpTransport.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"

/** A loopback server: echoes requests, or misbehaves on purpose; counts connections. */
let server: http.Server
let base = ""
let connections = 0
const aborted: Array<string> = []

beforeAll(async () => {
  server = http.createServer({ keepAlive: true }, (req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks)
      switch (req.url) {
        case "/hang":
          res.on("close", () => aborted.push("hang"))
          return // never answers
        case "/cut":
          // headers, part of the body, then the connection drops
          res.writeHead(200, { "content-length": "100" })
          res.write("partial")
          setTimeout(() => res.socket?.destroy(), 20)
          return
        case "/empty":
          res.writeHead(204)
          res.end()
          return
        case "/cookies":
          res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"])
          res.setHeader("x-multi", ["one", "two"])
          res.writeHead(201, { "content-type": "application/json" })
          res.end(JSON.stringify({ ok: true }))
          return
        default:
          res.writeHead(200, { "content-type": "application/json", "x-request-id": "r-1" })
          res.end(JSON.stringify({
            method: req.method,
            url: req.url,
            headers: req.headers,
            body: body.toString("utf8")
          }))
      }
    })
  })
  server.on("connection", () => connections++)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** The client as the Jobs client uses it: no transport span. */
const builtIn = Context.get(DefaultServices.liveServices, Tracer.Tracer)
const quiet = Effect.map(HttpClient.HttpClient, (c) => HttpClient.withTracerDisabledWhen(c, () => true))

interface Echo {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** Both lean transports answer to the same suite. */
const transports = [
  ["UndiciHttpClient", {
    layer: UndiciHttpClient.layer,
    layerWith: UndiciHttpClient.layerWith,
    make: (settings: UndiciHttpClient.ClientSettings) =>
      UndiciHttpClient.make({ dispatch: () => true } as unknown as Parameters<typeof UndiciHttpClient.make>[0], settings)
  }],
  ["NodeHttpTransport", {
    layer: NodeHttpTransport.layer,
    layerWith: NodeHttpTransport.layerWith,
    make: (settings: NodeHttpTransport.ClientSettings) =>
      NodeHttpTransport.make({} as NodeHttpTransport.Agents, settings)
  }],
  // the default switch point: the whole suite runs over node:http
  ["AutoHttpTransport", {
    layer: AutoHttpTransport.layer,
    layerWith: AutoHttpTransport.layerWith,
    make: (settings: AutoHttpTransport.ClientSettings) => AutoHttpTransport.make(settings).client
  }],
  // undici loaded at once: the suite runs over undici (once loaded)
  ["AutoHttpTransport (switchAfter 0)", {
    layer: AutoHttpTransport.layerWith({ switchAfter: 0 }),
    layerWith: (settings: AutoHttpTransport.ClientSettings) => AutoHttpTransport.layerWith({ ...settings, switchAfter: 0 }),
    make: (settings: AutoHttpTransport.ClientSettings) => AutoHttpTransport.make({ ...settings, switchAfter: 0 }).client
  }]
] as const

for (const [name, T] of transports) describe(name, () => {
  it.live("GET: status, headers and JSON body; request headers arrive", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const response = yield* client.execute(HttpClientRequest.get(`${base}/path?q=1&q=2`).pipe(
        HttpClientRequest.setHeader("x-custom", "v")
      ))
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toBe("application/json")
      expect(response.headers["x-request-id"]).toBe("r-1")
      const echo = (yield* response.json) as Echo
      expect(echo.method).toBe("GET")
      expect(echo.url).toBe("/path?q=1&q=2")
      expect(echo.headers["x-custom"]).toBe("v")
      // the body was read once and stays readable
      expect(JSON.parse(yield* response.text).method).toBe("GET")
      expect(new Uint8Array(yield* response.arrayBuffer).length).toBeGreaterThan(0)
    }).pipe(Effect.provide(T.layer)))

  it.live("bodies: bytes, text, stream and form data are sent whole", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const send = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(client.execute(request), (r) => r.json) as Effect.Effect<Echo, unknown>
      const bytes = yield* send(HttpClientRequest.post(`${base}/x`).pipe(
        HttpClientRequest.setBody(HttpBody.uint8Array(new TextEncoder().encode("{\"a\":1}"), "application/json"))
      ))
      expect(bytes.body).toBe("{\"a\":1}")
      expect(bytes.headers["content-type"]).toBe("application/json")
      expect(bytes.headers["content-length"]).toBe("7")
      const text = yield* send(HttpClientRequest.put(`${base}/x`).pipe(HttpClientRequest.bodyText("héllo")))
      expect(text.method).toBe("PUT")
      expect(text.body).toBe("héllo")
      const stream = yield* send(HttpClientRequest.post(`${base}/x`).pipe(
        HttpClientRequest.setBody(HttpBody.stream(Stream.make(new Uint8Array([104, 105]), new Uint8Array([33]))))
      ))
      expect(stream.body).toBe("hi!")
      const form = new FormData()
      form.append("field", "value")
      const formEcho = yield* send(HttpClientRequest.post(`${base}/x`).pipe(HttpClientRequest.bodyFormData(form)))
      expect(formEcho.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/)
      expect(formEcho.body).toContain("value")
    }).pipe(Effect.provide(T.layer)))

  it.live("an empty answer; repeated headers joined, cookies parsed", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const empty = yield* client.execute(HttpClientRequest.get(`${base}/empty`))
      expect(empty.status).toBe(204)
      expect(yield* empty.text).toBe("")
      expect(yield* Stream.runCollect(empty.stream).pipe(Effect.map((c) => c.length))).toBe(0)
      const withCookies = yield* client.execute(HttpClientRequest.get(`${base}/cookies`))
      expect(withCookies.status).toBe(201)
      expect(withCookies.headers["x-multi"]).toBe("one, two")
      expect(Object.keys(withCookies.cookies.cookies).sort()).toEqual(["a", "b"])
      expect(yield* withCookies.json).toEqual({ ok: true })
    }).pipe(Effect.provide(T.layer)))

  it.live("a refused connection is a Transport RequestError", () =>
    Effect.gen(function*() {
      // a port nobody listens on: bind one, close it, use it
      const port = yield* Effect.promise(() =>
        new Promise<number>((resolve) => {
          const s = net.createServer().listen(0, "127.0.0.1", () => {
            const p = (s.address() as AddressInfo).port
            s.close(() => resolve(p))
          })
        })
      )
      const client = yield* quiet
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`http://127.0.0.1:${port}/`)))
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      expect(String((error.cause as Error).message ?? error.cause)).toMatch(/ECONNREFUSED|connect/i)
    }).pipe(Effect.provide(T.layer)))

  it.live("a connection lost mid-answer is a Transport RequestError", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`${base}/cut`)))
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
    }).pipe(Effect.provide(T.layer)))

  it.live("timeouts: Effect.timeout interrupts the call and aborts the request", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const before = aborted.length
      const result = yield* Effect.either(Effect.timeout(client.execute(HttpClientRequest.get(`${base}/hang`)), "150 millis"))
      expect(result._tag).toBe("Left")
      expect(result._tag === "Left" && result.left._tag).toBe("TimeoutException")
      // the server sees the request go away
      for (let i = 0; i < 50 && aborted.length === before; i++) yield* Effect.sleep("20 millis")
      expect(aborted.length).toBe(before + 1)
    }).pipe(Effect.provide(T.layer)))

  it.live("requestTimeout: the request fails with a RequestTimeout cause and is aborted; answers in time are untouched", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const before = aborted.length
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`${base}/hang`)))
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      const cause = error.cause as UndiciHttpClient.RequestTimeout
      expect(cause).toBeInstanceOf(UndiciHttpClient.RequestTimeout)
      expect(cause._tag).toBe("AttemptTimeout")
      expect(cause.timeoutMs).toBe(150)
      for (let i = 0; i < 50 && aborted.length === before; i++) yield* Effect.sleep("20 millis")
      expect(aborted.length).toBe(before + 1)
      // a prompt answer on the same client is not affected (its timer is cleared)
      const ok = yield* Effect.flatMap(client.execute(HttpClientRequest.get(`${base}/fine`)), (r) => r.json)
      expect((ok as { url: string }).url).toBe("/fine")
    }).pipe(Effect.provide(T.layerWith({ requestTimeout: 150 }))))

  it("requestTimeout out of range is refused when the client is made", () => {
    expect(() => T.make({ requestTimeout: 0 })).toThrow(RangeError)
    expect(() => T.make({ requestTimeout: 2 ** 31 })).toThrow(RangeError)
  })

  it.live("keep-alive: sequential and concurrent calls reuse connections", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const call = Effect.flatMap(client.execute(HttpClientRequest.get(`${base}/x`)), (r) => r.text)
      const before = connections
      for (let i = 0; i < 30; i++) yield* call
      // undici's pool may open one spare connection at first; never one per call
      expect(connections - before).toBeLessThanOrEqual(2)
      const beforeConcurrent = connections
      for (let round = 0; round < 5; round++) yield* Effect.all(Array.from({ length: 8 }, () => call), { concurrency: 8 })
      // undici's pool (its own request API does the same) may open up to twice the concurrency
      // while connections are handed back; 40 calls must not mean 40 connections
      expect(connections - beforeConcurrent).toBeLessThanOrEqual(2 * 8 + 2)
    }).pipe(Effect.provide(T.layer)))

  it.live("with tracing on, it is HttpClient.make over the same transport (client span, same answer)", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const spans: Array<string> = []
      const response = yield* client.execute(HttpClientRequest.get(`${base}/traced`)).pipe(
        Effect.tap(() => Effect.flatMap(Effect.currentSpan, (s) => Effect.sync(() => spans.push(s.name))).pipe(Effect.ignore)),
        Effect.withSpan("outer")
      )
      expect(response.status).toBe(200)
      const echo = (yield* response.json) as Echo
      expect(echo.url).toBe("/traced")
      // trace propagation headers are added on the traced path
      expect(echo.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
    }).pipe(Effect.provide(T.layer)))

  it.live("spansOnlyWithTracer: no client span or trace headers under the built-in tracer; both with a real tracer", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const plain = (yield* Effect.flatMap(client.execute(HttpClientRequest.get(`${base}/plain`)), (r) => r.json)) as Echo
      expect(plain.headers["traceparent"]).toBeUndefined()
      const started: Array<string> = []
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          started.push(name)
          return builtIn.span(name, parent, context, links, startTime, kind, options)
        },
        context: (f) => f()
      })
      const traced = (yield* Effect.flatMap(client.execute(HttpClientRequest.get(`${base}/traced`)), (r) => r.json).pipe(
        Effect.withTracer(recording)
      )) as Echo
      expect(traced.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
      expect(started).toEqual(["http.client GET"])
    }).pipe(Effect.provide(T.layerWith({ spansOnlyWithTracer: true }))))

  it.live("an invalid URL is an InvalidUrl RequestError", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get("not a url")))
      expect(error._tag === "RequestError" && error.reason).toBe("InvalidUrl")
    }).pipe(Effect.provide(T.layer)))
})

describe("AutoHttpTransport", () => {
  it.live("the first switchAfter requests go over node:http, the later ones over undici; answers alike", () =>
    Effect.gen(function*() {
      const client = yield* quiet
      const call = (path: string) => Effect.flatMap(client.execute(HttpClientRequest.get(`${base}${path}`)), (r) => r.json) as Effect.Effect<Echo, unknown>
      const before = connections
      // sequential calls over node:http's keep-alive agent: one connection
      const first = yield* call("/a")
      const second = yield* call("/b")
      expect([first.url, second.url]).toEqual(["/a", "/b"])
      expect(connections - before).toBe(1)
      // undici is being loaded in the background; later calls move to it, over a connection of its own
      let i = 0
      for (; i < 100 && connections - before < 2; i++) {
        const echo = yield* call(`/c${i}`)
        expect(echo.url).toBe(`/c${i}`)
        if (connections - before < 2) yield* Effect.sleep("10 millis")
      }
      expect(connections - before).toBe(2)
      // and stay there: no new connection for later calls
      for (let j = 0; j < 5; j++) yield* call("/d")
      expect(connections - before).toBeLessThanOrEqual(3)
    }).pipe(Effect.provide(AutoHttpTransport.layerWith({ switchAfter: 2 }))))

  it.live("moved: true once on undici; switchAfter Infinity never moves", () =>
    Effect.gen(function*() {
      const now = AutoHttpTransport.make({ switchAfter: 0 })
      expect(yield* Effect.promise(now.moved)).toBe(true)
      yield* Effect.promise(now.close)
      const never = AutoHttpTransport.make({ switchAfter: Infinity })
      expect(yield* Effect.promise(never.moved)).toBe(false)
      yield* Effect.promise(never.close)
    }))

  it("switchAfter below 0 is refused when the client is made", () => {
    expect(() => AutoHttpTransport.make({ switchAfter: -1 })).toThrow(RangeError)
  })
})
