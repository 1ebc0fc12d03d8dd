/**
 * @geojobs/node — the Amazon Location Jobs API client for Node.
 * @since 0.1.0
 */
export * as AutoHttpTransport from "./AutoHttpTransport.js"
export * as NodeHttpTransport from "./NodeHttpTransport.js"
export * as NodeLocationJobs from "./NodeLocationJobs.js"
export * as UndiciHttpClient from "./UndiciHttpClient.js"
