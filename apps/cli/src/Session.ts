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
import type { LocalServiceInfo } from "@geojobs/local/LocalService"
import * as Emulator from "@geojobs/node/Emulator"
import * as NodeHttpTransport from "@geojobs/node/NodeHttpTransport"
import { NodeSha256 } from "@geojobs/node/NodeLocationJobs"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as NodeAwsCredentials from "@geojobs/sigv4/NodeAwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { TargetError, UsageError } from "./CliError.js"
import type { Globals } from "./Globals.js"
import { Io, type IoService } from "./Io.js"
import { isFormat, type OutputFormat } from "./Output.js"
import * as AwsConfigFile from "./AwsConfigFile.js"
import * as Target from "./Target.js"
import * as WireLog from "./WireLog.js"

/** Static keys (embedded service, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment). */
export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/** The connection of a run. */
export interface SessionService {
  readonly target: Target.Target
  /** Base URL of the service for S3 on the embedded and endpoint targets; undefined on AWS. */
  readonly endpointUrl: string | undefined
  /** Region (signing Region for custom endpoints). */
  readonly region: string
  readonly credentials: StaticCredentials | undefined
  readonly profile: string | undefined
  /** The running embedded service, when that is the target. */
  readonly local: LocalServiceInfo | undefined
  /** `--debug` logger (undefined without `--debug`). */
  readonly debug: ((line: string) => void) | undefined
}

/** The session tag. */
export class Session extends Context.Tag("@geojobs/cli/Session")<Session, SessionService>() {}

/** The profile a run reads its settings from: `--profile`, else `AWS_PROFILE`, else `default`. */
export const selectedProfile = (globals: Globals, io: IoService): AwsConfigFile.ProfileInfo =>
  AwsConfigFile.profile(globals.profile ?? io.env.AWS_PROFILE ?? "default", io.env)

/**
 * The output format, as the AWS CLI picks it: the flag, else `AWS_DEFAULT_OUTPUT`, else the
 * selected profile's `output` (`--profile`, `AWS_PROFILE`, else `default`), else json — table
 * on a terminal, where a person reads it.
 */
export const outputFormat = (globals: Globals, io: IoService): OutputFormat => {
  if (globals.output !== undefined) return globals.output
  const env = io.env.AWS_DEFAULT_OUTPUT
  if (isFormat(env)) return env
  const configured = selectedProfile(globals, io).output
  if (isFormat(configured)) return configured
  return io.stdoutIsTty ? "table" : "json"
}

/** The `--debug` line writer for an Io. */
export const debugLog = (globals: Globals, io: IoService): ((line: string) => void) | undefined =>
  globals.debug ? (line: string) => io.stderr(`geojobs: debug: ${line}\n`) : undefined

/** Role used for jobs on the embedded service (it does not check roles). */
export const localRoleArn = "arn:aws:iam::000000000000:role/geojobs-local"

const envCredentials = (env: IoService["env"]): StaticCredentials | undefined => {
  const id = env.AWS_ACCESS_KEY_ID?.trim()
  const secret = env.AWS_SECRET_ACCESS_KEY?.trim()
  if (!id || !secret) return undefined
  const token = env.AWS_SESSION_TOKEN?.trim()
  return { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) }
}


/**
 * Attempts per call as the AWS CLI counts them: `AWS_MAX_ATTEMPTS`, else the profile's
 * `max_attempts`, else the retry mode's default (`AWS_RETRY_MODE` / `retry_mode`: 3 for
 * `standard` and `adaptive`, 5 for `legacy`). Every mode runs as the core's standard policy.
 */
export const retryOptions = (
  profile: AwsConfigFile.ProfileInfo,
  io: IoService
): Either.Either<{ readonly maxAttempts: number }, UsageError> => {
  const [mode, modeSource] = io.env.AWS_RETRY_MODE !== undefined && io.env.AWS_RETRY_MODE !== ""
    ? [io.env.AWS_RETRY_MODE, "AWS_RETRY_MODE"]
    : [profile.retryMode ?? "standard", "retry_mode in the config file"]
  if (mode !== "standard" && mode !== "adaptive" && mode !== "legacy") {
    return Either.left(new UsageError({ message: `${modeSource}: ${JSON.stringify(mode)} is not one of standard, adaptive, legacy` }))
  }
  const [raw, source] = io.env.AWS_MAX_ATTEMPTS !== undefined && io.env.AWS_MAX_ATTEMPTS !== ""
    ? [io.env.AWS_MAX_ATTEMPTS, "AWS_MAX_ATTEMPTS"]
    : [profile.maxAttempts, "max_attempts in the config file"]
  if (raw === undefined) return Either.right({ maxAttempts: mode === "legacy" ? 5 : 3 })
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) {
    return Either.left(new UsageError({ message: `${source}: ${JSON.stringify(raw)} is not a whole number of attempts (1 or more)` }))
  }
  return Either.right({ maxAttempts: n })
}

/** The AWS CLI's default connect and read timeouts, seconds. */
const defaultSocketTimeout = 60

/**
 * The connection settings of the AWS CLI's flags: `--no-verify-ssl`; `--ca-bundle`, else
 * `AWS_CA_BUNDLE`, else the profile's `ca_bundle`; `--cli-connect-timeout` and
 * `--cli-read-timeout` in seconds (60 by default, 0 for none).
 */
export const transportOptions = (
  globals: Globals,
  profile: AwsConfigFile.ProfileInfo,
  io: IoService
): Either.Either<NodeHttpTransport.AgentOptions, UsageError> => {
  const seconds = (value: number | undefined) => {
    const s = value ?? defaultSocketTimeout
    return s === 0 ? undefined : s * 1000
  }
  const caFile = globals.caBundle ?? io.env.AWS_CA_BUNDLE ?? profile.caBundle
  let ca: Buffer | undefined
  if (caFile !== undefined) {
    try {
      ca = Fs.readFileSync(Path.resolve(io.cwd, caFile))
    } catch (e) {
      return Either.left(new UsageError({ message: `cannot read the CA bundle ${caFile}: ${(e as Error).message}` }))
    }
  }
  return Either.right({
    connectTimeout: seconds(globals.cliConnectTimeout),
    readTimeout: seconds(globals.cliReadTimeout),
    ...(globals.noVerifySsl ? { rejectUnauthorized: false } : {}),
    ...(ca !== undefined ? { ca } : {})
  })
}

/**
 * The client stack: core client → wire log → SigV4 → Node's own HTTP client (no undici: it is
 * the biggest module a one-call command would load), credentials static or from the chain.
 */
const clientLayer = (
  transport: NodeHttpTransport.AgentOptions,
  options: LocationJobsClient.ClientOptions,
  signingRegion: string,
  credentials: StaticCredentials | undefined,
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

/** A one-line description of the target, printed on stderr. */
export const describeTarget = (target: Target.Target, url?: string): string => {
  switch (target._tag) {
    case "Embedded":
      return `embedded local service at ${url} (data in ${target.dataDir})`
    case "Endpoint":
      return `endpoint ${target.url} (from ${target.urlSource}; region ${target.region})`
    case "Aws":
      return `AWS ${target.region} (${target.regionSource}${target.profile !== undefined ? `; profile ${target.profile}` : ""})`
  }
}

/**
 * Resolves the target, starts the embedded service when needed, prints the target line, and
 * provides `Session` and `LocationJobs` for the scope.
 */
export const layer = (globals: Globals): Layer.Layer<Session | LocationJobs, UsageError | TargetError, Io> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const io = yield* Io
      const debug = debugLog(globals, io)
      const target = yield* Either.match(Target.resolve(globals, io.env), { onLeft: Effect.fail, onRight: Effect.succeed })
      // the shared config file's profile, read once for the connection and retry settings
      const profile = selectedProfile(globals, io)
      const transport = yield* Either.match(transportOptions(globals, profile, io), { onLeft: Effect.fail, onRight: Effect.succeed })

      if (target._tag === "Embedded") {
        const LocalService = yield* Effect.promise(() => import("@geojobs/local/LocalService"))
        const context = yield* Layer.build(
          LocalService.layer({
            port: 0,
            host: "127.0.0.1",
            dataDir: Path.resolve(io.cwd, target.dataDir),
            owner: "geojobs (its embedded service)"
          })
        ).pipe(
          Effect.mapError((e) => new TargetError({ message: `the embedded local service could not start: ${e.message}`, cause: e }))
        )
        const local = Context.get(context, LocalService.LocalService)
        io.stderr(`geojobs: target: ${describeTarget(target, local.url)}\n`)
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

      // --profile → the SDK chain for that profile; else keys in the environment; else, for an
      // emulator on this machine, its usual test key; else the SDK chain (AWS_PROFILE, files, SSO…).
      const credentials = globals.profile !== undefined
        ? undefined
        : envCredentials(io.env) ??
          (target._tag === "Endpoint" && target.profile === undefined ? Emulator.credentialsFor(target.url, undefined, io.env) : undefined)
      const retry = yield* Either.match(retryOptions(profile, io), { onLeft: Effect.fail, onRight: Effect.succeed })
      const options: LocationJobsClient.ClientOptions = target._tag === "Endpoint"
        ? { endpoint: target.url, region: target.region, disableHostPrefix: true, retry }
        : {
          region: target.region,
          useFips: io.env.AWS_USE_FIPS_ENDPOINT === "true",
          useDualstack: io.env.AWS_USE_DUALSTACK_ENDPOINT === "true",
          retry
        }
      const resolved = Endpoint.resolve(options)
      if (Either.isLeft(resolved)) return yield* new UsageError({ message: resolved.left.message })
      io.stderr(`geojobs: target: ${describeTarget(target)}\n`)
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
