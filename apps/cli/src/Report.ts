/**
 * `validate --report FILE.html`: the summary as one self-contained page that needs no network
 * (every script, style and outline inlined) and reads on a phone as on a desktop: the counts per
 * category, the reasons, charts of categories, reasons, confidence and granularity (Chart.js), a
 * map of the rows with a position coloured by category (Leaflet over country and US state
 * outlines), and a searchable table of the rows that need attention. The file is checked before
 * the job runs (as `--out` is) and written atomically after the result file.
 *
 * @since 0.1.0
 */
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
import * as FsP from "node:fs/promises"
import * as Path from "node:path"
import { UsageError } from "./CliError.js"
import * as OutputFile from "./OutputFile.js"
import * as reportAssets from "./internal/reportAssets.js"
import * as reportPage from "./internal/reportPage.js"
import type * as Summary from "@geojobs/address/ResultSummary"

/**
 * What the summary keeps for a report (`Summary.make`'s options): the page lists at most this
 * many rows that need attention and maps at most this many positions, and says so when a cap cut.
 */
export const limits = { attentionLimit: 5_000, pointLimit: 50_000 } as const

/** The report file: its absolute path and the path as the user gave it. */
export interface ReportFile {
  readonly path: string
  readonly shown: string
}

/** About the run, for the page's heading. */
export type Meta = reportPage.Meta

/**
 * The report file for `--report <raw>`, checked before any work: an `.html` (or `.htm`) name, in
 * a directory that exists and can be written, and neither the input nor another file of the run.
 */
export const resolve = (options: {
  readonly cwd: string
  readonly raw: string
  /** The input, absolute. */
  readonly input: string
  /** The run's other files, by the option that names them (`--out`, `--review`). */
  readonly others: ReadonlyArray<readonly [option: string, path: string]>
}): Effect.Effect<ReportFile, UsageError> =>
  Effect.gen(function*() {
    const { raw } = options
    const path = Path.resolve(options.cwd, raw)
    if (!/\.html?$/i.test(raw)) {
      return yield* new UsageError({ message: `--report ${raw}: name an .html file (the report is one web page)` })
    }
    if (path === Path.resolve(options.input)) {
      return yield* new UsageError({ message: `--report ${raw} is the input file: choose another name` })
    }
    for (const [option, other] of options.others) {
      if (path === Path.resolve(other)) return yield* new UsageError({ message: `--report ${raw} is also the ${option} file: choose another name` })
    }
    // the directory checks `--out` gets (the format is not used by them)
    yield* OutputFile.check({ path, shown: raw, format: "csv" }, options.input)
    return { path, shown: raw }
  })

/** The page for a summary, as text. */
export const render = (summary: Summary.Summary, meta: Meta): Effect.Effect<string, UsageError> =>
  Effect.tryPromise({
    try: () => reportAssets.load(),
    catch: (e) => new UsageError({ message: `--report: cannot read the page's libraries (is @geojobs/cli fully installed?): ${(e as Error).message}` })
  }).pipe(Effect.map((assets) => reportPage.render(summary, meta, assets)))

/** Writes the page to the report file atomically (a temp file beside it, then a rename). */
export const write = (file: ReportFile, summary: Summary.Summary, meta: Meta): Effect.Effect<void, UsageError> =>
  Effect.flatMap(render(summary, meta), (html) => {
    const temp = NodeFile.tempPathFor(file.path)
    return Effect.tryPromise({
      try: async () => {
        await FsP.writeFile(temp, html, { flag: "wx" })
        await FsP.rename(temp, file.path)
      },
      catch: (e) => new UsageError({ message: `${file.shown}: cannot write: ${(e as Error).message}` })
    }).pipe(Effect.tapError(() => Effect.promise(() => FsP.rm(temp, { force: true }))))
  })
