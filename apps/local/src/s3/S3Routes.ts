/**
 * The HTTP face of the S3 subset, path-style (`/bucket`, `/bucket/key…`): enough for
 * `@aws-sdk/client-s3` and `aws s3`. `handle` is transport-neutral (a request record in, a response
 * record out, never failing: every error becomes S3's `<Error>` XML); `httpApp` mounts it on an
 * `@effect/platform` HttpServer. SigV4 is not checked here: put the verifier in front. The
 * listings are in `listRoutes.ts`, the XML answers and S3's formats in `s3Http.ts`.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createHash, randomBytes } from "node:crypto"
import * as Http from "node:http"
import { parseRangeHeader, resolveRange } from "./ByteRange.js"
import { uploadBody } from "./s3Body.js"
import { CHECKSUM_ALGORITHMS, decodeMd5 } from "./s3Checksum.js"
import { S3Error, S3Errors } from "./S3Error.js"
import { type ObjectInfo, type PutOptions, S3Store } from "./S3Store.js"
import { httpDate, isoDate, xmlResponse } from "./s3Http.js"
import { listMultipartUploads, listObjects, listParts } from "./listRoutes.js"
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

const MAX_XML_BODY = 1024 * 1024
/** Headers stored with an object and sent back on GET/HEAD. */
const STORED_HEADERS = ["cache-control", "content-disposition", "content-language", "expires"] as const
/** GetObject query parameters that override response headers. */
const RESPONSE_OVERRIDES = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"]
] as const
/** A header value that is sent byte for byte as given: printable ASCII, spaces and tabs. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/
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

const empty = (status: number, headers: Record<string, string> = {}): S3Response => ({
  status,
  headers: { ...headers, "content-length": "0" },
  body: new Uint8Array(0)
})

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

/** User metadata from `x-amz-meta-*` headers. */
const metadataOf = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-amz-meta-")) metadata[name.slice("x-amz-meta-".length)] = value
  }
  return metadata
}

const storedOptions = (
  headers: Readonly<Record<string, string>>,
  contentEncoding: string | undefined
): Omit<PutOptions, "contentMd5" | "contentLength"> & { readonly headers: Readonly<Record<string, string>> } => {
  const stored: Record<string, string> = {}
  for (const name of STORED_HEADERS) if (headers[name] !== undefined) stored[name] = headers[name]
  if (contentEncoding !== undefined) stored["content-encoding"] = contentEncoding
  return { contentType: headers["content-type"], metadata: metadataOf(headers), headers: stored }
}

/**
 * The headers of a GET/HEAD answer. A stored checksum is sent only when asked for
 * (`x-amz-checksum-mode: ENABLED`) and only for the whole object, as S3 does.
 */
const objectHeaders = (info: ObjectInfo, checksumMode: boolean): Record<string, string> => {
  const headers: Record<string, string> = {
    "etag": info.etag,
    "last-modified": httpDate(info.lastModified),
    "content-type": info.contentType ?? "binary/octet-stream",
    "accept-ranges": "bytes"
  }
  for (const [name, value] of Object.entries(info.headers)) {
    if (checksumMode || !name.startsWith("x-amz-checksum-")) headers[name] = value
  }
  for (const [name, value] of Object.entries(info.metadata)) headers[`x-amz-meta-${name}`] = value
  return headers
}

/** 304/412 for conditional GET/HEAD, as S3 evaluates them; undefined to go on. */
const preconditionFailure = (
  headers: Readonly<Record<string, string>>,
  info: ObjectInfo
): S3Error | "not-modified" | undefined => {
  const etag = info.etag
  const matches = (list: string) =>
    list.split(",").map((t) => t.trim()).some((t) => t === "*" || t === etag || `"${t}"` === etag)
  const modifiedSince = (value: string) => {
    const date = Date.parse(value)
    return Number.isNaN(date) || Math.floor(info.lastModified.getTime() / 1000) > Math.floor(date / 1000)
  }
  const failed = new S3Error({
    code: "PreconditionFailed",
    status: 412,
    message: "At least one of the pre-conditions you specified did not hold",
    bucket: info.bucket,
    key: info.key
  })
  const ifMatch = headers["if-match"]
  const ifNoneMatch = headers["if-none-match"]
  const ifModifiedSince = headers["if-modified-since"]
  const ifUnmodifiedSince = headers["if-unmodified-since"]
  if (ifMatch !== undefined && !matches(ifMatch)) return failed
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modifiedSince(ifUnmodifiedSince)) return failed
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) return "not-modified"
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && !modifiedSince(ifModifiedSince)) return "not-modified"
  return undefined
}

/** Reads a small XML request body; too large or malformed is `MalformedXML`. */
const readXml = (body: Stream.Stream<Uint8Array, unknown>): Effect.Effect<Xml.XmlElement, S3Error> =>
  Effect.gen(function*() {
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* body.pipe(
      // A digest failure from a checked body is reported as itself.
      Stream.mapError((cause) => cause instanceof S3Error ? cause : S3Errors.malformedXML("The request body could not be read")),
      Stream.runForEach((chunk) => {
        size += chunk.length
        if (size > MAX_XML_BODY) return Effect.fail(S3Errors.malformedXML("The XML request body is too large"))
        chunks.push(chunk)
        return Effect.void
      })
    )
    const text = Buffer.concat(chunks).toString("utf8")
    return yield* Effect.try({ try: () => Xml.parse(text), catch: () => S3Errors.malformedXML() })
  })

const route = (request: S3Request, id: string): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const store = yield* S3Store
    const { method, query, headers } = request
    const { bucket, key } = yield* splitPath(request.path)
    const base = { "x-amz-request-id": id, "x-amz-id-2": id }
    for (const name of UNSUPPORTED_SUBRESOURCES) {
      if (query.has(name)) return yield* Effect.fail(S3Errors.notImplemented(`the ?${name} sub-resource`))
    }

    if (bucket === undefined) {
      if (method !== "GET") return yield* Effect.fail(S3Errors.methodNotAllowed(method))
      const buckets = yield* store.listBuckets
      return xmlResponse(
        200,
        Xml.document("ListAllMyBucketsResult", [
          ["Owner", [["ID", "geojobs-local"], ["DisplayName", "geojobs-local"]]],
          ["Buckets", buckets.map((b) => ["Bucket", [["Name", b.name], ["CreationDate", isoDate(b.creationDate)]]] as const)]
        ]),
        base
      )
    }

    if (key === undefined) {
      switch (method) {
        case "PUT": {
          yield* store.createBucket(bucket)
          return empty(200, { ...base, location: `/${bucket}` })
        }
        case "HEAD": {
          yield* store.headBucket(bucket)
          return empty(200, { ...base, "x-amz-bucket-region": "us-east-1" })
        }
        case "DELETE": {
          yield* store.deleteBucket(bucket)
          return empty(204, base)
        }
        case "POST": {
          if (!query.has("delete")) return yield* Effect.fail(S3Errors.methodNotAllowed(method))
          return yield* deleteObjects(bucket, headers, request.body, base)
        }
        case "GET": {
          if (query.has("location")) {
            yield* store.headBucket(bucket)
            return xmlResponse(200, Xml.document("LocationConstraint", []), base)
          }
          if (query.has("uploads")) return yield* listMultipartUploads(bucket, query, base)
          return yield* listObjects(bucket, query, base)
        }
        default:
          return yield* Effect.fail(S3Errors.methodNotAllowed(method))
      }
    }

    switch (method) {
      case "PUT": {
        if (headers["x-amz-copy-source"] !== undefined) return yield* Effect.fail(S3Errors.notImplemented("CopyObject"))
        const upload = yield* uploadBody(headers, request.body, { bucket, key })
        const uploadId = query.get("uploadId")
        if (uploadId !== null || query.has("partNumber")) {
          if (uploadId === null) return yield* Effect.fail(S3Errors.invalidArgument("uploadId is missing", { bucket, key }))
          const partNumber = Number(query.get("partNumber"))
          const etag = yield* store.uploadPart(bucket, key, uploadId, partNumber, upload.body, {
            contentMd5: headers["content-md5"],
            contentLength: upload.contentLength
          })
          return empty(200, { ...base, etag, ...checksumHeader(upload.checksum()) })
        }
        const stored = storedOptions(headers, upload.contentEncoding)
        const info = yield* store.putObject(bucket, key, upload.body, {
          ...stored,
          // The checksum, verified while the body streamed, is kept and sent back in checksum mode.
          headers: () => ({ ...stored.headers, ...checksumHeader(upload.checksum()) }),
          contentMd5: headers["content-md5"],
          contentLength: upload.contentLength
        })
        return empty(200, { ...base, etag: info.etag, ...checksumHeader(upload.checksum()) })
      }
      case "GET":
      case "HEAD": {
        if (query.has("uploadId")) {
          if (method === "HEAD") return yield* Effect.fail(S3Errors.methodNotAllowed(method))
          return yield* listParts(bucket, key, query.get("uploadId")!, query, base)
        }
        if (query.has("partNumber")) return yield* Effect.fail(S3Errors.notImplemented("GetObject by part number"))
        const range = parseRangeHeader(headers["range"])
        const checksumMode = (headers["x-amz-checksum-mode"] ?? "").toUpperCase() === "ENABLED"
        const overrides: Record<string, string> = {}
        for (const [param, header] of RESPONSE_OVERRIDES) {
          const value = query.get(param)
          if (value === null) continue
          // Sent back as a header: CR/LF would split the answer, other bytes break or garble it.
          if (!HEADER_SAFE.test(value)) {
            return yield* Effect.fail(S3Errors.invalidArgument(
              `${param} must be printable ASCII: control characters cannot be sent in a header, and non-ASCII text must be percent-encoded (e.g. filename*=UTF-8''r%C3%A9sum%C3%A9.csv, RFC 6266)`,
              { bucket, key }
            ))
          }
          overrides[header] = value
        }
        if (method === "HEAD") {
          const info = yield* store.headObject(bucket, key)
          const condition = preconditionFailure(headers, info)
          if (condition === "not-modified") return empty(304, { ...base, etag: info.etag })
          if (condition !== undefined) return yield* Effect.fail(condition)
          const resolved = range === undefined ? undefined : resolveRange(range, info.size)
          if (resolved === "unsatisfiable") return yield* Effect.fail(S3Errors.invalidRange(bucket, key, info.size))
          return {
            status: resolved === undefined ? 200 : 206,
            headers: {
              ...base,
              ...objectHeaders(info, checksumMode && resolved === undefined),
              ...overrides,
              "content-length": String(resolved === undefined ? info.size : resolved.end - resolved.start + 1),
              ...(resolved === undefined ? {} : { "content-range": `bytes ${resolved.start}-${resolved.end}/${info.size}` })
            },
            body: new Uint8Array(0)
          }
        }
        // The blob stays open for as long as the body streams, even if the object is replaced.
        const scope = yield* Scope.make()
        const result = yield* store.getObject(bucket, key, range).pipe(
          Scope.extend(scope),
          Effect.onError(() => Scope.close(scope, Exit.void))
        )
        const condition = preconditionFailure(headers, result.info)
        if (condition !== undefined) {
          yield* Scope.close(scope, Exit.void)
          if (condition === "not-modified") return empty(304, { ...base, etag: result.info.etag })
          return yield* Effect.fail(condition)
        }
        const { info } = result
        const length = result.range === undefined ? info.size : result.range.end - result.range.start + 1
        return {
          status: result.range === undefined ? 200 : 206,
          headers: {
            ...base,
            ...objectHeaders(info, checksumMode && result.range === undefined),
            ...overrides,
            "content-length": String(length),
            ...(result.range === undefined
              ? {}
              : { "content-range": `bytes ${result.range.start}-${result.range.end}/${info.size}` })
          },
          body: result.body.pipe(Stream.ensuring(Scope.close(scope, Exit.void)))
        }
      }
      case "DELETE": {
        const uploadId = query.get("uploadId")
        if (uploadId !== null) yield* store.abortMultipartUpload(bucket, key, uploadId)
        else yield* store.deleteObject(bucket, key)
        return empty(204, base)
      }
      case "POST": {
        if (query.has("uploads")) {
          const uploadId = yield* store.createMultipartUpload(bucket, key, storedOptions(headers, undefined))
          return xmlResponse(
            200,
            Xml.document("InitiateMultipartUploadResult", [["Bucket", bucket], ["Key", key], ["UploadId", uploadId]]),
            base
          )
        }
        const uploadId = query.get("uploadId")
        if (uploadId === null) return yield* Effect.fail(S3Errors.methodNotAllowed(method))
        const document = yield* readXml(request.body)
        if (document.name !== "CompleteMultipartUpload") {
          return yield* Effect.fail(S3Errors.malformedXML())
        }
        const parts = yield* Effect.forEach(Xml.childrenNamed(document, "Part"), (part) => {
          const number = Xml.childText(part, "PartNumber")?.trim()
          const etag = Xml.childText(part, "ETag")
          return number !== undefined && /^\d{1,5}$/.test(number) && etag !== undefined
            ? Effect.succeed({ partNumber: Number(number), etag })
            : Effect.fail(S3Errors.malformedXML())
        })
        const info = yield* store.completeMultipartUpload(bucket, key, uploadId, parts)
        return xmlResponse(
          200,
          Xml.document("CompleteMultipartUploadResult", [
            ["Location", `/${bucket}/${encodeURIComponent(key).replace(/%2F/g, "/")}`],
            ["Bucket", bucket],
            ["Key", key],
            ["ETag", info.etag]
          ]),
          base
        )
      }
      default:
        return yield* Effect.fail(S3Errors.methodNotAllowed(method))
    }
  })

const checksumHeader = (checksum: readonly [string, string] | undefined): Record<string, string> =>
  checksum === undefined ? {} : { [checksum[0]]: checksum[1] }

/** True when a request names a flexible checksum, as a header or as an aws-chunked trailer. */
const namesChecksum = (headers: Readonly<Record<string, string>>): boolean =>
  CHECKSUM_ALGORITHMS.some((a) => headers[`x-amz-checksum-${a}`] !== undefined) ||
  (headers["x-amz-trailer"] ?? "").trim().toLowerCase().startsWith("x-amz-checksum-")

/**
 * DeleteObjects, which S3 carries out only with an integrity check on its body: a `Content-MD5`
 * or a flexible checksum, both verified before any key is deleted.
 */
const deleteObjects = (
  bucket: string,
  headers: Readonly<Record<string, string>>,
  raw: Stream.Stream<Uint8Array, unknown>,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const store = yield* S3Store
    if (headers["content-md5"] === undefined && !namesChecksum(headers)) {
      return yield* Effect.fail(
        S3Errors.invalidRequest("Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)", {
          bucket
        })
      )
    }
    const expectedMd5 = yield* decodeMd5(bucket, "", headers["content-md5"])
    // uploadBody de-chunks and checks a flexible checksum as the body streams; the MD5 is summed alongside.
    const upload = yield* uploadBody(headers, raw, { bucket, key: "" })
    const md5 = createHash("md5")
    const body = upload.body.pipe(
      Stream.tap((chunk) => Effect.sync(() => md5.update(chunk))),
      Stream.concat(Stream.execute(Effect.suspend(() =>
        expectedMd5 === undefined || md5.digest().equals(expectedMd5)
          ? Effect.void
          : Effect.fail(new S3Error({ code: "BadDigest", status: 400, message: "The Content-MD5 you specified did not match what we received.", bucket }))
      )))
    )
    const document = yield* readXml(body)
    if (document.name !== "Delete") return yield* Effect.fail(S3Errors.malformedXML())
    const quiet = Xml.childText(document, "Quiet")?.trim() === "true"
    const objects = Xml.childrenNamed(document, "Object")
    if (objects.length > 1000) return yield* Effect.fail(S3Errors.malformedXML("At most 1000 keys may be deleted at once"))
    yield* store.headBucket(bucket)
    const results = yield* Effect.forEach(objects, (object) => {
      const key = Xml.childText(object, "Key") ?? ""
      return store.deleteObject(bucket, key).pipe(
        Effect.as<Xml.XmlNode | undefined>(quiet ? undefined : ["Deleted", [["Key", key]]]),
        Effect.catchAll((error) =>
          Effect.succeed<Xml.XmlNode>(["Error", [["Key", key], ["Code", error.code], ["Message", error.message]]])
        )
      )
    })
    return xmlResponse(200, Xml.document("DeleteResult", results), base)
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
