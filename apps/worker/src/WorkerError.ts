/**
 * The worker's own errors (the Jobs API's errors are `@geojobs/core`'s).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** The ledger's database failed or answered something unexpected. */
export class LedgerError extends Schema.TaggedError<LedgerError>()("LedgerError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A batch's input could not be read, converted or uploaded. */
export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  reason: Schema.Literal("NotFound", "Unreadable", "Upload", "Storage"),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * A request to the intake API that cannot be served: bad input, a local path outside the
 * allowed directories (`Forbidden`), an upload over the size limit (`TooLarge`).
 */
export class IntakeError extends Schema.TaggedError<IntakeError>()("IntakeError", {
  reason: Schema.Literal("BadRequest", "Forbidden", "TooLarge", "NotFound", "Unavailable"),
  message: Schema.String
}) {}

/** The worker could not be configured or started. */
export class WorkerConfigError extends Schema.TaggedError<WorkerConfigError>()("WorkerConfigError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** Calling the worker's HTTP API failed (used by `Client`). */
export class WorkerClientError extends Schema.TaggedError<WorkerClientError>()("WorkerClientError", {
  reason: Schema.Literal("Transport", "Unauthorized", "NotFound", "BadRequest", "Unavailable", "BadResponse"),
  message: Schema.String,
  status: Schema.optional(Schema.Number),
  cause: Schema.optional(Schema.Defect)
}) {}
