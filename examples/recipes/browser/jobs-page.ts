/**
 * Recipe: the Micro client in a browser page — list the newest jobs and start one.
 *
 * Bundle it for the browser (the Micro fetch client is about 16 KiB gzip with WebCrypto signing)
 * and open `jobs-page.html?endpoint=http://127.0.0.1:4566` against the local service, whose CORS
 * policy lets pages on localhost call it:
 *
 *   pnpm exec esbuild examples/recipes/browser/jobs-page.ts --bundle --format=esm --platform=browser \
 *     --minify --outfile=examples/recipes/browser/jobs-page.js
 *
 * Credentials: this page signs with the local service's test key. A real page must never hold
 * long-lived keys; give it short-lived ones instead (an Amazon Cognito identity pool, or your
 * backend handing out STS credentials) through the `credentials` option.
 */
import type { ListJobsResponseEntry } from "@geojobs/core/Job"
import * as FetchMicroLocationJobs from "@geojobs/fetch/FetchMicroLocationJobs"
import * as Micro from "effect/Micro"

const params = new URLSearchParams(window.location.search)
const jobs = FetchMicroLocationJobs.make({
  endpoint: params.get("endpoint") ?? "http://127.0.0.1:4566",
  disableHostPrefix: true,
  region: params.get("region") ?? "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" }
})

const byId = <E extends HTMLElement>(id: string) => document.getElementById(id) as E

const render = (entries: ReadonlyArray<ListJobsResponseEntry>) => {
  const rows = entries.map((job) => {
    const tr = document.createElement("tr")
    for (const text of [job.JobId, job.Status, job.CreatedAt.toISOString(), job.Error?.Code ?? ""]) {
      const td = document.createElement("td")
      td.textContent = text // never innerHTML: names and messages come from the service
      tr.append(td)
    }
    return tr
  })
  byId<HTMLTableSectionElement>("jobs").replaceChildren(...rows)
  byId("count").textContent = String(entries.length)
}

const refresh = jobs.listJobs({ MaxResults: 20 }).pipe(Micro.map((page) => render(page.Entries)))

const start = jobs.startJob({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::000000000000:role/LocationJobs",
  InputOptions: { Location: "s3://geojobs-input/browser/", Format: "Parquet" },
  OutputOptions: { Location: "s3://geojobs-output/browser/", Format: "Parquet" },
  Name: "FromTheBrowser"
}).pipe(Micro.andThen(refresh))

/** Runs `program`, showing a failure's tag and message (every error is typed, as in Node). */
const run = (program: Micro.Micro<void, { readonly _tag: string; readonly message: string }>) =>
  Micro.runPromise(program.pipe(
    Micro.tap(() => Micro.sync(() => void (byId("error").textContent = ""))),
    Micro.catchAll((e) => Micro.sync(() => void (byId("error").textContent = `${e._tag}: ${e.message}`)))
  ))

byId<HTMLButtonElement>("start").addEventListener("click", () => void run(start))
byId<HTMLButtonElement>("refresh").addEventListener("click", () => void run(refresh))
void run(refresh)
