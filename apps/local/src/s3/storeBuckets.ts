/**
 * The bucket operations of `S3Store`: create, head, list and delete. Deleting a bucket aborts its
 * multipart uploads with it, in the same transaction.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { S3Errors } from "./S3Error.js"
import { checkBucketName } from "./s3Names.js"
import type { S3Store } from "./S3Store.js"
import type { OpenStore } from "./storeMetadata.js"

/** The bucket operations over an open store. */
export const make = (
  store: OpenStore
): Pick<S3Store, "createBucket" | "headBucket" | "listBuckets" | "deleteBucket"> => {
  const { bucketExists, db, removeBlobs, requireBucket, sql, transaction } = store
  return {
    createBucket: (bucket) =>
      checkBucketName(bucket).pipe(
        Effect.zipRight(Clock.currentTimeMillis),
        Effect.flatMap((now) =>
          transaction(Effect.gen(function*() {
            if (yield* bucketExists(bucket)) return yield* Effect.fail(S3Errors.bucketAlreadyOwnedByYou(bucket))
            yield* sql`INSERT INTO buckets (name, created_at) VALUES (${bucket}, ${now})`
          }))
        )
      ),

    headBucket: (bucket) => db(requireBucket(bucket)),

    listBuckets: db(sql<{ name: string; created_at: number }>`SELECT name, created_at FROM buckets ORDER BY name`).pipe(
      Effect.map((rows) => rows.map((r) => ({ name: r.name, creationDate: new Date(r.created_at) })))
    ),

    deleteBucket: (bucket) =>
      transaction(Effect.gen(function*() {
        yield* requireBucket(bucket)
        const any = yield* sql`SELECT 1 AS one FROM objects WHERE bucket = ${bucket} LIMIT 1`
        if (any.length > 0) return yield* Effect.fail(S3Errors.bucketNotEmpty(bucket))
        const parts = yield* sql<{ blob: string }>`SELECT p.blob FROM parts p JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket = ${bucket}`
        yield* sql`DELETE FROM parts WHERE upload_id IN (SELECT upload_id FROM uploads WHERE bucket = ${bucket})`
        yield* sql`DELETE FROM uploads WHERE bucket = ${bucket}`
        yield* sql`DELETE FROM buckets WHERE name = ${bucket}`
        return parts.map((p) => p.blob)
      })).pipe(Effect.flatMap(removeBlobs))
  }
}
