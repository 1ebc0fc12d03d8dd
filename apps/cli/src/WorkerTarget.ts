/**
 * Where `geojobs submit` and `geojobs batches` find the worker: `--worker-url`, else
 * `GEOJOBS_WORKER_URL`, else the worker's default address (http://127.0.0.1:4580).
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as WorkerClient from "@geojobs/worker/Client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Io } from "./Io.js"

/** `--worker-url`. */
export const workerUrlOption = Options.text("worker-url").pipe(
  Options.withDescription("The geojobs-worker HTTP address (else GEOJOBS_WORKER_URL, else http://127.0.0.1:4580)."),
  Options.optional,
  Options.map(Option.getOrUndefined)
)

/** The client for the configured worker, after saying on stderr which worker it is. */
export const client = (flag: string | undefined) =>
  Effect.map(Io, (io) => {
    const url = flag ?? io.env.GEOJOBS_WORKER_URL ?? WorkerClient.defaultUrl
    io.stderr(`geojobs: worker: ${url}\n`)
    return WorkerClient.make(url)
  })
