/**
 * The Jobs API as the worker calls it: every attempt waits for its operation's rate limit, is
 * counted and timed, and failed attempts are retried with the library's standard policy
 * (`@geojobs/core/Retry`: bounded attempts, full-jitter backoff, a retry budget). The client
 * underneath is built with `retry: false`, so no attempt escapes the limiter.
 *
 * @since 0.1.0
 */
import { LocationJobs, type LocationJobsService } from "@geojobs/core/LocationJobs"
import { isThrottling, type LocationJobsError } from "@geojobs/core/LocationJobsError"
import * as Retry from "@geojobs/core/Retry"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { MetricsService } from "./Metrics.js"
import type { RateLimiter } from "./RateLimiter.js"

/** What the wrapper needs. */
export interface LimitedJobsOptions {
  readonly limiter: RateLimiter
  readonly metrics: MetricsService
  /** Retry settings (standard policy). Default: the library's defaults. */
  readonly retry?: Retry.StandardRetryOptions | undefined
}

/** Wraps a `LocationJobs` implementation. */
export const make = (inner: LocationJobsService, options: LimitedJobsOptions): LocationJobsService => {
  const policy = Retry.standard(options.retry)
  const { limiter, metrics } = options
  const wrap = <I, A, E extends LocationJobsError>(operation: string, call: (input: I) => Effect.Effect<A, E>) => (input: I) =>
    Retry.runStandard(policy, () =>
      limiter.run(operation, Effect.gen(function*() {
        const started = performance.now()
        const result = yield* Effect.either(call(input))
        metrics.observe("geojobs_worker_api_latency_seconds", { operation }, (performance.now() - started) / 1000)
        if (result._tag === "Right") {
          metrics.inc("geojobs_worker_api_calls_total", { operation, outcome: "ok" })
          return result.right
        }
        const error = result.left
        const throttled = isThrottling(error)
        metrics.inc("geojobs_worker_api_calls_total", { operation, outcome: throttled ? "throttled" : "error" })
        if (throttled) metrics.inc("geojobs_worker_api_throttles_total", { operation })
        return yield* Effect.fail({ error, retryAfterMs: undefined })
      }), (waited) => metrics.inc("geojobs_worker_rate_wait_seconds_total", { operation }, waited / 1000)))
  return {
    startJob: wrap("StartJob", inner.startJob),
    getJob: wrap("GetJob", inner.getJob),
    listJobs: wrap("ListJobs", (input) => inner.listJobs(input)),
    cancelJob: wrap("CancelJob", inner.cancelJob)
  }
}

/** Replaces the `LocationJobs` in context with the limited one. */
export const layer = (options: LimitedJobsOptions): Layer.Layer<LocationJobs, never, LocationJobs> =>
  Layer.effect(LocationJobs, Effect.map(LocationJobs, (inner) => make(inner, options)))
