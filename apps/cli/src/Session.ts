/**
 * One run's connection: the resolved target, the `LocationJobs` client for it (SigV4, retry,
 * `--debug` wire log), and what `validate` needs to reach S3 there. For the embedded target the
 * local service is started in the session's scope (free port, data in `./.geojobs`) and
 * stopped with it. The target line is printed on stderr every time.
 *
 * @since 0.1.0
 */
import * as Endpoint from "@geojobs/core/Endpoint"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import type { PoolHandle } from "@geojobs/engine/PoolHandle"
import type { RunnerOptions } from "@geojobs/local/JobRunner"
import type { LocalServiceInfo } from "@geojobs/local/LocalService"
import * as NodeHttpTransport from "@geojobs/node/NodeHttpTransport"
import { NodeSha256 } from "@geojobs/node/NodeLocationJobs"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as NodeAwsCredentials from "@geojobs/sigv4/NodeAwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Path from "node:path"
import { TargetError, UsageError } from "./CliError.js"
import type { Globals } from "./Globals.js"
import { Io } from "./Io.js"
import * as Settings from "./Settings.js"
import * as Target from "./Target.js"
import * as WireLog from "./WireLog.js"

/** The connection of a run. */
export interface SessionService {
  readonly target: Target.Target
  /** Base URL of the service for S3 on the embedded and endpoint targets; undefined on AWS. */
  readonly endpointUrl: string | undefined
  /** Region (signing Region for custom endpoints). */
  readonly region: string
  readonly credentials: Settings.StaticCredentials | undefined
  readonly profile: string | undefined
  /** The running embedded service, when that is the target. */
  readonly local: LocalServiceInfo | undefined
  /** `--debug` logger (undefined without `--debug`). */
  readonly debug: ((line: string) => void) | undefined
}

/** The session tag. */
export class Session extends Context.Tag("@geojobs/cli/Session")<Session, SessionService>() {}

/** Role used for jobs on the embedded service (it does not check roles). */
export const localRoleArn = "arn:aws:iam::000000000000:role/geojobs-local"

/**
 * The client stack: core client → wire log → SigV4 → Node's own HTTP client (no undici: it is
 * the biggest module a one-call command would load), credentials static or from the chain.
 */
const clientLayer = (
  transport: NodeHttpTransport.AgentOptions,
  options: LocationJobsClient.ClientOptions,
  signingRegion: string,
  credentials: Settings.StaticCredentials | undefined,
  profile: string | undefined,
  debug: ((line: string) => void) | undefined,
  sign = true
): Layer.Layer<LocationJobs, TargetError> => {
  if (!sign) {
    // --no-sign-request: no signer and no credentials, as the AWS CLI
    const unsigned = Layer.provide(WireLog.layer(debug), NodeHttpTransport.layerWith(transport))
    return Layer.provide(LocationJobsClient.layer(options), unsigned).pipe(
      Layer.mapError((e) => new TargetError({ message: e.message, cause: e }))
    )
  }
  const credentialsLayer = credentials !== undefined
    ? Layer.mapError(AwsCredentials.layerStatic(credentials), (e) => new TargetError({ message: `credentials: ${e.message}` }))
    : NodeAwsCredentials.layerProviderChain(profile !== undefined ? { profile } : {})
  // The wire log sits under the signer, so it sees the requests as they are sent.
  const logged = Layer.provide(WireLog.layer(debug), NodeHttpTransport.layerWith(transport))
  const signed = Layer.provide(
    SigV4.layer({ region: signingRegion, service: "geo", sha256: NodeSha256 }),
    Layer.merge(logged, credentialsLayer)
  )
  return Layer.provide(LocationJobsClient.layer(options), signed).pipe(
    Layer.mapError((e) => (e._tag === "TargetError" ? e : new TargetError({ message: e.message, cause: e })))
  )
}

/** What the embedded service is started with, beyond the target's settings. */
export interface EmbeddedOptions {
  /** Validation workers started beforehand (`validate` starts them while it reads its input). */
  readonly pool?: PoolHandle | undefined
  /**
   * Where the service's job runner hands the summary of each output it wrote, counted as the
   * rows were validated (`RunnerOptions.summaries`): `validate` then need not read a kept
   * Parquet result again to count it.
   */
  readonly summaries?: RunnerOptions["summaries"]
  /** Told each job's id as the runner ends it (`RunnerOptions.onJobEnd`). */
  readonly onJobEnd?: RunnerOptions["onJobEnd"]
}

/**
 * Resolves the target, starts the embedded service when needed, prints the target line, and
 * provides `Session` and `LocationJobs` for the scope.
 */

export const layer = (globals: Globals, embedded: EmbeddedOptions = {}): Layer.Layer<Session | LocationJobs, UsageError | TargetError, Io> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const io = yield* Io
      const debug = Settings.debugLog(globals, io)
      const target = yield* Either.match(Target.resolve(globals, io.env), { onLeft: Effect.fail, onRight: Effect.succeed })
      // the shared config file's profile, read once for the connection and retry settings
      const profile = Settings.selectedProfile(globals, io)
      const transport = yield* Either.match(Settings.transportOptions(globals, profile, io), { onLeft: Effect.fail, onRight: Effect.succeed })

      if (target._tag === "Embedded") {
        const LocalService = yield* Effect.promise(() => import("@geojobs/local/LocalService"))
        const context = yield* Layer.build(
          LocalService.layer({
            port: 0,
            host: "127.0.0.1",
            dataDir: Path.resolve(io.cwd, target.dataDir),
            owner: "geojobs (its embedded service)",
            // the process writes the job's result next: the idle validation workers' memory is freed for it
            runnerOptions: {
              releaseWorkers: true,
              ...(embedded.pool !== undefined ? { pool: embedded.pool } : {}),
              ...(embedded.summaries !== undefined ? { summaries: embedded.summaries } : {}),
              ...(embedded.onJobEnd !== undefined ? { onJobEnd: embedded.onJobEnd } : {})
            }
          })
        ).pipe(
          Effect.mapError((e) => new TargetError({ message: `the embedded local service could not start: ${e.message}`, cause: e }))
        )
        const local = Context.get(context, LocalService.LocalService)
        io.stderr(`geojobs: target: ${Settings.describeTarget(target, local.url)}\n`)
        const credentials = local.credentials
        const session: SessionService = {
          target,
          endpointUrl: local.url,
          region: local.region,
          credentials,
          profile: undefined,
          local,
          debug
        }
        return Layer.merge(
          Layer.succeed(Session, session),
          clientLayer(
            transport,
            { endpoint: local.url, region: local.region, disableHostPrefix: true },
            local.region,
            credentials ?? { accessKeyId: "test", secretAccessKey: "test" },
            undefined,
            debug
          )
        )
      }

      const credentials = Settings.staticCredentials(globals, target, io.env)
      const retry = yield* Either.match(Settings.retryOptions(profile, io), { onLeft: Effect.fail, onRight: Effect.succeed })
      const options = Settings.clientOptions(target, io.env, retry)
      const resolved = Endpoint.resolve(options)
      if (Either.isLeft(resolved)) return yield* new UsageError({ message: resolved.left.message })
      io.stderr(`geojobs: target: ${Settings.describeTarget(target)}\n`)
      const session: SessionService = {
        target,
        endpointUrl: target._tag === "Endpoint" ? target.url : undefined,
        region: target.region,
        credentials,
        profile: target.profile,
        local: undefined,
        debug
      }
      return Layer.merge(
        Layer.succeed(Session, session),
        clientLayer(transport, options, resolved.right.signingRegion, credentials, target.profile, debug, !globals.noSignRequest)
      )
    })
  )
