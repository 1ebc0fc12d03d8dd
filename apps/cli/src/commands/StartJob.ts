/**
 * `geojobs start-job`: as `aws location start-job`, same flags, shorthand or JSON values,
 * `--cli-input-json`/`--cli-input-yaml`, `--generate-cli-skeleton`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliInput from "../CliInput.js"
import * as Globals from "../Globals.js"
import * as Run from "../Run.js"
import * as Shapes from "../Shapes.js"

const text = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional, Options.map(Option.getOrUndefined))

/** `start-job`. */
export const command = Command.make(
  "start-job",
  {
    action: text("action", "The action: ValidateAddress."),
    executionRoleArn: text("execution-role-arn", "IAM role the job runs as (reads the input, writes the output)."),
    inputOptions: text("input-options", "Input: Location=arn:aws:s3:::bucket,Format=Parquet (or JSON, or file://…)."),
    outputOptions: text("output-options", "Output: Location=arn:aws:s3:::bucket,Format=Parquet (or JSON, or file://…)."),
    actionOptions: text(
      "action-options",
      "Action options, e.g. '{\"ValidateAddress\":{\"AdditionalFeatures\":[\"Position\"]}}' or ValidateAddress={AdditionalFeatures=[Position]}."
    ),
    clientToken: text("client-token", "Idempotency token (1-64 printable characters); generated when absent."),
    name: text("name", "A name for the job ([-._A-Za-z0-9], up to 100)."),
    tags: Options.text("tags").pipe(
      Options.withDescription("Tags: k1=v1,k2=v2 or JSON {\"k1\":\"v1\"} (repeatable)."),
      Options.repeated
    ),
    ...CliInput.options,
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const inputOptions = yield* Run.parameter("--input-options", "InputOptions", config.inputOptions, Shapes.InputOptions)
        const outputOptions = yield* Run.parameter("--output-options", "OutputOptions", config.outputOptions, Shapes.OutputOptions)
        const actionOptions = yield* Run.parameter("--action-options", "ActionOptions", config.actionOptions, Shapes.ActionOptions)
        let tags: Record<string, unknown> | undefined
        for (const raw of config.tags) {
          const parsed = yield* Run.parameter("--tags", "Tags", raw, Shapes.Tags)
          // Repeated --tags add up; a value that is not a map is left whole for the check to name.
          tags = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
            ? { ...tags, ...(parsed as Record<string, unknown>) }
            : parsed as Record<string, unknown>
        }
        const request = yield* Run.prepare(globals, "StartJob", config, {
          ClientToken: config.clientToken,
          Action: config.action,
          ActionOptions: actionOptions,
          ExecutionRoleArn: config.executionRoleArn,
          InputOptions: inputOptions,
          Name: config.name,
          OutputOptions: outputOptions,
          Tags: tags
        })
        if (request === undefined) return
        const response = yield* Run.withSession(
          globals,
          LocationJobs.startJob(request as unknown as StartJobRequest).pipe(Run.call("StartJob"))
        )
        yield* Run.print(globals, "StartJob", response)
      }))
).pipe(Command.withDescription("Starts a job (as aws location start-job)."))
