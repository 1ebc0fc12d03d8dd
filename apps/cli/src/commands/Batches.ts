/**
 * `geojobs batches [ID]`: the batches of a running geojobs-worker — a list (optionally by state),
 * one batch, a cancellation, a watch until the batch ends, or a download of a completed batch's
 * results. Each batch shows a one-line summary and its last error.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { BatchState, type BatchView, isTerminal } from "@geojobs/worker/Batch"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { UsageError } from "../CliError.js"
import * as Globals from "../Globals.js"
import { Io } from "../Io.js"
import * as Run from "../Run.js"
import * as WorkerTarget from "../WorkerTarget.js"

const states = Schema.decodeUnknownEither(Schema.Array(BatchState))

/** The watch line for a batch: printed when it changes, not at every poll. */
const watchLine = (b: BatchView) => `batch ${b.id}: ${b.state}${b.summary !== undefined ? ` — ${b.summary}` : b.jobId ? ` (job ${b.jobId})` : ""}`

/** `batches`. */
export const command = Command.make(
  "batches",
  {
    id: Args.text({ name: "batch-id" }).pipe(Args.withDescription("Show (or watch, cancel, download) this batch."), Args.optional),
    status: Options.text("status").pipe(
      Options.withDescription(`Only batches in these states, comma-separated (${BatchState.literals.join(", ")}).`),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    limit: Options.integer("limit").pipe(Options.withDescription("At most this many batches (newest first)."), Options.optional, Options.map(Option.getOrUndefined)),
    cancel: Options.boolean("cancel").pipe(Options.withDescription("Cancel the batch (and its job).")),
    watch: Options.boolean("watch").pipe(Options.withDescription("Poll the batch until it is Completed, Failed or Cancelled; a line on stderr at each change.")),
    download: Options.text("download").pipe(
      Options.withDescription("Write the output files of the (Completed) batch into this directory as <batch-id>-<name>; with --watch, once it ends."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    ...WorkerTarget.options,
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const io = yield* Io
        if (Option.isNone(config.id)) {
          if (config.cancel || config.watch || config.download !== undefined) {
            return yield* new UsageError({ message: "--cancel, --watch and --download need a batch id" })
          }
        } else if (config.cancel && (config.watch || config.download !== undefined)) {
          return yield* new UsageError({ message: "--cancel cannot be combined with --watch or --download" })
        }
        const worker = yield* WorkerTarget.client(config)
        if (Option.isNone(config.id)) {
          const wanted = config.status === undefined ? undefined : states(config.status.split(",").map((s) => s.trim()))
          if (wanted !== undefined && wanted._tag === "Left") {
            return yield* new UsageError({ message: `--status: unknown state in "${config.status}" (states: ${BatchState.literals.join(", ")})` })
          }
          const listed = yield* worker.list({
            ...(wanted !== undefined && wanted._tag === "Right" ? { status: wanted.right } : {}),
            ...(config.limit !== undefined ? { limit: config.limit } : {})
          })
          return yield* Run.print(globals, "Batches", listed)
        }
        const id = config.id.value
        if (config.cancel) return yield* Run.print(globals, "Batch", yield* worker.cancel(id))
        let batch = yield* worker.get(id)
        let last: string | undefined
        while (config.watch && !isTerminal(batch.state)) {
          const line = watchLine(batch)
          if (line !== last) io.stderr(`geojobs: ${line}\n`)
          last = line
          yield* Effect.sleep("1 second")
          batch = yield* worker.get(id)
        }
        if (config.download !== undefined) {
          if (batch.state !== "Completed") {
            return yield* new UsageError({ message: `batch ${id} is ${batch.state}${batch.summary ? ` (${batch.summary})` : ""}: only a Completed batch has results to download` })
          }
          const dir = Path.resolve(io.cwd, config.download)
          yield* Effect.try({
            try: () => Fs.mkdirSync(dir, { recursive: true }),
            catch: (e) => new UsageError({ message: `--download ${config.download}: ${(e as Error).message}` })
          })
          const { outputs } = yield* worker.outputs(id)
          for (const o of outputs) {
            const file = Path.join(dir, `${id}-${o.name}`)
            yield* worker.download(id, o.n, file)
            io.stderr(`geojobs: wrote ${Path.relative(io.cwd, file) || file} (${o.size} bytes)\n`)
          }
          if (outputs.length === 0) io.stderr(`geojobs: batch ${id} has no output files\n`)
        }
        yield* Run.print(globals, "Batch", batch)
      }))
).pipe(Command.withDescription("Lists, shows, watches, cancels or downloads the results of geojobs-worker batches."))
