/**
 * The local service as a test fixture: started in-process on a free port of 127.0.0.1 with a
 * fresh temporary data directory, stopped and removed when the scope closes. Jobs really run
 * (the address engine over Parquet in its S3), so an integration test exercises the whole path
 * its program takes against AWS, without an account.
 *
 * ```ts
 * import * as LocalTesting from "@geojobs/local/Testing"
 * import { layer } from "@effect/vitest"
 *
 * layer(LocalTesting.layerLocationJobs())("my integration test", (it) => {
 *   it.effect("starts a job", () => ...)      // LocationJobs and LocalService are provided
 * })
 * ```
 *
 * For the AWS SDK's clients, `s3ClientConfig(service)` / `locationClientConfig(service)` give the
 * endpoint, path-style addressing, host-prefix setting and the service's key.
 *
 * @since 0.1.0
 */
import { LocationJobs } from "@geojobs/core/LocationJobs"
import type { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "./LocalService.js"

export {
  /** The running service's tag (its URL, region and key). */
  LocalService,
  /** Why the service could not start. */
  LocalServiceError,
  type LocalServiceInfo,
  type LocalServiceOptions
} from "./LocalService.js"

/** How to run the test service: `LocalServiceOptions` without the port and the data directory. */
export interface TestServiceOptions extends Omit<LocalService.LocalServiceOptions, "port" | "dataDir" | "host"> {
  /** Keep the data directory after the scope closes (to look at it when a test fails). */
  readonly keepDataDir?: boolean | undefined
}

/** A scoped local service on a free loopback port with a temporary data directory. */
export const make = (options: TestServiceOptions = {}) =>
  Effect.gen(function*() {
    const dataDir = yield* Effect.acquireRelease(
      Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-test-"))),
      (dir) => options.keepDataDir ? Effect.void : Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
    )
    const { keepDataDir: _, ...rest } = options
    return yield* LocalService.make({ owner: "a test (@geojobs/local/Testing)", ...rest, port: 0, host: "127.0.0.1", dataDir })
  }).pipe(
    // A test's TestClock must not become the service's: signatures are checked against the real
    // time, and jobs run in it.
    Effect.withClock(Clock.make())
  )

/** `LocalService` for the layer's scope. */
export const layer = (options: TestServiceOptions = {}): Layer.Layer<LocalService.LocalService, LocalService.LocalServiceError> =>
  Layer.scoped(LocalService.LocalService, make(options))

/**
 * `LocationJobs` (the `@geojobs/node` client, signing with the service's key) and `LocalService`,
 * for the layer's scope.
 */
export const layerLocationJobs = (
  options: TestServiceOptions = {},
  client: Omit<NodeLocationJobs.NodeLocationJobsOptions, "endpoint" | "region" | "credentials" | "disableHostPrefix"> = {}
): Layer.Layer<LocationJobs | LocalService.LocalService, LocalService.LocalServiceError | LocationJobsClientError> =>
  Layer.flatMap(layer(options), (context) => {
    const service = Context.get(context, LocalService.LocalService)
    return Layer.merge(
      Layer.succeedContext(context),
      NodeLocationJobs.layer({ ...client, ...locationJobsOptions(service) })
    )
  })

/** The endpoint options of `@geojobs/node`'s layers for `service`. */
export const locationJobsOptions = (service: LocalService.LocalServiceInfo) => ({
  endpoint: service.url,
  region: service.region,
  disableHostPrefix: true,
  ...(service.credentials !== undefined ? { credentials: service.credentials } : {})
})

/** `new S3Client(s3ClientConfig(service))` (`@aws-sdk/client-s3`) reaches the service's S3. */
export const s3ClientConfig = (service: LocalService.LocalServiceInfo) => ({
  endpoint: service.url,
  region: service.region,
  forcePathStyle: true,
  ...(service.credentials !== undefined ? { credentials: service.credentials } : {})
})

/** `new LocationClient(locationClientConfig(service))` (`@aws-sdk/client-location`) reaches its Jobs API. */
export const locationClientConfig = (service: LocalService.LocalServiceInfo) => ({
  endpoint: service.url,
  region: service.region,
  disableHostPrefix: true,
  ...(service.credentials !== undefined ? { credentials: service.credentials } : {})
})
