import {
  AbortMultipartUploadCommand,
  BucketAlreadyOwnedByYou,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
  UploadPartCommand
} from "@aws-sdk/client-s3"
import { Upload } from "@aws-sdk/lib-storage"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { execFile, execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { Readable } from "node:stream"
import * as S3Routes from "../src/s3/S3Routes.js"
import * as S3Store from "../src/s3/S3Store.js"

const MiB = 1024 * 1024

/** A client for the server under test, and what the server saw of each request's body encoding. */
class Sdk extends Context.Tag("S3Sdk.test/Sdk")<Sdk, {
  readonly client: S3Client
  readonly encodings: ReadonlyArray<string>
}>() {}

const serverLayer = (config: Partial<S3ClientConfig>, storeOptions: Partial<S3Store.S3StoreOptions> = {}) => {
  const encodings: Array<string> = []
  const recording = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    encodings.push(
      `${request.method} ${request.headers["content-encoding"] ?? "-"} ${request.headers["x-amz-content-sha256"] ?? "-"}`
    )
    return S3Routes.httpApp
  })
  return Layer.scoped(
    Sdk,
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const client = new S3Client({
        region: "us-east-1",
        endpoint: `http://127.0.0.1:${(server.address as HttpServer.TcpAddress).port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
        ...config
      })
      yield* Effect.addFinalizer(() => Effect.sync(() => client.destroy()))
      return { client, encodings }
    })
  ).pipe(
    Layer.provideMerge(HttpServer.serve(recording)),
    Layer.provideMerge(NodeHttpServer.layer(() => Http.createServer(), { port: 0, host: "127.0.0.1" })),
    Layer.provide(
      S3Store.layer({
        dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-s3sdk-")),
        minPartSize: 5 * MiB,
        ...storeOptions
      })
    )
  )
}

const send = <T>(f: (client: S3Client) => Promise<T>) =>
  Effect.flatMap(Sdk, ({ client }) => Effect.tryPromise({ try: () => f(client), catch: (error) => error }))

/** The SDK error a call fails with. */
const sdkError = <T>(f: (client: S3Client) => Promise<T>) =>
  Effect.flip(send(f)).pipe(Effect.map((error) => error as S3ServiceException))

const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest("hex")

/** 12 MiB of bytes that differ everywhere, so a misplaced range shows. */
const bigBody = (() => {
  const bytes = Buffer.alloc(12 * MiB)
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(i, i)
  return bytes
})()

const modes: ReadonlyArray<[string, Partial<S3ClientConfig>]> = [
  ["checksums WHEN_REQUIRED", { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }],
  ["default checksums (aws-chunked uploads)", {}]
]

for (const [mode, config] of modes) {
  layer(serverLayer(config), { timeout: 120_000 })(`@aws-sdk/client-s3 against the local S3 (${mode})`, (it) => {
    it.effect("buckets: create, head, list; creating twice is BucketAlreadyOwnedByYou", () =>
      Effect.gen(function*() {
        yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-bucket" })))
        yield* send((c) => c.send(new HeadBucketCommand({ Bucket: "sdk-bucket" })))
        const listed = yield* send((c) => c.send(new ListBucketsCommand({})))
        expect(listed.Buckets?.map((b) => b.Name)).toContain("sdk-bucket")
        expect(listed.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date)
        const again = yield* sdkError((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-bucket" })))
        expect(again).toBeInstanceOf(BucketAlreadyOwnedByYou)
        const missing = yield* sdkError((c) => c.send(new HeadBucketCommand({ Bucket: "sdk-missing" })))
        expect(missing.$metadata.httpStatusCode).toBe(404)
      }))

    it.effect("PutObject/GetObject/HeadObject: a string, a 12 MiB buffer, a range, a stream", () =>
      Effect.gen(function*() {
        yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-objects" })))
        const text = "Straße 1, 10115 Berlin — ünïcödé body"
        const put = yield* send((c) =>
          c.send(
            new PutObjectCommand({
              Bucket: "sdk-objects",
              Key: "in/addresses one+two.csv",
              Body: text,
              ContentType: "text/csv; charset=utf-8",
              Metadata: { batch: "42" }
            })
          )
        )
        expect(put.ETag).toBe(`"${md5(text)}"`)
        const got = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "in/addresses one+two.csv" })))
        expect(yield* Effect.promise(() => got.Body!.transformToString())).toBe(text)
        expect(got.ContentType).toBe("text/csv; charset=utf-8")
        expect(got.Metadata).toEqual({ batch: "42" })
        expect(got.LastModified).toBeInstanceOf(Date)

        yield* send((c) => c.send(new PutObjectCommand({ Bucket: "sdk-objects", Key: "big.bin", Body: bigBody })))
        const head = yield* send((c) => c.send(new HeadObjectCommand({ Bucket: "sdk-objects", Key: "big.bin" })))
        expect(head.ContentLength).toBe(bigBody.length)
        expect(head.ETag).toBe(`"${md5(bigBody)}"`)
        expect(head.AcceptRanges).toBe("bytes")
        const ranged = yield* send((c) =>
          c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "big.bin", Range: "bytes=5000000-5000099" }))
        )
        expect(ranged.ContentRange).toBe(`bytes 5000000-5000099/${bigBody.length}`)
        expect(ranged.ContentLength).toBe(100)
        const slice = yield* Effect.promise(() => ranged.Body!.transformToByteArray())
        expect(Buffer.compare(Buffer.from(slice), bigBody.subarray(5000000, 5000100))).toBe(0)
        const whole = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "big.bin" })))
        expect(md5(yield* Effect.promise(() => whole.Body!.transformToByteArray()))).toBe(md5(bigBody))

        // A stream body of known length: with the default checksum settings the SDK sends it
        // aws-chunked with a CRC32 trailer.
        const streamed = Buffer.from("streamed body, ".repeat(5000))
        const streamPut = yield* send((c) =>
          c.send(
            new PutObjectCommand({
              Bucket: "sdk-objects",
              Key: "streamed.txt",
              Body: Readable.from([streamed.subarray(0, 30000), streamed.subarray(30000)]),
              ContentLength: streamed.length
            })
          )
        )
        expect(streamPut.ETag).toBe(`"${md5(streamed)}"`)
        const streamedBack = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "streamed.txt" })))
        expect(yield* Effect.promise(() => streamedBack.Body!.transformToString())).toBe(streamed.toString())
        // A checksum sent with the upload is kept; asked for, it comes back and the SDK checks the body.
        const checked = yield* send((c) =>
          c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "streamed.txt", ChecksumMode: "ENABLED" }))
        )
        expect(yield* Effect.promise(() => checked.Body!.transformToString())).toBe(streamed.toString())
        if (config.requestChecksumCalculation === "WHEN_REQUIRED") expect(checked.ChecksumCRC32).toBeUndefined()
        else expect(checked.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/)
        const { encodings } = yield* Sdk
        const chunkedPuts = encodings.filter((e) => e.startsWith("PUT aws-chunked STREAMING-"))
        if (config.requestChecksumCalculation === "WHEN_REQUIRED") expect(chunkedPuts).toHaveLength(0)
        else expect(chunkedPuts.length).toBeGreaterThan(0)

        const badRange = yield* sdkError((c) =>
          c.send(new GetObjectCommand({ Bucket: "sdk-objects", Key: "big.bin", Range: "bytes=99999999-" }))
        )
        expect(badRange.name).toBe("InvalidRange")
        expect(badRange.$metadata.httpStatusCode).toBe(416)
      }))

    it.effect("ListObjectsV2: 250 keys in pages of 100, and a delimiter", () =>
      Effect.gen(function*() {
        yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-list" })))
        const keys = Array.from({ length: 250 }, (_, i) => `rows/${String(i % 5)}/part-${String(i).padStart(4, "0")}.parquet`)
        yield* Effect.forEach(
          keys,
          (key) => send((c) => c.send(new PutObjectCommand({ Bucket: "sdk-list", Key: key, Body: key }))),
          { concurrency: 8, discard: true }
        )
        const pages = yield* send(async (c) => {
          const out: Array<ReadonlyArray<string>> = []
          for await (const page of paginateListObjectsV2({ client: c, pageSize: 100 }, { Bucket: "sdk-list", MaxKeys: 100 })) {
            out.push((page.Contents ?? []).map((o) => o.Key!))
            expect(page.KeyCount).toBe(page.Contents?.length ?? 0)
          }
          return out
        })
        expect(pages.map((p) => p.length)).toEqual([100, 100, 50])
        expect(pages.flat()).toEqual([...keys].sort())

        const grouped = yield* send((c) =>
          c.send(new ListObjectsV2Command({ Bucket: "sdk-list", Prefix: "rows/", Delimiter: "/" }))
        )
        expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["rows/0/", "rows/1/", "rows/2/", "rows/3/", "rows/4/"])
        expect(grouped.Contents ?? []).toHaveLength(0)
        expect(grouped.IsTruncated).toBe(false)
        const one = yield* send((c) =>
          c.send(new ListObjectsV2Command({ Bucket: "sdk-list", Prefix: "rows/3/", MaxKeys: 10, StartAfter: "rows/3/part-0200.parquet" }))
        )
        expect(one.Contents?.map((o) => o.Key)).toEqual(keys.filter((k) => k.startsWith("rows/3/") && k > "rows/3/part-0200.parquet").sort())
        expect(one.Contents?.[0]?.Size).toBe(one.Contents?.[0]?.Key?.length)
        expect(one.Contents?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/)

        const deleted = yield* send((c) =>
          c.send(
            new DeleteObjectsCommand({
              Bucket: "sdk-list",
              Delete: { Objects: keys.slice(0, 10).map((Key) => ({ Key })) }
            })
          )
        )
        expect(deleted.Deleted).toHaveLength(10)
        const after = yield* send((c) => c.send(new ListObjectsV2Command({ Bucket: "sdk-list" })))
        expect(after.KeyCount).toBe(240)
      }))

    it.effect("DeleteObject, then NoSuchKey and NoSuchBucket as typed errors", () =>
      Effect.gen(function*() {
        yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-delete" })))
        yield* send((c) => c.send(new PutObjectCommand({ Bucket: "sdk-delete", Key: "gone", Body: "soon" })))
        yield* send((c) => c.send(new DeleteObjectCommand({ Bucket: "sdk-delete", Key: "gone" })))
        yield* send((c) => c.send(new DeleteObjectCommand({ Bucket: "sdk-delete", Key: "gone" })))
        const noKey = yield* sdkError((c) => c.send(new GetObjectCommand({ Bucket: "sdk-delete", Key: "gone" })))
        expect(noKey).toBeInstanceOf(NoSuchKey)
        expect(noKey.$metadata.httpStatusCode).toBe(404)
        const noBucket = yield* sdkError((c) => c.send(new GetObjectCommand({ Bucket: "sdk-nowhere", Key: "x" })))
        expect(noBucket).toBeInstanceOf(NoSuchBucket)
        const listMissing = yield* sdkError((c) => c.send(new ListObjectsV2Command({ Bucket: "sdk-nowhere" })))
        expect(listMissing).toBeInstanceOf(NoSuchBucket)
        const headMissing = yield* sdkError((c) => c.send(new HeadObjectCommand({ Bucket: "sdk-delete", Key: "gone" })))
        expect(headMissing.$metadata.httpStatusCode).toBe(404)
      }))

    it.effect("multipart: lib-storage Upload of 12 MiB, and the raw commands with their errors", () =>
      Effect.gen(function*() {
        yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-multipart" })))
        const result = yield* send((c) =>
          new Upload({
            client: c,
            params: { Bucket: "sdk-multipart", Key: "uploads/big.bin", Body: Readable.from([bigBody]), ContentType: "application/octet-stream" },
            partSize: 5 * MiB,
            queueSize: 2
          }).done()
        )
        expect(result.ETag).toMatch(/^"[0-9a-f]{32}-3"$/)
        const back = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-multipart", Key: "uploads/big.bin" })))
        expect(back.ContentLength).toBe(bigBody.length)
        expect(md5(yield* Effect.promise(() => back.Body!.transformToByteArray()))).toBe(md5(bigBody))

        const created = yield* send((c) => c.send(new CreateMultipartUploadCommand({ Bucket: "sdk-multipart", Key: "raw" })))
        const UploadId = created.UploadId!
        const part1 = yield* send((c) =>
          c.send(
            new UploadPartCommand({ Bucket: "sdk-multipart", Key: "raw", UploadId, PartNumber: 1, Body: bigBody.subarray(0, 5 * MiB) })
          )
        )
        const part2 = yield* send((c) =>
          c.send(new UploadPartCommand({ Bucket: "sdk-multipart", Key: "raw", UploadId, PartNumber: 2, Body: "tail" }))
        )
        const wrong = yield* sdkError((c) =>
          c.send(
            new CompleteMultipartUploadCommand({
              Bucket: "sdk-multipart",
              Key: "raw",
              UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part1.ETag }, { PartNumber: 2, ETag: "\"0123\"" }] }
            })
          )
        )
        expect(wrong.name).toBe("InvalidPart")
        const small = yield* sdkError((c) =>
          c.send(
            new CompleteMultipartUploadCommand({
              Bucket: "sdk-multipart",
              Key: "raw",
              UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 2, ETag: part2.ETag }, { PartNumber: 3, ETag: part2.ETag }] }
            })
          )
        )
        expect(small.name).toBe("InvalidPart")
        const done = yield* send((c) =>
          c.send(
            new CompleteMultipartUploadCommand({
              Bucket: "sdk-multipart",
              Key: "raw",
              UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part1.ETag }, { PartNumber: 2, ETag: part2.ETag }] }
            })
          )
        )
        expect(done.ETag).toMatch(/-2"$/)
        const tail = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-multipart", Key: "raw", Range: "bytes=-4" })))
        expect(yield* Effect.promise(() => tail.Body!.transformToString())).toBe("tail")

        const aborted = yield* send((c) => c.send(new CreateMultipartUploadCommand({ Bucket: "sdk-multipart", Key: "abandoned" })))
        yield* send((c) =>
          c.send(new AbortMultipartUploadCommand({ Bucket: "sdk-multipart", Key: "abandoned", UploadId: aborted.UploadId! }))
        )
        const afterAbort = yield* sdkError((c) =>
          c.send(
            new UploadPartCommand({ Bucket: "sdk-multipart", Key: "abandoned", UploadId: aborted.UploadId!, PartNumber: 1, Body: "x" })
          )
        )
        expect(afterAbort).toBeInstanceOf(NoSuchUpload)
        const tooSmall = yield* send((c) => c.send(new CreateMultipartUploadCommand({ Bucket: "sdk-multipart", Key: "small" })))
        const s1 = yield* send((c) =>
          c.send(new UploadPartCommand({ Bucket: "sdk-multipart", Key: "small", UploadId: tooSmall.UploadId!, PartNumber: 1, Body: "a" }))
        )
        const s2 = yield* send((c) =>
          c.send(new UploadPartCommand({ Bucket: "sdk-multipart", Key: "small", UploadId: tooSmall.UploadId!, PartNumber: 2, Body: "b" }))
        )
        const entityTooSmall = yield* sdkError((c) =>
          c.send(
            new CompleteMultipartUploadCommand({
              Bucket: "sdk-multipart",
              Key: "small",
              UploadId: tooSmall.UploadId!,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] }
            })
          )
        )
        expect(entityTooSmall.name).toBe("EntityTooSmall")
      }))
  })
}

layer(serverLayer({}, { maxObjectSize: MiB }), { timeout: 60_000 })("@aws-sdk/client-s3 and a small size limit", (it) => {
  it.effect("an oversized body is EntityTooLarge, the service stays up and keeps its data", () =>
    Effect.gen(function*() {
      yield* send((c) => c.send(new CreateBucketCommand({ Bucket: "sdk-limits" })))
      yield* send((c) => c.send(new PutObjectCommand({ Bucket: "sdk-limits", Key: "kept", Body: "kept" })))
      const tooLarge = yield* sdkError((c) =>
        c.send(new PutObjectCommand({ Bucket: "sdk-limits", Key: "kept", Body: bigBody.subarray(0, 2 * MiB) }))
      )
      expect(tooLarge.name).toBe("EntityTooLarge")
      const streamedTooLarge = yield* sdkError((c) =>
        c.send(
          new PutObjectCommand({
            Bucket: "sdk-limits",
            Key: "kept",
            Body: Readable.from([bigBody.subarray(0, MiB), bigBody.subarray(MiB, 2 * MiB)]),
            ContentLength: 2 * MiB
          })
        )
      )
      expect(streamedTooLarge.name).toBe("EntityTooLarge")
      const kept = yield* send((c) => c.send(new GetObjectCommand({ Bucket: "sdk-limits", Key: "kept" })))
      expect(yield* Effect.promise(() => kept.Body!.transformToString())).toBe("kept")
      const listed = yield* send((c) => c.send(new ListObjectsV2Command({ Bucket: "sdk-limits" })))
      expect(listed.Contents?.map((o) => o.Key)).toEqual(["kept"])
    }))
})

/** Whether the AWS CLI is installed here (the `aws s3` test needs it). */
const awsCli = (() => {
  try {
    execFileSync("aws", ["--version"], { stdio: "ignore", timeout: 30_000 })
    return true
  } catch {
    return false
  }
})()

layer(serverLayer({}), { timeout: 120_000 })("the AWS CLI against the local S3", (it) => {
  it.effect.skipIf(!awsCli)("aws s3 mb, cp (single and multipart), ls, cp back, rm --recursive", () =>
    Effect.gen(function*() {
      const { client } = yield* Sdk
      const endpoint = yield* Effect.promise(() => client.config.endpoint!())
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-s3cli-"))
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: Path.join(dir, "none"),
        AWS_SHARED_CREDENTIALS_FILE: Path.join(dir, "none"),
        AWS_EC2_METADATA_DISABLED: "true"
      }
      const aws = (...args: ReadonlyArray<string>) =>
        Effect.async<string, Error>((resume) => {
          execFile(
            "aws",
            ["--endpoint-url", `http://${endpoint.hostname}:${endpoint.port}`, ...args],
            { env, timeout: 60_000, maxBuffer: 64 * MiB },
            (error, stdout, stderr) =>
              resume(error ? Effect.fail(new Error(`aws ${args.join(" ")}: ${error.message} ${stdout} ${stderr}`)) : Effect.succeed(stdout))
          )
        })
      Fs.writeFileSync(Path.join(dir, "small name+.txt"), "small via the CLI")
      Fs.writeFileSync(Path.join(dir, "big.bin"), bigBody)
      yield* aws("s3", "mb", "s3://cli-bucket")
      yield* aws("s3", "cp", "--only-show-errors", Path.join(dir, "small name+.txt"), "s3://cli-bucket/in/small name+.txt")
      yield* aws("s3", "cp", "--only-show-errors", Path.join(dir, "big.bin"), "s3://cli-bucket/in/big.bin")
      const listing = yield* aws("s3", "ls", "--recursive", "s3://cli-bucket/")
      expect(listing).toMatch(/\s12582912 in\/big\.bin\n/)
      expect(listing).toMatch(/\s17 in\/small name\+\.txt\n/)
      // 12 MiB is over the CLI's 8 MiB multipart threshold: it went up in parts.
      const head = yield* send((c) => c.send(new HeadObjectCommand({ Bucket: "cli-bucket", Key: "in/big.bin" })))
      expect(head.ETag).toMatch(/-2"$/)
      yield* aws("s3", "cp", "--only-show-errors", "s3://cli-bucket/in/big.bin", Path.join(dir, "back.bin"))
      expect(md5(Fs.readFileSync(Path.join(dir, "back.bin")))).toBe(md5(bigBody))
      expect(yield* aws("s3", "cp", "s3://cli-bucket/in/small name+.txt", "-")).toBe("small via the CLI")
      yield* aws("s3", "rm", "--only-show-errors", "--recursive", "s3://cli-bucket/in/")
      expect(yield* aws("s3", "ls", "--recursive", "s3://cli-bucket/")).toBe("")
    }), 180_000) // each aws process starts Python: seconds apiece on a loaded 2-core runner
})
