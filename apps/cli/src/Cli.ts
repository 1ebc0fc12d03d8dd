/**
 * The `geojobs` command line: the command tree, and `main`/`run`, which execute one command
 * line against an `Io` and return the exit code. Every failure becomes one line on stderr and
 * an exit code (see `ExitCode`); `--debug` adds the full cause.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Fs from "node:fs"
import type * as Batches from "./commands/Batches.js"
import type * as CancelJob from "./commands/CancelJob.js"
import type * as GetJob from "./commands/GetJob.js"
import type * as ListJobs from "./commands/ListJobs.js"
import type * as Local from "./commands/Local.js"
import type * as StartJob from "./commands/StartJob.js"
import type * as Submit from "./commands/Submit.js"
import type * as Validate from "./commands/Validate.js"
import type * as Wait from "./commands/Wait.js"
import * as ExitCode from "./ExitCode.js"
import * as Failure from "./Failure.js"
import * as Io from "./Io.js"
import { root } from "./Root.js"

/** The CLI's version (from its package.json). */
export const version: string = (JSON.parse(
  Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")
) as { version: string }).version

type Subcommand =
  | typeof StartJob.command
  | typeof GetJob.command
  | typeof ListJobs.command
  | typeof CancelJob.command
  | typeof Wait.command
  | typeof Validate.command
  | typeof Local.command
  | typeof Submit.command
  | typeof Batches.command

/**
 * Every sub-command, in the order help lists them, each a module loaded only when needed: a
 * command line pays for the command it runs (`get-job` does not load Parquet, the engine, the
 * local service or the worker's modules), not for all of them.
 */
const subcommands: ReadonlyArray<readonly [name: string, load: () => Promise<Subcommand>]> = [
  ["start-job", () => import("./commands/StartJob.js").then((m) => m.command)],
  ["get-job", () => import("./commands/GetJob.js").then((m) => m.command)],
  ["list-jobs", () => import("./commands/ListJobs.js").then((m) => m.command)],
  ["cancel-job", () => import("./commands/CancelJob.js").then((m) => m.command)],
  ["wait", () => import("./commands/Wait.js").then((m) => m.command)],
  ["validate", () => import("./commands/Validate.js").then((m) => m.command)],
  ["local", () => import("./commands/Local.js").then((m) => m.command)],
  ["submit", () => import("./commands/Submit.js").then((m) => m.command)],
  ["batches", () => import("./commands/Batches.js").then((m) => m.command)]
]

/**
 * The command tree for one command line: the sub-commands whose names it contains (a superset
 * of the one it runs, as an option's value may spell another's name), or all of them when it
 * names none (help, completions, a mistyped name); the root alone for `--version`.
 */
export const command = (argv: ReadonlyArray<string>) => {
  const described = root.pipe(
    Command.withDescription(
      "Amazon Location Jobs at the terminal: AWS-CLI-compatible job commands, and `validate` to take a file of addresses to a validated file."
    )
  )
  const named = subcommands.filter(([name]) => argv.includes(name))
  const withSubcommands = (loaded: ReadonlyArray<Subcommand>) =>
    described.pipe(Command.withSubcommands(loaded as [Subcommand, ...Array<Subcommand>]))
  if (named.length === 0 && argv.length === 1 && argv[0] === "--version") {
    // `--version` alone needs no sub-command: @effect/cli answers it from the root; typed as the whole tree: what the root alone requires and fails with is a part of it
    return Effect.succeed(described as unknown as ReturnType<typeof withSubcommands>)
  }
  const chosen = named.length > 0 ? named : subcommands
  return Effect.map(Effect.orDie(Effect.tryPromise(() => Promise.all(chosen.map(([, load]) => load())))), withSubcommands)
}

const isFlag = (argv: ReadonlyArray<string>, flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`))

/** Colours: on a terminal, unless `--no-color` or `NO_COLOR`. */
export const useColor = (argv: ReadonlyArray<string>, io: Io.IoService): boolean =>
  io.stdoutIsTty && !isFlag(argv, "--no-color") && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === "")

const report = (argv: ReadonlyArray<string>, io: Io.IoService) => (cause: Cause.Cause<unknown>): Effect.Effect<number> =>
  Effect.sync(() => {
    const debug = isFlag(argv, "--debug")
    if (Cause.isInterruptedOnly(cause)) return ExitCode.Interrupted
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) {
      // @effect/cli printed it already (help for a missing/unknown option or sub-command).
      return ExitCode.Usage
    }
    const described: Failure.Failure = Option.isSome(failure)
      ? Failure.describe(failure.value)
      : {
        message: `internal error: ${Cause.squash(cause) instanceof Error ? (Cause.squash(cause) as Error).message : String(Cause.squash(cause))}`,
        code: ExitCode.ServiceError
      }
    io.stderr(`geojobs: ${described.message}\n`)
    if (debug) io.stderr(`${Cause.pretty(cause, { renderErrorCause: true })}\n`)
    return described.code
  })

/** Runs one command line (`argv` without node and the script) and returns the exit code. */
export const main = (argv: ReadonlyArray<string>, io: Io.IoService): Effect.Effect<number> =>
  Effect.flatMap(command(argv), (tree) => Command.run(tree, { name: "geojobs", version })(["node", "geojobs", ...argv])).pipe(
    Effect.as(ExitCode.Ok),
    Effect.catchAllCause(report(argv, io)),
    Effect.provideService(Io.Io, io),
    Effect.provide(NodeContext.layer),
    Effect.withConsole(Io.console(io, useColor(argv, io)))
  )

/** `main` as a Promise: what tests call. */
export const run = (argv: ReadonlyArray<string>, io: Io.IoService): Promise<number> => Effect.runPromise(main(argv, io))
