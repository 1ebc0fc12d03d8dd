/**
 * S3 edge cases answered as S3 answers them: a bucket name the local service cannot serve is
 * refused at CreateBucket, and an unsatisfiable range is a 416 with `Content-Range: bytes *\/size`.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
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
  await s3.send(new CreateBucketCommand({ Bucket: "ranges" }))
  await s3.send(new PutObjectCommand({ Bucket: "ranges", Key: "ten", Body: "0123456789" }))
}, 60_000)

afterAll(async () => {
  s3?.destroy()
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("reserved bucket names", () => {
  it("CreateBucket metadata → 400 InvalidBucketName saying why; the Jobs API still answers", async () => {
    const r = await signedRequest(service.url, "/metadata", { method: "PUT" })
    expect(r.status).toBe(400)
    expect(r.text).toContain("<Code>InvalidBucketName</Code>")
    expect(r.text).toContain("<BucketName>metadata</BucketName>")
    expect(r.text).toMatch(/reserved.*Jobs API/)
    await expect(s3.send(new CreateBucketCommand({ Bucket: "metadata" }))).rejects.toMatchObject({ name: "InvalidBucketName" })
    const list = await signedRequest(service.url, "/", {})
    expect(list.text).not.toContain("<Name>metadata</Name>")
  })
})

describe("unsatisfiable ranges", () => {
  for (const range of ["bytes=99999999999999999999-", "bytes=10-", "bytes=10-20", "bytes=99999999999999999999-99999999999999999999"]) {
    it(`${range} on a 10-byte object → 416 InvalidRange with Content-Range: bytes */10`, async () => {
      const r = await signedRequest(service.url, "/ranges/ten", { headers: { range } })
      expect(r.status).toBe(416)
      expect(r.text).toContain("<Code>InvalidRange</Code>")
      expect(r.text).toContain("<ActualObjectSize>10</ActualObjectSize>")
      expect(r.headers["content-range"]).toBe("bytes */10")
      const head = await signedRequest(service.url, "/ranges/ten", { method: "HEAD", headers: { range } })
      expect(head.status).toBe(416)
      expect(head.headers["content-range"]).toBe("bytes */10")
    })
  }

  it("a huge end is clamped to the object, as S3 does", async () => {
    const r = await signedRequest(service.url, "/ranges/ten", { headers: { range: "bytes=5-99999999999999999999" } })
    expect(r.status).toBe(206)
    expect(r.text).toBe("56789")
    expect(r.headers["content-range"]).toBe("bytes 5-9/10")
    const suffix = await signedRequest(service.url, "/ranges/ten", { headers: { range: "bytes=-99999999999999999999" } })
    expect(suffix.status).toBe(206)
    expect(suffix.text).toBe("0123456789")
  })
})
