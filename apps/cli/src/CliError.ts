/**
 * The CLI's own errors (everything else is a typed error of a library): a wrong command line,
 * a target that cannot be used, an object-store failure, and a failed service call tagged with
 * the operation it came from (so the message can name it as the AWS CLI does).
 *
 * Built on `Micro.TaggedError`, as the client's errors are: the AWS-style commands run without
 * loading the Effect runtime or `effect/Schema` (see `Direct`), and the classes are yieldable and
 * `catchTag`-able in Effect programs alike.
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"

/** The command line is wrong: unknown or missing option, malformed value, missing file. */
export class UsageError extends Micro.TaggedError("UsageError")<{ readonly message: string }> {}

/** The target cannot be used: unreachable, no credentials, no Region, local service failed to start. */
export class TargetError extends Micro.TaggedError("TargetError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** Why an S3 call failed. */
export type ObjectStoreErrorReason = "Unreachable" | "Credentials" | "AccessDenied" | "NoSuchBucket" | "Other"

/** An S3 call (upload, download, listing) failed. */
export class ObjectStoreError extends Micro.TaggedError("ObjectStoreError")<{
  readonly reason: ObjectStoreErrorReason
  readonly message: string
  readonly cause?: unknown
}> {}

/** A Jobs API call failed; `error` is the library's typed error. */
export class OperationError extends Micro.TaggedError("OperationError")<{
  readonly operation: string
  readonly error: unknown
}> {
  override get message(): string {
    const e = this.error as { readonly message?: unknown }
    return `${this.operation}: ${typeof e?.message === "string" ? e.message : String(this.error)}`
  }
}
