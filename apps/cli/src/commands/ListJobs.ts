/**
 * `geojobs list-jobs`: as `aws location list-jobs`, auto-paginating: `--filter`,
 * `--page-size` (MaxResults per call), `--max-items` (with a resume `NextToken` in the output),
 * `--starting-token`, `--no-paginate`, `--max-results`/`--next-token` (one call, as the AWS
 * CLI), `--cli-input-json`/`--cli-input-yaml`, `--generate-cli-skeleton`.
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
import * as CliInput from "../CliInput.js"
import * as Globals from "../Globals.js"
import * as ResumeToken from "../ResumeToken.js"
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
    maxResults: optional(
      Options.integer("max-results").pipe(Options.withDescription("MaxResults of one call (turns automatic pagination off, as the AWS CLI)."))
    ),
    nextToken: optional(
      Options.text("next-token").pipe(Options.withDescription("The service's NextToken for one call (turns automatic pagination off)."))
    ),
    ...CliInput.options,
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const filter = yield* Run.parameter("--filter", "Filter", config.filter, Shapes.Filter)
        if (config.maxItems !== undefined && config.maxItems < 1) {
          return yield* new UsageError({ message: "--max-items must be at least 1" })
        }
        const request = yield* Run.prepare(globals, "ListJobs", config, {
          Filter: filter,
          MaxResults: config.maxResults ?? config.pageSize,
          NextToken: config.nextToken
        })
        if (request === undefined) return
        // As the AWS CLI: the API's own paging members (--max-results, --next-token, or either in
        // --cli-input-*) mean one call, not pagination; --page-size alone paginates.
        const single = config.noPaginate || (request.MaxResults !== undefined && config.pageSize === undefined) ||
          request.NextToken !== undefined
        const pageSize = request.MaxResults as number | undefined
        const start = config.startingToken !== undefined
          ? ResumeToken.decode(config.startingToken)
          : { nextToken: request.NextToken as string | undefined, skip: 0 }

        const result = yield* Run.withSession(
          globals,
          Effect.gen(function*() {
            // Pages are kept apart: `--output text` prints (and queries) each page on its own.
            const pages: Array<ReadonlyArray<ListJobsResponseEntry>> = []
            let shown = 0
            let token = start.nextToken
            let skip = start.skip
            for (;;) {
              const call = Run.compact({ Filter: request.Filter, MaxResults: pageSize, NextToken: token }) as ListJobsRequest
              const page = yield* LocationJobs.listJobs(call).pipe(Run.call("ListJobs"))
              const items = page.Entries.slice(skip)
              const next = page.NextToken !== undefined && page.NextToken !== "" && page.NextToken !== token
                ? page.NextToken
                : undefined
              if (single) {
                // One call: the service's own NextToken is part of the response.
                return { pages: [items], serviceToken: next, resumeToken: undefined }
              }
              if (config.maxItems !== undefined && shown + items.length >= config.maxItems) {
                const take = config.maxItems - shown
                pages.push(items.slice(0, take))
                const resume = take < items.length
                  ? ResumeToken.encode({ nextToken: token, skip: skip + take })
                  : next !== undefined
                  ? ResumeToken.encode({ nextToken: next, skip: 0 })
                  : undefined
                return { pages, serviceToken: undefined, resumeToken: resume }
              }
              pages.push(items)
              shown += items.length
              if (next === undefined) return { pages, serviceToken: undefined, resumeToken: undefined }
              token = next
              skip = 0
            }
          })
        )
        if (single) {
          yield* Run.print(globals, "ListJobs", {
            Entries: result.pages.flat(),
            ...(result.serviceToken !== undefined ? { NextToken: result.serviceToken } : {})
          })
        } else {
          yield* Run.printPages(globals, "ListJobs", "Entries", result.pages, result.resumeToken)
        }
      }))
).pipe(Command.withDescription("Lists jobs, all pages (as aws location list-jobs)."))
