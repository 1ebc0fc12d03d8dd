/**
 * Recipe: push files through `geojobs-worker` from code — submit each as a batch, follow them to
 * the end, and download the results.
 *
 *   pnpm geojobs-worker &                       # the worker (embedded local service by default)
 *   pnpm exec tsx examples/recipes/submit-batches.ts examples/addresses.csv
 *
 * The worker keeps every batch in its ledger before it answers, uploads it, starts one job per
 * batch (retries included), tracks it and collects the output, surviving restarts; this program
 * only talks to its HTTP API. The API wants the worker's token, made at its first start in
 * `<work-dir>/api-token`: set GEOJOBS_WORKER_TOKEN, or GEOJOBS_WORKER_DIR to the worker's work
 * directory (default ./.geojobs-worker). GEOJOBS_WORKER_URL is the API (default
 * http://127.0.0.1:4580).
 */
import { type BatchView, isTerminal } from "@geojobs/worker/Batch"
import * as ApiToken from "@geojobs/worker/ApiToken"
import * as Client from "@geojobs/worker/Client"
import type { WorkerClientError } from "@geojobs/worker/WorkerError"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"

const files = process.argv.slice(2)
const url = process.env.GEOJOBS_WORKER_URL ?? Client.defaultUrl
const token = process.env.GEOJOBS_WORKER_TOKEN ??
  ApiToken.read(ApiToken.fileIn(process.env.GEOJOBS_WORKER_DIR ?? ".geojobs-worker"))
const outDir = process.env.OUT_DIR ?? "results"

const program = Effect.gen(function*() {
  if (files.length === 0) return yield* Effect.fail(new Error("usage: submit-batches.ts FILE…"))
  const worker = Client.make(url, { token })

  // The file's name as the key: submitting the same file again answers the same batch.
  const submitted = yield* Effect.forEach(files, (file) => worker.submitFile(file, { key: Path.basename(file) }))
  for (const { batch, created } of submitted) yield* Console.log(`${batch.id} ${created ? "submitted" : "already there"}: ${batch.state}`)

  // Follow each batch to its end (the worker polls the Jobs API; this asks the worker).
  const follow = (id: string): Effect.Effect<BatchView, WorkerClientError> =>
    Effect.flatMap(worker.get(id), (b) => isTerminal(b.state) ? Effect.succeed(b) : Effect.zipRight(Effect.sleep("1 second"), follow(id)))
  const ended = yield* Effect.forEach(submitted, ({ batch }) => follow(batch.id), { concurrency: 4 })

  Fs.mkdirSync(outDir, { recursive: true })
  for (const batch of ended) {
    if (batch.state !== "Completed") {
      yield* Console.log(`${batch.id} ${batch.state}: ${batch.lastError ?? batch.error?.messages.join("; ") ?? ""}`)
      continue
    }
    const { outputs } = yield* worker.outputs(batch.id)
    for (const output of outputs) {
      const file = Path.join(outDir, `${batch.id}-${Path.basename(output.name)}`)
      yield* worker.download(batch.id, output.n, file)
      yield* Console.log(`${batch.id} Completed: ${batch.outputRows ?? "?"} rows → ${file}`)
    }
  }
})

NodeMain.runMain(program)
