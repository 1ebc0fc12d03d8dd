/**
 * `geojobs start-job`: as `aws location start-job`, same flags, shorthand or JSON values,
 * `--cli-input-json`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
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
    cliInputJson: text("cli-input-json", "The whole request as JSON (or file://…); flags override its members."),
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const base = yield* Run.cliInputJson(config.cliInputJson, Shapes.StartJobRequest)
        const inputOptions = yield* Run.parameter("--input-options", "InputOptions", config.inputOptions, Shapes.InputOptions)
        const outputOptions = yield* Run.parameter("--output-options", "OutputOptions", config.outputOptions, Shapes.OutputOptions)
        const actionOptions = yield* Run.parameter("--action-options", "ActionOptions", config.actionOptions, Shapes.ActionOptions)
        let tags: Record<string, string> | undefined
        for (const raw of config.tags) {
          const parsed = (yield* Run.parameter("--tags", "Tags", raw, Shapes.Tags)) as Record<string, string>
          tags = { ...tags, ...parsed }
        }
        const request = Run.compact({
          ...base,
          ...Run.compact({
            Action: config.action,
            ExecutionRoleArn: config.executionRoleArn,
            InputOptions: inputOptions,
            OutputOptions: outputOptions,
            ClientToken: config.clientToken,
            ActionOptions: actionOptions,
            Name: config.name,
            Tags: tags
          })
        }) as Record<string, unknown>
        yield* Run.requireArguments(
          [
            ["Action", "--action"],
            ["ExecutionRoleArn", "--execution-role-arn"],
            ["InputOptions", "--input-options"],
            ["OutputOptions", "--output-options"]
          ].filter(([member]) => request[member!] === undefined).map(([, flag]) => flag!)
        )
        const response = yield* Run.withSession(
          globals,
          LocationJobs.startJob(request as unknown as StartJobRequest).pipe(Run.call("StartJob"))
        )
        yield* Run.print(globals, "StartJob", response)
      }))
).pipe(Command.withDescription("Starts a job (as aws location start-job)."))
