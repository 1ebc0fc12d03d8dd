/**
 * Errors of the Amazon Location Jobs API, named as AWS names them, with the per-operation
 * unions, plus `LocationJobsClientError` for every failure that is not an answer from the
 * service (transport, timeout, undecodable response, an error code the service does not define).
 *
 * Every operation may fail with any of the seven errors the service defines: the model lists a
 * subset per operation (`OperationErrors`), but the official SDK resolves an error code across
 * the whole service, and so do the clients here.
 *
 * The classes are the ones `MicroLocationJobsError` exports too: an error either client raises is
 * `instanceof` them, and `Effect.catchTag` / `Micro.catchTag` find it by its `_tag`. They are
 * `Micro.TaggedError`s (yieldable in `Effect` and `Micro` programs), not Schemas, so that the Micro
 * client's bundle carries no `effect/Schema`; the Schemas of their field types are here.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type * as errors from "./internal/errors.js"
import { clientErrorReasons, serviceErrorNames, serviceErrorStatus, validationReasons } from "./internal/wire.js"

// The classes, unions and rules both clients share; the names declared below (Schemas of the
// field types, `OperationName`) take precedence over the shared module's.
export * from "./internal/errors.js"

/** Why a request was rejected as invalid (the model's `ValidationExceptionReason`). */
export const ValidationExceptionReason = Schema.Literal(...validationReasons) satisfies Schema.Schema<
  errors.ValidationExceptionReason
>
/** @since 0.1.0 */
export type ValidationExceptionReason = errors.ValidationExceptionReason

/** One invalid field: its path (e.g. `InputOptions.Location`) and what is wrong with it. */
export const ValidationExceptionField = Schema.Struct({
  name: Schema.String,
  message: Schema.String
}) satisfies Schema.Schema<errors.ValidationExceptionField>
/** @since 0.1.0 */
export type ValidationExceptionField = errors.ValidationExceptionField

/**
 * What went wrong outside the errors the service defines: `Transport` (not sent, connection
 * failed), `Timeout`, `UndecodableResponse` (a 2xx body that is not the output),
 * `UnknownServiceError` (a code the service does not define, kept), `Credentials`, `Configuration`.
 */
export const LocationJobsClientErrorReason = Schema.Literal(...clientErrorReasons) satisfies Schema.Schema<
  errors.LocationJobsClientErrorReason
>
/** @since 0.1.0 */
export type LocationJobsClientErrorReason = errors.LocationJobsClientErrorReason

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

/**
 * The `_tag`s of the seven errors the service defines (the members of `ServiceError`), in
 * `ErrorStatus`'s order: for code that tells the service's errors from every other failure.
 *
 * @since 0.4.0
 */
export const ServiceErrorTags: ReadonlyArray<errors.ServiceError["_tag"]> = serviceErrorNames

