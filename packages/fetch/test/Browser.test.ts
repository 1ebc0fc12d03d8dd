/**
 * The fetch clients in a real browser: a page bundled with esbuild (platform browser, no Node
 * built-ins) starts a job on the local service from headless Chromium and shows its status — one
 * page with `FetchLocationJobs` (Effect), one with `FetchMicroLocationJobs` (Micro, WebCrypto).
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as esbuild from "esbuild"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { chromium } from "playwright-core"

const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => Fs.existsSync(p))

const bundle = (page = "page.ts") =>
  esbuild.build({
    entryPoints: [Path.join(import.meta.dirname, "browser", page)],
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent"
  })

/** Node built-in modules, with and without the `node:` scheme. */
const nodeBuiltins = new Set(["fs", "path", "os", "http", "https", "net", "crypto", "stream", "zlib", "url", "util", "buffer", "child_process", "worker_threads", "events", "tls", "dns"])

const required = process.env.GEOJOBS_BROWSER_REQUIRED === "1"

describe("the fetch client in a browser", () => {
  it.runIf(required && chromiumPath === undefined)("Chromium is installed (required in CI)", () => {
    expect(chromiumPath, "install Debian's chromium package: apt-get install chromium").toBeDefined()
  })

  it("the page's browser bundle reaches no Node built-in", async () => {
    const result = await bundle()
    const inputs = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((x) => x.path))
    const builtins = inputs.filter((p) => p.startsWith("node:") || nodeBuiltins.has(p))
    expect(builtins).toEqual([])
    const code = result.outputFiles[0]!.text
    expect(code).not.toMatch(/require\(["'](node:)?(fs|crypto|http|https|path|os)["']\)/)
    expect(Object.keys(result.metafile!.inputs).some((p) => p.includes("credential-providers"))).toBe(false)
  })

  it("the Micro page's bundle has no Node built-in and none of Effect's runtime, Schema, @effect/platform or a hash library", async () => {
    const result = await bundle("micro-page.ts")
    const inputs = Object.keys(result.metafile!.inputs)
    const imports = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((x) => x.path))
    expect(imports.filter((p) => p.startsWith("node:") || nodeBuiltins.has(p))).toEqual([])
    for (const banned of ["effect/dist/esm/Effect.js", "effect/dist/esm/Schema.js", "effect/dist/esm/Layer.js", "@effect/platform", "@aws-crypto", "@smithy", "credential-providers"]) {
      expect(inputs.filter((p) => p.includes(banned)), banned).toEqual([])
    }
  })

  for (const [entry, label] of [["page.ts", ""], ["micro-page.ts", " (Micro client)"]] as const) {
  it.skipIf(chromiumPath === undefined)(`starts a job on the local service from headless Chromium and shows its status${label}`, () =>
    Effect.scoped(Effect.gen(function*() {
      const service = yield* LocalService.make({
        port: 0,
        dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-browser-")),
        runner: "manual"
      })
      const js = (yield* Effect.promise(() => bundle(entry))).outputFiles[0]!.text
      const html = `<!doctype html><html><body><p id="job"></p><p id="status"></p><p id="error"></p><script type="module" src="/page.js"></script></body></html>`
      const server = Http.createServer((req, res) => {
        if (req.url?.startsWith("/page.js")) {
          res.writeHead(200, { "content-type": "text/javascript" }).end(js)
        } else res.writeHead(200, { "content-type": "text/html" }).end(html)
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () => Effect.sync(() => void server.close())
      )
      const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?endpoint=${encodeURIComponent(service.url)}`
      const browser = yield* Effect.acquireRelease(
        Effect.promise(() =>
          chromium.launch({
            executablePath: chromiumPath!,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"]
          })
        ),
        (b) => Effect.promise(() => b.close())
      )
      const page = yield* Effect.promise(() => browser.newPage())
      yield* Effect.promise(() => page.goto(pageUrl))
      yield* Effect.promise(() =>
        page.waitForFunction(() =>
          (document.getElementById("status")?.textContent ?? "") !== "" ||
          (document.getElementById("error")?.textContent ?? "") !== "", undefined, { timeout: 30_000 })
      )
      const error = yield* Effect.promise(() => page.textContent("#error"))
      expect(error).toBe("")
      const jobId = (yield* Effect.promise(() => page.textContent("#job")))!
      expect(jobId).toMatch(/^FromTheBrowser-[0-9a-f-]{36}$/)
      expect(yield* Effect.promise(() => page.textContent("#status"))).toBe("Pending")
      const stored = yield* service.store.get(jobId)
      expect(stored._tag === "Some" && stored.value.name).toBe("FromTheBrowser")
    })).pipe(Effect.runPromise), 120_000)
  }
})
