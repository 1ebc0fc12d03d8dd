/**
 * The credential scope of a signature is checked as AWS checks it: the Jobs API accepts only
 * `<date>/<the service's region>/geo/aws4_request`, the S3 subset only `…/<region>/s3/…`. What
 * the official SDKs and the AWS CLI sign with keeps working (header auth and presigned URLs).
 */
import { ListJobsCommand, LocationClient } from "@aws-sdk/client-location"
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import { presignedUrl, rawRequest, signedRequest } from "./support/signed.js"
import * as AwsCli from "@geojobs/test-support/AwsCli"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let westScope: Scope.CloseableScope
let west: LocalService.LocalServiceInfo
const credentials = { accessKeyId: "test", secretAccessKey: "test" }

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  westScope = Effect.runSync(Scope.make())
  service = await Effect.runPromise(Scope.extend(
    LocalService.make({ port: 0, dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-scope-")), runner: "manual" }),
    scope
  ))
  west = await Effect.runPromise(Scope.extend(
    LocalService.make({
      port: 0,
      dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-scope-west-")),
      runner: "manual",
      region: "eu-west-1"
    }),
    westScope
  ))
  const s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  await s3.send(new CreateBucketCommand({ Bucket: "scoped" }))
  await s3.send(new PutObjectCommand({ Bucket: "scoped", Key: "a.txt", Body: "hello" }))
  s3.destroy()
}, 60_000)

afterAll(async () => {
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
  if (westScope) await Effect.runPromise(Scope.close(westScope, Exit.void))
})

const listJobs = (url: string, region: string, service?: string) =>
  signedRequest(url, "/metadata/v0/jobs/list-jobs", {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
    region,
    ...(service === undefined ? {} : { service })
  })

/** Runs the AWS CLI v1 with test credentials and no user configuration. */
const awsCli = (args: ReadonlyArray<string>, region = "us-east-1") =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const home = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-aws-home-"))
    // The CLI v1 presigns S3 URLs with SigV2 unless told otherwise; the local service takes SigV4 only.
    Fs.writeFileSync(Path.join(home, "config"), "[default]\ns3 =\n  signature_version = s3v4\n")
    execFile("aws", [...args], {
      env: AwsCli.environment(home, { AWS_DEFAULT_REGION: region, AWS_DISABLE_HOST_PREFIX_INJECTION: "true" }),
      timeout: 60_000
    }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : (typeof error.code === "number" ? error.code : 1), stdout, stderr }))
  })

const hasAws = await new Promise<boolean>((resolve) => execFile("aws", ["--version"], (e) => resolve(e === null)))

describe("credential scope", () => {
  it("Jobs API: another region → 403 InvalidSignatureException, as AWS answers", async () => {
    const r = await listJobs(service.url, "eu-west-1")
    expect(r.status).toBe(403)
    expect(r.headers["x-amzn-errortype"]).toBe("InvalidSignatureException")
    expect(r.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/)
    const body = JSON.parse(r.text)
    expect(body.__type).toBe("InvalidSignatureException")
    expect(body.message).toMatch(/Credential should be scoped to a valid region/)
  })

  it("Jobs API: service s3 → 403 InvalidSignatureException naming geo", async () => {
    const r = await listJobs(service.url, "us-east-1", "s3")
    expect(r.status).toBe(403)
    expect(r.headers["x-amzn-errortype"]).toBe("InvalidSignatureException")
    expect(JSON.parse(r.text).message).toMatch(/Credential should be scoped to correct service: 'geo'/)
  })

  it("Jobs API: the service's own region and geo are accepted (default and configured region)", async () => {
    expect((await listJobs(service.url, "us-east-1")).status).toBe(200)
    expect((await listJobs(west.url, "eu-west-1")).status).toBe(200)
    expect((await listJobs(west.url, "us-east-1")).status).toBe(403)
  })

  it("S3: a request signed for geo → AuthorizationHeaderMalformed naming s3", async () => {
    const r = await signedRequest(service.url, "/scoped/a.txt", { service: "geo" })
    expect(r.status).toBe(400)
    expect(r.text).toContain("<Code>AuthorizationHeaderMalformed</Code>")
    expect(r.text).toContain("incorrect service &apos;geo&apos;")
    expect(r.headers["x-amz-request-id"]).toBeDefined()
  })

  it("S3: another region → AuthorizationHeaderMalformed with the expected Region", async () => {
    const r = await signedRequest(service.url, "/scoped/a.txt", { region: "eu-west-1" })
    expect(r.status).toBe(400)
    expect(r.text).toContain("<Code>AuthorizationHeaderMalformed</Code>")
    expect(r.text).toContain("the region &apos;eu-west-1&apos; is wrong; expecting &apos;us-east-1&apos;")
    expect(r.text).toContain("<Region>us-east-1</Region>")
    expect((await signedRequest(service.url, "/scoped/a.txt")).text).toBe("hello")
  })

  it("S3 presigned URLs: the right scope works, another region or service is refused", async () => {
    const good = await presignedUrl(service.url, "/scoped/a.txt")
    expect((await rawRequest(service.url, good, "GET", {})).text).toBe("hello")
    const otherRegion = await rawRequest(service.url, await presignedUrl(service.url, "/scoped/a.txt", { region: "eu-west-1" }), "GET", {})
    expect(otherRegion.status).toBe(400)
    expect(otherRegion.text).toContain("<Code>AuthorizationQueryParametersError</Code>")
    const otherService = await rawRequest(service.url, await presignedUrl(service.url, "/scoped/a.txt", { service: "geo" }), "GET", {})
    expect(otherService.status).toBe(400)
    expect(otherService.text).toContain("<Code>AuthorizationQueryParametersError</Code>")
  })

  it("the official SDKs sign with the right scope", async () => {
    const location = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
    expect((await location.send(new ListJobsCommand({}))).Entries).toBeDefined()
    location.destroy()
    const wrong = new LocationClient({ region: "eu-west-1", endpoint: service.url, disableHostPrefix: true, credentials, maxAttempts: 1 })
    await expect(wrong.send(new ListJobsCommand({}))).rejects.toMatchObject({ name: "InvalidSignatureException" })
    wrong.destroy()
  })

  it.skipIf(!hasAws && process.env.CI !== "true")("the AWS CLI signs with the right scope (location list-jobs, s3 ls, s3 presign)", async () => {
    const jobs = await awsCli(["--endpoint-url", service.url, "location", "list-jobs"])
    expect(jobs.stderr).toBe("")
    expect(JSON.parse(jobs.stdout)).toHaveProperty("Entries")
    const ls = await awsCli(["--endpoint-url", service.url, "s3", "ls", "s3://scoped/"])
    expect(ls.stdout).toContain("a.txt")
    const presign = await awsCli(["--endpoint-url", service.url, "s3", "presign", "s3://scoped/a.txt"])
    const url = new URL(presign.stdout.trim())
    expect((await rawRequest(service.url, `${url.pathname}${url.search}`, "GET", {})).text).toBe("hello")
    const wrong = await awsCli(["--endpoint-url", service.url, "location", "list-jobs"], "eu-west-1")
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toContain("InvalidSignatureException")
  }, 60_000)
})
