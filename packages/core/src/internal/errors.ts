/**
 * The one set of error classes both clients raise: `LocationJobsError` (for `LocationJobsClient`)
 * and `MicroLocationJobsError` (for `MicroLocationJobs`) re-export these, so an error from either
 * client is `instanceof` the class of either module and `catchTag` finds it by the same `_tag`.
 *
 * Built on `Micro.TaggedError`, not Schema: the Micro client's bundle must not carry
 * `effect/Schema`, and a `Micro.TaggedError` is yieldable in `Micro` and `Effect` programs alike
 * (the Effect runtime already holds `effect/Micro`, so the full client pays nothing for it).
 *
 * @internal
 */
import * as Micro from "effect/Micro"
import * as rules from "./errorRules.js"
import type { clientErrorReasons, OperationName, validationReasons } from "./wire.js"

/** Fields every service error carries besides its `_tag`. */
export interface ServiceErrorFields {
  readonly message: string
  /** The `x-amzn-requestid` of the response, when the service sent one. */
  readonly requestId?: string | undefined
  /** HTTP status of the response. */
  readonly status?: number | undefined
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
export class ServiceQuotaExceededException
  extends Micro.TaggedError("ServiceQuotaExceededException")<ServiceErrorFields>
{}

/** 429: the request rate exceeded the quota. Retryable, with a longer backoff. */
export class ThrottlingException extends Micro.TaggedError("ThrottlingException")<ServiceErrorFields> {}

/** Why a request was rejected as invalid (the model's `ValidationExceptionReason`). */
export type ValidationExceptionReason = (typeof validationReasons)[number]

/** One invalid field: its path (e.g. `InputOptions.Location`) and what is wrong with it. */
export interface ValidationExceptionField {
  readonly name: string
  readonly message: string
}

/**
 * 400: the request breaks the API's constraints. Raised by the service, and by the clients before
 * anything is sent (then `status` is absent and `clientSide` is true), in both cases naming every
 * bad field in `fieldList`.
 */
export class ValidationException extends Micro.TaggedError("ValidationException")<
  ServiceErrorFields & {
    readonly reason: ValidationExceptionReason
    readonly fieldList: ReadonlyArray<ValidationExceptionField>
    readonly clientSide?: boolean | undefined
  }
> {}

/** What went wrong outside the errors the service defines (`Transport`, `Timeout`, `UndecodableResponse`, `UnknownServiceError`, `Credentials`, `Configuration`). */
export type LocationJobsClientErrorReason = (typeof clientErrorReasons)[number]

/**
 * Every failure that is not one of the service's errors (reason `Transport`, `Timeout`,
 * `UndecodableResponse`, `UnknownServiceError`, `Credentials`, `Configuration`); `code`, `status`
 * and `requestId` are filled when a response was received.
 */
export class LocationJobsClientError extends Micro.TaggedError("LocationJobsClientError")<{
  readonly reason: LocationJobsClientErrorReason
  readonly message: string
  readonly code?: string | undefined
  readonly status?: number | undefined
  readonly requestId?: string | undefined
  readonly cause?: unknown
}> {}

/**
 * The seven errors the service defines. Any operation may answer any of them, whatever its model
 * lists, and each is decoded into its own class.
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

/**
 * The errors StartJob can fail with: any `ServiceError` (its model lists AccessDenied,
 * InternalServer, Throttling and Validation) or a `LocationJobsClientError`.
 */
export type StartJobError = ServiceError | LocationJobsClientError

/**
 * The errors GetJob can fail with: any `ServiceError` (its model lists AccessDenied,
 * InternalServer, ResourceNotFound, Throttling and Validation) or a `LocationJobsClientError`.
 */
export type GetJobError = ServiceError | LocationJobsClientError

/**
 * The errors ListJobs can fail with: any `ServiceError` (its model lists AccessDenied,
 * InternalServer, Throttling and Validation) or a `LocationJobsClientError`.
 */
export type ListJobsError = ServiceError | LocationJobsClientError

/**
 * The errors CancelJob can fail with: any `ServiceError` (its model lists AccessDenied,
 * InternalServer, Throttling and Validation; a service answering an unknown id with
 * ResourceNotFoundException gets that class) or a `LocationJobsClientError`.
 */
export type CancelJobError = ServiceError | LocationJobsClientError

/** Any error of any operation. */
export type LocationJobsError = ServiceError | LocationJobsClientError

export type { OperationName }

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable: (error: LocationJobsError) => boolean = rules.isRetryable

/** True for errors that mean "slow down". */
export const isThrottling: (error: LocationJobsError) => boolean = rules.isThrottling
