/**
 * REST-JSON codec of the four Jobs operations: requests to (method, path, body) with the
 * member order of the official SDK (so bodies, and therefore signatures, are byte-equal),
 * responses decoded by status into the output Schema or the operation's error union.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Job from "../Job.js"
import {
  AccessDeniedException,
  InternalServerException,
  LocationJobsClientError,
  type OperationName,
  OperationErrors,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  ValidationExceptionReason
} from "../LocationJobsError.js"

/** A request ready to be sent: relative path, method, JSON body text (undefined for GET). */
export interface WireRequest {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly body: string | undefined
}

/** A received response, reduced to what decoding needs. */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}


const JobsPath = "/metadata/v0/jobs"

const put = (out: Record<string, unknown>, key: string, value: unknown) => {
  if (value !== undefined) out[key] = value
}

/** StartJob body in the SDK's member order. */
export const encodeStartJob = (input: typeof Job.StartJobRequest.Type, clientToken: string): WireRequest => {
  const body: Record<string, unknown> = {
    Action: input.Action,
    ExecutionRoleArn: input.ExecutionRoleArn,
    InputOptions: { Location: input.InputOptions.Location, Format: input.InputOptions.Format },
    OutputOptions: { Format: input.OutputOptions.Format, Location: input.OutputOptions.Location },
    ClientToken: clientToken
  }
  if (input.ActionOptions !== undefined) {
    const va = input.ActionOptions.ValidateAddress
    body.ActionOptions = va === undefined
      ? {}
      : { ValidateAddress: va.AdditionalFeatures === undefined ? {} : { AdditionalFeatures: [...va.AdditionalFeatures] } }
  }
  put(body, "Name", input.Name)
  put(body, "Tags", input.Tags)
  return { method: "POST", path: JobsPath, body: JSON.stringify(body) }
}

/** GetJob: the id percent-encoded into the path (`/` included), no body. */
export const encodeGetJob = (input: typeof Job.GetJobRequest.Type): WireRequest => ({
  method: "GET",
  path: `${JobsPath}/${encodeLabel(input.JobId)}`,
  body: undefined
})

/** ListJobs: `{}` when nothing is set. */
export const encodeListJobs = (input: typeof Job.ListJobsRequest.Type): WireRequest => {
  const body: Record<string, unknown> = {}
  if (input.Filter !== undefined) {
    body.Filter = input.Filter.JobStatus === undefined ? {} : { JobStatus: input.Filter.JobStatus }
  }
  put(body, "MaxResults", input.MaxResults)
  put(body, "NextToken", input.NextToken)
  return { method: "POST", path: `${JobsPath}/list-jobs`, body: JSON.stringify(body) }
}

/** CancelJob: the id in the body. */
export const encodeCancelJob = (input: typeof Job.CancelJobRequest.Type): WireRequest => ({
  method: "POST",
  path: `${JobsPath}/cancel-job`,
  body: JSON.stringify({ JobId: input.JobId })
})

/** Percent-encodes a URI label as the SDK does (RFC 3986 unreserved kept, everything else escaped). */
export const encodeLabel = (label: string): string =>
  encodeURIComponent(label).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

const header = (headers: WireResponse["headers"], name: string): string | undefined => {
  const v = headers[name]
  return v === undefined || v === "" ? undefined : v
}

/** The request id the service sent, if any. */
export const requestIdOf = (headers: WireResponse["headers"]): string | undefined =>
  header(headers, "x-amzn-requestid") ?? header(headers, "x-amzn-request-id") ?? header(headers, "x-amz-request-id")

/**
 * The server's retry hint in milliseconds: `x-amz-retry-after` (ms) or `retry-after`
 * (seconds or an HTTP date, relative to `now`).
 */
export const retryAfterOf = (headers: WireResponse["headers"], now: number): number | undefined => {
  const ms = header(headers, "x-amz-retry-after")
  if (ms !== undefined && /^\d+$/.test(ms)) return Number(ms)
  const ra = header(headers, "retry-after")
  if (ra === undefined) return undefined
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000)
  const date = Date.parse(ra)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Cuts `Name:uri`, `ns#Name` and `Name,extra` down to `Name`, as the AWS SDKs do. */
export const sanitizeErrorCode = (raw: string): string => {
  let code = raw
  const comma = code.indexOf(",")
  if (comma >= 0) code = code.slice(0, comma)
  const colon = code.indexOf(":")
  if (colon >= 0) code = code.slice(0, colon)
  const hash = code.indexOf("#")
  if (hash >= 0) code = code.slice(hash + 1)
  return code.trim()
}

const parseJsonObject = (text: string): Record<string, unknown> | undefined => {
  if (text.length === 0) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const bodyKey = (body: Record<string, unknown>, name: string): unknown => {
  for (const k of Object.keys(body)) if (k.toLowerCase() === name) return body[k]
  return undefined
}

/** Error code by the restJson1 order: `x-amzn-errortype` header, body `code`, body `__type`. */
export const errorCodeOf = (headers: WireResponse["headers"], body: Record<string, unknown> | undefined) => {
  const h = header(headers, "x-amzn-errortype")
  if (h !== undefined) return sanitizeErrorCode(h)
  if (body === undefined) return undefined
  const code = bodyKey(body, "code")
  if (typeof code === "string" && code !== "") return sanitizeErrorCode(code)
  const type = body.__type
  if (typeof type === "string" && type !== "") return sanitizeErrorCode(type)
  return undefined
}

const decodeReason = Schema.decodeUnknownOption(ValidationExceptionReason)

const fieldListOf = (raw: unknown) => {
  if (!Array.isArray(raw)) return []
  const out: Array<{ name: string; message: string }> = []
  for (const f of raw) {
    if (typeof f !== "object" || f === null) continue
    const r = f as Record<string, unknown>
    const name = r.name ?? r.Name
    const message = r.message ?? r.Message
    out.push({ name: typeof name === "string" ? name : "", message: typeof message === "string" ? message : "" })
  }
  return out
}

/** Decodes a non-2xx response into the operation's error union. */
export const decodeError = (operation: OperationName, response: WireResponse, now: number) => {
  const body = parseJsonObject(response.body)
  const code = errorCodeOf(response.headers, body)
  const requestId = requestIdOf(response.headers)
  const rawMessage = body === undefined ? undefined : (body.message ?? body.Message)
  const message = typeof rawMessage === "string" ? rawMessage : undefined
  const base = {
    message: message ?? `${code ?? "Error"} (HTTP ${response.status})`,
    status: response.status,
    ...(requestId === undefined ? {} : { requestId })
  }
  const modelled = (OperationErrors[operation] as ReadonlyArray<string>).includes(code ?? "")
  const retryAfterMs = retryAfterOf(response.headers, now)
  const error = !modelled
    ? new LocationJobsClientError({
      reason: "UnknownServiceError",
      message: code === undefined
        ? `${operation}: HTTP ${response.status} with no error code${message ? `: ${message}` : ""}`
        : `${operation}: ${code}${message ? `: ${message}` : ""}`,
      status: response.status,
      ...(code === undefined ? {} : { code }),
      ...(requestId === undefined ? {} : { requestId })
    })
    : code === "AccessDeniedException"
    ? new AccessDeniedException(base)
    : code === "InternalServerException"
    ? new InternalServerException(base)
    : code === "ResourceNotFoundException"
    ? new ResourceNotFoundException(base)
    : code === "ThrottlingException"
    ? new ThrottlingException(base)
    : new ValidationException({
      ...base,
      reason: decodeReason(body?.reason ?? body?.Reason).pipe((o) => o._tag === "Some" ? o.value : "Other"),
      fieldList: fieldListOf(body?.fieldList ?? body?.FieldList)
    })
  return { error, retryAfterMs }
}

/** Builds a decoder for an operation's 2xx body, compiled once. */
export const makeOutputDecoder = <A, I>(operation: OperationName, schema: Schema.Schema<A, I>) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (response: WireResponse): Either.Either<A, LocationJobsClientError> => {
    const requestId = requestIdOf(response.headers)
    const fail = (why: string) =>
      Either.left(
        new LocationJobsClientError({
          reason: "UndecodableResponse",
          message: `${operation}: the service answered HTTP ${response.status} with ${why}`,
          status: response.status,
          ...(requestId === undefined ? {} : { requestId })
        })
      )
    let json: unknown
    try {
      json = JSON.parse(response.body)
    } catch {
      return fail(response.body.length === 0 ? "an empty body" : "a body that is not JSON")
    }
    return Either.match(decode(json), {
      onLeft: (issue) => fail(`a body that does not match ${operation}'s output: ${ParseResult.TreeFormatter.formatIssueSync(issue)}`),
      onRight: Either.right
    })
  }
}
