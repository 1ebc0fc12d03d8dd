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

/**
 * 409: the request conflicts with the resource's current state. Not retried. No Jobs operation's
 * model lists it, but the service defines it.
 *
 * @since 0.2.0
 */
export class ConflictException extends Micro.TaggedError("ConflictException")<ServiceErrorFields> {}

/** 500: the service failed. Retryable. */
export class InternalServerException extends Micro.TaggedError("InternalServerException")<ServiceErrorFields> {}

/** 404: the job does not exist (the model lists it for GetJob only; any operation may answer it). */
export class ResourceNotFoundException extends Micro.TaggedError("ResourceNotFoundException")<ServiceErrorFields> {}

/**
 * 402: the request would exceed a service quota. Not retried. No Jobs operation's model lists it,
 * but the service defines it.
 *
 * @since 0.2.0
 */
export class ServiceQuotaExceededException extends Micro.TaggedError("ServiceQuotaExceededException")<ServiceErrorFields> {}

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
 * Every failure that is not one of the service's errors (reason `Transport`, `Timeout`,
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

/**
 * The seven errors the service defines (as `LocationJobsError.ServiceError`): any operation may
 * answer any of them, whatever its model lists.
 *
 * @since 0.2.0
 */
export type ServiceError =
  | AccessDeniedException
  | ConflictException
  | InternalServerException
  | ResourceNotFoundException
  | ServiceQuotaExceededException
  | ThrottlingException
  | ValidationException

/** The errors StartJob can fail with: any `ServiceError` or a `LocationJobsClientError`. */
export type StartJobError = ServiceError | LocationJobsClientError

/** The errors GetJob can fail with: any `ServiceError` or a `LocationJobsClientError`. */
export type GetJobError = ServiceError | LocationJobsClientError

/** The errors ListJobs can fail with: any `ServiceError` or a `LocationJobsClientError`. */
export type ListJobsError = ServiceError | LocationJobsClientError

/** The errors CancelJob can fail with: any `ServiceError` (ResourceNotFound included) or a `LocationJobsClientError`. */
export type CancelJobError = ServiceError | LocationJobsClientError

/** Any error of any operation. */
export type LocationJobsError = ServiceError | LocationJobsClientError

/** The four operations. */
export type { OperationName } from "./internal/wire.js"

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable: (error: LocationJobsError) => boolean = rules.isRetryable

/** True for errors that mean "slow down". */
export const isThrottling: (error: LocationJobsError) => boolean = rules.isThrottling
