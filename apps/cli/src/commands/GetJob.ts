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
import * as Globals from "../Globals.js"
import * as Run from "../Run.js"
import * as Shapes from "../Shapes.js"

/** `--job-id`, optional so that `--cli-input-json` can give it. */
export const jobIdOption = Options.text("job-id").pipe(
  Options.withDescription("The job's id."),
  Options.optional,
  Options.map(Option.getOrUndefined)
)

/** `--cli-input-json` of the job-id operations. */
export const cliInputJsonOption = Options.text("cli-input-json").pipe(
  Options.withDescription("The request as JSON ({\"JobId\":\"…\"}) or file://…"),
  Options.optional,
  Options.map(Option.getOrUndefined)
)

/** The job id from the flag or `--cli-input-json`. */
export const jobIdFrom = (config: { readonly jobId: string | undefined; readonly cliInputJson: string | undefined }) =>
  Effect.gen(function*() {
    const base = yield* Run.cliInputJson(config.cliInputJson, Shapes.JobIdRequest)
    const jobId = config.jobId ?? (base.JobId as string | undefined)
    yield* Run.requireArguments(jobId === undefined ? ["--job-id"] : [])
    return jobId!
  })

/** `get-job`. */
export const command = Command.make(
  "get-job",
  { jobId: jobIdOption, cliInputJson: cliInputJsonOption, ...Globals.options },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const jobId = yield* jobIdFrom(config)
        const job = yield* Run.withSession(globals, LocationJobs.getJob({ JobId: jobId }).pipe(Run.call("GetJob")))
        yield* Run.print(globals, "GetJob", job)
      }))
).pipe(Command.withDescription("Shows a job (as aws location get-job)."))
