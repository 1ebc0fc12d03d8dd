/**
 * Multipart uploads for `S3Store`: create, upload a part, complete, abort, and list parts and
 * uploads. Parts are blobs of their own until completion concatenates the chosen ones into the
 * object; the upload's rows go in the same transaction as the object's.
 *
 * @internal
 */
import type { SqlError } from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { createHash, randomBytes } from "node:crypto"
import * as Blob from "./blobFiles.js"
import * as Order from "./keyOrder.js"
import { decodeMd5 } from "./s3Checksum.js"
import { S3Errors, type S3Error } from "./S3Error.js"
import { keyBytes } from "./s3Names.js"
import type { S3Store } from "./S3Store.js"
import type { OpenStore, PartRow, UploadRow } from "./storeMetadata.js"
import { checkWritten, commitObject } from "./storeObjects.js"

const MAX_PART_NUMBER = 10000

const unquote = (etag: string): string => etag.trim().replace(/^"(.*)"$/, "$1").toLowerCase()

/** The multipart operations over an open store. */
export const make = (
  store: OpenStore
): Pick<
  S3Store,
  | "createMultipartUpload"
  | "uploadPart"
  | "completeMultipartUpload"
  | "abortMultipartUpload"
  | "listParts"
  | "listMultipartUploads"
> => {
  const { db, dirs, maxObjectSize, minPartSize, removeBlobs, requireBucket, sql, tooLarge, transaction } = store

  /** The upload, if it exists for this bucket and key; `NoSuchUpload` otherwise. */
  const requireUploadOf = (
    bucket: string,
    key: string,
    keyBuffer: Buffer,
    uploadId: string
  ): Effect.Effect<UploadRow, S3Error | SqlError> =>
    sql<UploadRow>`SELECT * FROM uploads WHERE upload_id = ${uploadId}`.pipe(
      Effect.flatMap((rows) => {
        const row = rows[0]
        return row !== undefined && row.bucket === bucket && keyBuffer.equals(Buffer.from(row.key))
          ? Effect.succeed(row)
          : Effect.fail(S3Errors.noSuchUpload(bucket, key, uploadId))
      })
    )

  return {
    createMultipartUpload: (bucket, key, put = {}) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        const uploadId = randomBytes(24).toString("base64url")
        const now = yield* Clock.currentTimeMillis
        yield* transaction(Effect.gen(function*() {
          yield* requireBucket(bucket)
          yield* sql`INSERT INTO uploads ${
            sql.insert({
              upload_id: uploadId,
              bucket,
              key: keyBuffer,
              content_type: put.contentType ?? null,
              headers: JSON.stringify((typeof put.headers === "function" ? put.headers() : put.headers) ?? {}),
              metadata: JSON.stringify(put.metadata ?? {}),
              initiated: now
            })
          }`
        }))
        return uploadId
      }),

    uploadPart: (bucket, key, uploadId, partNumber, body, part = {}) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
          return yield* Effect.fail(
            S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", { bucket, key })
          )
        }
        const requireUpload = requireUploadOf(bucket, key, keyBuffer, uploadId)
        yield* db(requireBucket(bucket))
        yield* transaction(requireUpload)
        if (part.contentLength !== undefined && part.contentLength > maxObjectSize) {
          return yield* Effect.fail(tooLarge(bucket, key)())
        }
        const md5 = yield* decodeMd5(bucket, key, part.contentMd5)
        const written = yield* Blob.writeTemp(dirs, body, { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, key) })
        yield* checkWritten(bucket, key, written, { md5, length: part.contentLength })
        const blob = yield* Effect.onError(Blob.publish(dirs, written.tempPath), () => Blob.removeFile(written.tempPath))
        const md5Hex = written.md5.toString("hex")
        const now = yield* Clock.currentTimeMillis
        const replaced = yield* transaction(Effect.gen(function*() {
          yield* requireUpload
          const old = yield* sql<{ blob: string }>`SELECT blob FROM parts WHERE upload_id = ${uploadId} AND part_number = ${partNumber}`
          yield* sql`INSERT OR REPLACE INTO parts ${
            sql.insert({ upload_id: uploadId, part_number: partNumber, size: written.size, md5: md5Hex, blob, last_modified: now })
          }`
          return old.map((o) => o.blob)
        })).pipe(Effect.onError(() => removeBlobs([blob])))
        yield* removeBlobs(replaced)
        return `"${md5Hex}"`
      }),

    completeMultipartUpload: (bucket, key, uploadId, parts) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        const requireUpload = requireUploadOf(bucket, key, keyBuffer, uploadId)
        yield* db(requireBucket(bucket))
        const upload = yield* transaction(requireUpload)
        if (parts.length === 0) {
          return yield* Effect.fail(S3Errors.malformedXML("You must specify at least one part"))
        }
        for (let i = 1; i < parts.length; i++) {
          if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) {
            return yield* Effect.fail(S3Errors.invalidPartOrder(bucket, key, uploadId))
          }
        }
        const stored = new Map(
          (yield* db(sql<PartRow>`SELECT part_number, size, md5, blob FROM parts WHERE upload_id = ${uploadId}`)).map((
            p
          ) => [p.part_number, p])
        )
        const chosen: Array<PartRow> = []
        for (const part of parts) {
          const row = stored.get(part.partNumber)
          if (row === undefined || unquote(part.etag) !== row.md5) {
            return yield* Effect.fail(S3Errors.invalidPart(bucket, key, uploadId, part.partNumber))
          }
          chosen.push(row)
        }
        for (const row of chosen.slice(0, -1)) {
          if (row.size < minPartSize) return yield* Effect.fail(S3Errors.entityTooSmall(bucket, key, minPartSize))
        }
        const total = chosen.reduce((sum, row) => sum + row.size, 0)
        if (total > maxObjectSize) return yield* Effect.fail(tooLarge(bucket, key)())
        const etag = `"${
          createHash("md5").update(Buffer.concat(chosen.map((row) => Buffer.from(row.md5, "hex")))).digest("hex")
        }-${chosen.length}"`
        const assembled = yield* Blob.concatTemp(dirs, chosen.map((row) => row.blob))
        // The upload's rows go in the same transaction as the object's: either the object exists
        // and the upload is gone, or neither changed.
        const finish = Effect.gen(function*() {
          yield* requireUpload
          const partBlobs = yield* sql<{ blob: string }>`SELECT blob FROM parts WHERE upload_id = ${uploadId}`
          yield* sql`DELETE FROM parts WHERE upload_id = ${uploadId}`
          yield* sql`DELETE FROM uploads WHERE upload_id = ${uploadId}`
          return partBlobs.map((p) => p.blob)
        })
        return yield* commitObject(store, bucket, key, keyBuffer, assembled.tempPath, assembled.size, etag, {
          contentType: upload.content_type ?? undefined,
          headers: JSON.parse(upload.headers) as Record<string, string>,
          metadata: JSON.parse(upload.metadata) as Record<string, string>
        }, finish)
      }),

    abortMultipartUpload: (bucket, key, uploadId) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const removed = yield* transaction(Effect.gen(function*() {
          yield* requireUploadOf(bucket, key, keyBuffer, uploadId)
          const partBlobs = yield* sql<{ blob: string }>`SELECT blob FROM parts WHERE upload_id = ${uploadId}`
          yield* sql`DELETE FROM parts WHERE upload_id = ${uploadId}`
          yield* sql`DELETE FROM uploads WHERE upload_id = ${uploadId}`
          return partBlobs.map((p) => p.blob)
        }))
        yield* removeBlobs(removed)
      }),

    listParts: (bucket, key, uploadId, { maxParts, partNumberMarker }) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const upload = yield* db(requireUploadOf(bucket, key, keyBuffer, uploadId))
        // One row more than asked tells whether the page is truncated.
        const rows = yield* db(sql<PartRow>`SELECT part_number, size, md5, blob, last_modified FROM parts
          WHERE upload_id = ${uploadId} AND part_number > ${partNumberMarker}
          ORDER BY part_number LIMIT ${maxParts + 1}`)
        const page = rows.slice(0, maxParts)
        return {
          parts: page.map((r) => ({
            partNumber: r.part_number,
            etag: `"${r.md5}"`,
            size: r.size,
            lastModified: new Date(r.last_modified ?? upload.initiated)
          })),
          isTruncated: rows.length > maxParts,
          nextPartNumberMarker: page.length === 0 ? undefined : page[page.length - 1]!.part_number
        }
      }),

    listMultipartUploads: (bucket, { keyMarker, maxUploads, prefix, uploadIdMarker }) =>
      Effect.gen(function*() {
        yield* db(requireBucket(bucket))
        const low = Order.utf8(prefix)
        const high = Order.pastPrefix(low)
        const marker = keyMarker === undefined ? undefined : Order.utf8(keyMarker)
        const markerUpload = marker === undefined || uploadIdMarker === undefined
          ? undefined
          : (yield* db(sql<UploadRow>`SELECT * FROM uploads WHERE upload_id = ${uploadIdMarker}`))[0]
        const rows = yield* db(sql<UploadRow>`SELECT * FROM uploads WHERE bucket = ${bucket} AND key >= ${low}
          AND key < ${high}
          ${
          marker === undefined
            ? sql``
            : markerUpload === undefined || !marker.equals(Buffer.from(markerUpload.key))
            ? sql`AND key > ${marker}`
            : sql`AND (key > ${marker} OR (key = ${marker} AND (initiated > ${markerUpload.initiated}
                OR (initiated = ${markerUpload.initiated} AND upload_id > ${markerUpload.upload_id}))))`
        }
          ORDER BY key, initiated, upload_id LIMIT ${maxUploads + 1}`)
        return {
          uploads: rows.slice(0, maxUploads).map((r) => ({
            key: Order.fromUtf8(r.key),
            uploadId: r.upload_id,
            initiated: new Date(r.initiated)
          })),
          isTruncated: rows.length > maxUploads
        }
      })
  }
}
