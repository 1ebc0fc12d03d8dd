/**
 * The durable object store behind the S3 subset. Bodies live in `<dataDir>/s3/blobs/<random id>`
 * (written to a temp file, fsynced, renamed: no partial body is ever visible); metadata — buckets,
 * objects, multipart uploads and their parts — lives in SQLite (`<dataDir>/s3/meta.sqlite`, WAL).
 * Object keys are only ever data in SQLite, never file paths, so no key can reach outside the
 * data directory. Replacing an object publishes the new blob, swaps the row in a transaction, then
 * removes the old blob; blobs orphaned by a crash in between are removed at start-up.
 *
 * One store per data directory: the store holds `<dataDir>/s3` with a kernel-held lock
 * (`DirLock`), so a second store on it is refused while the first lives, and a crashed owner's
 * lock is gone with its process.
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import { createHash, randomBytes } from "node:crypto"
import * as Path from "node:path"
import * as DirLock from "../DirLock.js"
import * as Blob from "./blobFiles.js"
import { type ByteRangeSpec, type ResolvedRange, resolveRange } from "./ByteRange.js"
import * as Order from "./keyOrder.js"
import { S3Error, S3Errors } from "./S3Error.js"
import { decodeMd5 } from "./s3Checksum.js"
import { checkBucketName, keyBytes } from "./s3Names.js"

/** How the store is set up. */
export interface S3StoreOptions {
  /** The data directory; the store uses `<dataDir>/s3`. */
  readonly dataDir: string
  /** The largest object (and part) accepted, in bytes. Default 5 GiB. */
  readonly maxObjectSize?: number | undefined
  /** The smallest size of every part but the last of a multipart upload. Default 5 MiB (S3's). */
  readonly minPartSize?: number | undefined
  /**
   * Fsync bodies and the blob directory before publishing (default true). Without it the store
   * still survives a killed process (the OS has the bytes), but not a power cut; for tests.
   */
  readonly fsync?: boolean | undefined
}

/** A bucket, as ListBuckets shows it. */
export interface BucketInfo {
  readonly name: string
  readonly creationDate: Date
}

/** An object's metadata. */
export interface ObjectInfo {
  readonly bucket: string
  readonly key: string
  readonly size: number
  /** The ETag, quoted, as S3 sends it: `"<hex md5>"` or `"<hex md5 of part md5s>-<parts>"`. */
  readonly etag: string
  readonly lastModified: Date
  readonly contentType: string | undefined
  /** User metadata (`x-amz-meta-*`), names lowercase, without the prefix. */
  readonly metadata: Readonly<Record<string, string>>
  /** Other stored response headers (content-encoding, content-disposition, cache-control, …), lowercase names. */
  readonly headers: Readonly<Record<string, string>>
}

/** What to store with an object. */
export interface PutOptions {
  readonly contentType?: string | undefined
  readonly metadata?: Readonly<Record<string, string>> | undefined
  /**
   * Response headers to keep with the object (lowercase names). A function is called once the body
   * has been read, for headers that depend on it (e.g. a checksum computed while it streamed).
   */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>) | undefined
  /** The `Content-MD5` header (base64 MD5); the body must match it. */
  readonly contentMd5?: string | undefined
  /** The size announced by the client; the body must have exactly this many bytes. */
  readonly contentLength?: number | undefined
}

/** What UploadPart checks. */
export interface PartOptions {
  readonly contentMd5?: string | undefined
  readonly contentLength?: number | undefined
}

/** ListObjects(V2) parameters. */
export interface ListOptions {
  readonly prefix?: string | undefined
  readonly delimiter?: string | undefined
  /** At most 1000 (the default). */
  readonly maxKeys?: number | undefined
  readonly continuationToken?: string | undefined
  /** List keys after this one (also ListObjects V1's `marker`). */
  readonly startAfter?: string | undefined
}

/** One page of a listing. */
export interface ListPage {
  readonly contents: ReadonlyArray<ObjectInfo>
  readonly commonPrefixes: ReadonlyArray<string>
  readonly isTruncated: boolean
  /** Present when truncated: pass it back as `continuationToken`. */
  readonly nextContinuationToken: string | undefined
  /** The last key or common prefix of this page (ListObjects V1's `NextMarker`). */
  readonly lastEntry: string | undefined
}

/** A readable object: its metadata, the span sent (when a range was asked), and its bytes. */
export interface GetResult {
  readonly info: ObjectInfo
  readonly range: ResolvedRange | undefined
  /** The bytes of the object (or of the range). Valid while the scope of `getObject` is open. */
  readonly body: Stream.Stream<Uint8Array, S3Error>
}

/** Random access to one object, shaped like hyparquet's `AsyncBuffer`. */
export interface RandomAccess {
  readonly byteLength: number
  /** The bytes `[start, end)`; `end` defaults to the end of the object. */
  readonly slice: (start: number, end?: number) => Promise<ArrayBuffer>
  /** The bytes `[start, start + target.length)` into `target` (see `ByteSource.readInto`). */
  readonly readInto: (start: number, target: Uint8Array) => Promise<void>
}

/** A part named in CompleteMultipartUpload. */
export interface CompletedPart {
  readonly partNumber: number
  readonly etag: string
}

/** One part of an upload in progress, as ListParts shows it. */
export interface PartInfo {
  readonly partNumber: number
  /** Quoted, as UploadPart returned it. */
  readonly etag: string
  readonly size: number
  readonly lastModified: Date
}

/** A page of ListParts: parts above `partNumberMarker`, in order. */
export interface PartsPage {
  readonly parts: ReadonlyArray<PartInfo>
  readonly isTruncated: boolean
  /** The last part number of this page (what to pass as the next marker). */
  readonly nextPartNumberMarker: number | undefined
}

/** An upload in progress, as ListMultipartUploads shows it. */
export interface UploadInfo {
  readonly key: string
  readonly uploadId: string
  readonly initiated: Date
}

/** A page of ListMultipartUploads, by key (UTF-8 byte order), then by initiation. */
export interface UploadsPage {
  readonly uploads: ReadonlyArray<UploadInfo>
  readonly isTruncated: boolean
}

/** The object store. */
export interface S3Store {
  /**
   * Creates a bucket; `BucketAlreadyOwnedByYou` (409) if it exists — what S3 answers in every
   * region but us-east-1 (which answers 200), chosen so a caller learns the bucket was already there.
   */
  readonly createBucket: (bucket: string) => Effect.Effect<void, S3Error>
  /** Succeeds when the bucket exists; `NoSuchBucket` otherwise. */
  readonly headBucket: (bucket: string) => Effect.Effect<void, S3Error>
  /** All buckets, by name. */
  readonly listBuckets: Effect.Effect<ReadonlyArray<BucketInfo>, S3Error>
  /** Deletes an empty bucket (aborting its multipart uploads); `BucketNotEmpty` if it holds objects. */
  readonly deleteBucket: (bucket: string) => Effect.Effect<void, S3Error>
  /** Stores an object from a byte stream, replacing any object of that key atomically. */
  readonly putObject: (
    bucket: string,
    key: string,
    body: Stream.Stream<Uint8Array, S3Error>,
    options?: PutOptions
  ) => Effect.Effect<ObjectInfo, S3Error>
  /**
   * Publishes a file written elsewhere as an object (moved, not copied, when on the same file
   * system: write it under `tempFile` for that). The file is gone afterwards.
   */
  readonly putFile: (
    bucket: string,
    key: string,
    path: string,
    options?: Omit<PutOptions, "contentMd5" | "contentLength">
  ) => Effect.Effect<ObjectInfo, S3Error>
  /**
   * Publishes several files as objects of one bucket all at once: either every object appears (one
   * transaction) or none does. For outputs that must never be seen half-written (a job's results).
   */
  readonly putFiles: (
    bucket: string,
    files: ReadonlyArray<{ readonly key: string; readonly path: string; readonly contentType?: string | undefined }>
  ) => Effect.Effect<ReadonlyArray<ObjectInfo>, S3Error>
  /** A fresh path inside the store's temp directory, removed with the scope unless published. */
  readonly tempFile: Effect.Effect<string, never, Scope.Scope>
  /** An object's metadata; `NoSuchKey` if absent. */
  readonly headObject: (bucket: string, key: string) => Effect.Effect<ObjectInfo, S3Error>
  /** An object's bytes (or a range of them; `InvalidRange` if unsatisfiable), readable within the scope. */
  readonly getObject: (
    bucket: string,
    key: string,
    range?: ByteRangeSpec
  ) => Effect.Effect<GetResult, S3Error, Scope.Scope>
  /** The bytes `[start, end)` of an object (clamped to its size). */
  readonly readRange: (bucket: string, key: string, start: number, end: number) => Effect.Effect<Uint8Array, S3Error>
  /** Random access to an object for the scope (e.g. for reading Parquet footers and row groups). */
  readonly randomAccess: (bucket: string, key: string) => Effect.Effect<RandomAccess, S3Error, Scope.Scope>
  /** Deletes an object; deleting a missing key succeeds. */
  readonly deleteObject: (bucket: string, key: string) => Effect.Effect<void, S3Error>
  /** One page of a listing, keys in UTF-8 byte order. */
  readonly listObjects: (bucket: string, options?: ListOptions) => Effect.Effect<ListPage, S3Error>
  /** Every key with a prefix, in order (for in-process use, no paging). */
  readonly listKeys: (bucket: string, prefix?: string) => Effect.Effect<ReadonlyArray<string>, S3Error>
  /** Starts a multipart upload; returns its upload id. */
  readonly createMultipartUpload: (
    bucket: string,
    key: string,
    options?: Omit<PutOptions, "contentMd5" | "contentLength">
  ) => Effect.Effect<string, S3Error>
  /** Stores one part (1–10000), replacing an earlier upload of the same number; returns its quoted ETag. */
  readonly uploadPart: (
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Stream.Stream<Uint8Array, S3Error>,
    options?: PartOptions
  ) => Effect.Effect<string, S3Error>
  /** Assembles the listed parts into the object, atomically. */
  readonly completeMultipartUpload: (
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<CompletedPart>
  ) => Effect.Effect<ObjectInfo, S3Error>
  /** Drops an upload and its parts. */
  readonly abortMultipartUpload: (bucket: string, key: string, uploadId: string) => Effect.Effect<void, S3Error>
  /** The parts uploaded so far, after `partNumberMarker`, at most `maxParts`; `NoSuchUpload` if unknown. */
  readonly listParts: (
    bucket: string,
    key: string,
    uploadId: string,
    options: { readonly maxParts: number; readonly partNumberMarker: number }
  ) => Effect.Effect<PartsPage, S3Error>
  /**
   * Uploads in progress whose key starts with `prefix`, after (`keyMarker`, `uploadIdMarker`)
   * (S3's markers: with no upload id marker, every upload of `keyMarker` is skipped), at most `maxUploads`.
   */
  readonly listMultipartUploads: (
    bucket: string,
    options: {
      readonly prefix: string
      readonly keyMarker: string | undefined
      readonly uploadIdMarker: string | undefined
      readonly maxUploads: number
    }
  ) => Effect.Effect<UploadsPage, S3Error>
}

/** The `S3Store` service tag. */
export const S3Store: Context.Tag<S3Store, S3Store> = Context.GenericTag<S3Store>("@geojobs/local/S3Store")

/** 5 GiB: S3's largest single PUT, used as the default object size limit. */
export const DEFAULT_MAX_OBJECT_SIZE = 5 * 1024 * 1024 * 1024
/** 5 MiB: S3's smallest non-last multipart part. */
export const DEFAULT_MIN_PART_SIZE = 5 * 1024 * 1024
const MAX_LIST_KEYS = 1000
const MAX_PART_NUMBER = 10000

interface ObjectRow {
  readonly bucket: string
  readonly key: Uint8Array
  readonly size: number
  readonly etag: string
  readonly content_type: string | null
  readonly headers: string
  readonly metadata: string
  readonly last_modified: number
  readonly blob: string
}

interface UploadRow {
  readonly upload_id: string
  readonly bucket: string
  readonly key: Uint8Array
  readonly content_type: string | null
  readonly headers: string
  readonly metadata: string
  readonly initiated: number
}

interface PartRow {
  readonly last_modified?: number | null
  readonly part_number: number
  readonly size: number
  readonly md5: string
  readonly blob: string
}

const toInfo = (row: ObjectRow): ObjectInfo => ({
  bucket: row.bucket,
  key: Order.fromUtf8(row.key),
  size: row.size,
  etag: row.etag,
  lastModified: new Date(row.last_modified),
  contentType: row.content_type ?? undefined,
  metadata: JSON.parse(row.metadata) as Record<string, string>,
  headers: JSON.parse(row.headers) as Record<string, string>
})

const unquote = (etag: string): string => etag.trim().replace(/^"(.*)"$/, "$1").toLowerCase()

const sqlFailure = (error: SqlError): S3Error => S3Errors.internal(`metadata store: ${error.message}`)

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY NOT NULL, created_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL, key BLOB NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
    content_type TEXT, headers TEXT NOT NULL, metadata TEXT NOT NULL, last_modified INTEGER NOT NULL,
    blob TEXT NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY NOT NULL, bucket TEXT NOT NULL, key BLOB NOT NULL, content_type TEXT,
    headers TEXT NOT NULL, metadata TEXT NOT NULL, initiated INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS parts (
    upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL, md5 TEXT NOT NULL,
    blob TEXT NOT NULL, PRIMARY KEY (upload_id, part_number)) WITHOUT ROWID`
]

/**
 * Opens (creating if needed) the store in `options.dataDir`: takes its lock, runs the schema, removes leftover temp
 * files and blobs no row refers to (what a crash can leave), and returns the store. The SQLite
 * connection is private to the store and closed with the scope.
 */
export const make = (options: S3StoreOptions): Effect.Effect<S3Store, S3Error, Scope.Scope> =>
  Effect.gen(function*() {
    const dirs = Blob.blobDirs(options.dataDir, options.fsync ?? true)
    const maxObjectSize = options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE
    const minPartSize = options.minPartSize ?? DEFAULT_MIN_PART_SIZE
    yield* Blob.ensureDirs(dirs)
    yield* DirLock.lock(dirs.root, { app: "an object store", what: "object store directory" }).pipe(
      Effect.mapError((e) => S3Errors.internal(e.message))
    )
    const sql = yield* SqliteClient.make({ filename: Path.join(dirs.root, "meta.sqlite") }).pipe(
      Effect.provide(Reactivity.layer)
    )
    const db = <A>(effect: Effect.Effect<A, S3Error | SqlError>): Effect.Effect<A, S3Error> =>
      Effect.mapError(effect, (e) => (e instanceof S3Error ? e : sqlFailure(e)))
    /** Runs `effect` in one SQLite transaction. */
    const transaction = <A>(effect: Effect.Effect<A, S3Error | SqlError>): Effect.Effect<A, S3Error> =>
      sql.withTransaction(effect).pipe(Effect.mapError((e) => (e instanceof S3Error ? e : sqlFailure(e))))

    yield* db(sql.unsafe("PRAGMA synchronous = NORMAL"))
    for (const statement of SCHEMA) yield* db(sql.unsafe(statement))
    // Added for ListParts; stores made before it have no such column (their parts show the upload's start).
    const partColumns = yield* db(sql<{ name: string }>`SELECT name FROM pragma_table_info('parts')`)
    if (!partColumns.some((c) => c.name === "last_modified")) {
      yield* db(sql.unsafe("ALTER TABLE parts ADD COLUMN last_modified INTEGER"))
    }

    // Crash recovery: nothing in tmp/ was ever published, and a blob no row names is an orphan.
    for (const name of yield* Blob.listDir(dirs.tmp)) yield* Blob.removeFile(Path.join(dirs.tmp, name))
    const referenced = new Set(
      (yield* db(sql<{ blob: string }>`SELECT blob FROM objects UNION SELECT blob FROM parts`)).map((r) => r.blob)
    )
    for (const name of yield* Blob.listDir(dirs.blobs)) {
      if (!referenced.has(name)) yield* Blob.removeFile(Blob.blobPath(dirs, name))
    }

    const removeBlobs = (names: ReadonlyArray<string>) =>
      Effect.forEach(names, (name) => Blob.removeFile(Blob.blobPath(dirs, name)), { discard: true })

    const bucketExists = (bucket: string) =>
      sql<{ name: string }>`SELECT name FROM buckets WHERE name = ${bucket}`.pipe(Effect.map((rows) => rows.length > 0))

    const requireBucket = (bucket: string): Effect.Effect<void, S3Error | SqlError> =>
      Effect.flatMap(bucketExists(bucket), (exists) => (exists ? Effect.void : Effect.fail(S3Errors.noSuchBucket(bucket))))

    const objectRow = (bucket: string, key: Buffer) =>
      sql<ObjectRow>`SELECT * FROM objects WHERE bucket = ${bucket} AND key = ${key}`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]))
      )

    const tooLarge = (bucket: string, key: string) => () => S3Errors.entityTooLarge(bucket, key, maxObjectSize)

    /** Checks a written body against the announced length and MD5; removes it when it fails. */
    const checkWritten = (
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

    /** Publishes a checked temp file and makes it the object, atomically; removes what it replaced. */
    const commitObject = (
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

    const store: Omit<S3Store, "listParts" | "listMultipartUploads"> = {
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
        })).pipe(Effect.flatMap(removeBlobs)),

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
          return yield* commitObject(bucket, key, keyBuffer, written.tempPath, written.size, `"${written.md5.toString("hex")}"`, put)
        }),

      putFile: (bucket, key, path, put = {}) =>
        Effect.gen(function*() {
          const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
          yield* db(requireBucket(bucket))
          const { md5, size } = yield* Blob.hashFile(dirs, path, { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, key) })
          return yield* commitObject(bucket, key, keyBuffer, path, size, `"${md5.toString("hex")}"`, put)
        }),

      putFiles: (bucket, files) =>
        Effect.gen(function*() {
          yield* db(requireBucket(bucket))
          const rows: Array<ObjectRow & { readonly key: Buffer }> = []
          const published: Array<string> = []
          const prepare = Effect.gen(function*() {
            for (const file of files) {
              const keyBuffer = Buffer.from(yield* keyBytes(bucket, file.key))
              const { md5, size } = yield* Blob.hashFile(dirs, file.path, { maxBytes: maxObjectSize, tooLarge: tooLarge(bucket, file.key) })
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
          // The blob of a row read here may be removed by a concurrent replace before it is opened:
          // then read the row again. Once open, the bytes stay readable even if the blob is removed.
          for (let attempt = 0; attempt < 8; attempt++) {
            const row = yield* db(objectRow(bucket, keyBuffer))
            if (Option.isNone(row)) return yield* Effect.fail(S3Errors.noSuchKey(bucket, key))
            const info = toInfo(row.value)
            const resolved = range === undefined ? undefined : resolveRange(range, info.size)
            if (resolved === "unsatisfiable") return yield* Effect.fail(S3Errors.invalidRange(bucket, key, info.size))
            const opened = yield* Effect.acquireRelease(
              Blob.openBlob(dirs, row.value.blob),
              (handle) => Option.match(handle, { onNone: () => Effect.void, onSome: (h) => Effect.promise(() => h.close()) })
            )
            if (Option.isNone(opened)) continue
            const start = resolved?.start ?? 0
            const end = resolved === undefined ? info.size : resolved.end + 1
            return { info, range: resolved, body: Blob.streamAt(opened.value, start, end) }
          }
          return yield* Effect.fail(S3Errors.internal(`the object ${key} keeps changing; try again`))
        }),

      readRange: (bucket, key, start, end) =>
        Effect.scoped(
          Effect.flatMap(store.randomAccess(bucket, key), (access) =>
            Effect.tryPromise({
              try: () => access.slice(start, end).then((buffer) => new Uint8Array(buffer)),
              catch: (cause) => S3Errors.internal(`cannot read ${key}: ${String(cause)}`)
            }))
        ),

      randomAccess: (bucket, key) =>
        Effect.gen(function*() {
          const keyBuffer = Buffer.from(yield* keyBytes(bucket, key))
          yield* db(requireBucket(bucket))
          for (let attempt = 0; attempt < 8; attempt++) {
            const row = yield* db(objectRow(bucket, keyBuffer))
            if (Option.isNone(row)) return yield* Effect.fail(S3Errors.noSuchKey(bucket, key))
            const opened = yield* Effect.acquireRelease(
              Blob.openBlob(dirs, row.value.blob),
              (handle) => Option.match(handle, { onNone: () => Effect.void, onSome: (h) => Effect.promise(() => h.close()) })
            )
            if (Option.isNone(opened)) continue
            const handle = opened.value
            const byteLength = row.value.size
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
          }
          return yield* Effect.fail(S3Errors.internal(`the object ${key} keeps changing; try again`))
        }),

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
        }),

      listObjects: (bucket, list = {}) =>
        Effect.gen(function*() {
          yield* db(requireBucket(bucket))
          const maxKeys = Math.min(Math.max(0, list.maxKeys ?? MAX_LIST_KEYS), MAX_LIST_KEYS)
          const prefix = Order.utf8(list.prefix ?? "")
          const delimiter = Order.utf8(list.delimiter ?? "")
          const end = prefix.length === 0 ? undefined : Order.pastPrefix(prefix)
          /** The common prefix `key` rolls up into, if any. */
          const rollUp = (key: Buffer): Buffer | undefined => {
            if (delimiter.length === 0 || !Order.startsWith(key, prefix)) return undefined
            const at = Order.indexOf(key, delimiter, prefix.length)
            return at < 0 ? undefined : key.subarray(0, at + delimiter.length)
          }
          let cursor = prefix
          if (list.continuationToken !== undefined) {
            const bound = Order.decodeToken(list.continuationToken)
            if (bound === undefined) {
              return yield* Effect.fail(S3Errors.invalidArgument("The continuation token provided is incorrect", { bucket }))
            }
            cursor = Order.max(cursor, bound)
          } else if (list.startAfter !== undefined && list.startAfter !== "") {
            const startAfter = Order.utf8(list.startAfter)
            const group = rollUp(startAfter)
            cursor = Order.max(cursor, group === undefined ? Order.after(startAfter) : Order.pastPrefix(group))
          }

          type Entry = { readonly _tag: "Object"; readonly row: ObjectRow } | { readonly _tag: "Prefix"; readonly prefix: Buffer }
          const entries: Array<Entry> = []
          let exhausted = false
          while (!exhausted && entries.length <= maxKeys) {
            const want = maxKeys + 1 - entries.length
            const rows = yield* db(
              end === undefined
                ? sql<ObjectRow>`SELECT * FROM objects WHERE bucket = ${bucket} AND key >= ${cursor} ORDER BY key LIMIT ${want}`
                : sql<ObjectRow>`SELECT * FROM objects WHERE bucket = ${bucket} AND key >= ${cursor} AND key < ${end} ORDER BY key LIMIT ${want}`
            )
            if (rows.length < want) exhausted = true
            for (const row of rows) {
              const key = Buffer.from(row.key)
              const group = rollUp(key)
              if (group === undefined) {
                entries.push({ _tag: "Object", row })
                cursor = Order.after(key)
              } else {
                entries.push({ _tag: "Prefix", prefix: group })
                cursor = Order.pastPrefix(group)
                exhausted = false
                break // the rest of this batch may belong to the same group: query again past it
              }
              if (entries.length > maxKeys) break
            }
          }
          const isTruncated = entries.length > maxKeys
          const page = entries.slice(0, maxKeys)
          const last = page[page.length - 1]
          const lastBound = last === undefined
            ? undefined
            : last._tag === "Object"
            ? Order.after(last.row.key)
            : Order.pastPrefix(last.prefix)
          return {
            contents: page.flatMap((e) => (e._tag === "Object" ? [toInfo(e.row)] : [])),
            commonPrefixes: page.flatMap((e) => (e._tag === "Prefix" ? [Order.fromUtf8(e.prefix)] : [])),
            isTruncated,
            nextContinuationToken: isTruncated && lastBound !== undefined ? Order.encodeToken(lastBound) : undefined,
            lastEntry: last === undefined
              ? undefined
              : last._tag === "Object"
              ? Order.fromUtf8(last.row.key)
              : Order.fromUtf8(last.prefix)
          }
        }),

      listKeys: (bucket, prefix = "") =>
        Effect.gen(function*() {
          yield* db(requireBucket(bucket))
          const start = Order.utf8(prefix)
          const rows = yield* db(
            prefix === ""
              ? sql<{ key: Uint8Array }>`SELECT key FROM objects WHERE bucket = ${bucket} ORDER BY key`
              : sql<{ key: Uint8Array }>`SELECT key FROM objects WHERE bucket = ${bucket} AND key >= ${start} AND key < ${
                Order.pastPrefix(start)
              } ORDER BY key`
          )
          return rows.map((r) => Order.fromUtf8(r.key))
        }),

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
          return yield* commitObject(bucket, key, keyBuffer, assembled.tempPath, assembled.size, etag, {
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
        })
    }

    const listParts: S3Store["listParts"] = (bucket, key, uploadId, { maxParts, partNumberMarker }) =>
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
      })

    const listMultipartUploads: S3Store["listMultipartUploads"] = (bucket, { keyMarker, maxUploads, prefix, uploadIdMarker }) =>
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

    /** The upload, if it exists for this bucket and key; `NoSuchUpload` otherwise. */
    function requireUploadOf(
      bucket: string,
      key: string,
      keyBuffer: Buffer,
      uploadId: string
    ): Effect.Effect<UploadRow, S3Error | SqlError> {
      return sql<UploadRow>`SELECT * FROM uploads WHERE upload_id = ${uploadId}`.pipe(
        Effect.flatMap((rows) => {
          const row = rows[0]
          return row !== undefined && row.bucket === bucket && keyBuffer.equals(Buffer.from(row.key))
            ? Effect.succeed(row)
            : Effect.fail(S3Errors.noSuchUpload(bucket, key, uploadId))
        })
      )
    }

    return { ...store, listParts, listMultipartUploads }
  })

/** The store as a layer over a data directory. */
export const layer = (options: S3StoreOptions): Layer.Layer<S3Store, S3Error> => Layer.scoped(S3Store, make(options))
