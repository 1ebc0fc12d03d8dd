/**
 * `LocationJobs` for Node, ready to use: the core REST-JSON client, SigV4 signing (service `geo`,
 * a node:crypto SHA-256), and a keep-alive undici transport (or `node:http`, or the platform's).
 *
 * Credentials: `credentials` when given, otherwise the AWS SDK's Node provider chain
 * (environment, `~/.aws` profiles, SSO, process, web identity, container/instance metadata),
 * loaded lazily on the first call.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Endpoint from "@geojobs/core/Endpoint"
import type { LocationJobs } from "@geojobs/core/LocationJobs"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as NodeAwsCredentials from "@geojobs/sigv4/NodeAwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as crypto from "node:crypto"
import * as NodeHttpTransport from "./NodeHttpTransport.js"

/** Options of the Node client. */
export interface NodeLocationJobsOptions extends LocationJobsClient.ClientOptions {
  /** Fixed credentials. Default: the Node provider chain. */
  readonly credentials?: AwsCredentials.CredentialsInput | undefined
  /** Profile for the provider chain (ignored with `credentials`). */
  readonly profile?: string | undefined
  /**
   * The HTTP transport:
   * - `"undici-lean"` (default): `UndiciHttpClient`, a keep-alive undici agent, each (small JSON)
   *   answer buffered — the least CPU per call (undici compiles its WebAssembly parser on a
   *   process's first request: ~150–300 ms once);
   * - `"node-http"`: `NodeHttpTransport`, the same over keep-alive `node:http`/`node:https` agents —
   *   Node's native parser, so the quickest first call (short-lived processes: CLIs, functions), at
   *   ~15–20% more CPU per call;
   * - `"platform"`: `NodeHttpClient.layerUndici` from `@effect/platform-node` (loaded only when chosen).
   * The two lean ones time each attempt themselves and make no span without a real tracer.
   */
  readonly transport?: "node-http" | "undici-lean" | "platform" | undefined
}

/** `NodeHttpClient.layerUndici`, imported on first use so that the default transport does not load it. */
const platformTransport: Layer.Layer<HttpClient.HttpClient> = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (m) => m.layerUndici)
)

/**
 * The attempt time limit the lean transport enforces itself (one timer inside the request instead
 * of a timer and a fiber around it), or undefined when the client must time attempts itself.
 */
const transportTimeoutMs = (options: NodeLocationJobsOptions): number | undefined => {
  if (options.transport === "platform") return undefined
  const ms = Duration.toMillis(Duration.decode(options.attemptTimeout ?? "30 seconds"))
  return ms > 0 && ms <= 2 ** 31 - 1 ? ms : undefined
}

/** `UndiciHttpClient`, imported when the layer is built (a program on another transport never loads undici). */
const undiciTransport = (settings: NodeHttpTransport.ClientSettings): Layer.Layer<HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(Effect.promise(() => import("./UndiciHttpClient.js")), (m) => m.layerWith(settings)))

const transportLayer = (options: NodeLocationJobsOptions, timeoutMs: number | undefined): Layer.Layer<HttpClient.HttpClient> =>
  options.transport === "platform"
    ? platformTransport
    : options.transport === "node-http"
    ? NodeHttpTransport.layerWith({ requestTimeout: timeoutMs, spansOnlyWithTracer: true })
    : undiciTransport({ requestTimeout: timeoutMs, spansOnlyWithTracer: true })

/** `crypto.hash` (Node 20.12+, 21.7+): a one-shot digest without a `Hash` object. */
const oneShotHash = (crypto as { readonly hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }).hash

/**
 * node:crypto SHA-256 (HMAC-SHA-256 with a secret) in the shape the signer takes; the same results
 * as `@smithy/hash-node`'s `Hash` (an empty secret hashes, as there), without its conversions.
 */
class NodeSha256Impl implements SigV4.Sha256 {
  private readonly hash: crypto.Hash | crypto.Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined || secret === ""
      ? crypto.createHash("sha256")
      : crypto.createHmac(
        "sha256",
        typeof secret === "string"
          ? secret
          : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret)
      )
  }
  update(data: Uint8Array): void {
    this.hash.update(data)
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest())
  }
  /** One-shot SHA-256, synchronous: the signer then awaits nothing. */
  static sha256Sync(data: Uint8Array): Uint8Array {
    return crypto.createHash("sha256").update(data).digest()
  }
  /** One-shot HMAC-SHA-256, synchronous. */
  static hmacSync(key: Uint8Array, data: Uint8Array): Uint8Array {
    return crypto.createHmac("sha256", key).update(data).digest()
  }
  /** One-shot SHA-256 to hex; a string is read as UTF-8 (`crypto.hash` where Node has it). */
  static sha256HexSync(data: string | Uint8Array): string {
    return oneShotHash !== undefined ? oneShotHash("sha256", data, "hex") : crypto.createHash("sha256").update(data).digest("hex")
  }
  /** One-shot HMAC-SHA-256 of a UTF-8 string, to hex. */
  static hmacHexSync(key: Uint8Array, data: string): string {
    return crypto.createHmac("sha256", key).update(data, "utf8").digest("hex")
  }
}

/** node:crypto SHA-256 in the shape the signer takes (one constructor, reused for every call). */
export const NodeSha256: SigV4.Sha256Constructor = NodeSha256Impl

const credentialsLayer = (options: NodeLocationJobsOptions): Layer.Layer<AwsCredentials.AwsCredentials, LocationJobsClientError> =>
  options.credentials !== undefined
    ? Layer.mapError(AwsCredentials.layerStatic(options.credentials), (e) =>
      new LocationJobsClientError({ reason: "Credentials", message: e.message, cause: e }))
    : NodeAwsCredentials.layerProviderChain(options.profile !== undefined ? { profile: options.profile } : {})

/**
 * Builds the full stack for resolved endpoint options. The signing Region is the configured
 * one (or `us-east-1` for a custom endpoint without a Region).
 */
const build = (options: NodeLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  Either.match(Endpoint.resolve(options), {
    onLeft: (error) => Layer.fail(error),
    onRight: (endpoint) => {
      const timeoutMs = transportTimeoutMs(options)
      const lean = options.transport !== "platform"
      return LocationJobsClient.layer(
        lean
          ? { ...options, attemptTimeoutByTransport: timeoutMs !== undefined, transportUntracedWithoutTracer: true }
          : options
      ).pipe(
        Layer.provide(SigV4.layer({ region: endpoint.signingRegion, service: "geo", sha256: NodeSha256 })),
        Layer.provide(Layer.merge(transportLayer(options, timeoutMs), credentialsLayer(options)))
      )
    }
  })

/** `LocationJobs` over Node's HTTP (keep-alive; the lean undici transport unless `transport` says otherwise). */
export const layer = (options: NodeLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  build(options)

/**
 * `LocationJobs` with the endpoint read from the AWS environment (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_LOCATION`, `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`,
 * `AWS_USE_DUALSTACK_ENDPOINT`); `options` override it.
 */
export const layerConfig = (
  options: NodeLocationJobsOptions = {}
): Layer.Layer<LocationJobs, LocationJobsClientError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(
    Effect.map(Endpoint.withConfig(options), build)
  )
