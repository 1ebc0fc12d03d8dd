/**
 * What the service said about a successful call besides its output: the request id
 * (`x-amzn-RequestId`, what AWS Support asks for), the HTTP status and the attempts made, as the
 * AWS SDK's `$metadata` has them. Kept beside the response, not in it, so response types, equality
 * and JSON output are unchanged; both clients (`LocationJobsClient`, `MicroLocationJobs`) record it.
 *
 * ```ts
 * const job = yield* LocationJobs.getJob({ JobId })
 * ResponseMetadata.get(job)?.requestId
 * ```
 *
 * @since 0.3.0
 */
import * as internal from "./internal/responseMetadata.js"

/** The SDK's `$metadata` members we record: `httpStatusCode`, `requestId`, `extendedRequestId`, `cfId`, `attempts`. */
export type ResponseMetadata = internal.ResponseMetadata

/**
 * The metadata of a response a client returned, or undefined for any other value (a copy, a
 * response made by hand or by a test double).
 */
export const get: (response: object) => ResponseMetadata | undefined = internal.get
