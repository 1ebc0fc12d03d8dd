/**
 * @geojobs/testing — test doubles for the Amazon Location Jobs API: `MemoryLocationJobs`
 * (service semantics in memory) and `HttpDouble` (the real wire protocol in memory, with
 * fault injection), both controlled through `JobsControl`; plus the `ContractSuite` they pass.
 *
 * `ContractSuite` and `JobStoreSuite` need vitest and @effect/vitest; import them by sub-path
 * (`@geojobs/testing/ContractSuite`, `@geojobs/testing/JobStoreSuite`) so this barrel stays
 * free of them.
 *
 * @since 0.1.0
 */
export * as Faults from "./Faults.js"
export * as HttpDouble from "./HttpDouble.js"
export * as JobsControl from "./JobsControl.js"
export * as MemoryLocationJobs from "./MemoryLocationJobs.js"
