/**
 * @internal The report as one HTML page: the counts, the reasons and the table of rows that
 * need attention written as HTML (readable without scripts), the charts and the map drawn by
 * the inlined libraries from the page's JSON (see `reportBrowser.ts`). Pure: text in, text out.
 */
import * as Outcome from "@geojobs/address/Outcome"
import type * as Summary from "@geojobs/address/ResultSummary"
import type { Assets } from "./reportAssets.js"
import { draw, type Drawing, svgMarkLimit } from "./reportBrowser.js"

/** About the run, for the page's heading. */
export interface Meta {
  readonly input: string
  readonly output: string
  readonly jobId: string
  readonly generatedAt: Date
}

/** Category colours: distinguishable with the common colour-vision deficiencies. */
const colours: Readonly<Record<Outcome.Category, string>> = {
  Validated: "#1a9850",
  Corrected: "#3b6fb6",
  Unconfirmed: "#e69f00",
  Failed: "#c0392b"
}

/** The reasons the chart shows (the table lists all). */
const chartedReasons = 12

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

/** Text for a `<script>` or `<style>` element: nothing in it can close the element or open a comment. */
const scriptText = (text: string) => text.replace(/<\/(script|style)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")

/** JSON for a `<script type="application/json">` element. */
const jsonText = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c")

const number = (n: number) => n.toLocaleString("en-US")

const percent = (n: number, of: number) => (of === 0 ? "0%" : `${(Math.round((n / of) * 1000) / 10).toLocaleString("en-US")}%`)

const reasonText = (code: string): string => (Outcome.reasons as Record<string, { readonly text: string }>)[code]?.text ?? ""

const reasonCategory = (code: string): Outcome.Category | undefined =>
  (Outcome.reasons as Record<string, { readonly category: Outcome.Category }>)[code]?.category

/** What the page's script draws. */
const drawing = (summary: Summary.Summary, assets: Assets): Drawing => {
  const index = new Map(Outcome.categories.map((c, i) => [c, i]))
  const points: Array<number> = []
  const round = (x: number) => Math.round(x * 1e5) / 1e5
  for (const p of summary.points) points.push(round(p.latitude), round(p.longitude), index.get(p.category)!, p.row)
  return {
    categories: Outcome.categories.map((c) => [c, countOf(summary, c), colours[c]] as const),
    reasons: summary.reasons.slice(0, chartedReasons).map(([code, n]) => [code, n, colours[reasonCategory(code) ?? "Failed"]] as const),
    confidence: summary.confidence,
    granularity: summary.granularity,
    points,
    world: assets.world as Drawing["world"],
    states: assets.states as Drawing["states"],
    // the US drawn by its states; Antarctica's edge at the pole is a line across a Mercator map
    hidden: ["840", "010"]
  }
}

const countOf = (summary: Summary.Summary, category: Outcome.Category): number =>
  summary[category.toLowerCase() as Summary.Category]

const style = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --panel: #ffffff; --page: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
header h1 { font-size: 1.45rem; margin: 4px 0 2px; }
header p { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0 0 10px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px; margin-top: 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--c, #52606d); border-radius: 8px; padding: 8px 12px; }
.card .n { display: block; font-size: 1.7rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
.grid section { margin-top: 0; }
.chart { position: relative; height: 260px; }
.chart.tall { height: 340px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.wrap { overflow-x: auto; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; color: #fff; background: var(--c); font-size: 0.8rem; white-space: nowrap; }
code { font-size: 0.9em; }
#map { height: min(70vh, 560px); border-radius: 8px; background: #d8e6f2; }
.legend { background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 6px; line-height: 1.6; font-size: 0.85rem; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.note { color: var(--muted); margin: 8px 0 0; }
.search { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 10px; }
.search input { flex: 1 1 240px; font: inherit; padding: 8px 10px; border: 1px solid #cbd2d9; border-radius: 6px; }
#attention td:nth-child(4), #attention td:nth-child(5) { min-width: 220px; }
#attention tr[hidden] { display: none; }
@media (max-width: 600px) {
  main { padding: 10px; }
  section { padding: 10px; }
  .card .n { font-size: 1.35rem; }
  th, td { padding: 5px 6px; font-size: 0.9rem; }
  .share { display: none; }
  /* the rows as cards: number, category and reason on one line, then the message and the input */
  #attention thead { display: none; }
  #attention tr { display: block; padding: 8px 0; border-bottom: 1px solid var(--line); }
  #attention td { display: block; border: 0; padding: 2px 0; min-width: 0 !important; text-align: left; }
  #attention td:nth-child(-n+3) { display: inline-block; margin-right: 8px; }
  #attention td:nth-child(1)::before { content: "Row "; color: var(--muted); }
  #attention td:nth-child(5) { color: var(--muted); }
}
`

const card = (key: string, label: string, n: number, rows: number, colour?: string) =>
  `<div class="card"${colour !== undefined ? ` style="--c:${colour}"` : ""}><span class="n" data-count="${key}">${number(n)}</span>` +
  `<span class="label">${label}${key === "rows" ? "" : ` · ${percent(n, rows)}`}</span></div>`

const badge = (category: Outcome.Category) => `<span class="badge" style="--c:${colours[category]}">${category}</span>`

/** The page. */
export const render = (summary: Summary.Summary, meta: Meta, assets: Assets): string => {
  const needingAttention = summary.rows - summary.validated
  const listed = summary.attention.length
  const mapped = summary.points.length
  const reasons = summary.reasons
    .map(([code, n]) => {
      const category = reasonCategory(code)
      return `<tr data-reason="${escapeHtml(code)}"><td>${category !== undefined ? badge(category) : ""}</td><td><code>${escapeHtml(code)}</code><br>` +
        `<span class="note">${escapeHtml(reasonText(code))}</span></td><td class="num">${number(n)}</td><td class="num share">${percent(n, summary.rows)}</td></tr>`
    })
    .join("")
  const attention = summary.attention
    .map((a) =>
      `<tr><td class="num">${a.row}</td><td>${badge(a.category)}</td><td><code>${escapeHtml(a.reason)}</code></td>` +
      `<td>${escapeHtml(a.message)}</td><td>${escapeHtml(a.input)}</td></tr>`
    )
    .join("")
  const mapNote = summary.positioned === 0
    ? summary.rows === 0
      ? "The file had no rows."
      : "No row has a position: run validate with <code>--features Position</code> to place the rows on the map."
    : mapped < summary.positioned
    ? `The map shows the first ${number(mapped)} of ${number(summary.positioned)} rows with a position; the result file has them all.`
    : `${number(mapped)} of ${number(summary.rows)} rows have a position.`
  const attentionNote = listed < needingAttention
    ? `The table lists the first ${number(listed)} of ${number(needingAttention)} rows that need attention; the result file has them all.`
    : needingAttention === 0
    ? "No row needs attention."
    : ""
  const topReasons = summary.reasons.length === 0
    ? "No rows."
    : "Top reasons: " + summary.reasons.slice(0, 5).map(([code, n]) => `<code>${escapeHtml(code)}</code> ${number(n)}`).join(" · ")
  const title = `geojobs validate: ${meta.input}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${scriptText(assets.leafletCss)}</style>
<style>${style}</style>
</head>
<body>
<main>
<header>
<h1>Validation report</h1>
<p><b>${escapeHtml(meta.input)}</b> → ${escapeHtml(meta.output)}</p>
<p>Job <code>${escapeHtml(meta.jobId)}</code> · ${escapeHtml(meta.generatedAt.toISOString().replace(/\.\d+Z$/, "Z"))}</p>
</header>
<section id="summary">
<h2>Summary</h2>
<div class="cards">
${card("rows", "rows", summary.rows, summary.rows)}
${Outcome.categories.map((c) => card(c.toLowerCase(), c, countOf(summary, c), summary.rows, colours[c])).join("\n")}
</div>
<p class="note" id="top-reasons">${topReasons}</p>
</section>
<div class="grid" style="margin-top:16px">
<section><h2>Categories</h2><div class="chart"><canvas id="chart-categories" role="img" aria-label="Rows per category"></canvas></div></section>
<section><h2>Top reasons</h2><div class="chart tall"><canvas id="chart-reasons" role="img" aria-label="Rows per reason"></canvas></div></section>
<section><h2>Match confidence</h2><div class="chart"><canvas id="chart-confidence" role="img" aria-label="Rows per match confidence"></canvas></div></section>
<section><h2>Validation granularity</h2><div class="chart"><canvas id="chart-granularity" role="img" aria-label="Rows per validation granularity"></canvas></div></section>
</div>
<section>
<h2>Map</h2>
<div id="map" role="region" aria-label="Map of the rows with a position, coloured by category"></div>
<p class="note" id="map-note">${mapNote}</p>
</section>
<section>
<h2>Reasons</h2>
<div class="wrap"><table id="reasons"><thead><tr><th>Category</th><th>Reason</th><th class="num">Rows</th><th class="num share">Share</th></tr></thead><tbody>${reasons}</tbody></table></div>
</section>
<section>
<h2>Rows that need attention</h2>
<div class="search"><input id="search" type="search" placeholder="Search rows: a word, a reason, a postal code…" aria-label="Search the rows that need attention">
<span><b id="attention-shown">${number(listed)}</b> of <b id="attention-listed">${number(listed)}</b> rows shown</span></div>
<div class="wrap"><table id="attention"><thead><tr><th class="num">Row</th><th>Category</th><th>Reason</th><th>Message</th><th>Input</th></tr></thead><tbody>${attention}</tbody></table></div>
<p class="note" id="attention-note">${attentionNote}</p>
</section>
</main>
<script type="application/json" id="report-data">${jsonText(drawing(summary, assets))}</script>
<script>${scriptText(assets.leafletJs)}</script>
<script>${scriptText(assets.chartJs)}</script>
<script>${scriptText(assets.topojsonJs)}</script>
<script>
// __name: what a build that keeps function names (tsx) calls inside the function below
var __name = function (f) { return f };
(${scriptText(String(draw))})({ L: window.L, Chart: window.Chart, topojson: window.topojson }, JSON.parse(document.getElementById("report-data").textContent), ${svgMarkLimit});
</script>
</body>
</html>
`
}
