/**
 * The S3 calls the worker makes — create the buckets (local targets), upload a batch's Parquet
 * input, list a job's outputs, read their Parquet footers for row counts and stream them to a
 * client that downloads them — over
 * `@aws-sdk/client-s3` (path-style for custom endpoints). Ranged GETs only: an output file is
 * never downloaded whole to count its rows.
 *
 * @since 0.1.0
 */
import type { S3Client } from "@aws-sdk/client-s3"
import type { ByteSource } from "@geojobs/dataset/Bytes"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import { Readable } from "node:stream"
import type { MetricsService } from "./Metrics.js"
import { InputError } from "./WorkerError.js"

/** Where S3 is and how to sign for it. */
export interface ObjectStoreOptions {
  readonly region: string
  /** Custom endpoint (path-style). */
  readonly endpoint?: string | undefined
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined
  readonly profile?: string | undefined
}

/** The calls. */
export interface ObjectStoreService {
  readonly ensureBucket: (bucket: string) => Effect.Effect<void, InputError>
  readonly putFile: (bucket: string, key: string, file: string) => Effect.Effect<void, InputError>
  /** Keys and sizes under a prefix (all pages). */
  readonly list: (bucket: string, prefix: string) => Effect.Effect<ReadonlyArray<{ readonly key: string; readonly size: number }>, InputError>
  /** An object's bytes, as a stream (for the API's output downloads). */
  readonly get: (bucket: string, key: string) => Effect.Effect<Readable, InputError>
  /** Rows in a Parquet object, from its footer. */
  readonly parquetRows: (bucket: string, key: string, size: number) => Effect.Effect<number, InputError>
}

/** The tag. */
export class ObjectStore extends Context.Tag("@geojobs/worker/ObjectStore")<ObjectStore, ObjectStoreService>() {}

/** Splits `s3://bucket/prefix` into its parts. */
export const parseS3 = (uri: string): { readonly bucket: string; readonly prefix: string } => {
  const rest = uri.replace(/^s3:\/\//, "")
  const slash = rest.indexOf("/")
  return slash < 0 ? { bucket: rest, prefix: "" } : { bucket: rest.slice(0, slash), prefix: rest.slice(slash + 1) }
}

const describe = (cause: unknown) => {
  const e = cause as { name?: string; message?: string }
  return `${e?.name ?? "Error"}: ${e?.message ?? String(cause)}`
}

/** Makes the store. */
export const make = (options: ObjectStoreOptions, metrics?: MetricsService): Effect.Effect<ObjectStoreService, InputError> =>
  Effect.gen(function*() {
    const S3 = yield* Effect.tryPromise({
      try: () => import("@aws-sdk/client-s3"),
      catch: (cause) => new InputError({ reason: "Storage", message: `cannot load the S3 client: ${describe(cause)}`, cause })
    })
    const client: S3Client = new S3.S3Client({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      ...(options.credentials === undefined && options.profile !== undefined ? { profile: options.profile } : {})
    })
    const call = <A>(operation: string, what: string, f: () => Promise<A>, reason: InputError["reason"] = "Storage") =>
      Effect.tryPromise({
        try: f,
        catch: (cause) => new InputError({ reason, message: `${what}: ${describe(cause)}`, cause })
      }).pipe(
        Effect.tapBoth({
          onFailure: () => Effect.sync(() => metrics?.inc("geojobs_worker_s3_calls_total", { operation, outcome: "error" })),
          onSuccess: () => Effect.sync(() => metrics?.inc("geojobs_worker_s3_calls_total", { operation, outcome: "ok" }))
        })
      )

    const ensureBucket: ObjectStoreService["ensureBucket"] = (bucket) =>
      call("HeadBucket", `bucket ${bucket}`, () => client.send(new S3.HeadBucketCommand({ Bucket: bucket }))).pipe(
        Effect.catchAll(() =>
          call("CreateBucket", `cannot create bucket ${bucket}`, () => client.send(new S3.CreateBucketCommand({ Bucket: bucket })))
        ),
        // Concurrent uploads race to create a new bucket; losing to ourselves is success.
        Effect.catchIf((e) => (e.cause as { name?: unknown } | undefined)?.name === "BucketAlreadyOwnedByYou", () => Effect.void),
        Effect.asVoid
      )

    const putFile: ObjectStoreService["putFile"] = (bucket, key, file) =>
      call("PutObject", `cannot upload ${file} to s3://${bucket}/${key}`, async () => {
        const size = (await Fs.promises.stat(file)).size
        return client.send(
          new S3.PutObjectCommand({ Bucket: bucket, Key: key, Body: Fs.createReadStream(file), ContentLength: size })
        )
      }, "Upload").pipe(Effect.asVoid)

    const list: ObjectStoreService["list"] = (bucket, prefix) =>
      Effect.gen(function*() {
        const out: Array<{ key: string; size: number }> = []
        let token: string | undefined
        do {
          const page = yield* call("ListObjectsV2", `cannot list s3://${bucket}/${prefix}`, () =>
            client.send(new S3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })))
          for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0 })
          token = page.IsTruncated ? page.NextContinuationToken : undefined
        } while (token !== undefined)
        return out
      })

    const parquetRows: ObjectStoreService["parquetRows"] = (bucket, key, size) => {
      const source: ByteSource = {
        byteLength: size,
        slice: async (start, end) => {
          if (end <= start) return new ArrayBuffer(0)
          const r = await client.send(new S3.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }))
          const bytes = await r.Body!.transformToByteArray()
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
        }
      }
      return Parquet.info(source, `s3://${bucket}/${key}`).pipe(
        Effect.tap(() => Effect.sync(() => metrics?.inc("geojobs_worker_s3_calls_total", { operation: "GetObject", outcome: "ok" }))),
        Effect.map((i) => i.numRows),
        Effect.mapError((e) => new InputError({ reason: "Storage", message: `cannot read the footer of s3://${bucket}/${key}: ${e.message}`, cause: e }))
      )
    }

    const get: ObjectStoreService["get"] = (bucket, key) =>
      call("GetObject", `cannot read s3://${bucket}/${key}`, async () => {
        const r = await client.send(new S3.GetObjectCommand({ Bucket: bucket, Key: key }))
        return r.Body instanceof Readable ? r.Body : Readable.fromWeb(r.Body!.transformToWebStream() as never)
      })

    return { ensureBucket, putFile, list, get, parquetRows }
  })

/** The store as a layer. */
export const layer = (options: ObjectStoreOptions, metrics?: MetricsService): Layer.Layer<ObjectStore, InputError> =>
  Layer.effect(ObjectStore, make(options, metrics))
