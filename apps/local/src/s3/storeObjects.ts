/**
 * The object operations of `S3Store`: put (from a stream, a file, or several files at once), head,
 * get, random access and delete. A body is written to a temp file, checked, published as a blob,
 * and only then named by a row, in a transaction that also releases the blob it replaced.
 *
 * @internal
 */
import type { SqlError } from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Fs from "node:fs/promises"
import * as Blob from "./blobFiles.js"
import { resolveRange } from "./ByteRange.js"
import { decodeMd5 } from "./s3Checksum.js"
import { S3Errors, type S3Error } from "./S3Error.js"
import { keyBytes } from "./s3Names.js"
import type { ObjectInfo, PutOptions, RandomAccess, S3Store } from "./S3Store.js"
import { type ObjectRow, type OpenStore, toInfo } from "./storeMetadata.js"

/** Checks a written body against the announced length and MD5; removes it when it fails. */
export const checkWritten = (
  bucket: string,
  key: string,
  written: Blob.Written,
  expected: { readonly md5: Buffer | undefined; readonly length: number | undefined }
): Effect.Effect<Blob.Written, S3Error> => {
  const problem = expected.length !== undefined && written.size !== expected.length
    ? S3Errors.incompleteBody(bucket, key)
    : expected.md5 !== undefined && !expected.md5.equals(written.md5)
    ? S3Errors.badDigest(bucket, key)
    : undefined
  return problem === undefined
    ? Effect.succeed(written)
    : Effect.zipRight(Blob.removeFile(written.tempPath), Effect.fail(problem))
}

/**
 * Publishes a checked temp file and makes it the object, atomically; removes what it replaced.
 * `extra` runs in the same transaction and names more blobs to release (a completed upload's parts).
 */
export const commitObject = (
  store: OpenStore,
  bucket: string,
  key: string,
  keyBuffer: Buffer,
  tempPath: string,
  size: number,
  etag: string,
  put: Omit<PutOptions, "contentMd5" | "contentLength">,
  extra: Effect.Effect<ReadonlyArray<string>, S3Error | SqlError> = Effect.succeed([])
): Effect.Effect<ObjectInfo, S3Error> =>
  Effect.gen(function*() {
    const { dirs, objectRow, removeBlobs, requireBucket, sql, transaction } = store
    const blob = yield* Effect.onError(Blob.publish(dirs, tempPath), () => Blob.removeFile(tempPath))
    const now = yield* Clock.currentTimeMillis
    const row: ObjectRow = {
      bucket,
      key: keyBuffer,
      size,
      etag,
      content_type: put.contentType ?? null,
      headers: JSON.stringify((typeof put.headers === "function" ? put.headers() : put.headers) ?? {}),
      metadata: JSON.stringify(put.metadata ?? {}),
      last_modified: now,
      blob
    }
    const replaced = yield* transaction(Effect.gen(function*() {
      yield* requireBucket(bucket)
      const old = yield* objectRow(bucket, keyBuffer)
      const released = yield* extra
      yield* sql`INSERT OR REPLACE INTO objects ${sql.insert({ ...row })}`
      return Option.match(old, { onNone: () => released, onSome: (o) => [...released, o.blob] })
    })).pipe(Effect.onError(() => removeBlobs([blob])))
    yield* removeBlobs(replaced)
    return toInfo(row)
  }).pipe(Effect.annotateLogs({ bucket, key }))

/**
 * Opens the blob of an object's current row for the scope. The blob of a row read here may be
 * removed by a concurrent replace before it is opened: then the row is read again. Once open, the
 * bytes stay readable even if the blob is removed. `check` sees each row before its blob is opened.
 */
const openCurrent = <A>(
  store: OpenStore,
  bucket: string,
  key: string,
  keyBuffer: Buffer,
  check: (row: ObjectRow) => Effect.Effect<A, S3Error>
): Effect.Effect<{ readonly row: ObjectRow; readonly checked: A; readonly handle: Fs.FileHandle }, S3Error, Scope.Scope> =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = yield* store.db(store.objectRow(bucket, keyBuffer))
      if (Option.isNone(row)) return yield* Effect.fail(S3Errors.noSuchKey(bucket, key))
      const checked = yield* check(row.value)
      const opened = yield* Effect.acquireRelease(
        Blob.openBlob(store.dirs, row.value.blob),
        (handle) => Option.match(handle, { onNone: () => Effect.void, onSome: (h) => Effect.promise(() => h.close()) })
      )
      if (Option.isNone(opened)) continue
      return { row: row.value, checked, handle: opened.value }
    }
    return yield* Effect.fail(S3Errors.internal(`the object ${key} keeps changing; try again`))
  })

/** The object operations over an open store. */
export const make = (
  store: OpenStore
): Pick<
  S3Store,
  | "putObject"
  | "putFile"
  | "putFiles"
  | "tempFile"
  | "headObject"
  | "getObject"
  | "readRange"
  | "randomAccess"
  | "copyToFile"
  | "deleteObject"
> => {
  const { db, dirs, maxObjectSize, objectRow, removeBlobs, requireBucket, sql, tooLarge, transaction } = store
  const objects: ReturnType<typeof make> = {
    putObject: (bucket, key, body, put = {}) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        if (put.contentLength !== undefined && put.contentLength > maxObjectSize) {
          return yield* Effect.fail(tooLarge(bucket, key)())
        }
        const md5 = yield* decodeMd5(bucket, key, put.contentMd5)
        const written = yield* Blob.writeTemp(dirs, body, { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, key) })
        yield* checkWritten(bucket, key, written, { md5, length: put.contentLength })
        return yield* commitObject(store, bucket, key, keyBuffer, written.tempPath, written.size, `"${written.md5.toString("hex")}"`, put)
      }),

    putFile: (bucket, key, path, put = {}) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const { md5, size } = yield* Blob.hashFile(dirs, path, { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, key) })
        return yield* commitObject(store, bucket, key, keyBuffer, path, size, `"${md5.toString("hex")}"`, put)
      }),

    putFiles: (bucket, files) =>
      Effect.gen(function*() {
        yield* db(requireBucket(bucket))
        const rows: Array<ObjectRow & { readonly key: Buffer }> = []
        const published: Array<string> = []
        const prepare = Effect.gen(function*() {
          for (const file of files) {
            const keyBuffer = Buffer.from(yield* keyBytes(bucket, file.key))
            const limits = { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, file.key) }
            const { md5, size } = file.written !== undefined && (yield* Blob.syncFile(dirs, file.path, limits)) === file.written.size
              ? { md5: Buffer.from(file.written.md5), size: file.written.size }
              : yield* Blob.hashFile(dirs, file.path, limits)
            const blob = yield* Blob.publish(dirs, file.path)
            published.push(blob)
            rows.push({
              bucket,
              key: keyBuffer,
              size,
              etag: `"${md5.toString("hex")}"`,
              content_type: file.contentType ?? null,
              headers: "{}",
              metadata: "{}",
              last_modified: yield* Clock.currentTimeMillis,
              blob
            })
          }
        })
        // Blobs are invisible until their rows exist: on any failure, drop the ones published so far.
        yield* Effect.onError(prepare, () => removeBlobs(published))
        const replaced = yield* transaction(Effect.gen(function*() {
          yield* requireBucket(bucket)
          const old: Array<string> = []
          for (const row of rows) {
            const previous = yield* objectRow(bucket, row.key)
            if (Option.isSome(previous)) old.push(previous.value.blob)
            yield* sql`INSERT OR REPLACE INTO objects ${sql.insert({ ...row })}`
          }
          return old
        })).pipe(Effect.onError(() => removeBlobs(published)))
        yield* removeBlobs(replaced)
        return rows.map(toInfo)
      }).pipe(Effect.annotateLogs({ bucket })),

    tempFile: Effect.acquireRelease(Effect.sync(() => Blob.tempPath(dirs)), Blob.removeFile),

    headObject: (bucket, key) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const row = yield* db(objectRow(bucket, keyBuffer))
        if (Option.isNone(row)) return yield* Effect.fail(S3Errors.noSuchKey(bucket, key))
        return toInfo(row.value)
      }),

    getObject: (bucket, key, range) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const { checked: { info, resolved }, handle } = yield* openCurrent(store, bucket, key, keyBuffer, (row) => {
          const info = toInfo(row)
          const resolved = range === undefined ? undefined : resolveRange(range, info.size)
          return resolved === "unsatisfiable"
            ? Effect.fail(S3Errors.invalidRange(bucket, key, info.size))
            : Effect.succeed({ info, resolved })
        })
        const start = resolved?.start ?? 0
        const end = resolved === undefined ? info.size : resolved.end + 1
        return { info, range: resolved, body: Blob.streamAt(handle, start, end) }
      }),

    readRange: (bucket, key, start, end) =>
      Effect.scoped(
        Effect.flatMap(objects.randomAccess(bucket, key), (access) =>
          Effect.tryPromise({
            try: () => access.slice(start, end).then((buffer) => new Uint8Array(buffer)),
            catch: (cause) => S3Errors.internal(`cannot read ${key}: ${String(cause)}`)
          }))
      ),

    randomAccess: (bucket, key) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const { handle, row } = yield* openCurrent(store, bucket, key, keyBuffer, () => Effect.void)
        const byteLength = row.size
        const access: RandomAccess = {
          byteLength,
          slice: (start, end = byteLength) => {
            const from = Math.min(Math.max(0, start), byteLength)
            const to = Math.min(Math.max(from, end), byteLength)
            return Blob.readAt(handle, from, to).then((bytes) => bytes.buffer as ArrayBuffer)
          },
          readInto: (start, target) => {
            if (start < 0 || start + target.length > byteLength) {
              return Promise.reject(new Error(`bytes ${start}-${start + target.length} are outside the object (${byteLength} bytes)`))
            }
            return Blob.readInto(handle, start, target)
          }
        }
        return access
      }),

    copyToFile: (bucket, key, path) =>
      Effect.scoped(Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        yield* db(requireBucket(bucket))
        const { handle, row } = yield* openCurrent(store, bucket, key, keyBuffer, () => Effect.void)
        return yield* Effect.tryPromise({
          try: () => Blob.copyBlobTo(dirs, row.blob, handle, row.size, path),
          catch: (cause) => S3Errors.internal(`cannot copy ${key} to ${path}: ${String(cause)}`)
        })
      })),

    deleteObject: (bucket, key) =>
      Effect.gen(function*() {
        const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
        const removed = yield* transaction(Effect.gen(function*() {
          yield* requireBucket(bucket)
          const old = yield* objectRow(bucket, keyBuffer)
          if (Option.isNone(old)) return []
          yield* sql`DELETE FROM objects WHERE bucket = ${bucket} AND key = ${keyBuffer}`
          return [old.value.blob]
        }))
        yield* removeBlobs(removed)
      })
  }
  return objects
}
