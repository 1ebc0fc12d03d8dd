/**
 * Every way a run can fail, as one line for a person and an exit code (see `ExitCode`).
 * No stack traces: `--debug` adds the full cause after the line.
 *
 * @since 0.1.0
 */
import * as ExitCode from "./ExitCode.js"

/** What to print and how to exit. */
export interface Failure {
  /** One line, without the `geojobs: ` prefix. */
  readonly message: string
  readonly code: number
}

const tagOf = (u: unknown): string | undefined =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : undefined

const field = (u: unknown, name: string): unknown =>
  typeof u === "object" && u !== null && name in u ? (u as Record<string, unknown>)[name] : undefined

const text = (u: unknown): string => {
  const m = field(u, "message")
  return typeof m === "string" && m.length > 0 ? m : u instanceof Error ? u.name : String(u)
}

/** One line: newlines folded, so a multi-line library message stays a single line. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " ").trim()

/** The errors the service defines; the client decodes each of them typed on every operation. */
const modelled = new Set([
  "AccessDeniedException",
  "ConflictException",
  "InternalServerException",
  "ResourceNotFoundException",
  "ServiceQuotaExceededException",
  "ThrottlingException",
  "ValidationException"
])

/** A Jobs API error, named as the AWS CLI names it. */
const operationFailure = (operation: string, error: unknown): Failure => {
  const tag = tagOf(error)
  if (tag !== undefined && modelled.has(tag)) {
    // Kept whole: client-side checks word a request as the service does ("StartJob: invalid
    // request: …"), so the line is the one the AWS CLI prints for the same request.
    return { message: oneLine(`An error occurred (${tag}) when calling the ${operation} operation: ${text(error)}`), code: ExitCode.ServiceError }
  }
  if (tag === "LocationJobsClientError") {
    const reason = field(error, "reason")
    const code = field(error, "code")
    const message = oneLine(text(error))
    switch (reason) {
      case "Transport":
      case "Timeout":
        return { message: `cannot reach the service: ${message}`, code: ExitCode.Unreachable }
      case "Credentials":
        return { message: `credentials: ${message}`, code: ExitCode.Configuration }
      case "Configuration":
        return { message, code: ExitCode.Usage }
      default: {
        // The client's message repeats "<Operation>: <Code>: "; the AWS CLI's line does not.
        const body = typeof code === "string" ? message.replace(`${operation}: ${code}: `, "") : message
        return {
          message: typeof code === "string"
            ? `An error occurred (${code}) when calling the ${operation} operation: ${body}`
            : message,
          code: ExitCode.ServiceError
        }
      }
    }
  }
  return describe(error)
}

/** Maps any failure of a run to its line and exit code. */
export const describe = (error: unknown): Failure => {
  switch (tagOf(error)) {
    case "UsageError":
      return { message: oneLine(text(error)), code: ExitCode.Usage }
    case "TargetError":
      return { message: oneLine(text(error)), code: ExitCode.Unreachable }
    case "LocalServiceError":
      return { message: oneLine(text(error)), code: ExitCode.Configuration }
    case "ObjectStoreError": {
      const reason = field(error, "reason")
      return {
        message: oneLine(text(error)),
        code: reason === "Unreachable"
          ? ExitCode.Unreachable
          : reason === "Credentials"
          ? ExitCode.Configuration
          : ExitCode.ServiceError
      }
    }
    case "OperationError":
      return operationFailure(String(field(error, "operation")), field(error, "error"))
    case "JobFailed":
      return { message: oneLine(text(error)), code: ExitCode.JobFailed }
    case "JobCancelled":
      return { message: oneLine(text(error)), code: ExitCode.JobCancelled }
    case "WaitTimeout":
      return { message: oneLine(text(error)), code: ExitCode.WaitTimeout }
    case "DatasetError":
      return {
        message: oneLine(text(error)),
        code: field(error, "reason") === "NotFound" ? ExitCode.Usage : ExitCode.ServiceError
      }
    case "WorkerClientError": {
      const reason = field(error, "reason")
      return {
        message: `worker: ${oneLine(text(error))}`,
        code: reason === "Transport"
          ? ExitCode.Unreachable
          : reason === "BadRequest" || reason === "NotFound" || reason === "Unauthorized"
          ? ExitCode.Usage
          : ExitCode.ServiceError
      }
    }
    case "ConfigError":
      return { message: `configuration: ${oneLine(String(error))}`, code: ExitCode.Usage }
    case undefined:
    default:
      if (tagOf(error) !== undefined && modelled.has(tagOf(error)!)) return operationFailure("Jobs", error)
      if (tagOf(error) === "LocationJobsClientError") return operationFailure("Jobs", error)
      return { message: `unexpected error: ${oneLine(text(error))}`, code: ExitCode.ServiceError }
  }
}
