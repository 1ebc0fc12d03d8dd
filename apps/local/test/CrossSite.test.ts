/**
 * A web page cannot drive the local service: a state-changing request carrying an `Origin` that
 * is not on the CORS allow-list is refused before it is carried out, even a preflight-free
 * `text/plain` POST signed with the well-known test key. And DeleteObjects needs a Content-MD5 or
 * a flexible checksum, verified, as S3 requires.
 */
import { ListJobsCommand, LocationClient } from "@aws-sdk/client-location"
import { CreateBucketCommand, DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import { signedRequest } from "./support/signed.js"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let s3: S3Client
let geo: LocationClient
const credentials = { accessKeyId: "test", secretAccessKey: "test" }
const evil = "http://evil.example"

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  service = await Effect.runPromise(Scope.extend(
    LocalService.make({ port: 0, dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-xsite-")), runner: "manual" }),
    scope
  ))
  s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  geo = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
  await s3.send(new CreateBucketCommand({ Bucket: "victim" }))
}, 60_000)

afterAll(async () => {
  s3?.destroy()
  geo?.destroy()
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

const put = (Key: string) => s3.send(new PutObjectCommand({ Bucket: "victim", Key, Body: "keep me" }))
const exists = (Key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: "victim", Key })).then(() => true, () => false)
const md5 = (text: string) => createHash("md5").update(text).digest("base64")
const deleteXml = (key: string) => `<Delete><Object><Key>${key}</Key></Object></Delete>`

const startJobBody = JSON.stringify({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
  InputOptions: { Location: "s3://victim/in/", Format: "Parquet" },
  OutputOptions: { Location: "s3://victim/out/", Format: "Parquet" }
})

describe("cross-site writes", () => {
  it("a text/plain StartJob from another origin is refused 403 and creates no job", async () => {
    const r = await signedRequest(service.url, "/metadata/v0/jobs", {
      method: "POST",
      body: startJobBody,
      headers: { "content-type": "text/plain", origin: evil }
    })
    expect(r.status).toBe(403)
    expect(r.headers["x-amzn-errortype"]).toBe("AccessDeniedException")
    expect(r.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/)
    expect(JSON.parse(r.text).message).toContain(evil)
    expect((await geo.send(new ListJobsCommand({}))).Entries).toEqual([])
  })

  it("a DeleteObjects, PUT or DELETE from another origin is refused 403 (S3 XML) and changes nothing", async () => {
    await put("a.txt")
    const xml = deleteXml("a.txt")
    const multi = await signedRequest(service.url, "/victim?delete", {
      method: "POST",
      body: xml,
      headers: { "content-type": "text/plain", "content-md5": md5(xml), origin: evil }
    })
    expect(multi.status).toBe(403)
    expect(multi.text).toContain("<Code>AccessDenied</Code>")
    expect(multi.headers["x-amz-request-id"]).toBeDefined()
    const single = await signedRequest(service.url, "/victim/a.txt", { method: "DELETE", headers: { origin: evil } })
    expect(single.status).toBe(403)
    const overwrite = await signedRequest(service.url, "/victim/a.txt", { method: "PUT", body: "pwned", headers: { origin: "null" } })
    expect(overwrite.status).toBe(403)
    const bucket = await signedRequest(service.url, "/evil-bucket", { method: "PUT", headers: { origin: evil } })
    expect(bucket.status).toBe(403)
    expect(await exists("a.txt")).toBe(true)
    expect((await signedRequest(service.url, "/victim/a.txt")).text).toBe("keep me")
  })

  it("allowed origins (localhost pages) and requests without an Origin may write; reads from any origin are answered", async () => {
    await put("b.txt")
    const xml = deleteXml("b.txt")
    const r = await signedRequest(service.url, "/victim?delete", {
      method: "POST",
      body: xml,
      headers: { "content-md5": md5(xml), origin: "http://localhost:5173" }
    })
    expect(r.status).toBe(200)
    expect(r.headers["access-control-allow-origin"]).toBe("http://localhost:5173")
    expect(await exists("b.txt")).toBe(false)
    const read = await signedRequest(service.url, "/victim?list-type=2", { headers: { origin: evil } })
    expect(read.status).toBe(200)
    expect(read.headers["access-control-allow-origin"]).toBeUndefined()
  })
})

describe("DeleteObjects integrity", () => {
  it("without Content-MD5 or a checksum → 400 InvalidRequest, nothing deleted", async () => {
    await put("c.txt")
    const r = await signedRequest(service.url, "/victim?delete", { method: "POST", body: deleteXml("c.txt") })
    expect(r.status).toBe(400)
    expect(r.text).toContain("<Code>InvalidRequest</Code>")
    expect(r.text).toContain("Content-MD5")
    expect(await exists("c.txt")).toBe(true)
  })

  it("a Content-MD5 or checksum that does not match → 400 BadDigest, nothing deleted", async () => {
    await put("d.txt")
    const xml = deleteXml("d.txt")
    const wrongMd5 = await signedRequest(service.url, "/victim?delete", {
      method: "POST",
      body: xml,
      headers: { "content-md5": md5("something else") }
    })
    expect(wrongMd5.status).toBe(400)
    expect(wrongMd5.text).toContain("<Code>BadDigest</Code>")
    const badMd5 = await signedRequest(service.url, "/victim?delete", { method: "POST", body: xml, headers: { "content-md5": "nope" } })
    expect(badMd5.status).toBe(400)
    expect(badMd5.text).toContain("<Code>InvalidDigest</Code>")
    const wrongSha = await signedRequest(service.url, "/victim?delete", {
      method: "POST",
      body: xml,
      headers: { "x-amz-checksum-sha256": createHash("sha256").update("other").digest("base64") }
    })
    expect(wrongSha.status).toBe(400)
    expect(wrongSha.text).toContain("<Code>BadDigest</Code>")
    expect(await exists("d.txt")).toBe(true)
  })

  it("a matching checksum deletes; the official SDK's DeleteObjects works", async () => {
    await put("e.txt")
    const xml = deleteXml("e.txt")
    const r = await signedRequest(service.url, "/victim?delete", {
      method: "POST",
      body: xml,
      headers: { "x-amz-checksum-sha256": createHash("sha256").update(xml).digest("base64") }
    })
    expect(r.status).toBe(200)
    expect(await exists("e.txt")).toBe(false)
    await put("f.txt")
    const sdk = await s3.send(new DeleteObjectsCommand({ Bucket: "victim", Delete: { Objects: [{ Key: "f.txt" }] } }))
    expect(sdk.Deleted?.map((d) => d.Key)).toEqual(["f.txt"])
    expect(await exists("f.txt")).toBe(false)
  })
})
