/**
 * `geojobs validate --report`: the report file is checked before the job like `--out`, and the
 * page it writes, opened in headless Chromium with every request refused, shows the summary's
 * numbers, draws one map mark per row with a position, filters its table as one types, and
 * reads on a phone's width. Screenshots go to a temp directory (logged).
 */
import * as Outcome from "@geojobs/address/Outcome"
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import * as Effect from "effect/Effect"
import * as Report from "../src/Report.js"
import type * as Summary from "@geojobs/address/ResultSummary"
import { geojobs, json, tempDir } from "./Harness.js"

const repo = Path.resolve(import.meta.dirname, "../../..")
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => Fs.existsSync(p))
const required = process.env.GEOJOBS_BROWSER_REQUIRED === "1"

/** Public US addresses (landmarks and government buildings) and rows that need attention. */
const csv = [
  "id,address,city,state,zip,country",
  "wh,1600 Pennsylvania Ave NW,Washington,DC,20500,USA",
  "cityhall,1 City Hall Square,Boston,MA,02201,USA",
  "esb,350 5th Ave,New York,NY,10118,USA",
  "willis,233 S Wacker Dr,Chicago,IL,60606,USA",
  "needle,400 Broad St,Seattle,WA,98109,USA",
  "alamo,300 Alamo Plaza,San Antonio,TX,78205,USA",
  "gacap,206 Washington St SW,Atlanta,GA,30334,USA",
  "nostreet,,Boston,MA,02201,USA",
  "badzip,1 City Hall Square,Boston,MA,99999,USA",
  "typo,350 Fifth Avenue,New Yrok,NY,10118,USA",
  "nozip,85 Pike Street,Seattle,WA,,USA",
  "empty,,,,,"
].join("\n") + "\n"

/** The rows of a JSON Lines result. */
const records = (file: string): ReadonlyArray<Record<string, unknown>> =>
  Fs.readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l))

const positionOf = (r: Record<string, unknown>) => {
  const lat = r.Output_Position_Latitude
  const lon = r.Output_Position_Longitude
  const ok = lat !== null && lat !== undefined && lat !== "" && lon !== null && lon !== undefined && lon !== "" &&
    Number.isFinite(Number(lat)) && Number.isFinite(Number(lon))
  return ok ? [Number(lat), Number(lon)] as const : undefined
}

const origin = "http://report.geojobs.invalid"

/**
 * Opens the report with every request but the page's own refused; returns the page and the
 * requests it tried and the errors it raised.
 */
const open = async (browser: Browser, file: string, viewport: { width: number; height: number }) => {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 })
  const attempted: Array<string> = []
  const errors: Array<string> = []
  await context.route("**/*", (route) => {
    const url = route.request().url()
    if (url === `${origin}/report.html`) {
      return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: Fs.readFileSync(file, "utf8") })
    }
    attempted.push(url)
    return route.abort("blockedbyclient")
  })
  const page = await context.newPage()
  page.on("request", (request) => {
    const url = request.url()
    if (url !== `${origin}/report.html` && !url.startsWith("data:") && !attempted.includes(url)) attempted.push(url)
  })
  page.on("pageerror", (e) => errors.push(String(e)))
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()))
  await page.goto(`${origin}/report.html`)
  await page.waitForSelector("#map[data-marks]", { timeout: 30_000 })
  return { page, attempted, errors }
}

const textNumber = (text: string | null) => Number((text ?? "").replace(/[,\s]/g, ""))

/** The row numbers of the table's rows that are on screen (laid out). */
const visibleRows = (page: Page) =>
  page.$$eval("#attention tbody tr", (rows) =>
    rows.filter((r) => r.getClientRects().length > 0).map((r) => Number(r.querySelector("td")?.textContent)))

interface Attention {
  readonly Row: number
  readonly Category: string
  readonly Reason: string
  readonly Message: string
  readonly Input: string
}

/** The rows a search should leave, from the run's own list: those holding every word. */
const matching = (rows: ReadonlyArray<Attention>, query: string) => {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0)
  return rows
    .filter((a) => words.every((w) => [a.Row, a.Category, a.Reason, a.Message, a.Input].join(" ").toLowerCase().includes(w)))
    .map((a) => a.Row)
}

const launch = () =>
  chromium.launch({
    executablePath: chromiumPath!,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
  })

/** A summary as `Summary.make` gives it, cut by the report's caps. */
const cutSummary = (over: Partial<Summary.Summary>): Summary.Summary => ({
  rows: 10,
  validated: 4,
  corrected: 1,
  unconfirmed: 4,
  failed: 1,
  reasons: [["Confirmed", 4], ["PostalCodeNotFound", 4], ["Corrected", 1], ["InvalidInput", 1]],
  confidence: [["High", 5], ["Low", 4], ["None", 1]],
  granularity: [["Street", 9], ["None", 1]],
  attention: [
    { row: 2, category: "Unconfirmed", reason: "PostalCodeNotFound", message: "The postal code does not exist", input: "1 Main St, <script>alert(1)</script>, IL" },
    { row: 3, category: "Failed", reason: "InvalidInput", message: "No address </script><b>", input: "" }
  ],
  points: [{ row: 1, category: "Validated", latitude: 42.36, longitude: -71.06 }],
  positioned: 7,
  ...over
})

const meta = { input: "in.csv", output: "in.validated.csv", jobId: "job-1", generatedAt: new Date("2026-01-02T03:04:05Z") }

describe("the report page", () => {
  it.effect("says when the caps cut the table or the map, and escapes what the file holds", () =>
    Effect.gen(function*() {
      const html = yield* Report.render(cutSummary({}), meta)
      expect(html).toContain("The table lists the first 2 of 6 rows that need attention")
      expect(html).toContain("The map shows the first 1 of 7 rows with a position")
      // the file's text is data, never markup: one script element per library, none from the rows
      expect(html).toContain("1 Main St, &lt;script&gt;alert(1)&lt;/script&gt;, IL")
      expect(html).toContain("No address &lt;/script&gt;&lt;b&gt;")
      expect(html.match(/<script/g)).toHaveLength(5)
      const none = yield* Report.render(cutSummary({ points: [], positioned: 0 }), meta)
      expect(none).toContain("No row has a position: run validate with <code>--features Position</code>")
      expect(none).not.toContain("The map shows the first")
    }))
})

describe("validate --report", () => {
  it("refuses a report file that cannot be written, or is not .html, before any work", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), csv)
    const missing = await geojobs(["validate", "in.csv", "--report", "nowhere/report.html"], { cwd })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain("nowhere/report.html: the directory nowhere does not exist")
    const named = await geojobs(["validate", "in.csv", "--report", "report.csv"], { cwd })
    expect(named.code).not.toBe(0)
    expect(named.stderr).toContain("--report report.csv: name an .html file")
    const clash = await geojobs(["validate", "in.csv", "--out", "same.html", "--format", "csv", "--report", "same.html"], { cwd })
    expect(clash.code).not.toBe(0)
    expect(clash.stderr).toContain("--report same.html is also the --out file")
    // nothing ran: no result file, no job data
    expect(Fs.readdirSync(cwd).sort()).toEqual(["in.csv"])
  }, 60_000)

  it.runIf(required && chromiumPath === undefined)("Chromium is installed (required in CI)", () => {
    expect(chromiumPath, "install Debian's chromium package: apt-get install chromium").toBeDefined()
  })

  if (chromiumPath === undefined && !required) {
    it.skip("the page (skipped: no Chromium at /usr/bin/chromium; apt-get install chromium)", () => {})
  }

  it.skipIf(chromiumPath === undefined)("writes one offline page whose numbers, map marks and table match the run", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), csv)
    const run = await geojobs(
      ["validate", "in.csv", "--features", "Position", "--out", "out.jsonl", "--report", "report.html"],
      { cwd }
    )
    expect(run.code, run.stderr).toBe(0)
    const summary = json(run)
    // written after the result file
    expect(run.stderr.indexOf("wrote out.jsonl")).toBeGreaterThan(-1)
    expect(run.stderr.indexOf("wrote report.html")).toBeGreaterThan(run.stderr.indexOf("wrote out.jsonl"))
    const html = Fs.readFileSync(Path.join(cwd, "report.html"), "utf8")
    // self-contained: no external script, style sheet or image
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)

    // what the map must show, counted from the result file itself
    const rows = records(Path.join(cwd, "out.jsonl"))
    expect(rows).toHaveLength(summary.Rows)
    const positioned = rows.filter((r) => positionOf(r) !== undefined)
    const perCategory = Object.fromEntries(Outcome.categories.map((c) => [c.toLowerCase(), 0]))
    for (const r of positioned) perCategory[Outcome.ofRecord(r).category.toLowerCase()]!++
    expect(positioned.length).toBeGreaterThanOrEqual(8)
    expect(positioned.length).toBeLessThan(rows.length)

    const browser = await launch()
    try {
      const { attempted, errors, page } = await open(browser, Path.join(cwd, "report.html"), { width: 1280, height: 900 })
      // the counts
      expect(textNumber(await page.textContent("[data-count=rows]"))).toBe(summary.Rows)
      for (const c of Outcome.categories) {
        expect(textNumber(await page.textContent(`#summary [data-count=${c.toLowerCase()}]`)), c).toBe(summary[c])
      }
      // the reasons, with their counts
      const reasons = await page.$$eval("#reasons tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-reason"), tr.querySelector("td.num")?.textContent ?? ""]))
      expect(Object.fromEntries(reasons.map(([code, n]) => [code, textNumber(n ?? "")]))).toEqual(summary.Reasons)
      // the charts hold the same numbers
      const chartData = await page.evaluate(() => {
        const chart = (window as unknown as { Chart: { getChart: (id: string) => { data: { labels: Array<string>; datasets: Array<{ data: Array<number> }> } } | undefined } }).Chart
        const read = (id: string) => {
          const c = chart.getChart(id)
          return c === undefined ? undefined : Object.fromEntries(c.data.labels.map((l, i) => [l, c.data.datasets[0]!.data[i]]))
        }
        return { categories: read("chart-categories"), confidence: read("chart-confidence"), granularity: read("chart-granularity"), reasons: read("chart-reasons") }
      })
      expect(chartData.categories).toEqual(Object.fromEntries(Outcome.categories.map((c) => [c, summary[c]])))
      expect(chartData.confidence).toEqual(summary.Confidence)
      expect(chartData.granularity).toEqual(summary.Granularity)
      expect(chartData.reasons).toEqual(summary.Reasons)
      // the map: one mark per row with a position, each drawn, coloured by its category
      const marks = await page.$$eval("#map path.geojobs-mark", (paths) => paths.map((p) => ({ d: p.getAttribute("d") ?? "", cls: p.getAttribute("class") ?? "" })))
      expect(marks).toHaveLength(positioned.length)
      for (const m of marks) expect(m.d).toMatch(/^M[\d.-]+[ ,][\d.-]+a/)
      for (const c of Outcome.categories) {
        const lower = c.toLowerCase()
        expect(marks.filter((m) => m.cls.includes(`geojobs-${lower}`)).length, c).toBe(perCategory[lower])
        expect(textNumber(await page.textContent(`.legend [data-category=${lower}]`)), c).toBe(perCategory[lower])
      }
      // the basemap: country and state outlines
      expect(await page.$$eval("#map path:not(.geojobs-mark)", (p) => p.length)).toBeGreaterThan(150)
      // the table: every row that needs attention, and a search that filters it
      const needing = summary.Rows - summary.Validated
      const attention = summary.NeedsAttention as ReadonlyArray<Attention>
      expect(attention).toHaveLength(needing)
      expect(await visibleRows(page)).toEqual(attention.map((a) => a.Row))
      // a postal code; a reason and a city together; a category; nothing
      const pike = attention.find((a) => a.Input.startsWith("85 Pike Street"))!
      for (const query of ["99999", `seattle ${pike.Reason}`, "UNCONFIRMED", "no such words"]) {
        await page.fill("#search", query)
        const expected = matching(attention, query)
        expect(await visibleRows(page), query).toEqual(expected)
        expect(textNumber(await page.textContent("#attention-shown")), query).toBe(expected.length)
      }
      expect(matching(attention, "99999")).toEqual([9])
      expect(matching(attention, `seattle ${pike.Reason}`)).toEqual([11])
      expect(matching(attention, "no such words")).toEqual([])
      await page.fill("#search", "")
      expect(await visibleRows(page)).toHaveLength(needing)
      expect(errors).toEqual([])
      expect(attempted, "the page asked the network for something").toEqual([])

      const shots = tempDir("geojobs-report-shots-")
      await page.screenshot({ path: Path.join(shots, "desktop.png"), fullPage: true })
      // a phone's width: nothing wider than the screen (the table scrolls in its own box)
      const phone = await open(browser, Path.join(cwd, "report.html"), { width: 390, height: 844 })
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      expect(await visibleRows(phone.page)).toHaveLength(needing)
      await phone.page.fill("#search", "99999")
      expect(await visibleRows(phone.page)).toEqual([9])
      await phone.page.fill("#search", "")
      await phone.page.screenshot({ path: Path.join(shots, "phone.png"), fullPage: true })
      expect(phone.attempted).toEqual([])
      expect(phone.errors).toEqual([])
      console.log(`report screenshots: ${shots}`)
    } finally {
      await browser.close()
    }
  }, 180_000)

  it.skipIf(chromiumPath === undefined)("reports the sample (examples/addresses.csv) for the README", async () => {
    const cwd = tempDir()
    Fs.copyFileSync(Path.join(repo, "examples/addresses.csv"), Path.join(cwd, "addresses.csv"))
    const run = await geojobs(["validate", "addresses.csv", "--features", "Position", "--report", "addresses.report.html"], { cwd })
    expect(run.code, run.stderr).toBe(0)
    const summary = json(run)
    const browser = await launch()
    try {
      const { attempted, errors, page } = await open(browser, Path.join(cwd, "addresses.report.html"), { width: 1100, height: 800 })
      expect(textNumber(await page.textContent("[data-count=rows]"))).toBe(summary.Rows)
      expect(textNumber(await page.textContent("#summary [data-count=validated]"))).toBe(summary.Validated)
      expect(Number(await page.getAttribute("#map", "data-marks"))).toBeGreaterThan(0)
      expect(errors).toEqual([])
      expect(attempted).toEqual([])
      // the README's picture: from the top to the map's bottom
      const map = (await page.locator("#map").boundingBox())!
      const shot = Path.join(tempDir("geojobs-report-shots-"), "report.png")
      await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: Math.ceil(map.y + map.height + 48) } })
      console.log(`sample report screenshot: ${shot}`)
      // `GEOJOBS_UPDATE_SCREENSHOT=1` refreshes the README's picture
      if (process.env.GEOJOBS_UPDATE_SCREENSHOT === "1") Fs.copyFileSync(shot, Path.join(repo, "apps/cli/docs/report.png"))
    } finally {
      await browser.close()
    }
  }, 180_000)
})
