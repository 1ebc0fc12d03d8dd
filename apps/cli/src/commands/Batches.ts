/**
 * `geojobs batches [ID]`: the batches of a running geojobs-worker — a list (optionally by state),
 * one batch, a cancellation, or a watch until the batch ends.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { BatchState, isTerminal } from "@geojobs/worker/Batch"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Globals from "../Globals.js"
import { Io } from "../Io.js"
import * as Run from "../Run.js"
import { UsageError } from "../CliError.js"
import * as WorkerTarget from "../WorkerTarget.js"

const states = Schema.decodeUnknownEither(Schema.Array(BatchState))

/** `batches`. */
export const command = Command.make(
  "batches",
  {
    id: Args.text({ name: "batch-id" }).pipe(Args.withDescription("Show (or watch, or cancel) this batch."), Args.optional),
    status: Options.text("status").pipe(
      Options.withDescription(`Only batches in these states, comma-separated (${BatchState.literals.join(", ")}).`),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    limit: Options.integer("limit").pipe(Options.withDescription("At most this many batches (newest first)."), Options.optional, Options.map(Option.getOrUndefined)),
    cancel: Options.boolean("cancel").pipe(Options.withDescription("Cancel the batch (and its job).")),
    watch: Options.boolean("watch").pipe(Options.withDescription("Poll the batch until it is Completed, Failed or Cancelled.")),
    workerUrl: WorkerTarget.workerUrlOption,
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const io = yield* Io
        const worker = yield* WorkerTarget.client(config.workerUrl)
        if (Option.isNone(config.id)) {
          if (config.cancel || config.watch) return yield* new UsageError({ message: "--cancel and --watch need a batch id" })
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
        while (config.watch && !isTerminal(batch.state)) {
          io.stderr(`geojobs: batch ${id}: ${batch.state}${batch.jobId ? ` (job ${batch.jobId})` : ""}\n`)
          yield* Effect.sleep("1 second")
          batch = yield* worker.get(id)
        }
        yield* Run.print(globals, "Batch", batch)
      }))
).pipe(Command.withDescription("Lists, shows, watches or cancels geojobs-worker batches."))
