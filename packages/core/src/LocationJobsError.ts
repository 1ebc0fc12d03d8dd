/**
 * Errors of the Amazon Location Jobs API, named as AWS names them, with the per-operation
 * unions, plus `LocationJobsClientError` for every failure that is not an answer from the
 * service (transport, timeout, undecodable response, an error code the service does not define).
 *
 * Every operation may fail with any of the seven errors the service defines: the model lists a
 * subset per operation (`OperationErrors`), but the official SDK resolves an error code across
 * the whole service, and so do the clients here.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as rules from "./internal/errorRules.js"
import { serviceErrorStatus, validationReasons } from "./internal/wire.js"

/** Fields every service error carries besides its message. */
const serviceErrorFields = {
  message: Schema.String,
  /** The `x-amzn-requestid` of the response, when the service sent one. */
  requestId: Schema.optional(Schema.String),
  /** HTTP status of the response. */
  status: Schema.optional(Schema.Number)
}

/** 403: the caller lacks permission. Not retried. */
export class AccessDeniedException extends Schema.TaggedError<AccessDeniedException>()(
  "AccessDeniedException",
  serviceErrorFields
) {}

/**
 * 409: the request conflicts with the resource's current state. Not retried. No Jobs operation's
 * model lists it, but the service defines it.
 *
 * @since 0.2.0
 */
export class ConflictException extends Schema.TaggedError<ConflictException>()(
  "ConflictException",
  serviceErrorFields
) {}

/** 500: the service failed. Retryable. */
export class InternalServerException extends Schema.TaggedError<InternalServerException>()(
  "InternalServerException",
  serviceErrorFields
) {}

/** 404: the job does not exist (the model lists it for GetJob only; any operation may answer it). */
export class ResourceNotFoundException extends Schema.TaggedError<ResourceNotFoundException>()(
  "ResourceNotFoundException",
  serviceErrorFields
) {}

/**
 * 402: the request would exceed a service quota. Not retried. No Jobs operation's model lists
 * it, but the service defines it.
 *
 * @since 0.2.0
 */
export class ServiceQuotaExceededException extends Schema.TaggedError<ServiceQuotaExceededException>()(
  "ServiceQuotaExceededException",
  serviceErrorFields
) {}

/** 429: the request rate exceeded the quota. Retryable, with a longer backoff. */
export class ThrottlingException extends Schema.TaggedError<ThrottlingException>()(
  "ThrottlingException",
  serviceErrorFields
) {}

/** Why a request was rejected as invalid (the model's `ValidationExceptionReason`). */
export const ValidationExceptionReason = Schema.Literal(...validationReasons)
/** @since 0.1.0 */
export type ValidationExceptionReason = typeof ValidationExceptionReason.Type

/** One invalid field: its path (e.g. `InputOptions.Location`) and what is wrong with it. */
export const ValidationExceptionField = Schema.Struct({
  name: Schema.String,
  message: Schema.String
})
/** @since 0.1.0 */
export type ValidationExceptionField = typeof ValidationExceptionField.Type

/**
 * 400: the request breaks the API's constraints. Raised by the service, and by this client
 * before anything is sent (then `status` is absent and `clientSide` is true), in both cases
 * naming every bad field in `fieldList`.
 */
export class ValidationException extends Schema.TaggedError<ValidationException>()("ValidationException", {
  ...serviceErrorFields,
  reason: ValidationExceptionReason,
  fieldList: Schema.Array(ValidationExceptionField),
  clientSide: Schema.optional(Schema.Boolean)
}) {}

/** What went wrong outside the errors the service defines. */
export const LocationJobsClientErrorReason = Schema.Literal(
  /** The request could not be sent or the connection failed. */
  "Transport",
  /** No answer within the time limit. */
  "Timeout",
  /** A 2xx response whose body is not the operation's output. */
  "UndecodableResponse",
  /** An error response whose code the service does not define (its code is kept). */
  "UnknownServiceError",
  /** Credentials could not be loaded or the request could not be signed. */
  "Credentials",
  /** The client is misconfigured (endpoint, region). */
  "Configuration"
)
/** @since 0.1.0 */
export type LocationJobsClientErrorReason = typeof LocationJobsClientErrorReason.Type

/**
 * Every failure that is not one of the service's errors. `code`, `status` and `requestId`
 * are filled when a response was received.
 */
export class LocationJobsClientError extends Schema.TaggedError<LocationJobsClientError>()(
  "LocationJobsClientError",
  {
    reason: LocationJobsClientErrorReason,
    message: Schema.String,
    code: Schema.optional(Schema.String),
    status: Schema.optional(Schema.Number),
    requestId: Schema.optional(Schema.String),
    cause: Schema.optional(Schema.Defect)
  }
) {}

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

/**
 * The error names each operation's model lists, in the model's order. Documentation of the
 * model only: every operation decodes every name of `ErrorStatus`.
 */
export const OperationErrors = {
  StartJob: ["AccessDeniedException", "InternalServerException", "ThrottlingException", "ValidationException"],
  GetJob: [
    "AccessDeniedException",
    "InternalServerException",
    "ResourceNotFoundException",
    "ThrottlingException",
    "ValidationException"
  ],
  ListJobs: ["AccessDeniedException", "InternalServerException", "ThrottlingException", "ValidationException"],
  CancelJob: ["AccessDeniedException", "InternalServerException", "ThrottlingException", "ValidationException"]
} as const

/** The four operations. */
export type OperationName = keyof typeof OperationErrors

/** Every error the service defines, with its HTTP status. */
export const ErrorStatus = serviceErrorStatus

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable: (error: LocationJobsError) => boolean = rules.isRetryable

/** True for errors that mean "slow down". */
export const isThrottling: (error: LocationJobsError) => boolean = rules.isThrottling
