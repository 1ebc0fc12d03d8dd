/**
 * The `geojobs` command line: the command tree, and `main`/`run`, which execute one command
 * line against an `Io` and return the exit code. Every failure becomes one line on stderr and
 * an exit code (see `ExitCode`); `--debug` adds the full cause.
 *
 * @since 0.1.0
 */
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as Descriptor from "@effect/cli/CommandDescriptor"
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
import { UsageError } from "./CliError.js"
import * as Direct from "./Direct.js"
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

/**
 * Failures worded by the AWS CLI over several lines (a parameter check's problems; a waiter's
 * failure and the job's own error): printed whole, the first line prefixed as every other.
 */
const printedWhole = (failure: unknown): Failure.Failure | undefined => {
  const tag = (failure as { readonly _tag?: unknown })._tag
  if (tag === "ParameterValidationError") return { message: (failure as Error).message, code: ExitCode.Usage }
  if (tag === "WaiterError") {
    const waiter = failure as Error & { readonly exitCode: number; readonly detail?: string | undefined }
    return { message: waiter.detail === undefined ? waiter.message : `${waiter.message}\ngeojobs: ${waiter.detail}`, code: waiter.exitCode }
  }
  return undefined
}

const report = (argv: ReadonlyArray<string>, io: Io.IoService) => (cause: Cause.Cause<unknown>): Effect.Effect<number> =>
  Effect.sync(() => {
    const debug = isFlag(argv, "--debug")
    if (Cause.isInterruptedOnly(cause)) return ExitCode.Interrupted
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) {
      // @effect/cli printed it already (help for a missing/unknown option or sub-command).
      return ExitCode.Usage
    }
    const whole = Option.isSome(failure) ? printedWhole(failure.value) : undefined
    if (whole !== undefined) {
      io.stderr(`geojobs: ${whole.message}\n`)
      if (debug) io.stderr(`${Cause.pretty(cause, { renderErrorCause: true })}\n`)
      return whole.code
    }
    const described: Failure.Failure = Option.isSome(failure)
      ? Failure.describe(failure.value)
      : Failure.internal(Cause.squash(cause))
    io.stderr(`geojobs: ${described.message}\n`)
    if (debug) io.stderr(`${Cause.pretty(cause, { renderErrorCause: true })}\n`)
    return described.code
  })

/**
 * `--generate-cli-skeleton` takes an optional value, as in the AWS CLI: alone (last, or before
 * another flag) it means `input`. @effect/cli options need their value, so it is added here.
 */
export const normalise = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv.flatMap((arg, i) =>
    arg === "--generate-cli-skeleton" && (i + 1 === argv.length || argv[i + 1]!.startsWith("-")) ? [arg, "input"] : [arg]
  )

/**
 * Every argument no option takes, refused at once and all named, as the AWS CLI does
 * (`Unknown options: --bogus, x`: flags first, then other words). @effect/cli names only the
 * first, in its own words; its parse (without running the command) gives them all.
 */
const refuseUnknown = <A>(tree: Command.Command<string, never, never, A>, args: ReadonlyArray<string>) =>
  Descriptor.parse(["geojobs", ...args], CliConfig.defaultConfig)(tree.descriptor).pipe(
    Effect.option,
    Effect.flatMap((directive) => {
      const leftover = Option.isSome(directive) && directive.value._tag === "UserDefined" ? directive.value.leftover : []
      if (leftover.length === 0) return Effect.void
      const ordered = [...leftover.filter((a) => a.startsWith("-")), ...leftover.filter((a) => !a.startsWith("-"))]
      return Effect.fail(new UsageError({ message: `Unknown options: ${ordered.join(", ")}` }))
    })
  )

/** The commands whose help is the API's (as `aws location <command> help`), not @effect/cli's. */
const apiCommands = ["start-job", "get-job", "cancel-job", "list-jobs", "job-completed"]

/**
 * The API command whose help the command line asks for — `geojobs get-job help`, `--help`,
 * `-h` — or undefined.
 */
export const helpFor = (args: ReadonlyArray<string>): string | undefined => {
  const name = args.find((a) => apiCommands.includes(a))
  if (name === undefined || (name === "job-completed" && !args.includes("wait"))) return undefined
  const asked = args[args.length - 1] === "help" || args.includes("--help") || args.includes("-h")
  return asked ? name : undefined
}

/** Runs one command line (`argv` without node and the script) and returns the exit code. */
export const main = (argv: ReadonlyArray<string>, io: Io.IoService): Effect.Effect<number> => {
  const args = normalise(argv)
  const help = helpFor(args)
  if (help !== undefined) {
    // The help text (the API's documentation) is loaded only when asked for.
    return Effect.promise(() => import("./Help.js")).pipe(Effect.map((Help) => (io.stdout(Help.page(help)), ExitCode.Ok)))
  }
  return Effect.flatMap(command(args), (tree) =>
    Effect.zipRight(
      refuseUnknown(tree as unknown as Command.Command<string, never, never, unknown>, args),
      Command.run(tree, { name: "geojobs", version })(["node", "geojobs", ...args])
    )).pipe(
    Effect.as(ExitCode.Ok),
    Effect.catchAllCause(report(argv, io)),
    Effect.provideService(Io.Io, io),
    Effect.provide(NodeContext.layer),
    Effect.withConsole(Io.console(io, useColor(argv, io)))
  )
}

/**
 * Runs one command line as the `geojobs` executable does: `Direct` when it takes the line (an
 * AWS-style one-call command), else `main`. What tests call.
 */
export const run = async (argv: ReadonlyArray<string>, io: Io.IoService): Promise<number> =>
  (await Direct.run(argv, io)) ?? Effect.runPromise(main(argv, io))
