/**
 * @internal The report page's script: draws the charts (Chart.js), the map (Leaflet over the
 * inlined TopoJSON outlines) and wires the search of the table. It runs in the browser: the
 * page holds `draw`'s source text (`String(draw)`), so the function must use nothing from this
 * module, only its arguments and the browser's globals.
 */
import type { Chart as ChartJs } from "chart.js"
import type * as Leaflet from "leaflet"
import type * as TopojsonClient from "topojson-client"

type Topology = Parameters<typeof TopojsonClient.feature>[0]

/** What the script is given (the page's JSON, parsed). */
export interface Drawing {
  /** Category names, best first, and their colours (same order). */
  readonly categories: ReadonlyArray<readonly [name: string, count: number, colour: string]>
  /** The most frequent reasons: code, rows, colour of its category. */
  readonly reasons: ReadonlyArray<readonly [code: string, count: number, colour: string]>
  readonly confidence: ReadonlyArray<readonly [string, number]>
  readonly granularity: ReadonlyArray<readonly [string, number]>
  /** Positions, flat: latitude, longitude, category index, row number; four numbers a row. */
  readonly points: ReadonlyArray<number>
  /** The outlines: the world's countries (the US left out) and the US states. */
  readonly world: Topology
  readonly states: Topology
  /** ISO 3166 numeric codes of the countries not drawn: the one the states replace, Antarctica. */
  readonly hidden: ReadonlyArray<string>
}

/** The libraries, as their browser builds define them on `window`. */
export interface Libraries {
  readonly L: typeof Leaflet
  readonly Chart: typeof ChartJs
  readonly topojson: typeof TopojsonClient
}

/** Above this many marks the map draws on a canvas (fast) instead of one SVG element each. */
export const svgMarkLimit = 4_000

/** Draws the page. Runs in the browser: see the module's comment. */
export function draw(libraries: Libraries, data: Drawing, svgLimit: number): void {
  const { L, Chart, topojson } = libraries
  const byId = (id: string) => document.getElementById(id)

  // --- charts
  const ink = "#3e4c59"
  Chart.defaults.color = ink
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
  const bars = (id: string, rows: ReadonlyArray<readonly [string, number, string?]>, fallback: string, horizontal: boolean) => {
    const canvas = byId(id) as HTMLCanvasElement | null
    if (canvas === null) return
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((r) => r[0]),
        datasets: [{ data: rows.map((r) => r[1]), backgroundColor: rows.map((r) => r[2] ?? fallback), borderRadius: 3 }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0, autoSkip: false } }
        }
      }
    })
  }
  const categoriesCanvas = byId("chart-categories") as HTMLCanvasElement | null
  if (categoriesCanvas !== null) {
    new Chart(categoriesCanvas, {
      type: "doughnut",
      data: {
        labels: data.categories.map((c) => c[0]),
        datasets: [{ data: data.categories.map((c) => c[1]), backgroundColor: data.categories.map((c) => c[2]) }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "right" } }
      }
    })
  }
  bars("chart-reasons", data.reasons, "#7b8794", true)
  bars("chart-confidence", data.confidence, "#52606d", false)
  bars("chart-granularity", data.granularity, "#52606d", false)

  // --- map
  const mapElement = byId("map")
  if (mapElement !== null) {
    const count = data.points.length / 4
    const map = L.map(mapElement, { preferCanvas: count > svgLimit, zoomSnap: 0.25, minZoom: 1, maxZoom: 16, worldCopyJump: true })
    map.attributionControl.addAttribution("Outlines: Natural Earth (world-atlas), US Census Bureau (us-atlas)")
    const land = { color: "#9aa5b1", weight: 0.6, fillColor: "#f5f2eb", fillOpacity: 1, interactive: false }
    // Rings that cross the antimeridian (Russia, Fiji, the Aleutians) jump from +180 to -180, a
    // line across the whole map: continue them past it instead.
    const unwrap = (collection: GeoJSON.FeatureCollection) => {
      for (const feature of collection.features) {
        const g = feature.geometry
        const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : []
        for (const ring of polygons.flat()) {
          for (let i = 1; i < ring.length; i++) {
            const step = ring[i]![0]! - ring[i - 1]![0]!
            if (step > 180) ring[i]![0]! -= 360
            else if (step < -180) ring[i]![0]! += 360
          }
        }
      }
      return collection
    }
    const countries = unwrap(topojson.feature(data.world, data.world.objects.countries!) as unknown as GeoJSON.FeatureCollection)
    const others: GeoJSON.FeatureCollection = {
      type: "FeatureCollection",
      features: countries.features.filter((f) => !data.hidden.includes(String(f.id)))
    }
    L.geoJSON(others, { style: () => land, interactive: false }).addTo(map)
    L.geoJSON(unwrap(topojson.feature(data.states, data.states.objects.states!) as unknown as GeoJSON.FeatureCollection), {
      style: () => ({ ...land, weight: 0.5 }),
      interactive: false
    }).addTo(map)
    const marks = L.featureGroup()
    const shown = data.categories.map(() => 0)
    // each mark's row number and category, for its pop-up
    const about = new Map<Leaflet.Layer, readonly [number, number]>()
    for (let i = 0; i < data.points.length; i += 4) {
      const category = data.points[i + 2]!
      shown[category]!++
      const mark = L.circleMarker([data.points[i]!, data.points[i + 1]!], {
        radius: count > 10_000 ? 3 : count > 2_000 ? 4 : 6,
        color: "#ffffff",
        weight: count > 2_000 ? 0.5 : 1,
        fillColor: data.categories[category]![2],
        fillOpacity: 0.9,
        className: `geojobs-mark geojobs-${data.categories[category]![0].toLowerCase()}`
      })
      about.set(mark, [data.points[i + 3]!, category])
      mark.addTo(marks)
    }
    marks.on("click", (event: Leaflet.LeafletMouseEvent) => {
      const mark = event.propagatedFrom as Leaflet.CircleMarker
      const [row, category] = about.get(mark) ?? [0, 0]
      L.popup().setLatLng(mark.getLatLng()).setContent(`Row ${row} · ${data.categories[category]![0]}`).openOn(map)
    })
    marks.addTo(map)
    if (count > 0) map.fitBounds(marks.getBounds(), { padding: [24, 24], maxZoom: 12 })
    else map.setView([30, -40], 2)
    const legend = new L.Control({ position: "topright" })
    legend.onAdd = () => {
      const box = L.DomUtil.create("div", "legend")
      for (const [k, c] of data.categories.entries()) {
        const line = L.DomUtil.create("div", "", box)
        const swatch = L.DomUtil.create("span", "swatch", line)
        swatch.style.background = c[2]
        line.append(`${c[0]} `)
        const n = L.DomUtil.create("b", "", line)
        n.dataset.category = c[0].toLowerCase()
        n.textContent = shown[k]!.toLocaleString("en-US")
      }
      return box
    }
    legend.addTo(map)
    mapElement.dataset.marks = String(marks.getLayers().length)
  }

  // --- the table's search
  const search = byId("search") as HTMLInputElement | null
  const body = document.querySelector("#attention tbody")
  const shownCount = byId("attention-shown")
  if (search !== null && body !== null) {
    const rows = Array.from(body.querySelectorAll("tr"))
    const texts = rows.map((r) => (r.textContent ?? "").toLowerCase())
    const filter = () => {
      const words = search.value.toLowerCase().split(/\s+/).filter((w) => w.length > 0)
      let visible = 0
      for (const [i, row] of rows.entries()) {
        const hit = words.every((w) => texts[i]!.includes(w))
        row.hidden = !hit
        if (hit) visible++
      }
      if (shownCount !== null) shownCount.textContent = visible.toLocaleString("en-US")
    }
    search.addEventListener("input", filter)
    filter()
  }
}
