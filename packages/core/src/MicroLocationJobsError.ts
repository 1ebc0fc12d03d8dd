/**
 * The errors of `MicroLocationJobs`: the same classes as `LocationJobsError` (same `_tag`s, same
 * fields, same per-operation unions), built with `Micro.TaggedError` instead of Schema so that a
 * bundle holding them carries no `effect/Schema`. They are yieldable in `Micro` and in `Effect`
 * programs alike, and `Effect.catchTag` / `Micro.catchTag` handle them by `_tag`.
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"
import * as rules from "./internal/errorRules.js"
import type { LocationJobsClientErrorReason, ValidationExceptionField, ValidationExceptionReason } from "./LocationJobsError.js"

export type { LocationJobsClientErrorReason, ValidationExceptionField, ValidationExceptionReason }

/** Fields every service error carries. */
export interface ServiceErrorFields {
  readonly message: string
  /** The `x-amzn-requestid` of the response, when the service sent one. */
  readonly requestId?: string
  /** HTTP status of the response. */
  readonly status?: number
}

/** 403: the caller lacks permission. Not retried. */
export class AccessDeniedException extends Micro.TaggedError("AccessDeniedException")<ServiceErrorFields> {}

/** 500: the service failed. Retryable. */
export class InternalServerException extends Micro.TaggedError("InternalServerException")<ServiceErrorFields> {}

/** 404: the job does not exist (GetJob). */
export class ResourceNotFoundException extends Micro.TaggedError("ResourceNotFoundException")<ServiceErrorFields> {}

/** 429: the request rate exceeded the quota. Retryable, with a longer backoff. */
export class ThrottlingException extends Micro.TaggedError("ThrottlingException")<ServiceErrorFields> {}

/**
 * 400: the request breaks the API's constraints. Raised by the service, and by the client before
 * anything is sent (then `status` is absent and `clientSide` is true), naming every bad field.
 */
export class ValidationException extends Micro.TaggedError("ValidationException")<
  ServiceErrorFields & {
    readonly reason: ValidationExceptionReason
    readonly fieldList: ReadonlyArray<ValidationExceptionField>
    readonly clientSide?: boolean
  }
> {}

/**
 * Every failure that is not a modelled service error (reason `Transport`, `Timeout`,
 * `UndecodableResponse`, `UnknownServiceError`, `Credentials`, `Configuration`); `code`, `status`
 * and `requestId` are filled when a response was received.
 */
export class LocationJobsClientError extends Micro.TaggedError("LocationJobsClientError")<{
  readonly reason: LocationJobsClientErrorReason
  readonly message: string
  readonly code?: string
  readonly status?: number
  readonly requestId?: string
  readonly cause?: unknown
}> {}

/** The errors StartJob can fail with. */
export type StartJobError =
  | AccessDeniedException
  | InternalServerException
  | ThrottlingException
  | ValidationException
  | LocationJobsClientError

/** The errors GetJob can fail with (the model adds ResourceNotFound). */
export type GetJobError = StartJobError | ResourceNotFoundException

/** The errors ListJobs can fail with. */
export type ListJobsError = StartJobError

/** The errors CancelJob can fail with (an unmodelled ResourceNotFound arrives as `UnknownServiceError`). */
export type CancelJobError = StartJobError

/** Any error of any operation. */
export type LocationJobsError = GetJobError

/** The four operations. */
export type { OperationName } from "./internal/wire.js"

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable: (error: LocationJobsError) => boolean = rules.isRetryable

/** True for errors that mean "slow down". */
export const isThrottling: (error: LocationJobsError) => boolean = rules.isThrottling
