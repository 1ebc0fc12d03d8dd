/**
 * `geojobs get-job --job-id <id>`: as `aws location get-job`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliInput from "../CliInput.js"
import * as Globals from "../Globals.js"
import * as Run from "../Run.js"

/** `--job-id`, optional so that `--cli-input-json`/`--cli-input-yaml` can give it. */
export const jobIdOption = Options.text("job-id").pipe(
  Options.withDescription("The job's id."),
  Options.optional,
  Options.map(Option.getOrUndefined)
)

/** The options of the job-id operations (`get-job`, `cancel-job`, `wait job-completed`). */
export const jobIdOptions = { jobId: jobIdOption, ...CliInput.options } as const

/**
 * The `{ JobId }` request of a job-id operation from the flag or `--cli-input-*`, checked as
 * the AWS CLI checks it; undefined when a skeleton was printed instead.
 */
export const jobIdRequest = (
  globals: Globals.Globals,
  operation: "GetJob" | "CancelJob",
  config: CliInput.Flags & { readonly jobId: string | undefined }
) => Effect.map(Run.prepare(globals, operation, config, { JobId: config.jobId }), (r) => r as { readonly JobId: string } | undefined)

/** `get-job`. */
export const command = Command.make(
  "get-job",
  { ...jobIdOptions, ...Globals.options },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const request = yield* jobIdRequest(globals, "GetJob", config)
        if (request === undefined) return
        const job = yield* Run.withSession(globals, LocationJobs.getJob(request).pipe(Run.call("GetJob")))
        yield* Run.print(globals, "GetJob", job)
      }))
).pipe(Command.withDescription("Shows a job (as aws location get-job)."))
