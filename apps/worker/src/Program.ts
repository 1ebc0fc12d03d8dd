/**
 * Puts a worker together from options: the work directory's lock (one worker per directory),
 * the target (an endpoint, AWS in a Region, or — by default, as with the CLI — the embedded
 * local service started in-process), the ledger
 * (SQLite file by default, PostgreSQL for a `postgres://` URL), the rate limiter (its window
 * shared with every instance on the ledger), the limited Jobs client, S3, the API's token (made
 * at first start in the work directory) and the engine. Used
 * by `bin.ts` and by tests.
 *
 * @since 0.1.0
 */
import { LocationJobs } from "@geojobs/core/LocationJobs"
import type { StandardRetryOptions } from "@geojobs/core/Retry"
import * as DirLock from "@geojobs/local/DirLock"
import * as LocalService from "@geojobs/local/LocalService"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ApiToken from "./ApiToken.js"
import * as Intake from "./Intake.js"
import { Ledger, type LedgerService } from "./Ledger.js"
import * as LimitedJobs from "./LimitedJobs.js"
import * as Metrics from "./Metrics.js"
import * as ObjectStore from "./ObjectStore.js"
import * as PgLedger from "./PgLedger.js"
import { RateGrants } from "./RateGrants.js"
import * as RateLimiter from "./RateLimiter.js"
import * as SqliteLedger from "./SqliteLedger.js"
import * as Worker from "./Worker.js"
import { WorkerConfigError } from "./WorkerError.js"
import { defaults, type WorkerSettings } from "./WorkerSettings.js"

/** Where Jobs API calls go. */
export type Target =
  | {
    readonly _tag: "Endpoint"
    readonly url: string
    readonly region: string
    readonly profile?: string | undefined
    /** Fixed keys; default: the AWS provider chain (environment, profiles, …). */
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined
  }
  | { readonly _tag: "Aws"; readonly region: string; readonly profile?: string | undefined }
  | { readonly _tag: "Embedded"; readonly dataDir: string }

/** Everything a worker can be told. */
export interface WorkerOptions {
  readonly target: Target
  /** SQLite file path, or a `postgres://` URL. Default `<workDir>/ledger.sqlite`. */
  readonly db?: string | undefined
  /** Scratch, spool (and the default ledger). */
  readonly workDir: string
  /** HTTP API; omit to run without it. */
  readonly http?: { readonly host: string; readonly port: number } | undefined
  /** Who may call the HTTP API and what it accepts. */
  readonly api?: ApiOptions | undefined
  readonly inbox?: string | undefined
  /** Requests per second for every operation (default 5), and per operation overrides. */
  readonly rate?: number | undefined
  readonly rates?: Partial<Record<"StartJob" | "GetJob" | "ListJobs" | "CancelJob", number>> | undefined
  /**
   * Share the rate window with every instance on the ledger (default true): the limits hold for
   * all of them together. False: the limits are this instance's alone (no database round trip per call).
   */
  readonly sharedRate?: boolean | undefined
  readonly retry?: StandardRetryOptions | undefined
  readonly settings?: Partial<WorkerSettings> | undefined
  /** Options of the embedded service (tests). */
  readonly embedded?: Omit<LocalService.LocalServiceOptions, "dataDir"> | undefined
}

/** The HTTP API's access and intake settings; every field has a safe default. */
export interface ApiOptions {
  /** A fixed bearer token; default: the one in `tokenFile`, made at first start. */
  readonly token?: string | undefined
  /** Where the token is kept (made 0600 when missing). Default `<workDir>/api-token`. */
  readonly tokenFile?: string | undefined
  /** Origins whose web pages may call the API. Default: none. */
  readonly corsOrigins?: ReadonlyArray<string> | undefined
  /** Directories `POST /batches` may name local files under. Default: the inbox, if any. */
  readonly allowDirs?: ReadonlyArray<string> | undefined
  /** Largest upload. Default `Intake.defaultMaxUploadBytes`. */
  readonly maxUploadBytes?: number | undefined
}

/** A running worker and what it was built on. */
export interface Program extends Worker.RunningWorker {
  /** The HTTP API's bearer token. */
  readonly apiToken: string
  /** The file it is kept in (undefined for a fixed token). */
  readonly apiTokenFile: string | undefined
  readonly target: Target
  /** Base URL of the embedded service, when that is the target. */
  readonly embeddedUrl: string | undefined
  readonly ledger: LedgerService
  readonly metrics: Metrics.MetricsService
  readonly settings: WorkerSettings
}

const configError = (what: string) => (cause: unknown) =>
  new WorkerConfigError({ message: `${what}: ${(cause as { message?: string })?.message ?? String(cause)}`, cause })

/** The ledger layer (with the shared rate window) for a `db` setting. */
export const ledgerLayer = (db: string): Layer.Layer<Ledger | RateGrants, WorkerConfigError> =>
  (/^postgres(ql)?:\/\//.test(db) ? PgLedger.layer(db) : SqliteLedger.layer(db.replace(/^sqlite:/, ""))).pipe(
    Layer.mapError(configError("cannot open the ledger"))
  )

/** Builds and starts a worker in the scope. */
export const make = (options: WorkerOptions): Effect.Effect<Program, WorkerConfigError, Scope.Scope> =>
  Effect.gen(function*() {
    const settings: WorkerSettings = { ...defaults(options.workDir), ...options.settings }
    const metrics = Metrics.make()
    // One worker per work directory (its scratch and spool, and the default ledger), held by the
    // kernel for the life of the process: a killed worker's restart is never refused.
    const workLock = yield* DirLock.lock(settings.workDir, {
      app: "geojobs-worker",
      what: "work directory",
      hint: () => "use another --work-dir (or GEOJOBS_WORKER_DIR), or stop that worker first"
    }).pipe(Effect.mapError((e) => new WorkerConfigError({ message: e.message, cause: e })))

    // the target
    let endpoint: string | undefined
    let region: string
    let credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined
    let profile: string | undefined
    let embeddedUrl: string | undefined
    const t = options.target
    if (t._tag === "Embedded") {
      const info = yield* LocalService.make({ port: 0, owner: "geojobs-worker (its embedded service)", ...options.embedded, dataDir: t.dataDir }).pipe(
        Effect.mapError(configError("cannot start the embedded local service"))
      )
      endpoint = info.url
      embeddedUrl = info.url
      region = info.region
      credentials = info.credentials
      yield* Effect.logInfo(`embedded local service at ${info.url} (data in ${info.dataDir})`)
    } else {
      endpoint = t._tag === "Endpoint" ? t.url : undefined
      region = t.region
      profile = t.profile
      credentials = t._tag === "Endpoint" ? t.credentials : undefined
    }

    const db = options.db ?? Path.join(options.workDir, "ledger.sqlite")
    const stores = yield* Layer.build(ledgerLayer(db))
    const ledger = Context.get(stores, Ledger)
    const limiter = yield* RateLimiter.make({
      defaultLimit: { rate: options.rate ?? 5 },
      limits: Object.fromEntries(Object.entries(options.rates ?? {}).map(([op, rate]) => [op, { rate: rate! }])),
      shared: options.sharedRate === false ? undefined : Context.get(stores, RateGrants)
    })
    const inner = yield* Layer.build(
      NodeLocationJobs.layer({
        region,
        ...(endpoint !== undefined ? { endpoint } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
        ...(profile !== undefined ? { profile } : {}),
        retry: false
      })
    ).pipe(Effect.map((ctx) => Context.get(ctx, LocationJobs)), Effect.mapError(configError("cannot set up the Jobs API client")))
    const jobs = LimitedJobs.make(inner, { limiter, metrics, retry: options.retry })

    const store = yield* ObjectStore.make({ region, endpoint, credentials, profile }, metrics).pipe(
      Effect.mapError(configError("cannot set up S3"))
    )

    const api = options.api ?? {}
    const tokenFile = api.token === undefined ? Path.resolve(api.tokenFile ?? ApiToken.fileIn(settings.workDir)) : undefined
    const apiToken = api.token ?? (yield* Effect.try({
      try: () => ApiToken.ensure(tokenFile!),
      catch: configError(`cannot read or write the API token file ${tokenFile}`)
    }).pipe(
      Effect.tap((t) =>
        t.created
          ? Effect.logInfo(`API token made in ${tokenFile} (readable by this user only)`)
          : t.loose
          ? Effect.logWarning(`${tokenFile} can be read by other users; chmod 600 it`)
          : Effect.void
      ),
      Effect.map((t) => t.token)
    ))
    if (apiToken.length < 16) return yield* new WorkerConfigError({ message: "the API token must be at least 16 characters" })
    const allowDirs = (api.allowDirs ?? (options.inbox !== undefined ? [options.inbox] : [])).map((d) => Path.resolve(d))
    for (const dir of allowDirs) {
      if (!Fs.existsSync(dir) || !Fs.statSync(dir).isDirectory()) {
        return yield* new WorkerConfigError({ message: `--allow-dir ${dir}: no such directory` })
      }
    }
    const running = yield* Worker.start({
      settings,
      ledger,
      jobs,
      store,
      metrics,
      http: options.http,
      api: {
        access: { token: apiToken, corsOrigins: api.corsOrigins ?? [] },
        intake: {
          allowedDirs: allowDirs,
          maxUploadBytes: api.maxUploadBytes ?? Intake.defaultMaxUploadBytes,
          firstLineBytes: Intake.defaultFirstLineBytes
        }
      },
      inbox: options.inbox
    })
    if (running.url !== undefined) yield* workLock.note({ url: running.url })
    return { ...running, apiToken, apiTokenFile: tokenFile, target: t, embeddedUrl, ledger, metrics, settings }
  })
