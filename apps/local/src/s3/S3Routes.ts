/**
 * The HTTP face of the S3 subset, path-style (`/bucket`, `/bucket/key…`): enough for
 * `@aws-sdk/client-s3` and `aws s3`. `handle` is transport-neutral (a request record in, a response
 * record out, never failing: every error becomes S3's `<Error>` XML); `httpApp` mounts it on an
 * `@effect/platform` HttpServer. SigV4 is not checked here: put the verifier in front.
 *
 * This module is the interface and the dispatch; the routes are in `bucketRoutes.ts` (the service
 * and a bucket), `objectRoutes.ts` (an object and its multipart uploads) and `listRoutes.ts` (the
 * listings); the XML answers and S3's formats in `s3Http.ts`.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import { randomBytes } from "node:crypto"
import * as Http from "node:http"
import { bucketRoute, serviceRoute } from "./bucketRoutes.js"
import { objectRoute } from "./objectRoutes.js"
import { S3Error, S3Errors } from "./S3Error.js"
import type { S3Store } from "./S3Store.js"
import { xmlResponse } from "./s3Http.js"
import * as Xml from "./s3Xml.js"

/** A request as the transport received it. */
export interface S3Request {
  readonly method: string
  /** The raw, still percent-encoded path, without the query. */
  readonly path: string
  readonly query: URLSearchParams
  /** Header names lowercase. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Stream.Stream<Uint8Array, unknown>
}

/** A response to send. */
export interface S3Response {
  readonly status: number
  /** Header names lowercase. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | Stream.Stream<Uint8Array, S3Error>
}

/** Sub-resources this subset does not serve (answered 501 NotImplemented rather than misread). */
const UNSUPPORTED_SUBRESOURCES = [
  "acl",
  "analytics",
  "accelerate",
  "cors",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "lifecycle",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "legal-hold",
  "select",
  "tagging",
  "torrent",
  "versioning",
  "versions",
  "website",
  "attributes"
]

const requestId = (): string => randomBytes(8).toString("hex").toUpperCase()

/** S3's `<Error>` document for an error. */
export const errorResponse = (error: S3Error, id: string, method = "GET"): S3Response => {
  const xml = Xml.document("Error", [
    ["Code", error.code],
    ["Message", error.message],
    error.bucket === undefined ? undefined : ["BucketName", error.bucket],
    error.key === undefined ? undefined : ["Key", error.key],
    error.uploadId === undefined ? undefined : ["UploadId", error.uploadId],
    error.region === undefined ? undefined : ["Region", error.region],
    error.objectSize === undefined ? undefined : ["ActualObjectSize", error.objectSize],
    ["RequestId", id]
  ]).replace(` xmlns="${Xml.S3_NAMESPACE}"`, "")
  const response = xmlResponse(error.status, xml, {
    "x-amz-request-id": id,
    "x-amz-id-2": id,
    ...(error.objectSize === undefined ? {} : { "content-range": `bytes */${error.objectSize}` })
  })
  return method === "HEAD" ? { ...response, headers: { ...response.headers, "content-length": "0" }, body: new Uint8Array(0) } : response
}

/** Splits a raw path into bucket and key, percent-decoding each exactly once. */
const splitPath = (path: string): Effect.Effect<{ bucket: string | undefined; key: string | undefined }, S3Error> =>
  Effect.try({
    try: () => {
      const trimmed = path.startsWith("/") ? path.slice(1) : path
      if (trimmed === "") return { bucket: undefined, key: undefined }
      const slash = trimmed.indexOf("/")
      const bucket = decodeURIComponent(slash < 0 ? trimmed : trimmed.slice(0, slash))
      const rawKey = slash < 0 ? "" : trimmed.slice(slash + 1)
      return { bucket, key: rawKey === "" ? undefined : decodeURIComponent(rawKey) }
    },
    catch: () => new S3Error({ code: "InvalidURI", status: 400, message: "Couldn't parse the specified URI." })
  })

/** The route of a request by its path: the service, a bucket or an object. */
const route = (request: S3Request, id: string): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const { query } = request
    const { bucket, key } = yield* splitPath(request.path)
    const base = { "x-amz-request-id": id, "x-amz-id-2": id }
    for (const name of UNSUPPORTED_SUBRESOURCES) {
      if (query.has(name)) return yield* Effect.fail(S3Errors.notImplemented(`the ?${name} sub-resource`))
    }
    if (bucket === undefined) return yield* serviceRoute(request, base)
    if (key === undefined) return yield* bucketRoute(request, bucket, base)
    return yield* objectRoute(request, bucket, key, base)
  })

/**
 * Answers one S3 request (`id` becomes `x-amz-request-id`; a fresh one if not given). Never fails: S3 errors become `<Error>` documents with their status, and
 * an unexpected failure becomes a 500 `InternalError` (the service stays up).
 */
export const handle = (request: S3Request, id?: string): Effect.Effect<S3Response, never, S3Store> =>
  Effect.suspend(() => {
    const rid = id ?? requestId()
    return route(request, rid).pipe(
      Effect.catchAllCause((cause) => {
        const failure = Cause.failureOption(cause)
        const error = failure._tag === "Some"
          ? failure.value
          : S3Errors.internal(Cause.isInterruptedOnly(cause) ? "interrupted" : "unexpected failure")
        return Effect.as(
          failure._tag === "Some" ? Effect.void : Effect.logError("S3 request failed", cause),
          errorResponse(error, rid, request.method)
        )
      })
    )
  })

/** The transport-neutral request of a platform server request (optionally with a body already read). */
export const fromServerRequest = (
  request: HttpServerRequest.HttpServerRequest,
  body?: Stream.Stream<Uint8Array, unknown>
): S3Request => {
  let url = request.url
  if (/^https?:\/\//i.test(url)) url = url.replace(/^https?:\/\/[^/]*/i, "")
  const question = url.indexOf("?")
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
  return {
    method: request.method,
    path: question < 0 ? url : url.slice(0, question),
    query: new URLSearchParams(question < 0 ? "" : url.slice(question + 1)),
    headers,
    body: body ?? requestBody(request)
  }
}

/**
 * The body of a server request. On Node, read without destroying the socket when reading stops
 * early (a rejected upload): Node then discards the rest, and the client gets the S3 error instead
 * of a reset connection. Use this rather than `request.stream` when wrapping the body.
 */
export const requestBody = (request: HttpServerRequest.HttpServerRequest): Stream.Stream<Uint8Array, unknown> => {
  let incoming: unknown
  try {
    incoming = NodeHttpServerRequest.toIncomingMessage(request)
  } catch {
    incoming = undefined
  }
  return incoming instanceof Http.IncomingMessage
    ? NodeStream.fromReadable<unknown, Uint8Array>(() => incoming, (cause) => cause, { closeOnDone: false })
    : request.stream
}

/** The platform server response of an `S3Response`. */
export const toServerResponse = (response: S3Response): HttpServerResponse.HttpServerResponse => {
  const { "content-type": contentType, ...headers } = response.headers
  const options = { status: response.status, headers, ...(contentType === undefined ? {} : { contentType }) }
  return response.body instanceof Uint8Array
    ? HttpServerResponse.uint8Array(response.body, options)
    : HttpServerResponse.stream(response.body, options)
}

/** The S3 subset as an `HttpApp`, to mount on an `@effect/platform` HttpServer (or call from a router). */
export const httpApp: Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  S3Store | HttpServerRequest.HttpServerRequest
> = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.map(handle(fromServerRequest(request)), toServerResponse))