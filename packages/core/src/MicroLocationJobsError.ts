/**
 * The errors of `MicroLocationJobs`: the very classes `LocationJobsError` exports (same `_tag`s,
 * fields and per-operation unions), so an error from the Micro client is `instanceof`
 * `LocationJobsError`'s class and the other way round. They are `Micro.TaggedError`s, yieldable in
 * `Micro` and `Effect` programs alike; `Micro.catchTag` / `Effect.catchTag` handle them by `_tag`.
 * This module imports no `effect/Schema` (the Schemas of the field types are in `LocationJobsError`).
 *
 * @since 0.1.0
 */
export * from "./internal/errors.js"
