/**
 * The routes of one object, `/bucket/key…`: PutObject and UploadPart, GetObject and HeadObject
 * (ranges, conditions, response header overrides, checksum mode), DeleteObject and
 * AbortMultipartUpload, CreateMultipartUpload and CompleteMultipartUpload. ListParts is in
 * `listRoutes.ts`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { parseRangeHeader, resolveRange } from "./ByteRange.js"
import { listParts } from "./listRoutes.js"
import { uploadBody } from "./s3Body.js"
import { S3Error, S3Errors } from "./S3Error.js"
import { empty, httpDate, readXml, xmlResponse } from "./s3Http.js"
import type { S3Request, S3Response } from "./S3Routes.js"
import { type ObjectInfo, type PutOptions, S3Store } from "./S3Store.js"
import * as Xml from "./s3Xml.js"

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

/** The checksum response header of an upload, if it named one. */
const checksumHeader = (checksum: readonly [string, string] | undefined): Record<string, string> =>
  checksum === undefined ? {} : { [checksum[0]]: checksum[1] }

/** Answers a request on object `key` of `bucket` (`base`: the request id headers every answer carries). */
export const objectRoute = (
  request: S3Request,
  bucket: string,
  key: string,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const store = yield* S3Store
    const { method, query, headers } = request
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
