/**
 * The CLI's own errors (everything else is a typed error of a library): a wrong command line,
 * a target that cannot be used, an object-store failure, and a failed service call tagged with
 * the operation it came from (so the message can name it as the AWS CLI does).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** The command line is wrong: unknown or missing option, malformed value, missing file. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {}

/** The target cannot be used: unreachable, no credentials, no Region, local service failed to start. */
export class TargetError extends Schema.TaggedError<TargetError>()("TargetError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** Why an S3 call failed. */
export const ObjectStoreErrorReason = Schema.Literal("Unreachable", "Credentials", "AccessDenied", "NoSuchBucket", "Other")

/** An S3 call (upload, download, listing) failed. */
export class ObjectStoreError extends Schema.TaggedError<ObjectStoreError>()("ObjectStoreError", {
  reason: ObjectStoreErrorReason,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A Jobs API call failed; `error` is the library's typed error. */
export class OperationError extends Schema.TaggedError<OperationError>()("OperationError", {
  operation: Schema.String,
  error: Schema.Unknown
}) {
  override get message(): string {
    const e = this.error as { readonly message?: unknown }
    return `${this.operation}: ${typeof e?.message === "string" ? e.message : String(this.error)}`
  }
}
