/**
 * Recipe: every job of the account as a stream, across pages, counted by status.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test \
 *   AWS_SECRET_ACCESS_KEY=test pnpm exec tsx examples/recipes/stream-jobs.ts
 *
 * `listJobsStream` asks for the next page only when the stream needs it, so `Stream.take(n)`
 * stops paging after n jobs; `listJobsPages` gives whole pages (with their NextToken, to resume
 * later through `startingToken`).
 */
import * as Paginator from "@geojobs/core/Paginator"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

const program = Paginator.listJobsStream({}, { pageSize: 50 }).pipe(
  Stream.tap((job) => Console.log(`${job.JobId}  ${job.Status}`)),
  Stream.runFold(new Map<string, number>(), (counts, job) => counts.set(job.Status, (counts.get(job.Status) ?? 0) + 1)),
  Effect.flatMap((counts) =>
    Console.log(`jobs by status: ${[...counts].map(([status, n]) => `${status} ${n}`).join(", ") || "none"}`)
  )
)

// A failure ends as one line naming the error (and its cause), with exit code 1.
NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
