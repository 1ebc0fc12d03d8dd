/**
 * Errors of the Amazon Location Jobs API, named as AWS names them, with the
 * per-operation unions of the service model, plus `LocationJobsClientError` for every
 * failure that is not an answer from the service (transport, timeout, undecodable
 * response, unmodelled service error).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as rules from "./internal/errorRules.js"
import { validationReasons } from "./internal/wire.js"

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

/** 500: the service failed. Retryable. */
export class InternalServerException extends Schema.TaggedError<InternalServerException>()(
  "InternalServerException",
  serviceErrorFields
) {}

/** 404: the job does not exist (GetJob). */
export class ResourceNotFoundException extends Schema.TaggedError<ResourceNotFoundException>()(
  "ResourceNotFoundException",
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

/** What went wrong outside the service's modelled answers. */
export const LocationJobsClientErrorReason = Schema.Literal(
  /** The request could not be sent or the connection failed. */
  "Transport",
  /** No answer within the time limit. */
  "Timeout",
  /** A 2xx response whose body is not the operation's output. */
  "UndecodableResponse",
  /** An error response whose code this operation does not model (its code is kept). */
  "UnknownServiceError",
  /** Credentials could not be loaded or the request could not be signed. */
  "Credentials",
  /** The client is misconfigured (endpoint, region). */
  "Configuration"
)
/** @since 0.1.0 */
export type LocationJobsClientErrorReason = typeof LocationJobsClientErrorReason.Type

/**
 * Every failure that is not a modelled service error. `code`, `status` and `requestId`
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

/** The errors StartJob can fail with (model: AccessDenied, InternalServer, Throttling, Validation). */
export type StartJobError =
  | AccessDeniedException
  | InternalServerException
  | ThrottlingException
  | ValidationException
  | LocationJobsClientError

/** The errors GetJob can fail with (the model adds ResourceNotFound). */
export type GetJobError =
  | AccessDeniedException
  | InternalServerException
  | ResourceNotFoundException
  | ThrottlingException
  | ValidationException
  | LocationJobsClientError

/** The errors ListJobs can fail with. */
export type ListJobsError =
  | AccessDeniedException
  | InternalServerException
  | ThrottlingException
  | ValidationException
  | LocationJobsClientError

/**
 * The errors CancelJob can fail with. The model does not list ResourceNotFoundException
 * for CancelJob; if a service answers it anyway, it arrives as a `LocationJobsClientError`
 * with reason `UnknownServiceError` and `code: "ResourceNotFoundException"`.
 */
export type CancelJobError =
  | AccessDeniedException
  | InternalServerException
  | ThrottlingException
  | ValidationException
  | LocationJobsClientError

/** Any error of any operation. */
export type LocationJobsError = StartJobError | GetJobError | ListJobsError | CancelJobError

/** The modelled error names per operation, in the order the model lists them. */
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

/** HTTP status of each modelled error. */
export const ErrorStatus = {
  AccessDeniedException: 403,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ValidationException: 400
} as const

/** True for errors the retry policy may retry (transient or throttling). */
export const isRetryable: (error: LocationJobsError) => boolean = rules.isRetryable

/** True for errors that mean "slow down". */
export const isThrottling: (error: LocationJobsError) => boolean = rules.isThrottling
