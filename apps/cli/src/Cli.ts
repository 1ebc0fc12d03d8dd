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
import * as Batches from "./commands/Batches.js"
import * as CancelJob from "./commands/CancelJob.js"
import * as GetJob from "./commands/GetJob.js"
import * as ListJobs from "./commands/ListJobs.js"
import * as Local from "./commands/Local.js"
import * as StartJob from "./commands/StartJob.js"
import * as Submit from "./commands/Submit.js"
import * as Validate from "./commands/Validate.js"
import * as Wait from "./commands/Wait.js"
import * as ExitCode from "./ExitCode.js"
import * as Failure from "./Failure.js"
import * as Io from "./Io.js"
import { root } from "./Root.js"

/** The CLI's version (from its package.json). */
export const version: string = (JSON.parse(
  Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")
) as { version: string }).version

/** The command tree. */
export const command = root.pipe(
  Command.withDescription(
    "Amazon Location Jobs at the terminal: AWS-CLI-compatible job commands, and `validate` to take a file of addresses to a validated file."
  ),
  Command.withSubcommands([
    StartJob.command,
    GetJob.command,
    ListJobs.command,
    CancelJob.command,
    Wait.command,
    Validate.command,
    Local.command,
    Submit.command,
    Batches.command
  ])
)

const cli = Command.run(command, { name: "geojobs", version })

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
  cli(["node", "geojobs", ...argv]).pipe(
    Effect.as(ExitCode.Ok),
    Effect.catchAllCause(report(argv, io)),
    Effect.provideService(Io.Io, io),
    Effect.provide(NodeContext.layer),
    Effect.withConsole(Io.console(io, useColor(argv, io)))
  )

/** `main` as a Promise: what tests call. */
export const run = (argv: ReadonlyArray<string>, io: Io.IoService): Promise<number> => Effect.runPromise(main(argv, io))
