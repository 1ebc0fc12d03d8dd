/**
 * `geojobs submit <file | s3://…>`: hands a batch of addresses to a running geojobs-worker,
 * which takes it through upload → StartJob → wait → collect durably. A local file is uploaded
 * to the worker; an `s3://` location (or `--no-upload`) is passed as is. Submitting the same
 * key twice answers the existing batch.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Path from "node:path"
import * as Globals from "../Globals.js"
import { Io } from "../Io.js"
import * as Run from "../Run.js"
import * as WorkerTarget from "../WorkerTarget.js"

/** `submit`. */
export const command = Command.make(
  "submit",
  {
    location: Args.text({ name: "file-or-location" }).pipe(Args.withDescription("A CSV/JSONL/Parquet file, or an s3:// Parquet location.")),
    key: Options.text("key").pipe(
      Options.withDescription("The batch key (default: derived by the worker from the content). The same key never makes two batches."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    noUpload: Options.boolean("no-upload").pipe(
      Options.withDescription("Pass the location as is: a path the worker can read itself.")
    ),
    ...WorkerTarget.options,
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const io = yield* Io
        const worker = yield* WorkerTarget.client(config)
        const remote = config.location.startsWith("s3://") || config.noUpload
        const answer = remote
          ? yield* worker.submit({ location: config.location, key: config.key })
          : yield* worker.submitFile(Path.resolve(io.cwd, config.location), { key: config.key })
        io.stderr(`geojobs: batch ${answer.batch.id} ${answer.created ? "submitted" : "already submitted"} (${answer.batch.state})\n`)
        yield* Run.print(globals, "SubmitBatch", answer)
      }))
).pipe(Command.withDescription("Submits a batch of addresses to geojobs-worker."))
