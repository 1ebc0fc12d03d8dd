/**
 * The embedded local service as a Layer: the Jobs API (service semantics over a durable SQLite
 * store), the S3 subset (objects on disk), SigV4 verification and the job runner, on one HTTP
 * port bound to 127.0.0.1 by default. Used by `geojobs-local`, by the CLI's embedded default
 * target and by tests (port 0 picks a free port).
 *
 * One service per data directory, held by the kernel for the life of the process (`DirLock`:
 * `LOCK.sqlite`, with the note `LOCK` naming the owner and its URL): a second live service on the
 * directory is refused with a message naming the first, and a killed service's lock is gone
 * with its process, so a restart right after a crash always starts.
 *
 * Data directory layout: `jobs.sqlite` (jobs and idempotency tokens), `service.key` (the
 * NextToken signing key, so page tokens survive restarts), `s3/` (buckets and objects),
 * `work/` (the runner's temporary files).
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as JobDriver from "@geojobs/service/JobDriver"
import type { JobRecord } from "@geojobs/service/JobRecord"
import * as JobsApi from "@geojobs/service/JobsApi"
import * as JobsConfig from "@geojobs/service/JobsConfig"
import { JobStore, type JobStoreService } from "@geojobs/service/JobStore"
import * as WireHandler from "@geojobs/service/WireHandler"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Path from "node:path"
import { type AuthPolicy, defaultPolicy } from "./Auth.js"
import type * as Cors from "./Cors.js"
import * as DirLock from "./DirLock.js"
import * as JobRunner from "./JobRunner.js"
import * as RequestLog from "./RequestLog.js"
import * as S3Gate from "./S3Gate.js"
import * as S3Store from "./s3/S3Store.js"
import * as Server from "./Server.js"
import * as SqlJobStore from "./SqlJobStore.js"

/** How to run the local service. */
export interface LocalServiceOptions {
  /** TCP port; 0 picks a free one. Default 4566. */
  readonly port?: number | undefined
  /** Interface to bind. Default 127.0.0.1 (never all interfaces unless asked). */
  readonly host?: string | undefined
  /** Where jobs and objects live. Created if missing. */
  readonly dataDir: string
  /** Who may call. Default: the key `test`/`test`. */
  readonly auth?: AuthPolicy | undefined
  /** Region and account in job ARNs. Default us-east-1 / 000000000000. */
  readonly region?: string | undefined
  readonly accountId?: string | undefined
  /**
   * `auto` (default): the runner executes every job. `manual`: jobs move only when told (through
   * `driver`), for tests of the API's semantics.
   */
  readonly runner?: "auto" | "manual" | undefined
  /** Runner settings (time between row groups, …). */
  readonly runnerOptions?: JobRunner.RunnerOptions | undefined
  /** Browser origins allowed to call (CORS). Default: pages on localhost only. */
  readonly cors?: Cors.CorsPolicy | undefined
  /** Largest S3 object accepted. Default 5 GiB. */
  readonly maxObjectSize?: number | undefined
  /**
   * Who runs the service, as a second process refused the data directory is told (with the pid
   * and URL). Default `geojobs-local`.
   */
  readonly owner?: string | undefined
}

/** A running local service. */
export interface LocalServiceInfo {
  /** Base URL, e.g. `http://127.0.0.1:4566`. */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly region: string
  /** The first configured key (what a client should sign with), or undefined with auth off. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined
  readonly store: JobStoreService
  readonly driver: JobDriver.JobDriverService
  readonly requestLog: RequestLog.RequestLogService
  readonly objects: S3Store.S3Store
}

/** The running service. */
export class LocalService extends Context.Tag("@geojobs/local/LocalService")<LocalService, LocalServiceInfo>() {}

/** Why the service could not start. */
export class LocalServiceError extends Schema.TaggedError<LocalServiceError>()("LocalServiceError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

const startError = (what: string) => (cause: unknown) =>
  new LocalServiceError({
    message: `${what}: ${typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)}`,
    cause
  })

/** The NextToken key, made once per data directory and kept. */
const serviceKey = (dataDir: string) =>
  Effect.try({
    try: () => {
      const file = Path.join(dataDir, "service.key")
      if (Fs.existsSync(file)) {
        const key = Fs.readFileSync(file)
        if (key.length === 32) return new Uint8Array(key)
      }
      const key = globalThis.crypto.getRandomValues(new Uint8Array(32))
      const tmp = `${file}.${process.pid}.tmp`
      Fs.writeFileSync(tmp, key, { mode: 0o600 })
      Fs.renameSync(tmp, file)
      return key
    },
    catch: startError(`cannot read or create the service key in ${dataDir}`)
  })

/** Starts the service in the layer's scope; stops it (server, runner, databases) when the scope closes. */
export const make = (options: LocalServiceOptions) =>
  Effect.gen(function*() {
    const dataDir = Path.resolve(options.dataDir)
    yield* Effect.try({
      try: () => Fs.mkdirSync(dataDir, { recursive: true }),
      catch: startError(`cannot create the data directory ${dataDir}`)
    })
    // Before anything opens a file in it: a second service must not touch the first one's data.
    const dirLock = yield* DirLock.lock(dataDir, {
      app: options.owner ?? "geojobs-local",
      what: "data directory",
      hint: (owner) =>
        `use another data directory (--data-dir or GEOJOBS_DATA_DIR), or --endpoint-url ${
          owner?.url ?? "<its URL>"
        } to use the running service`
    }).pipe(Effect.mapError((e) => new LocalServiceError({ message: e.message, cause: e })))
    const host = options.host ?? "127.0.0.1"
    const region = options.region ?? "us-east-1"
    const auth = options.auth ?? defaultPolicy

    // Built in this scope, so the database stays open as long as the service runs.
    const store = Context.get(
      yield* Layer.build(SqlJobStore.layer(Path.join(dataDir, "jobs.sqlite"))).pipe(
        Effect.mapError(startError("cannot open the job database"))
      ),
      JobStore
    )
    const objects = yield* S3Store.make({
      dataDir,
      ...(options.maxObjectSize !== undefined ? { maxObjectSize: options.maxObjectSize } : {})
    }).pipe(Effect.mapError(startError("cannot open the object store")))
    const config = yield* JobsConfig.make({
      region,
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      nextTokenSecret: yield* serviceKey(dataDir)
    })
    const driver = JobDriver.makeWith(store)
    const runner = options.runner === "manual"
      ? undefined
      : yield* JobRunner.start({ store, driver, objects, workDir: Path.join(dataDir, "work"), ...options.runnerOptions })
    const hooks: JobsApi.JobsApiHooks = runner === undefined ? {} : {
      onJobCreated: (_job: JobRecord) => runner.wake,
      onCancelRequested: (_job: JobRecord) => runner.wake
    }
    const api = JobsApi.makeWith(store, config, hooks)
    const log = RequestLog.make()

    const server = yield* NodeHttpServer.make(() => Http.createServer(), { port: options.port ?? 4566, host }).pipe(
      Effect.mapError(startError(`cannot listen on ${host}:${options.port ?? 4566}`))
    )
    const app = Server.makeApp({
      auth,
      region,
      cors: options.cors,
      jobs: WireHandler.makeWith(api),
      s3: S3Gate.make({ auth, objects, region }),
      log,
      health: Effect.sync(() => ({ service: "geojobs-local", region, dataDir, runner: options.runner ?? "auto" }))
    })
    yield* server.serve(app).pipe(Effect.provide(NodeHttpServer.layerContext))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : 0
    const info: LocalServiceInfo = {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      host,
      port,
      dataDir,
      region,
      credentials: auth._tag === "Keys" && auth.keys[0] !== undefined ? auth.keys[0] : undefined,
      store,
      driver,
      requestLog: log,
      objects
    }
    yield* dirLock.note({ url: info.url })
    return info
  })

/** The service as a layer. */
export const layer = (options: LocalServiceOptions): Layer.Layer<LocalService, LocalServiceError> =>
  Layer.scoped(LocalService, make(options))

