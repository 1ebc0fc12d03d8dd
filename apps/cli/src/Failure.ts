/**
 * Every way a run can fail, as one line for a person and an exit code (see `ExitCode`).
 * No stack traces: `--debug` adds the full cause after the line.
 *
 * @since 0.1.0
 */
import { ServiceErrorTags } from "@geojobs/core/MicroLocationJobsError"
import * as ExitCode from "./ExitCode.js"
import * as Unreachable from "./Unreachable.js"

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

/** The longest line a failure prints (a value from a file can be megabytes long). */
export const maxLineLength = 1000

/** One line: newlines folded, so a multi-line library message stays a single line. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " ").trim()

/** A line cut to {@link maxLineLength} characters, with "…". */
const capped = (s: string): string => (s.length > maxLineLength ? `${s.slice(0, maxLineLength - 1)}…` : s)

/** The first error in `u`'s `cause` chain with this tag. */
const findTagged = (u: unknown, tag: string, depth = 0): unknown =>
  depth > 8 || typeof u !== "object" || u === null
    ? undefined
    : tagOf(u) === tag
    ? u
    : findTagged(field(u, "cause"), tag, depth + 1)

/**
 * A data directory held by a running geojobs-local: point at that service with --endpoint-url
 * (its URL is in the lock note), or use another directory.
 */
const busyDataDir = (error: unknown): string | undefined => {
  const lock = findTagged(error, "DirLockError")
  if (lock === undefined || field(lock, "reason") !== "Held") return undefined
  const owner = field(lock, "owner")
  const url = field(owner, "url")
  const pid = field(owner, "pid")
  const app = field(owner, "app")
  const who = `${typeof app === "string" ? app : "another process"}${typeof pid === "number" ? ` (pid ${pid})` : ""}`
  return `the data directory ${String(field(lock, "dir"))} is in use by ${who}: ` +
    (typeof url === "string"
      ? `add --endpoint-url ${url} to use that service, or set GEOJOBS_DATA_DIR to another directory`
      : `stop it, or set GEOJOBS_DATA_DIR to another directory (or pass --endpoint-url <its URL> to use it)`)
}

/** The errors the service defines; the client decodes each of them typed on every operation. */
const modelled = new Set<string>(ServiceErrorTags)

/** A defect (a failure no type foresaw): its message, as an internal error. */
export const internal = (defect: unknown): Failure => ({
  message: `internal error: ${defect instanceof Error ? defect.message : String(defect)}`,
  code: ExitCode.ServiceError
})

/**
 * A Jobs API error, named as the AWS CLI names it. `endpoint`: where the call went, for a
 * transport failure whose cause does not carry the request's URL (the Micro client's).
 */
const operationFailure = (operation: string, error: unknown, endpoint?: string): Failure => {
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
      case "Timeout": {
        const cause = field(error, "cause")
        const reworded = Unreachable.describe(cause, Unreachable.urlOf(cause) ?? endpoint)
        // the client's own words start "<Operation>: could not reach the service: "
        const own = message.replace(/^\w+: could not reach the service: /, "")
        return { message: `cannot reach the service: ${reworded ?? own}`, code: ExitCode.Unreachable }
      }
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

/**
 * Maps any failure of a run to its line and exit code; the line is capped at
 * {@link maxLineLength}. `endpoint`: the URL the run's calls go to, named when a connection to
 * it failed and the error does not carry it.
 */
export const describe = (error: unknown, endpoint?: string): Failure => {
  const failure = describeWhole(error, endpoint)
  return failure.message.length > maxLineLength ? { ...failure, message: capped(failure.message) } : failure
}

const describeWhole = (error: unknown, endpoint: string | undefined): Failure => {
  switch (tagOf(error)) {
    case "UsageError":
      return { message: oneLine(text(error)), code: ExitCode.Usage }
    case "TargetError": {
      const busy = busyDataDir(error)
      return { message: busy ?? oneLine(text(error)), code: ExitCode.Unreachable }
    }
    case "LocalServiceError":
      return { message: busyDataDir(error) ?? oneLine(text(error)), code: ExitCode.Configuration }
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
      return operationFailure(String(field(error, "operation")), field(error, "error"), endpoint)
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
