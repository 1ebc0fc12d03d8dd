/**
 * @internal What the report page inlines besides its data: the browser builds of Chart.js,
 * Leaflet (script and style sheet) and topojson-client, read from their installed packages
 * (dependencies of `@geojobs/cli`, so the built CLI finds them as the sources do), and two
 * TopoJSON outlines embedded in the bundle by their JSON imports: the world's countries at
 * 1:110m (`world-atlas`) and the US states at 1:10m (`us-atlas`).
 */
import * as FsP from "node:fs/promises"
import { createRequire } from "node:module"
import * as Path from "node:path"
import states from "us-atlas/states-10m.json" with { type: "json" }
import world from "world-atlas/countries-110m.json" with { type: "json" }

/** The inlined libraries and outlines. */
export interface Assets {
  readonly chartJs: string
  readonly leafletJs: string
  readonly leafletCss: string
  readonly topojsonJs: string
  /** The world's countries (`objects.countries`; ids are ISO 3166 numeric codes). */
  readonly world: unknown
  /** The US states (`objects.states`). */
  readonly states: unknown
}

// not named `require`: the bundle's banner declares that name in every chunk
const resolver = createRequire(import.meta.url)

/** A file beside a package's main entry (Chart.js's `exports` lists no `dist/` file). */
const besideMain = (name: string, file: string) => Path.join(Path.dirname(resolver.resolve(name)), file)

/**
 * Leaflet's style sheet names images (layer switcher, default marker) the report never shows;
 * dropped, so that nothing in the page can ask for a file.
 */
const withoutImages = (css: string) => css.replace(/url\([^)]*\)/g, "none")

/** Reads the assets; fails when a package is missing. */
export const load = async (): Promise<Assets> => {
  const read = (name: string, file: string) => FsP.readFile(besideMain(name, file), "utf8")
  const [chartJs, leafletJs, leafletCss, topojsonJs] = await Promise.all([
    read("chart.js", "chart.umd.min.js"),
    read("leaflet", "leaflet.js"),
    read("leaflet", "leaflet.css"),
    read("topojson-client", "topojson-client.min.js")
  ])
  // the world's land object is unused: the countries cover it
  const countriesOnly = { ...world, objects: { countries: world.objects.countries } }
  return { chartJs, leafletJs, leafletCss: withoutImages(leafletCss), topojsonJs, world: countriesOnly, states }
}
