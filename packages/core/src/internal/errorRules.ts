/**
 * Which errors the retry policy retries and which mean "slow down", read from an error's fields
 * (`_tag`, and `reason`, `status`, `code` of `LocationJobsClientError`) alone: the shared error
 * classes (`errors.ts`) are judged by it, and so is anything shaped like them (the retry and waiter
 * rules take `ErrorLike`). No Effect, no Schema.
 *
 * @internal
 */

/** What the rules read of an error. */
export interface ErrorLike {
  readonly _tag: string
  readonly reason?: string | undefined
  readonly status?: number | undefined
  readonly code?: string | undefined
}

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable = (error: ErrorLike): boolean => {
  switch (error._tag) {
    case "InternalServerException":
    case "ThrottlingException":
      return true
    case "LocationJobsClientError":
      return error.reason === "Transport" || error.reason === "Timeout" ||
        (error.reason === "UnknownServiceError" && error.status !== undefined &&
          (error.status === 429 || error.status >= 500))
    default:
      return false
  }
}

/** The error codes the AWS SDKs treat as throttling. */
const throttlingCodes = new Set(
  ("Throttling ThrottlingException ThrottledException RequestThrottledException TooManyRequestsException " +
    "ProvisionedThroughputExceededException TransactionInProgressException RequestLimitExceeded " +
    "BandwidthLimitExceeded LimitExceededException RequestThrottled SlowDown PriorRequestNotComplete " +
    "EC2ThrottledException").split(" ")
)

/** True for errors that mean "slow down". */
export const isThrottling = (error: ErrorLike): boolean =>
  error._tag === "ThrottlingException" ||
  (error._tag === "LocationJobsClientError" &&
    (error.status === 429 || (error.code !== undefined && throttlingCodes.has(error.code))))
