/**
 * Bad input gets a 4xx in the API's own error shape with a request id, never a 500 (which
 * clients retry) nor a reset connection: absurdly nested JSON, header-breaking `response-*`
 * overrides, and a chunked body over the Jobs API's size limit.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import { rawRequest, signRequest, signedRequest } from "./support/signed.js"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
const credentials = { accessKeyId: "test", secretAccessKey: "test" }

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  service = await Effect.runPromise(Scope.extend(
    LocalService.make({ port: 0, dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-no500-")), runner: "manual" }),
    scope
  ))
  const s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  await s3.send(new CreateBucketCommand({ Bucket: "files" }))
  await s3.send(new PutObjectCommand({ Bucket: "files", Key: "report.csv", Body: "a,b\n" }))
  s3.destroy()
}, 60_000)

afterAll(async () => {
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const nestedObject = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

const expectAwsJson400 = (r: { status: number; headers: Record<string, unknown>; text: string }) => {
  expect(r.status).toBe(400)
  expect(r.headers["x-amzn-errortype"]).toBe("ValidationException")
  expect(r.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/)
  const body = JSON.parse(r.text)
  expect(body.reason).toBe("CannotParse")
  expect(body.message).toMatch(/nested/)
}

describe("no 500s for bad input", () => {
  for (const [operation, path, body] of [
    ["ListJobs NextToken", "/metadata/v0/jobs/list-jobs", `{"NextToken":${nested(5000)}}`],
    ["ListJobs NextToken (objects)", "/metadata/v0/jobs/list-jobs", `{"NextToken":${nestedObject(10_000)}}`],
    ["StartJob Tags", "/metadata/v0/jobs", `{"Action":"ValidateAddress","Tags":${nestedObject(5000)}}`],
    ["CancelJob JobId", "/metadata/v0/jobs/cancel-job", `{"JobId":${nested(20_000)}}`]
  ] as const) {
    it(`JSON nested thousands deep in ${operation} → 400 ValidationException with a request id`, async () => {
      const r = await signedRequest(service.url, path, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" }
      })
      expectAwsJson400(r)
      expect((await fetch(new URL("/_geojobs/health", service.url))).status).toBe(200)
    })
  }

  it("moderately nested JSON is still decoded by the API (its own answer, not the nesting limit)", async () => {
    const r = await signedRequest(service.url, "/metadata/v0/jobs/list-jobs", {
      method: "POST",
      body: `{"NextToken":${nested(20)}}`,
      headers: { "content-type": "application/json" }
    })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text).message).not.toMatch(/nested/)
  })

  for (const [name, value] of [
    ["CRLF", "attachment; filename=\"a.csv\"\r\nSet-Cookie: x=1"],
    ["a lone LF", "attachment\nx"],
    ["non-ASCII", "attachment; filename=\"résumé—📄.csv\""],
    ["a NUL", "attachment\u0000"]
  ] as const) {
    it(`GetObject with response-content-disposition holding ${name} → 400 InvalidArgument`, async () => {
      const target = `/files/report.csv?response-content-disposition=${encodeURIComponent(value)}`
      const r = await signedRequest(service.url, target)
      expect(r.status).toBe(400)
      expect(r.text).toContain("<Code>InvalidArgument</Code>")
      expect(r.text).toContain("response-content-disposition")
      expect(r.headers["x-amz-request-id"]).toBeDefined()
      expect(r.headers["set-cookie"]).toBeUndefined()
    })
  }

  it("the other response-* overrides are checked too; a plain ASCII override (RFC 6266 filename*) is honoured", async () => {
    for (const param of ["response-content-type", "response-cache-control", "response-content-language", "response-expires", "response-content-encoding"]) {
      const r = await signedRequest(service.url, `/files/report.csv?${param}=${encodeURIComponent("x\r\ny: z")}`)
      expect([param, r.status]).toEqual([param, 400])
    }
    const ok = await signedRequest(service.url, `/files/report.csv?response-content-disposition=${encodeURIComponent("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv")}`)
    expect(ok.status).toBe(200)
    expect(ok.headers["content-disposition"]).toBe("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv")
    expect(ok.text).toBe("a,b\n")
  })
})

describe("streamed size limit", () => {
  it("a chunked Jobs API body over 1 MiB → 413 RequestEntityTooLargeException, not a reset", async () => {
    const piece = "x".repeat(64 * 1024)
    const pieces = [`{"Action":"ValidateAddress","Name":"`, ...Array.from({ length: 160 }, () => piece), `"}`]
    // Signed as UNSIGNED-PAYLOAD so the body need not be known up front; sent with no Content-Length.
    const headers = await signRequest(service.url, "/metadata/v0/jobs", {
      method: "POST",
      headers: { "content-type": "application/json", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }
    })
    delete (headers as Record<string, string>)["content-length"]
    const r = await rawRequest(service.url, "/metadata/v0/jobs", "POST", { ...headers, "transfer-encoding": "chunked" }, pieces)
    expect(r.status).toBe(413)
    expect(r.headers["x-amzn-errortype"]).toBe("RequestEntityTooLargeException")
    expect(r.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/)
    expect(JSON.parse(r.text).message).toContain("1048576")
    expect((await fetch(new URL("/_geojobs/health", service.url))).status).toBe(200)
  })

  it("a chunked body under the limit is read and answered", async () => {
    const headers = await signRequest(service.url, "/metadata/v0/jobs/list-jobs", {
      method: "POST",
      headers: { "content-type": "application/json", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }
    })
    const r = await rawRequest(service.url, "/metadata/v0/jobs/list-jobs", "POST", { ...headers, "transfer-encoding": "chunked" }, ["{", "}"])
    expect(r.status).toBe(200)
  })
})
