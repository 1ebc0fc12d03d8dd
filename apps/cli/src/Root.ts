/**
 * The `geojobs` root command (global options only). Sub-commands read its parsed options to
 * merge with their own, so `geojobs --region r get-job …` and `geojobs get-job … --region r`
 * mean the same.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Globals from "./Globals.js"

/** The root command, without its sub-commands (see `Cli.ts`). */
export const root = Command.make("geojobs", Globals.options)
