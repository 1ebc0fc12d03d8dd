/**
 * Endpoint resolution for `MicroLocationJobs`: the shared rules of `endpointRules.ts` (as
 * `Endpoint.resolve` uses them), the problem as the Micro client's `Configuration` error.
 *
 * @internal
 */
import type { EndpointOptions, ResolvedEndpoint } from "../Endpoint.js"
import { LocationJobsClientError } from "../MicroLocationJobsError.js"
import { isProblem, resolveRules } from "./endpointRules.js"

/** The base URL and signing Region, or the `Configuration` error `Endpoint.resolve` gives. */
export const resolveEndpoint = (options: EndpointOptions): ResolvedEndpoint | LocationJobsClientError => {
  const r = resolveRules(options)
  return isProblem(r) ? new LocationJobsClientError({ reason: "Configuration", message: r.problem }) : r
}
