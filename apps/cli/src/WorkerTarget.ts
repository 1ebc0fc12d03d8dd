/**
 * Where `geojobs submit` and `geojobs batches` find the worker: `--worker-url`, else
 * `GEOJOBS_WORKER_URL`, else the worker's default address (http://127.0.0.1:4580); and its API
 * token: `--worker-token-file`, else `GEOJOBS_WORKER_TOKEN`, else the `api-token` file in the
 * worker's work directory (`--worker-dir`, else `GEOJOBS_WORKER_DIR`, else `./.geojobs-worker`,
 * the worker's own default).
 *
 * @since 0.1.0
 */
import * as ApiToken from "@geojobs/worker/ApiToken"
import * as WorkerClient from "@geojobs/worker/Client"
import { WorkerClientError } from "@geojobs/worker/WorkerError"
import * as Effect from "effect/Effect"
import * as Path from "node:path"
import { UsageError } from "./CliError.js"
import { Io } from "./Io.js"
import { optionalText } from "./Globals.js"

/** `--worker-url`, `--worker-dir`, `--worker-token-file`: to spread into a command's config. */
export const options = {
  workerUrl: optionalText("worker-url", "The geojobs-worker HTTP address (else GEOJOBS_WORKER_URL, else http://127.0.0.1:4580)."),
  workerDir: optionalText(
    "worker-dir",
    "The worker's work directory, where its API token is (else GEOJOBS_WORKER_DIR, else ./.geojobs-worker)."
  ),
  workerTokenFile: optionalText(
    "worker-token-file",
    "A file holding the worker's API token (else GEOJOBS_WORKER_TOKEN, else <worker-dir>/api-token)."
  )
} as const

/** The flags, parsed. */
export interface WorkerFlags {
  readonly workerUrl: string | undefined
  readonly workerDir: string | undefined
  readonly workerTokenFile: string | undefined
}

const nonEmpty = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : s.trim())

/** The token to send, and where it came from (for the refusal's hint). */
const token = (flags: WorkerFlags) =>
  Effect.flatMap(Io, (io) =>
    Effect.try({
      try: (): { readonly token: string | undefined; readonly looked: string } => {
        if (flags.workerTokenFile !== undefined) {
          const file = Path.resolve(io.cwd, flags.workerTokenFile)
          const found = ApiToken.read(file)
          if (found === undefined) throw new Error(`--worker-token-file ${flags.workerTokenFile}: no such file`)
          return { token: found, looked: file }
        }
        const fromEnv = nonEmpty(io.env.GEOJOBS_WORKER_TOKEN)
        if (fromEnv !== undefined) return { token: fromEnv, looked: "GEOJOBS_WORKER_TOKEN" }
        const dir = Path.resolve(io.cwd, flags.workerDir ?? nonEmpty(io.env.GEOJOBS_WORKER_DIR) ?? "./.geojobs-worker")
        const file = ApiToken.fileIn(dir)
        return { token: ApiToken.read(file), looked: file }
      },
      catch: (e) => new UsageError({ message: `worker API token: ${(e as Error).message}` })
    }))

/** The client for the configured worker, after saying on stderr which worker it is. */
export const client = (flags: WorkerFlags) =>
  Effect.gen(function*() {
    const io = yield* Io
    const url = flags.workerUrl ?? io.env.GEOJOBS_WORKER_URL ?? WorkerClient.defaultUrl
    io.stderr(`geojobs: worker: ${url}\n`)
    const found = yield* token(flags)
    const inner = WorkerClient.make(url, { token: found.token })
    // A refusal says where the token was looked for, and how to point elsewhere.
    const hint = (e: WorkerClientError) =>
      e.reason !== "Unauthorized" ? e : new WorkerClientError({
        ...e,
        message: `${e.message}; ${found.token === undefined ? `no token in ${found.looked}` : `the token from ${found.looked} was refused`} ` +
          `(use --worker-dir, --worker-token-file or GEOJOBS_WORKER_TOKEN)`
      })
    return Object.fromEntries(
      Object.entries(inner).map(([name, f]) => [name, (...args: Array<unknown>) => Effect.mapError((f as (...a: Array<unknown>) => Effect.Effect<unknown, WorkerClientError>)(...args), hint)])
    ) as unknown as WorkerClient.WorkerClient
  })
