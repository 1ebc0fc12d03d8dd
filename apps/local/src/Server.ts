/**
 * The local service's HTTP application: one port, routed by path whatever the Host (with or
 * without `metadata.`):
 * - `/_geojobs/health`, `/_geojobs/requests` — readiness and the request log (no auth);
 * - `/metadata/…` — the Jobs API: SigV4-verified, then answered by the service semantics
 *   (`@geojobs/service` WireHandler);
 * - everything else — the S3 subset (path-style), SigV4-verified with S3's rules.
 *
 * Every response carries a request id (`x-amzn-RequestId` for Jobs, `x-amz-request-id` for S3).
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { WireHandlerService } from "@geojobs/service/WireHandler"
import { route } from "@geojobs/service/WireHandler"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { type AuthPolicy, awsCodeOf, awsMessageOf, verify } from "./Auth.js"
import * as Cors from "./Cors.js"
import type { RequestLogService } from "./RequestLog.js"
import { S3Error } from "./s3/S3Error.js"
import * as S3Routes from "./s3/S3Routes.js"

/** Largest Jobs API request body accepted (a ListJobs NextToken is at most 60,000 characters). */
export const maxJobsBodyBytes = 1024 * 1024

/** Answers an S3 request; given the already-verified request. */
export type S3Handler = (
  request: HttpServerRequest.HttpServerRequest,
  requestId: string
) => Effect.Effect<HttpServerResponse.HttpServerResponse>

/** What the app needs. */
export interface AppDependencies {
  readonly auth: AuthPolicy
  /** The region signatures must be scoped to. */
  readonly region: string
  /** Which browser origins may call (default: localhost pages only). */
  readonly cors?: Cors.CorsPolicy | undefined
  readonly jobs: WireHandlerService
  readonly s3: S3Handler
  readonly log: RequestLogService
  /** Extra fields of the health answer (version, data dir, counts). */
  readonly health: Effect.Effect<Record<string, unknown>>
}

const newRequestId = () => globalThis.crypto.randomUUID()

const headerRecord = (request: HttpServerRequest.HttpServerRequest): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(request.headers)) if (typeof v === "string") out[k] = v
  return out
}

/** A Jobs-API-style JSON error. */
export const jobsError = (status: number, code: string, message: string, requestId: string) =>
  HttpServerResponse.unsafeJson({ __type: code, message }, {
    status,
    headers: { "x-amzn-ErrorType": code, "x-amzn-RequestId": requestId }
  })

const operationOf = (method: string, url: string): string => {
  const r = route(method, url)
  return r.operation === "Unknown" ? `${method} ${url.split("?")[0]}` : r.operation
}

const tooLarge = (requestId: string) =>
  jobsError(413, "RequestEntityTooLargeException", `The request body is larger than ${maxJobsBodyBytes} bytes`, requestId)

/** Why a body could not be read whole: over the limit, or the transport failed. */
type BodyProblem = "TooLarge" | "Unreadable"

/**
 * How much of an oversized body is read and dropped before answering, so a client that sends
 * its whole body before reading the answer gets the 413 rather than a reset; past this the
 * connection is closed under it.
 */
const maxDiscardedBytes = 16 * maxJobsBodyBytes

/**
 * The Jobs API body, read as it streams with the limit enforced while reading (a chunked body
 * has no Content-Length to check first): past the limit nothing more is kept, the rest is
 * drained (up to `maxDiscardedBytes`) and the read fails `TooLarge`. Read without destroying the
 * socket, so the client still gets the answer.
 */
const readJobsBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Uint8Array, BodyProblem> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return S3Routes.requestBody(request).pipe(
      Stream.mapError((): BodyProblem => "Unreadable"),
      Stream.runForEach((chunk) => {
        size += chunk.length
        if (size <= maxJobsBodyBytes) chunks.push(chunk)
        else if (size > maxJobsBodyBytes + maxDiscardedBytes) return Effect.fail<BodyProblem>("TooLarge")
        return Effect.void
      }),
      Effect.flatMap(() => size > maxJobsBodyBytes ? Effect.fail<BodyProblem>("TooLarge") : Effect.succeed(Buffer.concat(chunks)))
    )
  })

const jobsRoute = (deps: AppDependencies, request: HttpServerRequest.HttpServerRequest, requestId: string) =>
  Effect.gen(function*() {
    const declared = Number(request.headers["content-length"] ?? "0")
    if (declared > maxJobsBodyBytes) {
      // Refused before reading a byte; the connection is closed so the rest is never read.
      return HttpServerResponse.setHeader(tooLarge(requestId), "connection", "close")
    }
    const body = yield* Effect.either(readJobsBody(request))
    if (body._tag === "Left") {
      return body.left === "TooLarge"
        ? HttpServerResponse.setHeader(tooLarge(requestId), "connection", "close")
        : jobsError(400, "SerializationException", "The request body could not be read", requestId)
    }
    const headers = headerRecord(request)
    const scope = { region: deps.region, service: "geo" } as const
    const verified = yield* Effect.either(
      verify(deps.auth, { method: request.method, url: request.url, headers, body: body.right }, scope)
    )
    if (verified._tag === "Left") {
      return jobsError(403, awsCodeOf(verified.left), awsMessageOf(verified.left, scope), requestId)
    }
    const answer = yield* deps.jobs.handle({ method: request.method, path: request.url, headers, body: body.right })
    return HttpServerResponse.uint8Array(answer.body, { status: answer.status, headers: answer.headers })
  })

const internalRoute = (deps: AppDependencies, request: HttpServerRequest.HttpServerRequest, requestId: string) =>
  Effect.gen(function*() {
    const url = new URL(request.url, "http://local")
    if (url.pathname === "/_geojobs/health") {
      const extra = yield* deps.health
      return HttpServerResponse.unsafeJson({ status: "ok", ...extra }, { headers: { "x-amzn-RequestId": requestId } })
    }
    if (url.pathname === "/_geojobs/requests") {
      const since = Number(url.searchParams.get("since") ?? "0")
      return HttpServerResponse.unsafeJson({ entries: deps.log.entries(Number.isFinite(since) ? since : 0) })
    }
    return jobsError(404, "ResourceNotFoundException", `No such endpoint: ${url.pathname}`, requestId)
  })

/** The answer to a write from a page whose origin may not call, in the API's own error shape. */
const crossSiteRefusal = (api: "jobs" | "s3" | "internal", method: string, origin: string, requestId: string) => {
  const message = `Origin ${origin} is not allowed to change anything on this service (allow it with --cors-origin)`
  return api === "s3"
    ? S3Routes.toServerResponse(
      S3Routes.errorResponse(new S3Error({ code: "AccessDenied", status: 403, message }), requestId, method)
    )
    : jobsError(403, "AccessDeniedException", message, requestId)
}

/** The application. It never fails: every problem is an HTTP answer. */
export const makeApp = (deps: AppDependencies) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const at = yield* Clock.currentTimeMillis
    const requestId = newRequestId()
    const path = request.url
    const origin = request.headers["origin"]
    const corsAllowed = origin !== undefined && Cors.allows(deps.cors ?? Cors.localhostOnly, origin)
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
      // A browser preflight: never signed, so answered before authentication.
      return corsAllowed
        ? HttpServerResponse.empty({
          status: 204,
          headers: Cors.preflightHeaders(origin!, request.headers["access-control-request-method"], request.headers["access-control-request-headers"])
        })
        : jobsError(403, "AccessDeniedException", `Origin ${origin ?? "(none)"} is not allowed to call this service`, requestId)
    }
    // `/metadata/` alone is the bucket `metadata` path-style (the SDKs add the slash): left to S3,
    // which refuses the reserved name instead of the Jobs API answering it in JSON.
    const api: "jobs" | "s3" | "internal" = path.startsWith("/metadata/") && !/^\/metadata\/(\?|$)/.test(path)
      ? "jobs"
      : path.startsWith("/_geojobs/")
      ? "internal"
      : "s3"
    const crossSite = Cors.refusesWrite(deps.cors ?? Cors.localhostOnly, request.method, origin)
    const response = yield* (crossSite
      ? Effect.succeed(crossSiteRefusal(api, request.method, origin!, requestId))
      : api === "jobs"
      ? jobsRoute(deps, request, requestId)
      : api === "internal"
      ? internalRoute(deps, request, requestId)
      : deps.s3(request, requestId)).pipe(
        Effect.catchAllCause(() =>
          Effect.succeed(jobsError(500, "InternalServerException", "The local service failed to process the request", requestId))
        )
      )
    deps.log.add({
      at,
      api,
      operation: api === "jobs" ? operationOf(request.method, path) : request.method,
      status: response.status,
      requestId
    })
    return corsAllowed ? HttpServerResponse.setHeaders(response, Cors.responseHeaders(origin!)) : response
  })
