/**
 * Bad input never takes the local service down or loses data: garbage JSON, an oversized body,
 * wrong or missing signatures, path-traversal object keys and a corrupt Parquet input each get a
 * clear answer (or a Failed job), and everything stored before is still there afterwards.
 */
import { GetJobCommand, LocationClient, StartJobCommand, waitUntilJobCompleted } from "@aws-sdk/client-location"
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let dataDir: string
let s3: S3Client
let geo: LocationClient
const credentials = { accessKeyId: "test", secretAccessKey: "test" }

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-bad-"))
  service = await Effect.runPromise(
    Scope.extend(LocalService.make({ port: 0, dataDir, runnerOptions: { pollInterval: "200 millis" } }), scope)
  )
  s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  geo = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
  await s3.send(new CreateBucketCommand({ Bucket: "keep" }))
  await s3.send(new PutObjectCommand({ Bucket: "keep", Key: "precious.txt", Body: "do not lose me" }))
}, 60_000)

afterAll(async () => {
  s3?.destroy()
  geo?.destroy()
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

/** Sends a request signed by smithy's signer (secret as given), with any body. */
const signedFetch = async (
  method: string,
  path: string,
  body: string | Uint8Array | undefined,
  secret = "test",
  accessKeyId = "test"
) => {
  const url = new URL(path, service.url)
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region: "us-east-1",
    service: "geo",
    sha256: Hash.bind(null, "sha256")
  })
  const signed = await signer.sign({
    method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, "content-type": "application/json" },
    body
  })
  const response = await fetch(url, { method, headers: signed.headers, body: (body ?? null) as BodyInit | null })
  return { status: response.status, headers: response.headers, json: await response.json().catch(() => undefined) }
}

const healthy = async () => (await fetch(new URL("/_geojobs/health", service.url))).status === 200

describe("bad input", () => {
  it("garbage JSON → 400 ValidationException CannotParse", async () => {
    const r = await signedFetch("POST", "/metadata/v0/jobs", "{not json")
    expect(r.status).toBe(400)
    expect(r.headers.get("x-amzn-errortype")).toBe("ValidationException")
    expect(r.json.reason).toBe("CannotParse")
    expect(await healthy()).toBe(true)
  })

  it("an oversized body → 413 before it is read (or the upload is cut off); the service stays up", async () => {
    const big = `{"Action":"ValidateAddress","Name":"${"x".repeat(2 * 1024 * 1024)}"}`
    // The server answers as soon as it sees Content-Length and closes the connection; a client
    // still uploading may see that as a reset instead of the 413.
    const outcome = await signedFetch("POST", "/metadata/v0/jobs", big).then((r) => r.status, (e: Error) => String(e.cause ?? e))
    expect(String(outcome)).toMatch(/^413$|ECONNRESET|EPIPE|other side closed/)
    // A raw request that waits for the answer gets the 413 and its error type.
    const raw = await new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
      const url = new URL("/metadata/v0/jobs", service.url)
      const req = Http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-length": String(big.length) } }, (res) => {
        res.resume()
        resolve({ status: res.statusCode!, type: res.headers["x-amzn-errortype"] as string | undefined })
      })
      req.on("error", reject)
      req.write(big.slice(0, 1024))
    })
    expect(raw).toEqual({ status: 413, type: "RequestEntityTooLargeException" })
    expect(await healthy()).toBe(true)
  })

  it("wrong secret, unknown key, no signature → 403 with AWS's codes and a clear message", async () => {
    const wrong = await signedFetch("POST", "/metadata/v0/jobs/list-jobs", "{}", "not-the-secret")
    expect(wrong.status).toBe(403)
    expect(wrong.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException")
    expect(wrong.json.message).toMatch(/signature does not match/)
    const unknown = await signedFetch("POST", "/metadata/v0/jobs/list-jobs", "{}", "test", "AKIDUNKNOWN")
    expect(unknown.headers.get("x-amzn-errortype")).toBe("UnrecognizedClientException")
    const none = await fetch(new URL("/metadata/v0/jobs/list-jobs", service.url), { method: "POST", body: "{}" })
    expect(none.status).toBe(403)
    expect(none.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException")
    expect(none.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("path-traversal object keys are just keys: stored, read back, nothing written outside the data dir", async () => {
    const before = new Set(Fs.readdirSync(Path.dirname(dataDir)))
    const keys = ["../../escape.txt", "/abs/path.txt", "a/../../b.txt", "%2e%2e%2fencoded.txt", "..\\windows.txt", "./dot"]
    for (const Key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: "keep", Key, Body: `content of ${Key}` }))
    }
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: "keep", Key }))
      expect(await got.Body!.transformToString()).toBe(`content of ${Key}`)
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "keep" }))
    expect(listed.Contents!.map((c) => c.Key).sort()).toEqual([...keys, "precious.txt"].sort())
    const after = new Set(Fs.readdirSync(Path.dirname(dataDir)))
    const created = [...after].filter((f) => !before.has(f) && /escape|b\.txt|encoded|windows|abs|dot/.test(f))
    expect(created).toEqual([])
  })

  it("a corrupt Parquet input ends its job Failed naming the file; the next good request is served", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "bad-in" }))
    await s3.send(new CreateBucketCommand({ Bucket: "bad-out" }))
    await s3.send(new PutObjectCommand({ Bucket: "bad-in", Key: "x/broken.parquet", Body: "PAR1 this is not parquet at all PAR1" }))
    await s3.send(new PutObjectCommand({ Bucket: "bad-in", Key: "y/text.parquet", Body: "id,address\n1,somewhere\n" }))
    for (const [prefix, file] of [["x/", "broken.parquet"], ["y/", "text.parquet"]] as const) {
      const started = await geo.send(new StartJobCommand({
        Action: "ValidateAddress",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
        InputOptions: { Location: `s3://bad-in/${prefix}`, Format: "Parquet" },
        OutputOptions: { Location: "s3://bad-out/", Format: "Parquet" }
      }))
      await waitUntilJobCompleted({ client: geo, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { JobId: started.JobId! }).catch(() => undefined)
      const job = await geo.send(new GetJobCommand({ JobId: started.JobId! }))
      expect(job.Status).toBe("Failed")
      expect(job.Error?.Code).toBe("ValidationError")
      expect(job.Error?.Messages?.join(" ")).toContain(file)
      const out = await s3.send(new ListObjectsV2Command({ Bucket: "bad-out" }))
      expect(out.KeyCount ?? 0).toBe(0)
    }
    expect(await healthy()).toBe(true)
    const kept = await s3.send(new GetObjectCommand({ Bucket: "keep", Key: "precious.txt" }))
    expect(await kept.Body!.transformToString()).toBe("do not lose me")
  }, 120_000)
})
