/**
 * What every command does around its work: merge the global options, open the session
 * (target + client), tag Jobs API failures with their operation, print results in the chosen
 * format, read parameter files relative to the working directory.
 *
 * @since 0.1.0
 */
import type { LocationJobs } from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { OperationError, type TargetError, UsageError } from "./CliError.js"
import * as CliInput from "./CliInput.js"
import * as Settings from "./Settings.js"
import * as Globals from "./Globals.js"
import { outputs } from "./internal/jobsModel.js"
import { requests } from "./internal/jobsRequests.js"
import { Io } from "./Io.js"
import * as Output from "./Output.js"
import * as ParameterValidation from "./ParameterValidation.js"
import { ParameterValidationError } from "./ParameterValidation.js"
import * as Query from "./Query.js"
import { root } from "./Root.js"
import * as Session from "./Session.js"
import * as Shapes from "./Shapes.js"
import * as Shorthand from "./Shorthand.js"
import * as Skeleton from "./Skeleton.js"

/** Runs `f` with the merged global options. */
export const withGlobals = <A, E, R>(
  config: Globals.Globals,
  f: (globals: Globals.Globals) => Effect.Effect<A, E, R>
) =>
  Effect.flatMap(root, (outer): Effect.Effect<A, E | UsageError, R> => {
    const globals = Globals.merge(outer, Globals.pick(config))
    // A bad --query is a usage error before any call, as in the AWS CLI.
    const query = globals.query
    if (query === undefined) return f(globals)
    return Effect.flatMap(Effect.promise(() => Query.check(query)), (bad): Effect.Effect<A, E | UsageError, R> =>
      bad === undefined
        ? f(globals)
        : Effect.fail(new UsageError({ message: `Bad value for --query ${query}: ${bad}` })))
  })

/**
 * Provides `Session` and `LocationJobs` for the target the globals select; `embedded`, what an
 * embedded service is started with (see `Session.layer`).
 */
export const withSession = <A, E, R>(
  globals: Globals.Globals,
  effect: Effect.Effect<A, E, R>,
  embedded?: Session.EmbeddedOptions
): Effect.Effect<A, E | UsageError | TargetError, Exclude<R, Session.Session | LocationJobs> | Io> =>
  Effect.provide(effect, Session.layer(globals, embedded)) as Effect.Effect<A, E | UsageError | TargetError, Exclude<R, Session.Session | LocationJobs> | Io>

/** Tags a Jobs API failure with its operation name (for AWS-CLI-style messages). */
export const call = (operation: string) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, OperationError, R> =>
  Effect.mapError(effect, (error) => new OperationError({ operation, error }))

/** Prints an operation's result on stdout as the AWS CLI would: the selected format, after `--query`. */
export const print = (globals: Globals.Globals, operation: string, value: unknown): Effect.Effect<void, never, Io> =>
  Effect.flatMap(Io, (io) => Effect.map(Effect.promise(() => Output.render(Settings.printOptions(globals, io, operation), value)), io.stdout))

/** Prints a paginated result as the AWS CLI does: whole for most formats, page by page as text. */
export const printPages = (
  globals: Globals.Globals,
  operation: string,
  resultKey: string,
  pages: ReadonlyArray<ReadonlyArray<unknown>>,
  resumeToken: string | undefined
): Effect.Effect<void, never, Io> =>
  Effect.flatMap(Io, (io) =>
    Effect.map(
      Effect.promise(() => Output.render({ ...Settings.printOptions(globals, io, operation), paginated: { resultKey, pages, resumeToken } }, undefined)),
      io.stdout
    ))

/** A `file://` reader relative to the run's working directory. */
export const readFile = Effect.map(Io, (io): Shorthand.ReadFile => (file) => Fs.readFileSync(Path.resolve(io.cwd, file), "utf8"))

/** Parses a shorthand/JSON parameter. */
export const parameter = (flag: string, member: string, raw: string | undefined, shape: Shorthand.Shape) =>
  raw === undefined
    ? Effect.succeed(undefined)
    : Effect.flatMap(readFile, (read) =>
      Either.match(Shorthand.parse(flag, member, raw, shape, read), { onLeft: Effect.fail, onRight: Effect.succeed }))

/**
 * Builds an operation's request as the AWS CLI does, or prints the skeleton asked for and
 * returns undefined: a skeleton of the request needs nothing else; otherwise the required
 * flags must be there (unless `--cli-input-*` gives the request), the flags' members (in the
 * model's order) override those of `--cli-input-*` (kept in their order after them), and the
 * whole is checked (`ParameterValidation`) before `--generate-cli-skeleton output` prints a
 * sample response, or the request is returned to be sent.
 */
export const prepare = (
  globals: Globals.Globals,
  operation: keyof typeof requests,
  input: CliInput.Flags,
  flags: Readonly<Record<string, unknown>>
): Effect.Effect<Record<string, unknown> | undefined, UsageError | ParameterValidationError, Io> =>
  Effect.gen(function*() {
    const shape = requests[operation].input
    if (input.generateCliSkeleton === "input" || input.generateCliSkeleton === "yaml-input") {
      const io = yield* Io
      io.stdout(input.generateCliSkeleton === "input" ? Skeleton.input(shape) : Skeleton.yamlInput(shape))
      return undefined
    }
    const members = shape.type === "structure" ? shape.members : []
    const base = yield* Effect.flatMap(readFile, (read) => CliInput.read(input, read))
    if (base === undefined) {
      yield* requireArguments(members.filter((m) => m.required && flags[m.name] === undefined).map((m) => Shapes.flagOf(m.name)))
    }
    const request: Record<string, unknown> = {}
    for (const m of members) if (flags[m.name] !== undefined) request[m.name] = flags[m.name]
    for (const [key, value] of Object.entries(base ?? {})) if (!(key in request)) request[key] = value
    const problems = ParameterValidation.validate(request, shape)
    if (problems.length > 0) return yield* new ParameterValidationError({ problems })
    if (input.generateCliSkeleton === "output") {
      yield* printSample(globals, operation)
      return undefined
    }
    return request
  })

/**
 * Prints `--generate-cli-skeleton output`'s sample response of `operation` as a response is
 * printed (`--query`, `--output`), with AWS CLI v2's epoch timestamps: those have no time zone,
 * so they print without the `+00:00` of real ones, and bare (not quoted) in YAML.
 */
export const printSample = (globals: Globals.Globals, operation: string): Effect.Effect<void, never, Io> =>
  Effect.flatMap(Io, (io) => {
    const options = Settings.printOptions(globals, io, operation)
    const time = Skeleton.sampleTime(options.format)
    return Effect.map(
      Effect.promise(() => Output.render({ ...options, plain: true }, Skeleton.output(outputs[operation]!, time))),
      (printed) => io.stdout(options.format.startsWith("yaml") ? printed.replaceAll(`'${time}'`, time) : printed)
    )
  })

/** Fails with the AWS CLI's "the following arguments are required" message when some are missing. */
export const requireArguments = (missing: ReadonlyArray<string>): Effect.Effect<void, UsageError> =>
  missing.length === 0
    ? Effect.void
    : Effect.fail(new UsageError({ message: `the following arguments are required: ${missing.join(", ")}` }))

/** Drops undefined members (the wire shapes are exact-optional). */
export const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
