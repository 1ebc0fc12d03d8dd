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
 * This module is the interface; the body is in `storeMetadata.ts` (schema, opening, recovery),
 * `storeBuckets.ts`, `storeObjects.ts`, `storeListing.ts` and `storeMultipart.ts`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { ByteRangeSpec, ResolvedRange } from "./ByteRange.js"
import type { S3Error } from "./S3Error.js"
import * as Buckets from "./storeBuckets.js"
import * as Listing from "./storeListing.js"
import * as Metadata from "./storeMetadata.js"
import * as Multipart from "./storeMultipart.js"
import * as Objects from "./storeObjects.js"

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
   * A file given with its `md5` and `size` (hashed by its writer as it wrote it) is not read
   * again when its size on disk agrees; otherwise it is hashed here.
   */
  readonly putFiles: (
    bucket: string,
    files: ReadonlyArray<{
      readonly key: string
      readonly path: string
      readonly contentType?: string | undefined
      readonly written?: { readonly md5: Uint8Array; readonly size: number } | undefined
    }>
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
  /**
   * Copies an object's bytes to a local file (created or replaced), by the file system where it
   * can (a clone, or a copy in the kernel); returns the bytes copied. For in-process readers that
   * keep an object as a file of their own (the CLI's `validate` on its embedded service).
   */
  readonly copyToFile: (bucket: string, key: string, path: string) => Effect.Effect<number, S3Error>
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

/**
 * Opens (creating if needed) the store in `options.dataDir`: takes its lock, runs the schema, removes leftover temp
 * files and blobs no row refers to (what a crash can leave), and returns the store. The SQLite
 * connection is private to the store and closed with the scope.
 */
export const make = (options: S3StoreOptions): Effect.Effect<S3Store, S3Error, Scope.Scope> =>
  Effect.map(
    Metadata.open({
      dataDir: options.dataDir,
      fsync: options.fsync ?? true,
      maxObjectSize: options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE,
      minPartSize: options.minPartSize ?? DEFAULT_MIN_PART_SIZE
    }),
    (store): S3Store => ({
      ...Buckets.make(store),
      ...Objects.make(store),
      ...Listing.make(store),
      ...Multipart.make(store)
    })
  )

/** The store as a layer over a data directory. */
export const layer = (options: S3StoreOptions): Layer.Layer<S3Store, S3Error> => Layer.scoped(S3Store, make(options))
