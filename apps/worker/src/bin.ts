/**
 * `geojobs-worker`: reads flags and environment, picks the target (same rules as the CLI: an
 * endpoint, else a Region, else the embedded local service), starts the worker and runs until
 * SIGTERM/SIGINT, then shuts down gracefully within `--shutdown-grace` (plus a hard bound).
 * The only module that touches `process.argv`.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { credentialsFor } from "@geojobs/node/Emulator"
import * as Program from "./Program.js"

const usage = `geojobs-worker — takes batches of addresses through upload → StartJob → wait → collect

Target (as the geojobs CLI): --endpoint-url URL | --region R [--profile P] | (default) the embedded
local service with data in $GEOJOBS_DATA_DIR or ./.geojobs. An endpoint on this machine, with no
keys in the environment and no profile, is signed for with the emulators' test/test key.
  --db SQLITE_FILE|postgres://…   ledger (env GEOJOBS_WORKER_DB; default <work-dir>/ledger.sqlite)
  --work-dir DIR                  scratch/spool (env GEOJOBS_WORKER_DIR; default ./.geojobs-worker)
  --host H --port N               HTTP API (env GEOJOBS_WORKER_HOST/PORT; default 127.0.0.1:4580; 0 = free port)
  --inbox DIR                     watch a directory for files (env GEOJOBS_WORKER_INBOX)

HTTP API access (every request but GET /health needs Authorization: Bearer <token>):
  --api-token-file FILE           where the token is kept; made (mode 0600) at first start
                                  (default <work-dir>/api-token; geojobs submit/batches read it there)
  --api-token TOKEN               a fixed token instead (env GEOJOBS_WORKER_TOKEN, preferred: a flag
                                  shows in ps); at least 16 characters
  --cors-origin ORIGIN            a web origin (e.g. https://ops.example.com) whose pages may call the API;
                                  repeatable; default none: requests with any other Origin header get 403
  --allow-dir DIR                 POST /batches may name local files under DIR (symlinks resolved);
                                  repeatable; default: the --inbox directory only, else no local paths
                                  (uploads need none)
  --max-upload-bytes N            largest upload (default 1073741824, 1 GiB); larger ones get 413
  --bucket B --prefix P           where inputs/outputs go (default geojobs-worker, batches/)
  --role-arn ARN                  the jobs' ExecutionRoleArn (needed on AWS)
  --rate N                        requests/s per operation (default 5); --rate-start/-get/-list/-cancel N
                                  (for all instances on the ledger together)
  --no-shared-rate                the rates are this instance's alone (no rate window in the ledger)
  --max-in-flight N               jobs started and not finished (default 100)
  --concurrency N                 upload/start/collect tasks each (default 4)
  --lease MS --poll MS --track-interval MS --shutdown-grace MS
  --no-collect                    do not read output footers for row counts
  --owner ID                      instance name in leases (default host-pid-random)
  --log-level L                   Debug|Info|Warning|Error (default Info)`

const fail = (message: string): never => {
  console.error(`geojobs-worker: ${message}`)
  process.exit(2)
}

const parsed = (() => {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      options: {
        "endpoint-url": { type: "string" },
        region: { type: "string" },
        profile: { type: "string" },
        db: { type: "string" },
        "work-dir": { type: "string" },
        host: { type: "string" },
        port: { type: "string" },
        inbox: { type: "string" },
        "api-token": { type: "string" },
        "api-token-file": { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        "allow-dir": { type: "string", multiple: true },
        "max-upload-bytes": { type: "string" },
        bucket: { type: "string" },
        prefix: { type: "string" },
        "role-arn": { type: "string" },
        rate: { type: "string" },
        "rate-start": { type: "string" },
        "rate-get": { type: "string" },
        "rate-list": { type: "string" },
        "rate-cancel": { type: "string" },
        "no-shared-rate": { type: "boolean" },
        "max-in-flight": { type: "string" },
        concurrency: { type: "string" },
        lease: { type: "string" },
        poll: { type: "string" },
        "track-interval": { type: "string" },
        "shutdown-grace": { type: "string" },
        "no-collect": { type: "boolean" },
        owner: { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" }
      }
    })
  } catch (e) {
    return fail(`${(e as Error).message} (see --help)`)
  }
})()
const f = parsed.values
if (f.help) {
  console.log(usage)
  process.exit(0)
}

const env = process.env
const pick = (...xs: Array<string | undefined>) => xs.map((x) => x?.trim()).find((x) => x !== undefined && x !== "")
const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got ${v}`)
  return n
}

const endpoint = pick(f["endpoint-url"], env.AWS_ENDPOINT_URL_LOCATION, env.AWS_ENDPOINT_URL)
const region = pick(f.region, env.AWS_REGION, env.AWS_DEFAULT_REGION)
const profile = pick(f.profile, env.AWS_PROFILE)
const target: Program.Target = endpoint !== undefined
  ? {
    _tag: "Endpoint",
    url: endpoint.replace(/\/+$/, ""),
    region: region ?? "us-east-1",
    profile,
    credentials: credentialsFor(endpoint, profile, env)
  }
  : region !== undefined
  ? { _tag: "Aws", region, profile }
  : { _tag: "Embedded", dataDir: Path.resolve(pick(env.GEOJOBS_DATA_DIR) ?? "./.geojobs") }
if (target._tag === "Aws" && pick(f["role-arn"], env.GEOJOBS_WORKER_ROLE_ARN) === undefined) {
  console.error("geojobs-worker: --role-arn (or GEOJOBS_WORKER_ROLE_ARN) is required on AWS")
  process.exit(2)
}

const corsOrigins = (f["cors-origin"] ?? []).map((o) => {
  let origin: string | undefined
  try {
    origin = new URL(o).origin
  } catch {
    origin = undefined
  }
  if (origin === undefined || origin === "null" || origin !== o.replace(/\/+$/, "")) {
    fail(`--cors-origin ${o}: not an origin; give scheme://host[:port], e.g. https://ops.example.com`)
  }
  return origin!
})
const maxUploadBytes = int("max-upload-bytes", f["max-upload-bytes"])
if (maxUploadBytes !== undefined && (maxUploadBytes < 1 || !Number.isInteger(maxUploadBytes))) fail("--max-upload-bytes must be a whole number of bytes above 0")

const workDir = Path.resolve(pick(f["work-dir"], env.GEOJOBS_WORKER_DIR) ?? "./.geojobs-worker")
const concurrency = int("concurrency", f.concurrency)
const grace = int("shutdown-grace", f["shutdown-grace"]) ?? 10_000
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> }
const clean = <T extends object>(o: T): Defined<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>

const options: Program.WorkerOptions = {
  target,
  db: pick(f.db, env.GEOJOBS_WORKER_DB),
  workDir,
  http: { host: pick(f.host, env.GEOJOBS_WORKER_HOST) ?? "127.0.0.1", port: int("port", pick(f.port, env.GEOJOBS_WORKER_PORT)) ?? 4580 },
  inbox: pick(f.inbox, env.GEOJOBS_WORKER_INBOX),
  api: {
    token: pick(f["api-token"], env.GEOJOBS_WORKER_TOKEN),
    tokenFile: pick(f["api-token-file"]),
    corsOrigins,
    allowDirs: f["allow-dir"]?.map((d) => Path.resolve(d)),
    maxUploadBytes
  },
  rate: int("rate", f.rate),
  rates: clean({
    StartJob: int("rate-start", f["rate-start"]),
    GetJob: int("rate-get", f["rate-get"]),
    ListJobs: int("rate-list", f["rate-list"]),
    CancelJob: int("rate-cancel", f["rate-cancel"])
  }),
  sharedRate: !f["no-shared-rate"],
  settings: clean({
    owner: pick(f.owner, env.GEOJOBS_WORKER_OWNER),
    bucket: pick(f.bucket, env.GEOJOBS_WORKER_BUCKET),
    prefix: pick(f.prefix, env.GEOJOBS_WORKER_PREFIX),
    roleArn: pick(f["role-arn"], env.GEOJOBS_WORKER_ROLE_ARN),
    maxInFlight: int("max-in-flight", f["max-in-flight"]),
    uploadConcurrency: concurrency,
    startConcurrency: concurrency,
    collectConcurrency: concurrency,
    leaseMs: int("lease", f.lease),
    pollMs: int("poll", f.poll),
    trackIntervalMs: int("track-interval", f["track-interval"]),
    shutdownGraceMs: grace,
    collect: f["no-collect"] ? false : undefined
  })
}

const level = LogLevel.fromLiteral((pick(f["log-level"], env.GEOJOBS_WORKER_LOG_LEVEL) ?? "Info") as LogLevel.Literal)

// A hard bound on shutdown, whatever hangs.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    setTimeout(() => {
      console.error(`geojobs-worker: shutdown took longer than ${grace + 5000} ms; exiting`)
      process.exit(1)
    }, grace + 5000).unref()
  })
}

const main = Effect.scoped(
  Effect.gen(function*() {
    const program = yield* Program.make(options)
    console.log(`geojobs-worker ready at ${program.url ?? "(no http)"} owner ${program.owner}`)
    if (program.apiTokenFile !== undefined) console.log(`geojobs-worker: API token in ${program.apiTokenFile}`)
    return yield* Effect.never
  })
).pipe(
  Effect.provide(Logger.json),
  Logger.withMinimumLogLevel(level)
)

NodeRuntime.runMain(
  main.pipe(
    // A worker that cannot be set up says why in one line (the directory is taken, the ledger
    // cannot be opened, …), not with a stack.
    Effect.catchTag("WorkerConfigError", (e) =>
      Effect.sync(() => {
        console.error(`geojobs-worker: ${e.message}`)
        process.exitCode = 1
      }))
  ),
  { disablePrettyLogger: true }
)
