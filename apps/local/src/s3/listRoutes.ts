/**
 * The listings of the S3 subset: ListObjects (V1 and V2), ListParts and ListMultipartUploads, each
 * a page from the store written as S3's XML document.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { isoDate, parseInteger, urlEncode, xmlResponse } from "./s3Http.js"
import { S3Errors, type S3Error } from "./S3Error.js"
import type { S3Response } from "./S3Routes.js"
import { S3Store } from "./S3Store.js"
import * as Xml from "./s3Xml.js"

/**
 * The frame every listing shares: the store, then a 200 `<root>` document (in the S3 namespace)
 * of the elements `children` lists.
 */
const listResult = (
  root: string,
  base: Record<string, string>,
  children: (store: S3Store) => Effect.Effect<ReadonlyArray<Xml.XmlNode | undefined>, S3Error>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  Effect.flatMap(S3Store, (store) => Effect.map(children(store), (nodes) => xmlResponse(200, Xml.document(root, nodes), base)))

/**
 * A listing's `encoding-type`: with `url`, keys and prefixes are sent URL-encoded and the document
 * says so (`element`); any other value is refused.
 */
const listEncoding = (
  bucket: string,
  query: URLSearchParams
): Effect.Effect<{ readonly encode: (text: string) => string; readonly element: Xml.XmlNode | undefined }, S3Error> => {
  const encodingType = query.get("encoding-type")
  if (encodingType === null) return Effect.succeed({ encode: (text: string) => text, element: undefined })
  if (encodingType !== "url") {
    return Effect.fail(S3Errors.invalidArgument("Invalid Encoding Method specified in Request", { bucket }))
  }
  return Effect.succeed({ encode: urlEncode, element: ["EncodingType", encodingType] })
}

/** The owner and initiator every upload has here: the one local account. */
const OWNER: ReadonlyArray<Xml.XmlNode> = [["ID", "geojobs-local"], ["DisplayName", "geojobs-local"]]

/** S3's page sizes: 1000 by default and at most. */
const pageSize = (name: string, value: string | null) =>
  Effect.map(parseInteger(name, value, 1000), (n) => Math.min(n, 1000))

/** GET `/bucket` (`list-type=2` for V2; `marker` paging for V1): keys and common prefixes. */
export const listObjects = (
  bucket: string,
  query: URLSearchParams,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  listResult("ListBucketResult", base, (store) =>
    Effect.gen(function*() {
      const v2 = query.get("list-type") === "2"
      const { element: encodingElement, encode } = yield* listEncoding(bucket, query)
      const maxKeys = yield* parseInteger("max-keys", query.get("max-keys"), 1000)
      const prefix = query.get("prefix") ?? ""
      const delimiter = query.get("delimiter") ?? ""
      const token = v2 ? query.get("continuation-token") : null
      const startAfter = v2 ? query.get("start-after") : query.get("marker")
      const page = yield* store.listObjects(bucket, {
        prefix,
        delimiter,
        maxKeys,
        continuationToken: token ?? undefined,
        startAfter: startAfter ?? undefined
      })
      const contents = page.contents.map((c) =>
        [
          "Contents",
          [
            ["Key", encode(c.key)],
            ["LastModified", isoDate(c.lastModified)],
            ["ETag", c.etag],
            ["Size", c.size],
            ["StorageClass", "STANDARD"]
          ]
        ] as const
      )
      const prefixes = page.commonPrefixes.map((p) => ["CommonPrefixes", [["Prefix", encode(p)]]] as const)
      const head: Array<Xml.XmlNode | undefined> = [
        ["Name", bucket],
        ["Prefix", encode(prefix)],
        delimiter === "" ? undefined : ["Delimiter", encode(delimiter)],
        ["MaxKeys", Math.min(maxKeys, 1000)],
        encodingElement
      ]
      const paging: Array<Xml.XmlNode | undefined> = v2
        ? [
          ["KeyCount", contents.length + prefixes.length],
          token === null ? undefined : ["ContinuationToken", token],
          page.nextContinuationToken === undefined ? undefined : ["NextContinuationToken", page.nextContinuationToken],
          startAfter === null ? undefined : ["StartAfter", encode(startAfter)]
        ]
        : [
          ["Marker", encode(startAfter ?? "")],
          page.isTruncated && page.lastEntry !== undefined ? ["NextMarker", encode(page.lastEntry)] : undefined
        ]
      return [...head, ...paging, ["IsTruncated", page.isTruncated], ...contents, ...prefixes]
    }))

/** GET `/bucket/key?uploadId=…`: the parts uploaded so far. */
export const listParts = (
  bucket: string,
  key: string,
  uploadId: string,
  query: URLSearchParams,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  listResult("ListPartsResult", base, (store) =>
    Effect.gen(function*() {
      const maxParts = yield* pageSize("max-parts", query.get("max-parts"))
      const partNumberMarker = yield* parseInteger("part-number-marker", query.get("part-number-marker"), 0)
      const page = yield* store.listParts(bucket, key, uploadId, { maxParts, partNumberMarker })
      return [
        ["Bucket", bucket],
        ["Key", key],
        ["UploadId", uploadId],
        ["PartNumberMarker", partNumberMarker],
        ["NextPartNumberMarker", page.nextPartNumberMarker ?? partNumberMarker],
        ["MaxParts", maxParts],
        ["IsTruncated", page.isTruncated],
        ...page.parts.map((p) =>
          [
            "Part",
            [["PartNumber", p.partNumber], ["LastModified", isoDate(p.lastModified)], ["ETag", p.etag], ["Size", p.size]]
          ] as const
        ),
        ["Initiator", OWNER],
        ["Owner", OWNER],
        ["StorageClass", "STANDARD"]
      ]
    }))

/** GET `/bucket?uploads`: the uploads in progress (no delimiter). */
export const listMultipartUploads = (
  bucket: string,
  query: URLSearchParams,
  base: Record<string, string>
): Effect.Effect<S3Response, S3Error, S3Store> =>
  listResult("ListMultipartUploadsResult", base, (store) =>
    Effect.gen(function*() {
      if ((query.get("delimiter") ?? "") !== "") {
        return yield* Effect.fail(S3Errors.notImplemented("ListMultipartUploads with a delimiter"))
      }
      const { element: encodingElement, encode } = yield* listEncoding(bucket, query)
      const maxUploads = yield* pageSize("max-uploads", query.get("max-uploads"))
      const prefix = query.get("prefix") ?? ""
      const keyMarker = query.get("key-marker") ?? undefined
      // S3 ignores the upload id marker without a key marker.
      const uploadIdMarker = keyMarker === undefined ? undefined : query.get("upload-id-marker") ?? undefined
      const page = yield* store.listMultipartUploads(bucket, { prefix, keyMarker, uploadIdMarker, maxUploads })
      const last = page.uploads[page.uploads.length - 1]
      return [
        ["Bucket", bucket],
        ["KeyMarker", encode(keyMarker ?? "")],
        ["UploadIdMarker", uploadIdMarker ?? ""],
        ["NextKeyMarker", encode(page.isTruncated && last !== undefined ? last.key : "")],
        ["NextUploadIdMarker", page.isTruncated && last !== undefined ? last.uploadId : ""],
        ["Prefix", encode(prefix)],
        encodingElement,
        ["MaxUploads", maxUploads],
        ["IsTruncated", page.isTruncated],
        ...page.uploads.map((u) =>
          [
            "Upload",
            [
              ["Key", encode(u.key)],
              ["UploadId", u.uploadId],
              ["Initiator", OWNER],
              ["Owner", OWNER],
              ["StorageClass", "STANDARD"],
              ["Initiated", isoDate(u.initiated)]
            ]
          ] as const
        )
      ]
    }))
