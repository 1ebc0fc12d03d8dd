/**
 * The HTTP face of the Jobs API, transport-neutral: a request (method, raw path, headers,
 * body bytes) in, a response (status, headers, body bytes) out, answered by `JobsApi`. Routes
 * the restJson1 bindings of the model (spec §3):
 *
 * | method | path                          | operation |
 * |--------|-------------------------------|-----------|
 * | POST   | `/metadata/v0/jobs`           | StartJob  |
 * | GET    | `/metadata/v0/jobs/{JobId}`   | GetJob (label percent-decoded) |
 * | POST   | `/metadata/v0/jobs/list-jobs` | ListJobs  |
 * | POST   | `/metadata/v0/jobs/cancel-job`| CancelJob |
 *
 * Anything else is a 400 `ValidationException` with reason `UnknownOperation`. The host and
 * query string are ignored; an empty POST body counts as `{}`. Errors follow the spec's
 * "recommended emulator error format" (§4.2): status per error, `Content-Type:
 * application/json`, `x-amzn-ErrorType`, body `{"__type","message"}` plus `reason` and
 * `fieldList` for ValidationException. Every response carries `x-amzn-RequestId`. Success
 * bodies hold exactly the wire members (RFC 3339 timestamps with `Z`, optional members
 * omitted, no nulls). No authentication here: the local service verifies SigV4 before it.
 *
 * @since 0.1.0
 */
import * as Job from "@geojobs/core/Job"
import { ErrorStatus, ValidationException } from "@geojobs/core/LocationJobsError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { type ClientTokenConflict, JobsApi, type JobsApiService } from "./JobsApi.js"
import { unparsableBody } from "./internal/requestDecoder.js"
import { MAX_REQUEST_DEPTH, nestsDeeperThan } from "./JsonDepth.js"

/** A request as any transport sees it. `path` is raw (may be percent-encoded, may carry a query). */
export interface WireRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** A response for any transport to send. */
export interface WireResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: Uint8Array
}

/** Which operation a request is for. `label` is GetJob's raw (still percent-encoded) path label. */
export type Route =
  | { readonly operation: "StartJob" | "ListJobs" | "CancelJob" }
  | { readonly operation: "GetJob"; readonly label: string }
  | { readonly operation: "Unknown" }

const prefix = "/metadata/v0/jobs"

/** Routes by method and path only. */
export const route = (method: string, rawPath: string): Route => {
  const q = rawPath.indexOf("?")
  const path = q === -1 ? rawPath : rawPath.slice(0, q)
  const m = method.toUpperCase()
  if (path === prefix) return m === "POST" ? { operation: "StartJob" } : { operation: "Unknown" }
  if (!path.startsWith(`${prefix}/`)) return { operation: "Unknown" }
  const rest = path.slice(prefix.length + 1)
  if (rest.includes("/")) return { operation: "Unknown" }
  if (m === "GET") return { operation: "GetJob", label: rest }
  if (m === "POST" && rest === "list-jobs") return { operation: "ListJobs" }
  if (m === "POST" && rest === "cancel-job") return { operation: "CancelJob" }
  return { operation: "Unknown" }
}

/** The handler. `handle` never fails: every problem is an HTTP answer. */
export interface WireHandlerService {
  readonly handle: (request: WireRequest) => Effect.Effect<WireResponse>
}

/** The handler tag. */
export class WireHandler extends Context.Tag("@geojobs/service/WireHandler")<WireHandler, WireHandlerService>() {}

const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { fatal: true })

interface WireError {
  readonly name: keyof typeof ErrorStatus
  readonly message: string
  readonly reason?: string
  readonly fieldList?: ReadonlyArray<{ readonly name: string; readonly message: string }>
}

const toWireError = (error: { readonly _tag: string; readonly message: string }): WireError => {
  switch (error._tag) {
    case "ValidationException": {
      const v = error as ValidationException
      return { name: "ValidationException", message: v.message, reason: v.reason, fieldList: v.fieldList }
    }
    case "ClientTokenConflict":
      return toWireError((error as ClientTokenConflict).toValidationException())
    case "ResourceNotFoundException":
      return { name: "ResourceNotFoundException", message: error.message }
    default:
      return { name: "InternalServerException", message: "The service failed to process the request" }
  }
}

/** Builds the handler over a `JobsApi`. */
export const makeWith = (api: JobsApiService): WireHandlerService => {
  const encodeStart = Schema.encodeEither(Job.StartJobResponse)
  const encodeGet = Schema.encodeEither(Job.GetJobResponse)
  const encodeList = Schema.encodeEither(Job.ListJobsResponse)
  const encodeCancel = Schema.encodeEither(Job.CancelJobResponse)

  const respond = (status: number, requestId: string, body: unknown, errorType?: string): WireResponse => ({
    status,
    headers: {
      "Content-Type": "application/json",
      "x-amzn-RequestId": requestId,
      ...(errorType !== undefined ? { "x-amzn-ErrorType": errorType } : {})
    },
    body: encoder.encode(JSON.stringify(body))
  })

  const respondError = (requestId: string, error: WireError): WireResponse =>
    respond(
      ErrorStatus[error.name],
      requestId,
      {
        __type: error.name,
        message: error.message,
        ...(error.reason !== undefined ? { reason: error.reason } : {}),
        ...(error.fieldList !== undefined ? { fieldList: error.fieldList.map((f) => ({ name: f.name, message: f.message })) } : {})
      },
      error.name
    )

  const parseBody = (operation: string, body: Uint8Array): Either.Either<unknown, ValidationException> => {
    if (body.length === 0) return Either.right({})
    // Before the parse: a recursive decode of a body nested thousands deep runs out of stack.
    if (nestsDeeperThan(body, MAX_REQUEST_DEPTH)) {
      return Either.left(unparsableBody(operation, `JSON nested more than ${MAX_REQUEST_DEPTH} levels deep`))
    }
    try {
      return Either.right(JSON.parse(decoder.decode(body)))
    } catch (e) {
      return Either.left(unparsableBody(operation, e instanceof Error ? e.message : String(e)))
    }
  }

  const ok = <I>(encoded: Either.Either<I, unknown>): Effect.Effect<unknown, { _tag: "EncodeFailure"; message: string }> =>
    Either.isRight(encoded)
      ? Effect.succeed(encoded.right)
      : Effect.fail({ _tag: "EncodeFailure", message: "response did not encode" })

  const dispatch = (request: WireRequest): Effect.Effect<unknown, { readonly _tag: string; readonly message: string }> => {
    const r = route(request.method, request.path)
    switch (r.operation) {
      case "Unknown":
        return Effect.fail(
          new ValidationException({
            message: `No operation matches ${request.method} ${request.path}`,
            reason: "UnknownOperation",
            fieldList: [],
            status: 400
          })
        )
      case "GetJob": {
        let jobId: string
        try {
          jobId = decodeURIComponent(r.label)
        } catch {
          return Effect.fail(
            new ValidationException({
              message: "GetJob: invalid request: the JobId label is not valid percent-encoding",
              reason: "CannotParse",
              fieldList: [{ name: "JobId", message: "the JobId label is not valid percent-encoding" }],
              status: 400
            })
          )
        }
        return Effect.flatMap(api.getJob({ JobId: jobId }), (out) => ok(encodeGet(out)))
      }
      case "StartJob":
        return Effect.flatMap(parseBody("StartJob", request.body), (input) =>
          Effect.flatMap(api.startJob(input), (out) => ok(encodeStart(out))))
      case "ListJobs":
        return Effect.flatMap(parseBody("ListJobs", request.body), (input) =>
          Effect.flatMap(api.listJobs(input), (out) => ok(encodeList(out))))
      case "CancelJob":
        return Effect.flatMap(parseBody("CancelJob", request.body), (input) =>
          Effect.flatMap(api.cancelJob(input), (out) => ok(encodeCancel(out))))
    }
  }

  const handle = (request: WireRequest): Effect.Effect<WireResponse> =>
    Effect.flatMap(api.config.newId, (requestId) =>
      dispatch(request).pipe(
        Effect.map((body) => respond(200, requestId, body)),
        Effect.catchAll((error) => Effect.succeed(respondError(requestId, toWireError(error)))),
        Effect.catchAllDefect(() =>
          Effect.succeed(
            respondError(requestId, { name: "InternalServerException", message: "The service failed to process the request" })
          )
        )
      ))

  return WireHandler.of({ handle })
}

/** Builds the handler from the context's `JobsApi`. */
export const make: Effect.Effect<WireHandlerService, never, JobsApi> = Effect.map(JobsApi, makeWith)

/** The handler as a layer. */
export const layer: Layer.Layer<WireHandler, never, JobsApi> = Layer.effect(WireHandler, make)
