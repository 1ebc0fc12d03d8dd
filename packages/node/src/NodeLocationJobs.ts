/**
 * `LocationJobs` for Node, ready to use: the core REST-JSON client, SigV4 signing (service `geo`,
 * a node:crypto SHA-256), and a keep-alive transport (`node:http` for the first requests, then
 * undici; or either alone, or any `HttpClient` layer).
 *
 * Credentials: `credentials` when given, otherwise the AWS SDK's Node provider chain
 * (environment, `~/.aws` profiles, SSO, process, web identity, container/instance metadata),
 * loaded lazily on the first call.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Endpoint from "@geojobs/core/Endpoint"
import * as SharedConfig from "@geojobs/core/SharedConfig"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as NodeAwsCredentials from "@geojobs/sigv4/NodeAwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as AutoHttpTransport from "./AutoHttpTransport.js"
import { makeClient } from "./internal/buffered.js"
import * as nodeSha256 from "./internal/nodeSha256.js"
import * as sharedConfigFile from "./internal/sharedConfigFile.js"
import { makeSend as undiciMakeSend } from "./internal/undiciSend.js"
import * as NodeHttpTransport from "./NodeHttpTransport.js"

/** Options of the Node client. */
export interface NodeLocationJobsOptions extends LocationJobsClient.ClientOptions {
  /** Fixed credentials. Default: the Node provider chain. */
  readonly credentials?: AwsCredentials.CredentialsInput | undefined
  /** Profile for the provider chain (ignored with `credentials`). */
  readonly profile?: string | undefined
  /**
   * The HTTP transport:
   * - `"auto"` (default): `AutoHttpTransport` — the first 64 requests over keep-alive `node:http`
   *   agents (Node's native parser: nothing to compile, the quickest first call and exit), the
   *   later ones over a keep-alive undici agent (the least CPU per call), each (small JSON) answer
   *   buffered;
   * - `"undici-lean"`: `UndiciHttpClient` from the first request (undici compiles its WebAssembly
   *   parser on a process's first request, which a short-lived process waits for);
   * - `"node-http"`: `NodeHttpTransport` only, more CPU per call than undici;
   * - any `Layer` of an `HttpClient`, e.g. `NodeHttpClient.layerUndici` from
   *   `@effect/platform-node`; the client then times each attempt itself.
   * The lean ones time each attempt themselves and make no span without a real tracer.
   */
  readonly transport?: "auto" | "node-http" | "undici-lean" | Layer.Layer<HttpClient.HttpClient> | undefined
}

/**
 * The attempt time limit a lean transport enforces itself (one timer inside the request instead
 * of a timer and a fiber around it), or undefined when the client must time attempts itself.
 */
const transportTimeoutMs = (options: NodeLocationJobsOptions): number | undefined => {
  if (Layer.isLayer(options.transport)) return undefined
  const ms = Duration.toMillis(Duration.decode(options.attemptTimeout ?? "30 seconds"))
  return ms > 0 && ms <= 2 ** 31 - 1 ? ms : undefined
}

/** The HTTP client of the chosen transport, its agents closed with the scope. */
const transportClient = (
  transport: NodeLocationJobsOptions["transport"],
  timeoutMs: number | undefined
): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const settings = { requestTimeout: timeoutMs, spansOnlyWithTracer: true }
  if (transport === undefined || transport === "auto") {
    return Effect.map(
      Effect.acquireRelease(Effect.sync(() => AutoHttpTransport.make(settings)), (auto) => Effect.promise(auto.close)),
      (auto) => auto.client
    )
  }
  if (transport === "node-http") {
    return Effect.map(NodeHttpTransport.makeAgents(), (agents) => NodeHttpTransport.make(agents, settings))
  }
  if (transport === "undici-lean") {
    // undici imported when chosen: a program on another transport does not load it at start
    return Effect.map(
      Effect.acquireRelease(
        Effect.flatMap(Effect.promise(() => import("./internal/undiciAgent.js")), (module) => Effect.sync(() => module.newAgent())),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      (agent) => makeClient(undiciMakeSend(agent), settings, "UndiciHttpClient")
    )
  }
  return Effect.map(Layer.build(transport), (context) => Context.get(context, HttpClient.HttpClient))
}

/** node:crypto SHA-256 in the shape the signer takes (one constructor, reused for every call). */
export const NodeSha256: SigV4.Sha256Constructor = nodeSha256.NodeSha256

/** The credentials provider: fixed ones, or the Node provider chain (loaded on the first call). */
const credentialsProvider = (
  options: NodeLocationJobsOptions
): Effect.Effect<AwsCredentials.AwsCredentialsProvider, LocationJobsClientError> =>
  options.credentials !== undefined
    ? Effect.mapBoth(AwsCredentials.makeCredentials(options.credentials), {
      onFailure: (e) => new LocationJobsClientError({ reason: "Credentials", message: e.message, cause: e }),
      onSuccess: (credentials) => AwsCredentials.make(Effect.succeed(credentials))
    })
    : NodeAwsCredentials.makeProviderChain(options.profile !== undefined ? { profile: options.profile } : {})

/** `x-amz-security-token` among the header names Effect redacts when it prints requests (as `SigV4.layer` does). */
const redactSessionToken = Effect.locallyScopedWith(
  Headers.currentRedactedNames,
  (names) => names.includes("x-amz-security-token") ? names : [...names, "x-amz-security-token"]
)

/**
 * Builds the full stack for resolved endpoint options, in one scoped layer (credentials, the
 * transport, the SigV4 middleware and the client made in order, without a layer graph to run). The
 * signing Region is the configured one (or `us-east-1` for a custom endpoint without a Region).
 */
const build = (options: NodeLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  Either.match(Endpoint.resolve(options), {
    onLeft: (error) => Layer.fail(error),
    onRight: (endpoint) =>
      Layer.scoped(
        LocationJobs,
        Effect.gen(function*() {
          const timeoutMs = transportTimeoutMs(options)
          const lean = !Layer.isLayer(options.transport)
          const credentials = yield* credentialsProvider(options)
          const transport = yield* transportClient(options.transport, timeoutMs)
          const sign = SigV4.makeSigner({
            region: endpoint.signingRegion,
            service: "geo",
            sha256: NodeSha256,
            credentials: credentials.get
          })
          yield* redactSessionToken
          return yield* Effect.provideService(
            LocationJobsClient.make(
              lean
                ? { ...options, attemptTimeoutByTransport: timeoutMs !== undefined, transportUntracedWithoutTracer: true }
                : options
            ),
            HttpClient.HttpClient,
            sign(transport)
          )
        })
      )
  })

/** `LocationJobs` over Node's HTTP (keep-alive; `node:http` first, then undici, unless `transport` says otherwise). */
export const layer = (options: NodeLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  build(options)

/** Which shared config file and profile, read through `Config`. */
const FileLocationConfig: Config.Config<sharedConfigFile.FileLocation> = Config.all(
  Object.fromEntries(
    sharedConfigFile.fileLocationNames.map((name) => [name, Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))])
  ) as { [K in keyof sharedConfigFile.FileLocation]-?: Config.Config<string | undefined> }
)

/**
 * `LocationJobs` configured as the AWS SDK v3 configures a client (see `SharedConfig` in
 * `@geojobs/core`): `options` first, then the environment (`AWS_REGION`, `AWS_ENDPOINT_URL_LOCATION`,
 * `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS`,
 * `AWS_RETRY_MODE`), then the shared config file's profile (`AWS_CONFIG_FILE` or `~/.aws/config`;
 * `options.profile`, `AWS_PROFILE` or `default`): `region`, `endpoint_url` and the `services`
 * section's `location` endpoint, `max_attempts`, `retry_mode`. Environment variables are read
 * through `Config`.
 */
export const layerConfig = (
  options: NodeLocationJobsOptions = {}
): Layer.Layer<LocationJobs, LocationJobsClientError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const where = yield* FileLocationConfig
      const profile = yield* Effect.tryPromise({
        try: () => sharedConfigFile.readProfile(options.profile, where),
        catch: (cause) =>
          new LocationJobsClientError({
            reason: "Configuration",
            message: `could not read the AWS shared config file: ${cause instanceof Error ? cause.message : String(cause)}`,
            cause
          })
      })
      return build(yield* SharedConfig.withConfig(options, profile))
    })
  )
