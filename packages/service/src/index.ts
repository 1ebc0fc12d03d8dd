/**
 * @geojobs/service — the server side of the Amazon Location Jobs API, pure: validation as the
 * service does it, idempotency, the job state machine and pagination over a `JobStore`, and
 * its transport-neutral HTTP face. Shared by `@geojobs/testing` and the local service.
 *
 * @since 0.1.0
 */
export * as JobDriver from "./JobDriver.js"
export * as JobLifecycle from "./JobLifecycle.js"
export * as JobRecord from "./JobRecord.js"
export * as JobsApi from "./JobsApi.js"
export * as JobsConfig from "./JobsConfig.js"
export * as JobStore from "./JobStore.js"
export * as PageToken from "./PageToken.js"
export * as WireHandler from "./WireHandler.js"
export * as JsonDepth from "./JsonDepth.js"
