/**
 * The worker API under attack, in-process: a bearer token made at first start and required on
 * every request but /health; requests from web pages refused unless their origin is allowed;
 * local paths only under the directories the operator allows (symlinks resolved); bad input a
 * 400 with a request id, never a 500; streamed upload limits; files without address columns
 * refused at intake.
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Client from "../src/Client.js"
import * as Program from "../src/Program.js"
import { writeCsvFiles } from "./support/Fixtures.js"

const setup = (api: Program.WorkerOptions["api"] = {}) =>
  Effect.gen(function*() {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-sec-"))
    yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
    const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
    const workDir = Path.join(dir, "worker")
    const program = yield* Program.make({
      target: { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials },
      workDir,
      http: { host: "127.0.0.1", port: 0 },
      // stages stopped by a long poll: these tests look at intake only
      settings: { pollMs: 60_000, trackIntervalMs: 60_000 },
      api
    })
    return { dir, workDir, program, url: program.url!, local }
  })

const call = (url: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const r = await fetch(url, init)
    const text = await r.text()
    let body: any
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
    return { status: r.status, headers: r.headers, body }
  })

const auth = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra })

describe("worker API security", () => {
  it.live("a token made at first start (0600 in the work directory) is required everywhere but /health", () =>
    Effect.scoped(Effect.gen(function*() {
      const { program, url, workDir } = yield* setup()
      const file = Path.join(workDir, "api-token")
      expect(Fs.statSync(file).mode & 0o777).toBe(0o600)
      const token = Fs.readFileSync(file, "utf8").trim()
      expect(token.length).toBeGreaterThanOrEqual(32)
      expect(program.apiToken).toBe(token)

      expect((yield* call(`${url}/health`)).status).toBe(200)
      for (const [method, path] of [["GET", "/batches"], ["GET", "/ready"], ["GET", "/metrics"], ["GET", "/batches/x"], ["POST", "/batches/x/cancel"]]) {
        const none = yield* call(`${url}${path}`, { method })
        expect(none.status, `${method} ${path}`).toBe(401)
        expect(none.body.error).toMatch(/token/)
        expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/)
        const wrong = yield* call(`${url}${path}`, { method, headers: auth("not-the-token") })
        expect(wrong.status).toBe(401)
      }
      const created = yield* call(`${url}/batches?name=a.csv`, { method: "POST", headers: { "content-type": "text/plain" }, body: "Address,City\n1 Main St,Springfield\n" })
      expect(created.status).toBe(401)
      expect((yield* call(`${url}/batches`, { headers: auth(token) })).body.batches).toEqual([])

      // the typed client sends it; without it, a clear refusal
      expect((yield* Client.make(url, { token }).list()).batches).toEqual([])
      const refused = yield* Client.make(url).list().pipe(Effect.flip)
      expect(refused.status).toBe(401)
      expect(refused.message).toMatch(/token/)
    })))

  it.live("a fixed token (--api-token) replaces the file", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url, workDir } = yield* setup({ token: "fixed-token-0123456789-abcdefghij" })
      expect(Fs.existsSync(Path.join(workDir, "api-token"))).toBe(false)
      expect((yield* call(`${url}/batches`, { headers: auth("fixed-token-0123456789-abcdefghij") })).status).toBe(200)
    })))

  it.live("a request from a web page is refused unless its origin is allowed", () =>
    Effect.scoped(Effect.gen(function*() {
      const { program, url } = yield* setup({ corsOrigins: ["http://ok.example"] })
      const token = program.apiToken
      const evil = yield* call(`${url}/batches?name=a.csv`, {
        method: "POST",
        headers: auth(token, { "content-type": "text/plain", origin: "http://evil.example" }),
        body: "AddressLine1,Locality\n1 Main St,Springfield\n"
      })
      expect(evil.status).toBe(403)
      expect(evil.body.error).toMatch(/origin http:\/\/evil\.example/)
      expect((yield* call(`${url}/batches`, { headers: auth(token) })).body.batches).toEqual([])
      // allowed: the preflight is answered and the request served with CORS headers
      const preflight = yield* call(`${url}/batches`, {
        method: "OPTIONS",
        headers: { origin: "http://ok.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization" }
      })
      expect(preflight.status).toBeLessThan(300)
      expect(preflight.headers.get("access-control-allow-origin")).toBe("http://ok.example")
      const ok = yield* call(`${url}/batches`, { headers: auth(token, { origin: "http://ok.example" }) })
      expect(ok.status).toBe(200)
      expect(ok.headers.get("access-control-allow-origin")).toBe("http://ok.example")
    })))

  it.live("local paths only under an allowed directory, symlinks resolved", () =>
    Effect.scoped(Effect.gen(function*() {
      const base = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-dirs-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(base, { recursive: true, force: true })))
      const allowed = Path.join(base, "allowed")
      const secret = Path.join(base, "secret")
      const [inside] = writeCsvFiles(allowed, 1)
      Fs.mkdirSync(secret, { mode: 0o700 })
      const hidden = Path.join(secret, "private.csv")
      Fs.writeFileSync(hidden, Fs.readFileSync(inside!), { mode: 0o600 })
      Fs.symlinkSync(hidden, Path.join(allowed, "link.csv"))
      Fs.symlinkSync(secret, Path.join(allowed, "dirlink"))

      const { program, url } = yield* setup({ allowDirs: [allowed] })
      const client = Client.make(url, { token: program.apiToken })
      for (const location of [hidden, Path.join(allowed, "link.csv"), Path.join(allowed, "dirlink", "private.csv"), `${allowed}/../secret/private.csv`]) {
        const refused = yield* client.submit({ location }).pipe(Effect.flip)
        expect(refused.status, location).toBe(403)
        expect(refused.message).toMatch(/not under a directory the worker allows/)
        expect(refused.message).toMatch(/--allow-dir/)
      }
      expect((yield* client.list()).batches).toEqual([])
      expect((yield* client.submit({ location: inside! })).created).toBe(true)

      // by default (no inbox, no --allow-dir), no local path at all
      const other = yield* setup()
      const none = yield* Client.make(other.url, { token: other.program.apiToken }).submit({ location: inside! }).pipe(Effect.flip)
      expect(none.status).toBe(403)
    })))

  it.live("bad input: 400 JSON errors with a request id, never a 500", () =>
    Effect.scoped(Effect.gen(function*() {
      const { program, url } = yield* setup()
      const h = auth(program.apiToken)
      const deep = "[".repeat(10_000) + "]".repeat(10_000)
      const deepObject = `{"location":${"{\"a\":".repeat(10_000)}1${"}".repeat(10_000)}}`
      const cases = [
        yield* call(`${url}/batches/%ZZ`, { headers: h }),
        yield* call(`${url}/batches/%ZZ/cancel`, { method: "POST", headers: h }),
        yield* call(`${url}/batches/%ZZ/events`, { headers: h }),
        yield* call(`${url}/batches`, { method: "POST", headers: { ...h, "content-type": "application/json" }, body: deep }),
        yield* call(`${url}/batches`, { method: "POST", headers: { ...h, "content-type": "application/json" }, body: deepObject }),
        yield* call(`${url}/batches?limit=%ZZ&status=%ZZ`, { headers: h })
      ]
      for (const r of cases) {
        expect(r.status).toBe(400)
        expect(typeof r.body.error).toBe("string")
        expect(r.headers.get("x-request-id")).toMatch(/.+/)
      }
      expect((yield* call(`${url}/health`)).headers.get("x-request-id")).toMatch(/.+/)
    })))

  it.live("uploads: over the limit 413 while streaming, no line break in the first part 400 at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { program, url, workDir } = yield* setup({ maxUploadBytes: 4 * 1024 * 1024 })
      const token = program.apiToken
      // a body streamed in chunks (no Content-Length), larger than the limit
      const streamed = (total: number, line: boolean) =>
        Effect.promise(() =>
          new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
            const started = Date.now()
            const u = new URL(`${url}/batches?name=big.csv`)
            const req = Http.request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" } }, (res) => {
              let body = ""
              res.on("data", (c) => (body += c))
              res.on("end", () => resolve({ status: res.statusCode!, body, ms: Date.now() - started }))
            })
            req.on("error", reject)
            const chunk = Buffer.alloc(64 * 1024, "a")
            if (line) req.write("AddressLine1,Locality\n")
            let sent = 0
            const pump = () => {
              while (sent < total) {
                sent += chunk.length
                if (!req.write(chunk)) return req.once("drain", pump)
              }
              req.end()
            }
            req.on("response", () => (sent = total))
            pump()
          })
        )
      const big = yield* streamed(64 * 1024 * 1024, true)
      expect(big.status).toBe(413)
      expect(JSON.parse(big.body).error).toMatch(/larger than 4194304 bytes|--max-upload-bytes/)
      const noLine = yield* streamed(64 * 1024 * 1024, false)
      expect(noLine.status).toBe(400)
      expect(JSON.parse(noLine.body).error).toMatch(/no line break/)
      // a declared length over the limit is refused before a byte is read
      const declared = yield* call(`${url}/batches?name=a.csv`, { method: "POST", headers: auth(token, { "content-type": "text/csv" }), body: Buffer.alloc(5 * 1024 * 1024, "a") })
      expect(declared.status).toBe(413)
      expect((yield* call(`${url}/batches`, { headers: auth(token) })).body.batches).toEqual([])
      // nothing left in the spool
      const spool = Path.join(workDir, "spool")
      expect(Fs.existsSync(spool) ? Fs.readdirSync(spool) : []).toEqual([])
    })), 60_000)

  it.live("a file without address columns is refused at intake, naming the columns expected", () =>
    Effect.scoped(Effect.gen(function*() {
      const base = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-cols-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(base, { recursive: true, force: true })))
      const file = Path.join(base, "people.csv")
      Fs.writeFileSync(file, "name,phone\nAda,555-0100\n")
      const { program, url } = yield* setup({ allowDirs: [base] })
      const client = Client.make(url, { token: program.apiToken })
      const uploaded = yield* client.submitFile(file).pipe(Effect.flip)
      expect(uploaded.status).toBe(400)
      expect(uploaded.message).toMatch(/none of the address columns.*AddressLines_1/)
      const byPath = yield* client.submit({ location: file }).pipe(Effect.flip)
      expect(byPath.status).toBe(400)
      expect(byPath.message).toMatch(/AddressLines_1/)
      expect((yield* client.list()).batches).toEqual([])
    })))
})
