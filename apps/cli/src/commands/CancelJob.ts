/**
 * `geojobs cancel-job --job-id <id>`: as `aws location cancel-job`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Globals from "../Globals.js"
import * as Run from "../Run.js"
import { jobIdOptions, jobIdRequest } from "./GetJob.js"

/** `cancel-job`. */
export const command = Command.make(
  "cancel-job",
  { ...jobIdOptions, ...Globals.options },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const request = yield* jobIdRequest(globals, "CancelJob", config)
        if (request === undefined) return
        const result = yield* Run.withSession(globals, LocationJobs.cancelJob(request).pipe(Run.call("CancelJob")))
        yield* Run.print(globals, "CancelJob", result)
      }))
).pipe(Command.withDescription("Cancels a Pending or Running job (as aws location cancel-job)."))
