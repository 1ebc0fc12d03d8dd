/**
 * The S3 calls `validate` makes (bucket check/creation, upload, listing, download): on the
 * embedded service, its object store in-process (no client, no HTTP: a file is copied into the
 * store's own directory and published there); on AWS and custom endpoints over `@aws-sdk/client-s3` and
 * `@aws-sdk/lib-storage`, imported lazily so the other commands start without them, path-style
 * against endpoints. With `--debug` each signed request and its status are logged (secrets
 * redacted).
 *
 * @since 0.1.0
 */
import type { ByteSource } from "@geojobs/dataset/Bytes"
import type { LocalServiceInfo } from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as FsP from "node:fs/promises"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { ObjectStoreError } from "./CliError.js"
import type { SessionService } from "./Session.js"
import * as Unreachable from "./Unreachable.js"
import { redactHeader } from "./WireLog.js"

/** What `validate` needs from S3. */
export interface S3Transfers {
  /** Creates the bucket unless it exists (embedded service and custom endpoints). */
  readonly ensureBucket: (bucket: string) => Effect.Effect<void, ObjectStoreError>
  /** Whether the object exists with this size. */
  readonly exists: (bucket: string, key: string, size: number) => Effect.Effect<boolean, ObjectStoreError>
  /** Uploads a local file (multipart when large); `onProgress` is told the bytes sent so far. */
  readonly upload: (
    bucket: string,
    key: string,
    file: string,
    onProgress?: (sent: number) => void
  ) => Effect.Effect<void, ObjectStoreError>
  /** The keys under a prefix, sorted. */
  readonly list: (bucket: string, prefix: string) => Effect.Effect<ReadonlyArray<string>, ObjectStoreError>
  /** Downloads an object to a local file; `onProgress` is told each piece's size as it arrives. */
  readonly download: (
    bucket: string,
    key: string,
    file: string,
    onProgress?: (received: number) => void
  ) => Effect.Effect<void, ObjectStoreError>
  /**
   * An object read where it is, without a copy (the embedded service's store, in-process);
   * undefined where objects are only downloaded.
   */
  readonly source:
    | ((bucket: string, key: string) => Effect.Effect<ByteSource, ObjectStoreError, Scope.Scope>)
    | undefined
}

const errorOf = (what: string, endpoint?: string, onAws = false) => (cause: unknown): ObjectStoreError => {
  const e = cause as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const name = e?.name ?? ""
  const code = e?.code ?? (e as { cause?: { code?: string } })?.cause?.code ?? ""
  const status = e?.$metadata?.httpStatusCode
  const detail = e?.message && e.message !== "UnknownError" ? e.message : name || String(cause)
  const unreachable = Unreachable.describe(cause, endpoint)
  if (unreachable !== undefined || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/.test(`${code} ${detail}`)) {
    return new ObjectStoreError({
      reason: "Unreachable",
      message: unreachable !== undefined
        ? `cannot reach ${onAws ? "S3" : "the service"}: ${unreachable}`
        : `${what}: cannot reach S3: ${detail}`,
      cause
    })
  }
  if (name === "CredentialsProviderError" || /InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken/.test(name)) {
    return new ObjectStoreError({ reason: "Credentials", message: `${what}: credentials: ${detail}`, cause })
  }
  if (name === "NoSuchBucket") return new ObjectStoreError({ reason: "NoSuchBucket", message: `${what}: no such bucket (${detail})`, cause })
  if (name === "AccessDenied" || status === 403) {
    return new ObjectStoreError({ reason: "AccessDenied", message: `${what}: access denied: ${detail}`, cause })
  }
  return new ObjectStoreError({ reason: "Other", message: `${what}: ${name ? `${name}: ` : ""}${detail}`, cause })
}

/** An S3 failure of the embedded service's store (its code and words). */
interface StoreError {
  readonly code: string
  readonly message: string
}

const storeError = (what: string) => (e: StoreError): ObjectStoreError =>
  new ObjectStoreError({
    reason: e.code === "NoSuchBucket" ? "NoSuchBucket" : e.code === "AccessDenied" ? "AccessDenied" : "Other",
    message: `${what}: ${e.message}`,
    cause: e
  })

/**
 * The embedded service's objects, reached in-process: no S3 client is loaded and no request
 * made; an upload copies the file into the store's temp directory (a clone where the file system
 * can) and publishes it by a rename, and a download copies the object out the same way.
 */
const embedded = (objects: LocalServiceInfo["objects"]): S3Transfers => ({
  ensureBucket: (bucket) =>
    objects.createBucket(bucket).pipe(
      Effect.catchIf((e) => e.code === "BucketAlreadyOwnedByYou", () => Effect.void),
      Effect.mapError(storeError(`bucket ${bucket}`))
    ),
  exists: (bucket, key, size) =>
    objects.headObject(bucket, key).pipe(
      Effect.map((info) => info.size === size),
      Effect.catchIf((e) => e.code === "NoSuchKey", () => Effect.succeed(false)),
      Effect.mapError(storeError(`s3://${bucket}/${key}`))
    ),
  upload: (bucket, key, file, onProgress) =>
    // copied into the store's temp directory (the file is the caller's: putFile moves what it
    // publishes), then published there by a rename
    Effect.scoped(Effect.gen(function*() {
      const staged = yield* objects.tempFile
      yield* Effect.tryPromise({
        try: () => FsP.copyFile(file, staged, Fs.constants.COPYFILE_FICLONE),
        catch: (cause) => new ObjectStoreError({ reason: "Other", message: `${file}: cannot read: ${(cause as Error).message}`, cause })
      })
      const info = yield* objects.putFile(bucket, key, staged).pipe(Effect.mapError(storeError(`upload to s3://${bucket}/${key}`)))
      onProgress?.(info.size)
    })),
  list: (bucket, prefix) =>
    objects.listKeys(bucket, prefix).pipe(
      Effect.map((keys) => [...keys].sort()),
      Effect.mapError(storeError(`listing s3://${bucket}/${prefix}`))
    ),
  // copied by the file system from where the store keeps it (a clone, or a copy in the kernel):
  // the bytes do not pass through this thread
  download: (bucket, key, file, onProgress) =>
    objects.copyToFile(bucket, key, file).pipe(
      Effect.map((size) => onProgress?.(size)),
      Effect.mapError(storeError(`download of s3://${bucket}/${key}`)),
      Effect.tapError(() => Effect.promise(() => FsP.rm(file, { force: true })))
    ),
  source: (bucket, key) => objects.randomAccess(bucket, key).pipe(Effect.mapError(storeError(`s3://${bucket}/${key}`)))
})

/**
 * Builds the store for the session's target: the embedded service's own, in-process; else an S3
 * client (loaded here) for AWS or the endpoint.
 */
export const make = (session: SessionService): Effect.Effect<S3Transfers, ObjectStoreError> =>
  session.local !== undefined ? Effect.succeed(embedded(session.local.objects)) : Effect.tryPromise({
    try: async () => {
      const S3 = await import("@aws-sdk/client-s3")
      const { Upload } = await import("@aws-sdk/lib-storage")
      const client = new S3.S3Client({
        region: session.region,
        ...(session.endpointUrl !== undefined ? { endpoint: session.endpointUrl, forcePathStyle: true } : {}),
        ...(session.credentials !== undefined ? { credentials: session.credentials } : {}),
        ...(session.credentials === undefined && session.profile !== undefined ? { profile: session.profile } : {})
      } as import("@aws-sdk/client-s3").S3ClientConfig)
      const log = session.debug
      if (log !== undefined) {
        client.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { method?: string; protocol?: string; hostname?: string; port?: number; path?: string; headers?: Record<string, string> }
            log(`> ${request.method} ${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}`)
            for (const [k, v] of Object.entries(request.headers ?? {})) log(`>   ${k}: ${redactHeader(k, v)}`)
            const started = Date.now()
            try {
              const result = await next(args)
              log(`< ${(result.response as { statusCode?: number }).statusCode} (${Date.now() - started} ms)`)
              return result
            } catch (e) {
              log(`< failed after ${Date.now() - started} ms: ${(e as Error).message}`)
              throw e
            }
          },
          { step: "deserialize", name: "geojobsWireLog", priority: "low" }
        )
      }
      // where S3 is, for messages: the endpoint, else the Region's S3
      const onAws = session.endpointUrl === undefined
      const endpoint = session.endpointUrl ?? `https://s3.${session.region}.amazonaws.com`
      const store: S3Transfers = {
        ensureBucket: (bucket) =>
          Effect.tryPromise({
            try: async () => {
              try {
                await client.send(new S3.HeadBucketCommand({ Bucket: bucket }))
              } catch (e) {
                const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
                if (status !== 404 && (e as { name?: string }).name !== "NotFound" && (e as { name?: string }).name !== "NoSuchBucket") throw e
                try {
                  await client.send(new S3.CreateBucketCommand({ Bucket: bucket }))
                } catch (e2) {
                  const name = (e2 as { name?: string }).name
                  if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw e2
                }
              }
            },
            catch: errorOf(`bucket ${bucket}`, endpoint, onAws)
          }),
        exists: (bucket, key, size) =>
          Effect.tryPromise({
            try: async () => {
              try {
                const head = await client.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: key }))
                return head.ContentLength === size
              } catch (e) {
                const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
                if (status === 404 || (e as { name?: string }).name === "NotFound") return false
                throw e
              }
            },
            catch: errorOf(`s3://${bucket}/${key}`, endpoint, onAws)
          }),
        upload: (bucket, key, file, onProgress) =>
          Effect.tryPromise({
            try: () => {
              const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: Fs.createReadStream(file) } })
              if (onProgress !== undefined) upload.on("httpUploadProgress", (p) => onProgress(p.loaded ?? 0))
              return upload.done()
            },
            catch: errorOf(`upload to s3://${bucket}/${key}`, endpoint, onAws)
          }).pipe(Effect.asVoid),
        list: (bucket, prefix) =>
          Effect.tryPromise({
            try: async () => {
              const keys: Array<string> = []
              let token: string | undefined
              do {
                const page = await client.send(
                  new S3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })
                )
                for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key)
                token = page.IsTruncated ? page.NextContinuationToken : undefined
              } while (token)
              return keys.sort()
            },
            catch: errorOf(`listing s3://${bucket}/${prefix}`, endpoint, onAws)
          }),
        download: (bucket, key, file, onProgress) =>
          Effect.tryPromise({
            try: async () => {
              const object = await client.send(new S3.GetObjectCommand({ Bucket: bucket, Key: key }))
              const body = object.Body
              if (body === undefined) throw new Error("empty response")
              if (onProgress !== undefined) (body as Readable).on("data", (piece: Buffer) => onProgress(piece.length))
              await pipeline(body as Readable, Fs.createWriteStream(file))
            },
            catch: errorOf(`download of s3://${bucket}/${key}`, endpoint, onAws)
          }).pipe(Effect.tapError(() => Effect.promise(() => FsP.rm(file, { force: true })))),
        source: undefined
      }
      return store
    },
    catch: errorOf("loading the S3 client")
  })
