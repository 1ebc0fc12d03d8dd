/**
 * `geojobs list-jobs`: as `aws location list-jobs`, auto-paginating: `--filter`,
 * `--page-size` (MaxResults per call), `--max-items` (with a resume `NextToken` in the output),
 * `--starting-token`, `--no-paginate`, `--cli-input-json`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { ListJobsRequest, ListJobsResponseEntry } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../CliError.js"
import * as Globals from "../Globals.js"
import * as PageToken from "../PageToken.js"
import * as Run from "../Run.js"
import * as Shapes from "../Shapes.js"

const optional = <A>(o: Options.Options<A>) => o.pipe(Options.optional, Options.map(Option.getOrUndefined))

/** `list-jobs`. */
export const command = Command.make(
  "list-jobs",
  {
    filter: optional(Options.text("filter").pipe(Options.withDescription("JobStatus=Running (or JSON {\"JobStatus\":\"Running\"})."))),
    maxItems: optional(Options.integer("max-items").pipe(Options.withDescription("Show at most this many jobs in all."))),
    pageSize: optional(Options.integer("page-size").pipe(Options.withDescription("Jobs per service call (MaxResults, 1-100)."))),
    startingToken: optional(Options.text("starting-token").pipe(Options.withDescription("Resume from a NextToken printed before."))),
    noPaginate: Options.boolean("no-paginate").pipe(Options.withDescription("Make one call only (print the service's NextToken).")),
    cliInputJson: optional(Options.text("cli-input-json").pipe(Options.withDescription("The request as JSON or file://…"))),
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const base = yield* Run.cliInputJson(config.cliInputJson, Shapes.ListJobsRequest)
        const filter = (yield* Run.parameter("--filter", "Filter", config.filter, Shapes.Filter)) ?? base.Filter
        if (config.maxItems !== undefined && config.maxItems < 1) {
          return yield* new UsageError({ message: "--max-items must be at least 1" })
        }
        const pageSize = config.pageSize ?? (base.MaxResults as number | undefined)
        const start = config.startingToken !== undefined
          ? PageToken.decode(config.startingToken)
          : { nextToken: base.NextToken as string | undefined, skip: 0 }

        const result = yield* Run.withSession(
          globals,
          Effect.gen(function*() {
            const entries: Array<ListJobsResponseEntry> = []
            let token = start.nextToken
            let skip = start.skip
            for (;;) {
              const request = Run.compact({ Filter: filter, MaxResults: pageSize, NextToken: token }) as ListJobsRequest
              const page = yield* LocationJobs.listJobs(request).pipe(Run.call("ListJobs"))
              const items = page.Entries.slice(skip)
              const next = page.NextToken !== undefined && page.NextToken !== "" && page.NextToken !== token
                ? page.NextToken
                : undefined
              if (config.noPaginate) {
                entries.push(...items)
                return { Entries: entries, ...(next !== undefined ? { NextToken: next } : {}) }
              }
              if (config.maxItems !== undefined && entries.length + items.length >= config.maxItems) {
                const take = config.maxItems - entries.length
                entries.push(...items.slice(0, take))
                const resume = take < items.length
                  ? PageToken.encode({ nextToken: token, skip: skip + take })
                  : next !== undefined
                  ? PageToken.encode({ nextToken: next, skip: 0 })
                  : undefined
                return { Entries: entries, ...(resume !== undefined ? { NextToken: resume } : {}) }
              }
              entries.push(...items)
              if (next === undefined) return { Entries: entries }
              token = next
              skip = 0
            }
          })
        )
        yield* Run.print(globals, "ListJobs", result)
      }))
).pipe(Command.withDescription("Lists jobs, all pages (as aws location list-jobs)."))
