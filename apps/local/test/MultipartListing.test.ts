/**
 * ListParts and ListMultipartUploads, as the official SDK calls them: S3's XML shapes, page
 * sizes (`max-parts`, `max-uploads`) and markers, and NoSuchUpload for an unknown upload.
 */
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand
} from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import type * as LocalService from "../src/LocalService.js"
import * as LocalTesting from "../src/Testing.js"
import { signedRequest } from "./support/signed.js"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let s3: S3Client
const credentials = { accessKeyId: "test", secretAccessKey: "test" }

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  service = await Effect.runPromise(Scope.extend(
    LocalTesting.make({ runner: "manual" }),
    scope
  ))
  s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  await s3.send(new CreateBucketCommand({ Bucket: "mpu" }))
}, 60_000)

afterAll(async () => {
  s3?.destroy()
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

const create = async (Key: string) =>
  (await s3.send(new CreateMultipartUploadCommand({ Bucket: "mpu", Key }))).UploadId!

describe("ListParts", () => {
  it("lists uploaded parts in order with ETag, Size and LastModified, paged by max-parts and part-number-marker", async () => {
    const UploadId = await create("big.bin")
    const etags: Record<number, string> = {}
    for (const PartNumber of [3, 1, 2, 5]) {
      const r = await s3.send(new UploadPartCommand({ Bucket: "mpu", Key: "big.bin", UploadId, PartNumber, Body: "p".repeat(PartNumber) }))
      etags[PartNumber] = r.ETag!
    }
    const first = await s3.send(new ListPartsCommand({ Bucket: "mpu", Key: "big.bin", UploadId, MaxParts: 2 }))
    expect(first.Parts!.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, etags[1], 1], [2, etags[2], 2]])
    expect(first.Parts![0]!.LastModified).toBeInstanceOf(Date)
    expect(first.IsTruncated).toBe(true)
    expect(first.NextPartNumberMarker).toBe("2")
    expect(first.MaxParts).toBe(2)
    expect(first.UploadId).toBe(UploadId)
    const rest = await s3.send(new ListPartsCommand({ Bucket: "mpu", Key: "big.bin", UploadId, PartNumberMarker: first.NextPartNumberMarker }))
    expect(rest.Parts!.map((p) => p.PartNumber)).toEqual([3, 5])
    expect(rest.IsTruncated).toBe(false)
    await s3.send(new AbortMultipartUploadCommand({ Bucket: "mpu", Key: "big.bin", UploadId }))
  })

  it("an unknown upload → 404 NoSuchUpload", async () => {
    const r = await signedRequest(service.url, "/mpu/big.bin?uploadId=nope")
    expect(r.status).toBe(404)
    expect(r.text).toContain("<Code>NoSuchUpload</Code>")
    const wire = await signedRequest(service.url, `/mpu/x.bin?uploadId=${await create("x.bin")}`)
    expect(wire.status).toBe(200)
    expect(wire.text).toContain("<ListPartsResult")
    expect(wire.text).toContain("<IsTruncated>false</IsTruncated>")
  })
})

describe("ListMultipartUploads", () => {
  it("lists uploads by key, filtered by prefix, paged by max-uploads and the key/upload-id markers", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "mpu-list" }))
    const ids: Array<[string, string]> = []
    for (const key of ["b/2", "a/1", "b/2", "c/3"]) {
      ids.push([key, (await s3.send(new CreateMultipartUploadCommand({ Bucket: "mpu-list", Key: key }))).UploadId!])
    }
    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: "mpu-list" }))
    expect(all.Uploads!.map((u) => u.Key)).toEqual(["a/1", "b/2", "b/2", "c/3"])
    expect(all.Uploads![0]!.Initiated).toBeInstanceOf(Date)
    expect(all.IsTruncated).toBe(false)
    const seen: Array<string> = []
    let KeyMarker: string | undefined
    let UploadIdMarker: string | undefined
    for (let pages = 0; pages < 10; pages++) {
      const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: "mpu-list", MaxUploads: 1, KeyMarker, UploadIdMarker }))
      seen.push(...page.Uploads!.map((u) => `${u.Key} ${u.UploadId}`))
      if (!page.IsTruncated) break
      KeyMarker = page.NextKeyMarker
      UploadIdMarker = page.NextUploadIdMarker
    }
    expect(seen).toEqual(all.Uploads!.map((u) => `${u.Key} ${u.UploadId}`))
    expect(new Set(seen.map((s) => s.split(" ")[1]))).toEqual(new Set(ids.map(([, id]) => id)))
    const b = await s3.send(new ListMultipartUploadsCommand({ Bucket: "mpu-list", Prefix: "b/" }))
    expect(b.Uploads!.map((u) => u.Key)).toEqual(["b/2", "b/2"])
    const afterB = await s3.send(new ListMultipartUploadsCommand({ Bucket: "mpu-list", KeyMarker: "b/2" }))
    expect(afterB.Uploads!.map((u) => u.Key)).toEqual(["c/3"])
  })
})
