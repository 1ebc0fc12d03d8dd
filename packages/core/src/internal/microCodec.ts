/**
 * REST-JSON for `MicroLocationJobs`: requests encoded to the bytes `internal/codec.ts` (and the
 * official SDK) send, responses decoded by status into the output or the operation's error, with
 * the same rules (`x-amzn-errortype` → body `code` → `__type`, sanitised; `message`/`Message`;
 * `reason`/`fieldList`; request id and retry hints from the headers). No Schema.
 *
 * @internal
 */
import type * as Job from "../Job.js"
import {
  AccessDeniedException,
  InternalServerException,
  LocationJobsClientError,
  type LocationJobsError,
  type OperationName,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  type ValidationExceptionReason
} from "../MicroLocationJobsError.js"
import { outputs } from "./microJob.js"
import * as S from "./microSchema.js"

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

/** GetJob: the id percent-encoded into the path, no body. */
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

const header = (headers: WireResponse["headers"], name: string): string | undefined => {
  const v = headers[name]
  return v === undefined || v === "" ? undefined : v
}

/** The request id the service sent, if any. */
export const requestIdOf = (headers: WireResponse["headers"]): string | undefined =>
  header(headers, "x-amzn-requestid") ?? header(headers, "x-amzn-request-id") ?? header(headers, "x-amz-request-id")

/** The server's retry hint in ms: `x-amz-retry-after` (ms) or `retry-after` (seconds or an HTTP date). */
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
  for (const [sep, after] of [[",", false], [":", false], ["#", true]] as const) {
    const at = code.indexOf(sep)
    if (at >= 0) code = after ? code.slice(at + 1) : code.slice(0, at)
  }
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

/** Error code by the restJson1 order: `x-amzn-errortype` header, body `code` (any case), body `__type`. */
export const errorCodeOf = (headers: WireResponse["headers"], body: Record<string, unknown> | undefined) => {
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

const reasons: ReadonlyArray<string> = ["UnknownOperation", "Missing", "CannotParse", "FieldValidationFailed", "Other", "UnknownField"]

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

const modelled = (operation: OperationName, code: string | undefined): boolean =>
  code === "AccessDeniedException" || code === "InternalServerException" || code === "ThrottlingException" ||
  code === "ValidationException" || (code === "ResourceNotFoundException" && operation === "GetJob")

/** A non-2xx response as the operation's error, with the server's retry hint. */
export const decodeError = (
  operation: OperationName,
  response: WireResponse,
  now: number
): { readonly error: LocationJobsError; readonly retryAfterMs: number | undefined } => {
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
  const retryAfterMs = retryAfterOf(response.headers, now)
  if (!modelled(operation, code)) {
    return {
      error: new LocationJobsClientError({
        reason: "UnknownServiceError",
        message: code === undefined
          ? `${operation}: HTTP ${response.status} with no error code${message ? `: ${message}` : ""}`
          : `${operation}: ${code}${message ? `: ${message}` : ""}`,
        status: response.status,
        ...(code === undefined ? {} : { code }),
        ...(requestId === undefined ? {} : { requestId })
      }),
      retryAfterMs
    }
  }
  const reason = body?.reason ?? body?.Reason
  const error = code === "AccessDeniedException"
    ? new AccessDeniedException(base)
    : code === "InternalServerException"
    ? new InternalServerException(base)
    : code === "ResourceNotFoundException"
    ? new ResourceNotFoundException(base)
    : code === "ThrottlingException"
    ? new ThrottlingException(base)
    : new ValidationException({
      ...base,
      reason: (reasons.includes(reason as string) ? reason : "Other") as ValidationExceptionReason,
      fieldList: fieldListOf(body?.fieldList ?? body?.FieldList)
    })
  return { error, retryAfterMs }
}

/** A 2xx body decoded into the operation's output, or an `UndecodableResponse` client error. */
export const decodeOutput = <Op extends OperationName>(
  operation: Op,
  response: WireResponse
): ((typeof outputs)[Op] extends S.Node<infer A> ? A : never) | LocationJobsClientError => {
  const requestId = requestIdOf(response.headers)
  const fail = (why: string) =>
    new LocationJobsClientError({
      reason: "UndecodableResponse",
      message: `${operation}: the service answered HTTP ${response.status} with ${why}`,
      status: response.status,
      ...(requestId === undefined ? {} : { requestId })
    })
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    return fail(response.body.length === 0 ? "an empty body" : "a body that is not JSON") as never
  }
  const issues: Array<S.Issue> = []
  const out = (outputs[operation] as S.Node).p(json, [], issues)
  if (out !== S.Fail) return out as never
  const first = issues[0]!
  return fail(
    `a body that does not match ${operation}'s output: ${first.path.length === 0 ? "" : `${first.path.join(".")}: `}${
      first.missing ? "is missing" : first.message
    }`
  ) as never
}
