/**
 * `geojobs-local`: runs the embedded local service in the foreground until SIGINT/SIGTERM.
 *
 *   pnpm geojobs-local [--port 4566] [--host 127.0.0.1] [--data-dir ./.geojobs] [--no-auth]
 *                      [--access-key-id test --secret-access-key test] [--region us-east-1]
 *                      [--workers n] [--warm-workers]
 *
 * Prints one line with its URL when ready; `GET /_geojobs/health` answers 200 then.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { parseArgs } from "node:util"
import { type AuthPolicy, defaultPolicy } from "./Auth.js"
import * as LocalService from "./LocalService.js"

const usage = `Usage: geojobs-local [options]

Runs the geojobs local service: the Amazon Location Jobs API and the S3 subset its jobs use,
on one port, with jobs and objects stored under the data directory.

Options:
  --port <n>                 TCP port (default 4566; 0 picks a free one)
  --host <addr>              interface to bind (default 127.0.0.1)
  --data-dir <dir>           where jobs and objects live (default ./.geojobs)
  --region <name>            Region in job ARNs (default us-east-1)
  --access-key-id <id>       the access key clients sign with (default test)
  --secret-access-key <key>  its secret (default test)
  --no-auth                  accept unsigned requests
  --cors-origin <origin>     also allow browser pages from this origin (repeatable; * for any;
                             pages on localhost are always allowed)
  --row-group-pause <ms>     pause the runner after each row group (to watch progress; default 0)
  --workers <n>              validation worker threads (default: one per core; 0 validates in
                             the runner's own thread)
  --warm-workers             start the workers now and warm each up on sample rows (~3 s, ~220 MiB
                             each), so the first large job runs at full speed; by default they
                             start with the first file of 20,000 rows or more
  -h, --help                 show this help
`

const fail = (message: string): never => {
  process.stderr.write(`geojobs-local: ${message}\n\n${usage}`)
  process.exit(2)
}

let parsed: ReturnType<typeof parseArgs>
try {
  parsed = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      region: { type: "string" },
      "access-key-id": { type: "string" },
      "secret-access-key": { type: "string" },
      "no-auth": { type: "boolean" },
      "row-group-pause": { type: "string" },
      workers: { type: "string" },
      "warm-workers": { type: "boolean" },
      "cors-origin": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" }
    },
    strict: true,
    allowPositionals: false
  })
} catch (e) {
  fail(e instanceof Error ? e.message : String(e))
}
const values = parsed!.values as Record<string, string | boolean | undefined>
if (values.help) {
  process.stdout.write(usage)
  process.exit(0)
}

const port = values.port === undefined ? 4566 : Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0-65535, got ${values.port}`)
const pause = values["row-group-pause"] === undefined ? 0 : Number(values["row-group-pause"])
if (!Number.isFinite(pause) || pause < 0) fail(`--row-group-pause must be a number of milliseconds, got ${values["row-group-pause"]}`)
const workers = values.workers === undefined ? undefined : Number(values.workers)
if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 256)) {
  fail(`--workers must be an integer 0-256, got ${values.workers}`)
}
const warmWorkers = values["warm-workers"] === true
if (warmWorkers && workers === 0) fail("--warm-workers needs workers (not --workers 0)")
const corsOrigins = (parsed!.values["cors-origin"] as Array<string> | undefined) ?? []
const keyId = values["access-key-id"] as string | undefined
const secret = values["secret-access-key"] as string | undefined
if ((keyId === undefined) !== (secret === undefined)) fail("--access-key-id and --secret-access-key go together")
const auth: AuthPolicy = values["no-auth"]
  ? { _tag: "Open" }
  : keyId !== undefined && secret !== undefined
  ? { _tag: "Keys", keys: [{ accessKeyId: keyId, secretAccessKey: secret }] }
  : defaultPolicy

const program = Effect.gen(function*() {
  const service = yield* LocalService.LocalService
  process.stdout.write(
    `geojobs-local ready at ${service.url} (data in ${service.dataDir}; ` +
      `${service.credentials ? `sign with ${service.credentials.accessKeyId}/<secret>` : "auth off"})\n`
  )
  return yield* Effect.never
})

const layer = LocalService.layer({
  port,
  host: (values.host as string | undefined) ?? "127.0.0.1",
  dataDir: (values["data-dir"] as string | undefined) ?? ".geojobs",
  region: values.region as string | undefined,
  auth,
  ...(corsOrigins.length > 0 ? { cors: { _tag: "Origins", origins: corsOrigins } as const } : {}),
  runnerOptions: {
    ...(pause > 0 ? { rowGroupPause: `${pause} millis` } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(warmWorkers ? { warmWorkers } : {})
  }
})

NodeRuntime.runMain(
  program.pipe(
    Effect.provide(layer),
    Effect.catchTag("LocalServiceError", (e) =>
      Effect.sync(() => {
        process.stderr.write(`geojobs-local: ${e.message}\n`)
        process.exitCode = 1
      }))
  ) as Effect.Effect<void>,
  { disablePrettyLogger: true }
)
