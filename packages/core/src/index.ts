/**
 * @geojobs/core — the Amazon Location Jobs API for Effect programs.
 *
 * Prefer sub-path imports (`@geojobs/core/Job`) in hot code: barrels cost memory.
 * @since 0.1.0
 */
export * as Job from "./Job.js"
export * as LocationJobsError from "./LocationJobsError.js"
export * as LocationJobs from "./LocationJobs.js"
export * as RequestValidation from "./RequestValidation.js"
export * as Endpoint from "./Endpoint.js"
export * as LocationJobsClient from "./LocationJobsClient.js"
export * as Paginator from "./Paginator.js"
export * as Retry from "./Retry.js"
export * as Waiter from "./Waiter.js"
export * as SharedConfig from "./SharedConfig.js"
export * as ResponseMetadata from "./ResponseMetadata.js"
