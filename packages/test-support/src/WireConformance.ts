/**
 * The wire conformance suite with the official SDK: the same inputs sent through our Node client and through
 * `@aws-sdk/client-location` (the oracle) to a capturing loopback server, with the same credentials
 * and a fixed clock, must produce the same method, path, host, body and signed headers — and the
 * same signature.
 */
import { CancelJobCommand, GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import { job, roleArn } from "@geojobs/core/TestFixtures"
import { afterAll, beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import type * as Layer from "effect/Layer"

interface Captured {
  readonly method: string
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

const captured: Array<Captured> = []
let server: http.Server
let port = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      captured.push({ method: req.method!, path: req.url!, headers: req.headers, body })
      const path = req.url!
      const answer = path === "/metadata/v0/jobs"
        ? { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn:aws:geo:us-east-1:123456789012:job/j-1", JobId: "j-1", Status: "Pending" }
        : path === "/metadata/v0/jobs/list-jobs"
        ? { Entries: [job("j-1", "Running")] }
        : path === "/metadata/v0/jobs/cancel-job"
        ? { JobArn: "arn:aws:geo:us-east-1:123456789012:job/j-1", JobId: "j-1", Status: "Cancelling" }
        : job(decodeURIComponent(path.split("/").pop()!), "Completed")
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r-1" })
      res.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }
const fixedNow = Date.UTC(2026, 10, 25, 12, 0, 0)

/**
 * The SDK's telemetry headers, which we send too: `amz-sdk-invocation-id` (random per call),
 * `amz-sdk-request` (attempt counter), `x-amz-user-agent` (signed) and `user-agent` (not signed).
 * Their values name different libraries (and one is random), so the oracle records its own values,
 * then signs ours in their place: the signatures stay comparable, and the recorded values are
 * compared with ours by shape (`telemetryOf`).
 */
export const sdkTelemetryHeaders = ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "user-agent"] as const

/** The telemetry headers of a request, by name (absent ones undefined). */
export const telemetryOf = (headers: http.IncomingHttpHeaders) =>
  Object.fromEntries(sdkTelemetryHeaders.map((h) => [h, headers[h] as string | undefined]))

/**
 * Makes `client` record its telemetry headers into `recorded` and sign `ours()`'s values instead
 * (the request our client sent first).
 */
export const signOurTelemetry = (
  client: LocationClient,
  ours: () => http.IncomingHttpHeaders,
  recorded: Array<Record<string, string | undefined>>
) =>
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>) => (args: any) => {
      recorded.push(telemetryOf(args.request.headers))
      const theirs = ours()
      for (const h of sdkTelemetryHeaders) {
        delete args.request.headers[h]
        if (theirs[h] !== undefined) args.request.headers[h] = theirs[h]
      }
      return next(args)
    },
    { relation: "before", toMiddleware: "httpSigningMiddleware", name: "signOurTelemetry" }
  )

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
/** A user agent in the SDK's format: space-separated `name/value` tokens. */
const userAgentFormat = /^[\w.-]+\/[\w.#,!$%&'*+^`|~-]+( [\w.-]+\/[\w.#,!$%&'*+^`|~-]+)*$/

/**
 * Our telemetry headers equal the SDK's in names and shape: the same `amz-sdk-request`, a UUID v4
 * invocation id each, user agents in the SDK's token format with `ua/2.1` and `api/location#`, ours
 * naming geojobs.
 */
export const expectSameTelemetry = (sdk: Record<string, string | undefined>, ours: Record<string, string | undefined>) => {
  expect(Object.keys(ours).filter((h) => ours[h] !== undefined)).toEqual(Object.keys(sdk).filter((h) => sdk[h] !== undefined))
  expect(ours["amz-sdk-request"]).toBe(sdk["amz-sdk-request"])
  expect(sdk["amz-sdk-invocation-id"]).toMatch(uuidV4)
  expect(ours["amz-sdk-invocation-id"]).toMatch(uuidV4)
  for (const h of ["user-agent", "x-amz-user-agent"] as const) {
    expect(sdk[h]).toMatch(userAgentFormat)
    expect(ours[h]).toMatch(userAgentFormat)
    expect(ours[h]).toMatch(/^geojobs\/\d+\.\d+\.\d+ ua\/2\.1 .*api\/location#/)
  }
  expect(sdk["user-agent"]).toMatch(/ ua\/2\.1 .*api\/location#/)
}

let sdkTelemetry: Array<Record<string, string | undefined>> = []

const sdk = () => {
  const client = new LocationClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    disableHostPrefix: true,
    credentials,
    maxAttempts: 1
  })
  signOurTelemetry(client, () => captured[0]!.headers, sdkTelemetry)
  return client
}

/** What a client adapter must offer to be compared: a layer for an endpoint, credentials and no retries. */
export type MakeLayer = (options: {
  readonly region: string
  readonly endpoint: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly retry: false
}) => Layer.Layer<LocationJobs.LocationJobs, unknown>

let ours: () => Layer.Layer<LocationJobs.LocationJobs, unknown>

const signedHeadersOf = (c: Captured) => /SignedHeaders=([^,]+)/.exec(String(c.headers.authorization))?.[1].split(";") ?? []
const signatureOf = (c: Captured) => /Signature=([0-9a-f]{64})/.exec(String(c.headers.authorization))?.[1]

/** Sends one request each way and returns [sdk, ours]. */
const both = async (
  viaSdk: (client: LocationClient) => Promise<unknown>,
  viaUs: Effect.Effect<unknown, unknown, LocationJobs.LocationJobs>
): Promise<[Captured, Captured]> => {
  vi.useFakeTimers({ toFake: ["Date"], now: fixedNow })
  try {
    captured.length = 0
    sdkTelemetry = []
    // ours first: the SDK then signs our telemetry values in place of its own (see `signOurTelemetry`)
    await Effect.runPromise(Effect.provide(viaUs, ours()))
    await viaSdk(sdk())
    expect(captured).toHaveLength(2)
    expect(sdkTelemetry).toHaveLength(1)
    expectSameTelemetry(sdkTelemetry[0]!, telemetryOf(captured[0]!.headers))
    return [captured[1]!, captured[0]!]
  } finally {
    vi.useRealTimers()
  }
}

const expectSameWire = ([a, b]: [Captured, Captured]) => {
  expect(b.method).toBe(a.method)
  expect(b.path).toBe(a.path)
  expect(b.headers.host).toBe(a.headers.host)
  expect(b.body === "" ? undefined : JSON.parse(b.body)).toEqual(a.body === "" ? undefined : JSON.parse(a.body))
  expect(b.body).toBe(a.body) // byte-equal, so the payload hash is too
  expect(b.headers["content-type"]).toBe(a.headers["content-type"])
  expect(b.headers["x-amz-content-sha256"]).toBe(a.headers["x-amz-content-sha256"])
  expect(b.headers["x-amz-date"]).toBe(a.headers["x-amz-date"])
  expect(signedHeadersOf(b)).toEqual(signedHeadersOf(a))
  expect(signatureOf(b)).toBe(signatureOf(a))
  expect(signatureOf(b)).toMatch(/^[0-9a-f]{64}$/)
}

/** A StartJob request with every member set (the SDK's documentation example, with ActionOptions). */
export const startInput = {
  ClientToken: "0b1c9d5e-1f0a-4a4e-9a44-6f7c1c2a9e10",
  Action: "ValidateAddress",
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" },
  Name: "MyFirstValidationJob",
  Tags: { team: "geo", "cost center": "42" },
  ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } }
} as const

/** Registers the conformance suite for one adapter. */
export const conformanceSuite = (name: string, makeLayer: MakeLayer) =>
describe(`wire conformance of ${name} with @aws-sdk/client-location`, () => {
  beforeAll(() => {
    ours = () => makeLayer({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, credentials, retry: false })
  })

  it("StartJob (all members)", async () => {
    expectSameWire(await both((c) => c.send(new StartJobCommand(startInput as never)), LocationJobs.startJob(startInput)))
  })

  it("StartJob (required members only)", async () => {
    const input = { ...startInput, Name: undefined, Tags: undefined, ActionOptions: undefined }
    const minimal = {
      ClientToken: input.ClientToken,
      Action: input.Action,
      ExecutionRoleArn: input.ExecutionRoleArn,
      InputOptions: input.InputOptions,
      OutputOptions: input.OutputOptions
    }
    expectSameWire(await both((c) => c.send(new StartJobCommand(minimal as never)), LocationJobs.startJob(minimal)))
  })

  it("GetJob, with ids that need and do not need escaping", async () => {
    for (const id of ["a.b-c_d", "MyFirstValidationJob-12345678-abcd-1234-5678-abcdef123456"]) {
      expectSameWire(await both((c) => c.send(new GetJobCommand({ JobId: id })), LocationJobs.getJob({ JobId: id })))
    }
  })

  it("ListJobs, empty and with every member", async () => {
    expectSameWire(await both((c) => c.send(new ListJobsCommand({})), LocationJobs.listJobs({})))
    const input = { Filter: { JobStatus: "Running" as const }, MaxResults: 10, NextToken: "t1" }
    expectSameWire(await both((c) => c.send(new ListJobsCommand(input)), LocationJobs.listJobs(input)))
  })

  it("CancelJob", async () => {
    expectSameWire(await both((c) => c.send(new CancelJobCommand({ JobId: "j-1" })), LocationJobs.cancelJob({ JobId: "j-1" })))
  })

  it("our generated ClientToken is a UUID v4, as the SDK's is", async () => {
    const { ClientToken: _, ...rest } = startInput
    const [a, b] = await both((c) => c.send(new StartJobCommand(rest as never)), LocationJobs.startJob(rest))
    const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    expect(JSON.parse(a.body).ClientToken).toMatch(uuidV4)
    expect(JSON.parse(b.body).ClientToken).toMatch(uuidV4)
    expect(Object.keys(JSON.parse(b.body))).toEqual(Object.keys(JSON.parse(a.body)))
  })
})
