/**
 * @geojobs/fetch — the Amazon Location Jobs API client over fetch (browser-safe).
 * @since 0.1.0
 */
export * as FetchLocationJobs from "./FetchLocationJobs.js"
/** The same wire behaviour on `effect/Micro`, for small bundles (browsers, edge). */
export * as FetchMicroLocationJobs from "./FetchMicroLocationJobs.js"
