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
import * as Globals from "./Globals.js"
import { Io, type IoService } from "./Io.js"
import * as Output from "./Output.js"
import * as Query from "./Query.js"
import { root } from "./Root.js"
import * as Session from "./Session.js"
import * as Shorthand from "./Shorthand.js"

/** Runs `f` with the merged global options. */
export const withGlobals = <A, E, R>(
  config: Globals.Globals,
  f: (globals: Globals.Globals) => Effect.Effect<A, E, R>
) =>
  Effect.flatMap(root, (outer): Effect.Effect<A, E | UsageError, R> => {
    const globals = Globals.merge(outer, Globals.pick(config))
    // A bad --query is a usage error before any call, as in the AWS CLI.
    const bad = globals.query === undefined ? undefined : Query.check(globals.query)
    return bad === undefined
      ? f(globals)
      : Effect.fail(new UsageError({ message: `Bad value for --query ${globals.query}: ${bad}` }))
  })

/** Provides `Session` and `LocationJobs` for the target the globals select. */
export const withSession = <A, E, R>(
  globals: Globals.Globals,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | UsageError | TargetError, Exclude<R, Session.Session | LocationJobs> | Io> =>
  Effect.provide(effect, Session.layer(globals)) as Effect.Effect<A, E | UsageError | TargetError, Exclude<R, Session.Session | LocationJobs> | Io>

/** Tags a Jobs API failure with its operation name (for AWS-CLI-style messages). */
export const call = (operation: string) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, OperationError, R> =>
  Effect.mapError(effect, (error) => new OperationError({ operation, error }))

const printer = (globals: Globals.Globals, io: IoService, operation: string) => ({
  format: Session.outputFormat(globals, io),
  operation,
  query: globals.query,
  // The AWS CLI lays tables out for 80 columns when stdout is not a terminal.
  width: io.stdoutIsTty ? io.columns ?? 80 : 80
})

/** Prints an operation's result on stdout as the AWS CLI would: the selected format, after `--query`. */
export const print = (globals: Globals.Globals, operation: string, value: unknown): Effect.Effect<void, never, Io> =>
  Effect.map(Io, (io) => io.stdout(Output.render(printer(globals, io, operation), value)))

/** Prints a paginated result as the AWS CLI does: whole for most formats, page by page as text. */
export const printPages = (
  globals: Globals.Globals,
  operation: string,
  resultKey: string,
  pages: ReadonlyArray<ReadonlyArray<unknown>>,
  resumeToken: string | undefined
): Effect.Effect<void, never, Io> =>
  Effect.map(Io, (io) =>
    io.stdout(Output.render({ ...printer(globals, io, operation), paginated: { resultKey, pages, resumeToken } }, undefined)))

/** A `file://` reader relative to the run's working directory. */
export const readFile = Effect.map(Io, (io): Shorthand.ReadFile => (file) => Fs.readFileSync(Path.resolve(io.cwd, file), "utf8"))

/** Parses a shorthand/JSON parameter. */
export const parameter = (flag: string, member: string, raw: string | undefined, shape: Shorthand.Shape) =>
  raw === undefined
    ? Effect.succeed(undefined)
    : Effect.flatMap(readFile, (read) =>
      Either.match(Shorthand.parse(flag, member, raw, shape, read), { onLeft: Effect.fail, onRight: Effect.succeed }))

/** Parses `--cli-input-json`. */
export const cliInputJson = (raw: string | undefined, shape: Shorthand.Shape) =>
  raw === undefined
    ? Effect.succeed({} as Record<string, unknown>)
    : Effect.flatMap(readFile, (read) =>
      Either.match(Shorthand.parseCliInputJson(raw, shape, read), { onLeft: Effect.fail, onRight: Effect.succeed }))

/** Fails with the AWS CLI's "the following arguments are required" message when some are missing. */
export const requireArguments = (missing: ReadonlyArray<string>): Effect.Effect<void, UsageError> =>
  missing.length === 0
    ? Effect.void
    : Effect.fail(new UsageError({ message: `the following arguments are required: ${missing.join(", ")}` }))

/** Drops undefined members (the wire shapes are exact-optional). */
export const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
