/**
 * The object store's metadata in SQLite (`<dataDir>/s3/meta.sqlite`, WAL): the schema, the row
 * shapes, and the open store every part of `S3Store` (buckets, objects, listing, multipart) works
 * through — its connection, its blob directories, its size limits and the checks they all share.
 *
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Path from "node:path"
import * as DirLock from "../DirLock.js"
import * as Blob from "./blobFiles.js"
import * as Order from "./keyOrder.js"
import { S3Error, S3Errors } from "./S3Error.js"
import type { ObjectInfo } from "./S3Store.js"

/** A row of `objects`. */
export interface ObjectRow {
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

/** A row of `uploads`. */
export interface UploadRow {
  readonly upload_id: string
  readonly bucket: string
  readonly key: Uint8Array
  readonly content_type: string | null
  readonly headers: string
  readonly metadata: string
  readonly initiated: number
}

/** A row of `parts` (`last_modified` is null in stores made before ListParts). */
export interface PartRow {
  readonly last_modified?: number | null
  readonly part_number: number
  readonly size: number
  readonly md5: string
  readonly blob: string
}

/** An object row as the store's callers see it. */
export const toInfo = (row: ObjectRow): ObjectInfo => ({
  bucket: row.bucket,
  key: Order.fromUtf8(row.key),
  size: row.size,
  etag: row.etag,
  lastModified: new Date(row.last_modified),
  contentType: row.content_type ?? undefined,
  metadata: JSON.parse(row.metadata) as Record<string, string>,
  headers: JSON.parse(row.headers) as Record<string, string>
})

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

/** What `open` needs: the data directory and the limits, defaults already applied. */
export interface OpenOptions {
  readonly dataDir: string
  readonly fsync: boolean
  readonly maxObjectSize: number
  readonly minPartSize: number
}

/** An open store: what the bucket, object, listing and multipart operations share. */
export interface OpenStore {
  readonly sql: SqliteClient.SqliteClient
  readonly dirs: Blob.BlobDirs
  readonly maxObjectSize: number
  readonly minPartSize: number
  /** Runs a statement outside a transaction, SQL failures as `InternalError`. */
  readonly db: <A>(effect: Effect.Effect<A, S3Error | SqlError>) => Effect.Effect<A, S3Error>
  /** Runs `effect` in one SQLite transaction. */
  readonly transaction: <A>(effect: Effect.Effect<A, S3Error | SqlError>) => Effect.Effect<A, S3Error>
  /** Removes blobs no row refers to any more. */
  readonly removeBlobs: (names: ReadonlyArray<string>) => Effect.Effect<void>
  readonly bucketExists: (bucket: string) => Effect.Effect<boolean, SqlError>
  /** `NoSuchBucket` unless the bucket exists. */
  readonly requireBucket: (bucket: string) => Effect.Effect<void, S3Error | SqlError>
  readonly objectRow: (bucket: string, key: Buffer) => Effect.Effect<Option.Option<ObjectRow>, SqlError>
  /** The `EntityTooLarge` of a key, as `Blob.WriteLimits` wants it. */
  readonly tooLarge: (bucket: string, key: string) => () => S3Error
}

/**
 * Opens (creating if needed) the store in `options.dataDir`: takes its lock, runs the schema, removes
 * leftover temp files and blobs no row refers to (what a crash can leave). The SQLite connection is
 * private to the store and closed with the scope.
 */
export const open = (options: OpenOptions): Effect.Effect<OpenStore, S3Error, Scope.Scope> =>
  Effect.gen(function*() {
    const dirs = Blob.blobDirs(options.dataDir, options.fsync)
    const { maxObjectSize, minPartSize } = options
    yield* Blob.ensureDirs(dirs)
    yield* DirLock.lock(dirs.root, { app: "an object store", what: "object store directory" }).pipe(
      Effect.mapError((e) => S3Errors.internal(e.message))
    )
    const sql = yield* SqliteClient.make({ filename: Path.join(dirs.root, "meta.sqlite") }).pipe(
      Effect.provide(Reactivity.layer)
    )
    const db = <A>(effect: Effect.Effect<A, S3Error | SqlError>): Effect.Effect<A, S3Error> =>
      Effect.mapError(effect, (e) => (e instanceof S3Error ? e : sqlFailure(e)))
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

    return {
      sql,
      dirs,
      maxObjectSize,
      minPartSize,
      db,
      transaction,
      removeBlobs,
      bucketExists,
      requireBucket,
      objectRow,
      tooLarge
    }
  })
