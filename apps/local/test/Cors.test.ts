import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Cors from "../src/Cors.js"
import * as LocalService from "../src/LocalService.js"

const withService = (cors: Cors.CorsPolicy | undefined, f: (url: string) => Promise<void>) =>
  Effect.scoped(Effect.flatMap(
    LocalService.make({ port: 0, dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-cors-")), runner: "manual", cors }),
    (service) => Effect.promise(() => f(service.url))
  ))

const preflight = (url: string, origin: string) =>
  fetch(new URL("/metadata/v0/jobs", url), {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,x-amz-date" }
  })

describe("CORS", () => {
  it("the policy: localhost pages always, others only when listed or with *", () => {
    expect(Cors.allows(Cors.localhostOnly, "http://localhost:5173")).toBe(true)
    expect(Cors.allows(Cors.localhostOnly, "http://127.0.0.1:8080")).toBe(true)
    expect(Cors.allows(Cors.localhostOnly, "http://[::1]:3000")).toBe(true)
    expect(Cors.allows(Cors.localhostOnly, "http://localhost.evil.example")).toBe(false)
    expect(Cors.allows(Cors.localhostOnly, "https://app.example.com")).toBe(false)
    expect(Cors.allows({ _tag: "Origins", origins: ["https://app.example.com"] }, "https://app.example.com")).toBe(true)
    expect(Cors.allows({ _tag: "Origins", origins: ["https://app.example.com"] }, "https://other.example.com")).toBe(false)
    expect(Cors.allows({ _tag: "Origins", origins: ["*"] }, "https://any.example")).toBe(true)
  })

  it.live("preflights are answered before auth for allowed origins and refused otherwise; answers carry the CORS headers", () =>
    withService(undefined, async (url) => {
      const ok = await preflight(url, "http://localhost:5173")
      expect(ok.status).toBe(204)
      expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
      expect(ok.headers.get("access-control-allow-methods")).toBe("POST")
      expect(ok.headers.get("access-control-allow-headers")).toBe("authorization,content-type,x-amz-date")
      const refused = await preflight(url, "https://evil.example")
      expect(refused.status).toBe(403)
      expect(refused.headers.get("access-control-allow-origin")).toBeNull()
      // A real (unsigned) call from an allowed page: the 403 is readable by the page.
      const call = await fetch(new URL("/metadata/v0/jobs/list-jobs", url), { method: "POST", body: "{}", headers: { origin: "http://localhost:5173" } })
      expect(call.status).toBe(403)
      expect(call.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
      expect(call.headers.get("access-control-expose-headers")).toContain("x-amzn-requestid")
      const other = await fetch(new URL("/_geojobs/health", url), { headers: { origin: "https://evil.example" } })
      expect(other.headers.get("access-control-allow-origin")).toBeNull()
    }))

  it.live("configured origins are allowed", () =>
    withService({ _tag: "Origins", origins: ["https://app.example.com"] }, async (url) => {
      expect((await preflight(url, "https://app.example.com")).status).toBe(204)
      expect((await preflight(url, "https://evil.example")).status).toBe(403)
    }))
})
