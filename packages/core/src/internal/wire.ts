/**
 * The pure REST-JSON wire rules of the four Jobs operations, shared by the full client
 * (`codec.ts`) and the Micro client (`microCodec.ts`): request paths and bodies in the SDK's
 * member order (so bodies, and therefore signatures, are byte-equal), and the reading of a
 * response's headers and error body into the one set of error classes (`errors.ts`). No Effect
 * runtime, no Schema: plain functions only.
 *
 * @internal
 */
import type * as Job from "../Job.js"
import * as errors from "./errors.js"
import { LocationJobsClientError } from "./errors.js"

/** A request ready to be sent: method, path relative to the endpoint, JSON body (undefined for GET). */
export interface WireRequest {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly body: string | undefined
}

/** A received response: status, headers by lower-case name, body text. */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/** The four operations. */
export type OperationName = "StartJob" | "GetJob" | "ListJobs" | "CancelJob"

const JobsPath = "/metadata/v0/jobs"

/** Percent-encodes a URI label as the SDK does (RFC 3986 unreserved kept, everything else escaped). */
export const encodeLabel = (label: string): string =>
  encodeURIComponent(label).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())

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
  if (input.Name !== undefined) body.Name = input.Name
  if (input.Tags !== undefined) body.Tags = input.Tags
  return { method: "POST", path: JobsPath, body: JSON.stringify(body) }
}

/** GetJob: the id percent-encoded into the path (`/` included), no body. */
export const encodeGetJob = (input: { readonly JobId: string }): WireRequest => ({
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
  if (input.MaxResults !== undefined) body.MaxResults = input.MaxResults
  if (input.NextToken !== undefined) body.NextToken = input.NextToken
  return { method: "POST", path: `${JobsPath}/list-jobs`, body: JSON.stringify(body) }
}

/** CancelJob: the id in the body. */
export const encodeCancelJob = (input: { readonly JobId: string }): WireRequest => ({
  method: "POST",
  path: `${JobsPath}/cancel-job`,
  body: JSON.stringify({ JobId: input.JobId })
})

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/** A header's value, absent when empty. */
export const header = (headers: WireResponse["headers"], name: string): string | undefined => {
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

/** The body as a JSON object, or undefined (empty, not JSON, or not an object). */
export const parseJsonObject = (text: string): Record<string, unknown> | undefined => {
  if (text.length === 0) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Error code by the restJson1 order: `x-amzn-errortype` header, body `code` (any case), body `__type`. */
export const errorCodeOf = (
  headers: WireResponse["headers"],
  body: Record<string, unknown> | undefined
): string | undefined => {
  const h = header(headers, "x-amzn-errortype")
  if (h !== undefined) return sanitizeErrorCode(h)
  if (body === undefined) return undefined
  let code: unknown
  for (const k of Object.keys(body)) {
    if (k.toLowerCase() === "code") {
      code = body[k]
      break
    }
  }
  if (typeof code === "string" && code !== "") return sanitizeErrorCode(code)
  const type = body.__type
  if (typeof type === "string" && type !== "") return sanitizeErrorCode(type)
  return undefined
}

/** The error body's `message` / `Message`, when it is a string. */
export const messageOf = (body: Record<string, unknown> | undefined): string | undefined => {
  const raw = body === undefined ? undefined : (body.message ?? body.Message)
  return typeof raw === "string" ? raw : undefined
}

/** The model's `ValidationExceptionReason` values. */
export const validationReasons = [
  "UnknownOperation",
  "Missing",
  "CannotParse",
  "FieldValidationFailed",
  "Other",
  "UnknownField"
] as const

/** The `reason`s of `LocationJobsClientError`: what went wrong outside the errors the service defines. */
export const clientErrorReasons = [
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
] as const

/** A `ValidationException` body's `reason` / `Reason`, `Other` when it is not one of the model's. */
export const reasonOf = (body: Record<string, unknown> | undefined): (typeof validationReasons)[number] => {
  const reason = body?.reason ?? body?.Reason
  return (validationReasons as ReadonlyArray<unknown>).includes(reason)
    ? (reason as (typeof validationReasons)[number])
    : "Other"
}

/** A `ValidationException` body's `fieldList` / `FieldList`, each entry's name and message as strings. */
export const fieldListOf = (body: Record<string, unknown> | undefined): Array<{ name: string; message: string }> => {
  const raw = body?.fieldList ?? body?.FieldList
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

/**
 * The errors the service defines, with their HTTP status. Every operation decodes all of them:
 * the model lists fewer per operation, but the official SDK looks a code up service-wide.
 */
export const serviceErrorStatus = {
  AccessDeniedException: 403,
  ConflictException: 409,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  ValidationException: 400
} as const

/** The name of an error the service defines. */
export type ServiceErrorName = keyof typeof serviceErrorStatus

/** The names of the errors the service defines, in `serviceErrorStatus`'s order. */
export const serviceErrorNames = Object.keys(serviceErrorStatus) as ReadonlyArray<ServiceErrorName>

/** True when `code` names an error the service defines. */
export const isServiceError = (code: string | undefined): code is ServiceErrorName =>
  code !== undefined && Object.prototype.hasOwnProperty.call(serviceErrorStatus, code)

/** The message of an error response whose code the service does not define. */
export const unknownErrorMessage = (
  operation: OperationName,
  status: number,
  code: string | undefined,
  message: string | undefined
): string =>
  code === undefined
    ? `${operation}: HTTP ${status} with no error code${message ? `: ${message}` : ""}`
    : `${operation}: ${code}${message ? `: ${message}` : ""}`

/** The `UndecodableResponse` error of a 2xx response whose body is not the operation's output (`why` says how). */
export const undecodable = (operation: OperationName, response: WireResponse, why: string): LocationJobsClientError => {
  const requestId = requestIdOf(response.headers)
  return new LocationJobsClientError({
    reason: "UndecodableResponse",
    message: `${operation}: the service answered HTTP ${response.status} with ${why}`,
    status: response.status,
    ...(requestId === undefined ? {} : { requestId })
  })
}

/** Why a 2xx body could not be parsed as JSON. */
export const notJson = (body: string): string => body.length === 0 ? "an empty body" : "a body that is not JSON"

/** The classes of the service's errors, by the code the service sends. */
const serviceErrorClasses = {
  AccessDeniedException: errors.AccessDeniedException,
  ConflictException: errors.ConflictException,
  InternalServerException: errors.InternalServerException,
  ResourceNotFoundException: errors.ResourceNotFoundException,
  ServiceQuotaExceededException: errors.ServiceQuotaExceededException,
  ThrottlingException: errors.ThrottlingException
} as const

/**
 * A non-2xx response as an error, for both clients: the service's error named by the code, on any
 * operation (message, status, request id; reason and fields for `ValidationException`), or an
 * `UnknownServiceError` keeping the code, with the server's retry hint.
 */
export const decodeError = (
  operation: OperationName,
  response: WireResponse,
  now: number
): { readonly error: errors.LocationJobsError; readonly retryAfterMs: number | undefined } => {
  const body = parseJsonObject(response.body)
  const code = errorCodeOf(response.headers, body)
  const requestId = requestIdOf(response.headers)
  const message = messageOf(body)
  const retryAfterMs = retryAfterOf(response.headers, now)
  if (!isServiceError(code)) {
    return {
      error: new LocationJobsClientError({
        reason: "UnknownServiceError",
        message: unknownErrorMessage(operation, response.status, code, message),
        status: response.status,
        ...(code === undefined ? {} : { code }),
        ...(requestId === undefined ? {} : { requestId })
      }),
      retryAfterMs
    }
  }
  const base = {
    message: message ?? `${code} (HTTP ${response.status})`,
    status: response.status,
    ...(requestId === undefined ? {} : { requestId })
  }
  const error = code === "ValidationException"
    ? new errors.ValidationException({ ...base, reason: reasonOf(body), fieldList: fieldListOf(body) })
    : new serviceErrorClasses[code](base)
  return { error, retryAfterMs }
}
