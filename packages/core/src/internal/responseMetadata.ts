/**
 * The metadata of a successful answer, kept beside the response object (a `WeakMap`) rather than
 * in it, so that response types, equality and JSON output stay as they were. Both clients attach
 * it where they decode a success.
 *
 * @internal
 */
import { header, requestIdOf, type WireResponse } from "./wire.js"

/** What the AWS SDK puts in a response's `$metadata`, less the retry delay. */
export interface ResponseMetadata {
  readonly httpStatusCode: number
  /** `x-amzn-requestid` (or `x-amzn-request-id`, `x-amz-request-id`), when the service sent one. */
  readonly requestId?: string
  /** `x-amz-id-2`, when sent. */
  readonly extendedRequestId?: string
  /** `x-amz-cf-id`, when sent (CloudFront). */
  readonly cfId?: string
  /** Attempts made for the call, the successful one included. */
  readonly attempts: number
}

const store = new WeakMap<object, ResponseMetadata>()

/** Records `response`'s metadata and returns it. */
export const attach = <A>(output: A, response: WireResponse, attempts: number): A => {
  if (typeof output !== "object" || output === null) return output
  const requestId = requestIdOf(response.headers)
  const extendedRequestId = header(response.headers, "x-amz-id-2")
  const cfId = header(response.headers, "x-amz-cf-id")
  store.set(output, {
    httpStatusCode: response.status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(extendedRequestId === undefined ? {} : { extendedRequestId }),
    ...(cfId === undefined ? {} : { cfId }),
    attempts
  })
  return output
}

/** The metadata a client recorded for `output`, if it came from one. */
export const get = (output: object): ResponseMetadata | undefined => store.get(output)
