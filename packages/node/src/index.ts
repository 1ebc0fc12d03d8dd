/**
 * @geojobs/node — the Amazon Location Jobs API client for Node.
 * @since 0.1.0
 */
export * as AutoHttpTransport from "./AutoHttpTransport.js"
export * as NodeHttpTransport from "./NodeHttpTransport.js"
export * as NodeLocationJobs from "./NodeLocationJobs.js"
/** Credentials sources for the Micro client (the environment; the AWS chain, loaded on first use). */
/** @deprecated Use `@geojobs/sigv4/NodeMicroCredentials` (the same module). */
export * as NodeMicroCredentials from "./NodeMicroCredentials.js"
/** The Jobs client on `effect/Micro` over keep-alive `node:http`: the quickest start (CLIs, Lambda, scripts). */
export * as NodeMicroLocationJobs from "./NodeMicroLocationJobs.js"
export * as UndiciHttpClient from "./UndiciHttpClient.js"
/** The first-run rule: a loopback endpoint without configured keys is an emulator, signed for with test/test. */
export * as Emulator from "./Emulator.js"
