/**
 * `LocationJobs` over `fetch`, ready to use in browsers, edge runtimes, Deno, Bun and Node:
 * the core REST-JSON client, SigV4 signing (service `geo`, a pure-JS SHA-256) and
 * `FetchHttpClient`. Nothing here reaches a Node built-in.
 *
 * Credentials: `credentials` when given, otherwise `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/
 * `AWS_SESSION_TOKEN` through `Config`. In a browser, prefer short-lived credentials.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Sha256 } from "@aws-crypto/sha256-js"
import * as Endpoint from "@geojobs/core/Endpoint"
import type { LocationJobs } from "@geojobs/core/LocationJobs"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import * as SharedConfig from "@geojobs/core/SharedConfig"
import { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"

/** Options of the fetch client. */
export interface FetchLocationJobsOptions extends LocationJobsClient.ClientOptions {
  /** Fixed credentials. Default: the `AWS_*` settings read through `Config`. */
  readonly credentials?: AwsCredentials.CredentialsInput | undefined
}

const toClientError = (e: { readonly message: string }) =>
  new LocationJobsClientError({ reason: "Credentials", message: e.message, cause: e })

const build = (options: FetchLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  Either.match(Endpoint.resolve(options), {
    onLeft: (error) => Layer.fail(error),
    onRight: (endpoint) =>
      LocationJobsClient.layer(options).pipe(
        Layer.provide(SigV4.layer({ region: endpoint.signingRegion, service: "geo", sha256: Sha256 })),
        Layer.provide(Layer.merge(
          FetchHttpClient.layer,
          Layer.mapError(
            options.credentials !== undefined ? AwsCredentials.layerStatic(options.credentials) : AwsCredentials.layerConfig(),
            toClientError
          )
        ))
      )
  })

/** `LocationJobs` over `fetch` with the given options. */
export const layer = (options: FetchLocationJobsOptions): Layer.Layer<LocationJobs, LocationJobsClientError> =>
  build(options)

/**
 * `LocationJobs` with the endpoint and retry settings read from `Config` (the AWS environment:
 * `AWS_REGION`, `AWS_ENDPOINT_URL_LOCATION`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, … as `SharedConfig`
 * in `@geojobs/core` reads them); `options` override it. There is no shared config file to read here.
 */
export const layerConfig = (
  options: FetchLocationJobsOptions = {}
): Layer.Layer<LocationJobs, LocationJobsClientError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(
    Effect.map(SharedConfig.withConfig(options), build)
  )
