/**
 * @geojobs/cli — the `geojobs` command line as a library: run a command line against an `Io`
 * (`Cli.run(argv, io)` → exit code), plus the pieces it is made of.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"
export * as ExitCode from "./ExitCode.js"
export * as Failure from "./Failure.js"
export * as Io from "./Io.js"
export * as Output from "./Output.js"
export * as Query from "./Query.js"
export * as Shorthand from "./Shorthand.js"
export * as Summary from "@geojobs/address/ResultSummary"
export * as Target from "./Target.js"
