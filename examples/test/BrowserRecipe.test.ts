/**
 * The browser recipe as a user opens it: `examples/recipes/browser/jobs-page.ts` bundled with
 * esbuild for the browser, its HTML page served from loopback, opened in headless Chromium
 * against a local service; the page lists jobs, starts one, and shows it.
 */
import * as LocalTesting from "@geojobs/local/Testing"
import * as Effect from "effect/Effect"
import * as esbuild from "esbuild"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { chromium } from "playwright-core"
import { describe, expect, it } from "vitest"

const dir = Path.resolve(import.meta.dirname, "..", "recipes", "browser")
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => Fs.existsSync(p))
const required = process.env.GEOJOBS_BROWSER_REQUIRED === "1"

describe("examples/recipes/browser", () => {
  it.runIf(required && chromiumPath === undefined)("Chromium is installed (required in CI)", () => {
    expect(chromiumPath, "install Debian's chromium package: apt-get install chromium").toBeDefined()
  })

  it.skipIf(chromiumPath === undefined)("the page lists jobs, starts one and shows it (Micro client, headless Chromium)", () =>
    Effect.gen(function*() {
      const service = yield* LocalTesting.make({ runner: "manual" })
      const built = yield* Effect.promise(() =>
        esbuild.build({
          entryPoints: [Path.join(dir, "jobs-page.ts")],
          bundle: true,
          minify: true,
          platform: "browser",
          format: "esm",
          write: false,
          logLevel: "silent"
        })
      )
      const js = built.outputFiles[0]!.text
      const html = Fs.readFileSync(Path.join(dir, "jobs-page.html"), "utf8")
      const server = Http.createServer((req, res) => {
        if (req.url?.startsWith("/jobs-page.js")) res.writeHead(200, { "content-type": "text/javascript" }).end(js)
        else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html)
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.sync(() => void server.close())
      )
      const browser = yield* Effect.acquireRelease(
        Effect.promise(() =>
          chromium.launch({
            executablePath: chromiumPath!,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
          })
        ),
        (b) => Effect.promise(() => b.close())
      )
      const page = yield* Effect.promise(() => browser.newPage())
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs-page.html?endpoint=${encodeURIComponent(service.url)}`
      yield* Effect.promise(async () => {
        await page.goto(url)
        await page.waitForFunction(() => document.getElementById("count")?.textContent === "0", undefined, { timeout: 30_000 })
        await page.click("#start")
        await page.waitForFunction(() => document.getElementById("count")?.textContent === "1", undefined, { timeout: 30_000 })
      })
      expect(yield* Effect.promise(() => page.textContent("#error"))).toBe("")
      const cells = yield* Effect.promise(() => page.$$eval("#jobs td", (tds) => tds.map((td) => td.textContent)))
      expect(cells[0]).toMatch(/^FromTheBrowser-/)
      expect(cells[1]).toBe("Pending")
      expect((yield* service.store.list({ limit: 10 })).jobs.map((j) => j.name)).toEqual(["FromTheBrowser"])
    }).pipe(Effect.scoped, Effect.runPromise), 120_000)
})
