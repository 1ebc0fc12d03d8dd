/**
 * The routes of the service and of one bucket: ListBuckets (`/`); CreateBucket, HeadBucket,
 * DeleteBucket, GetBucketLocation and DeleteObjects (`/bucket`). The listings of a bucket are in
 * `listRoutes.ts`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { listMultipartUploads, listObjects } from "./listRoutes.js"
import { uploadBody } from "./s3Body.js"
import { CHECKSUM_ALGORITHMS, decodeMd5 } from "./s3Checksum.js"
import { S3Error, S3Errors } from "./S3Error.js"
import { empty, isoDate, readXml, xmlResponse } from "./s3Http.js"
import type { S3Request, S3Response } from "./S3Routes.js"
import { S3Store } from "./S3Store.js"
import * as Xml from "./s3Xml.js"

/** Answers a request on the service itself, `/`: ListBuckets. */
export const serviceRoute = (request: S3Request, base: Record<string, string>): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const store = yield* S3Store
    const { method } = request
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
  })

/** Answers a request on `bucket` itself, `/bucket` (`base`: the request id headers every answer carries). */
export const bucketRoute = (
  request: S3Request,
  bucket: string,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.gen(function*() {
    const store = yield* S3Store
    const { method, query } = request
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
        return yield* deleteObjects(bucket, request.headers, request.body, base)
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
  })

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
