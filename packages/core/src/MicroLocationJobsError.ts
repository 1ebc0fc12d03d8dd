/**
 * The errors of `MicroLocationJobs`: the very classes `LocationJobsError` exports (same `_tag`s,
 * fields and per-operation unions), so an error from the Micro client is `instanceof`
 * `LocationJobsError`'s class and the other way round. They are `Micro.TaggedError`s, yieldable in
 * `Micro` and `Effect` programs alike; `Micro.catchTag` / `Effect.catchTag` handle them by `_tag`.
 * This module imports no `effect/Schema` (the Schemas of the field types are in `LocationJobsError`).
 *
 * @since 0.1.0
 */
import type { ServiceError } from "./internal/errors.js"
import { serviceErrorNames } from "./internal/wire.js"

export * from "./internal/errors.js"

/**
 * The `_tag`s of the seven errors the service defines (the members of `ServiceError`), as
 * `LocationJobsError.ServiceErrorTags`: for code that tells the service's errors from every
 * other failure.
 *
 * @since 0.4.0
 */
export const ServiceErrorTags: ReadonlyArray<ServiceError["_tag"]> = serviceErrorNames
