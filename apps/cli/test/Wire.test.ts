/**
 * The wire requests of every command equal what the AWS CLI sends for the same arguments
 * (method, path, body). The AWS CLI is not installed here; its wire form for these operations is
 * the REST-JSON of the official JS SDK (spec §3), so `@aws-sdk/client-location` is the oracle:
 * both are sent to a capturing server on 127.0.0.1, and the StartJob body of the AWS docs'
 * example is also checked against the JSON written out by hand.
 */
import { CancelJobCommand, GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { roleArn } from "@geojobs/core/TestFixtures"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { geojobs, tempDir } from "./Harness.js"

interface Captured {
  readonly method: string
  readonly path: string
  readonly body: string
  readonly headers: Http.IncomingHttpHeaders
}

let server: Http.Server
let url: string
let captured: Array<Captured> = []

const job = (id: string) => ({
  Action: "ValidateAddress",
  CreatedAt: "2024-01-01T00:00:00Z",
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "arn:aws:s3:::my-input-bucket", Format: "Parquet" },
  JobArn: `arn:aws:geo:us-west-2:123456789012:job/${id}`,
  JobId: id,
  OutputOptions: { Format: "Parquet", Location: "arn:aws:s3:::my-output-bucket" },
  Status: "Completed",
  UpdatedAt: "2024-01-01T01:00:00Z",
  EndedAt: "2024-01-01T01:00:00Z"
})

const answer = (method: string, path: string): unknown => {
  if (method === "POST" && path === "/metadata/v0/jobs") {
    return { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn:aws:geo:us-west-2:123456789012:job/MyFirstCLIJob-1", JobId: "MyFirstCLIJob-1", Status: "Pending" }
  }
  if (method === "POST" && path === "/metadata/v0/jobs/list-jobs") return { Entries: [job("j1")] }
  if (method === "POST" && path === "/metadata/v0/jobs/cancel-job") {
    return { JobArn: "arn:aws:geo:us-west-2:123456789012:job/j1", JobId: "j1", Status: "Cancelling" }
  }
  return job(decodeURIComponent(path.split("/").pop()!))
}

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true"
  server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const path = req.url ?? "/"
      captured.push({ method: req.method ?? "", path, body: Buffer.concat(chunks).toString("utf8"), headers: req.headers })
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "req-1" })
      res.end(JSON.stringify(answer(req.method ?? "", path.split("?")[0]!)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const env = () => ({ AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" })

/** What `geojobs <argv> --endpoint-url <capture>` sent. */
const cli = async (argv: ReadonlyArray<string>) => {
  captured = []
  const r = await geojobs([...argv, "--endpoint-url", url], { cwd: tempDir(), env: env() })
  expect(r.stderr).not.toMatch(/geojobs: (?!target|job )/)
  expect(r.code).toBe(0)
  return captured
}

/** What the official SDK sent for the same input. */
const sdk = async (send: (client: LocationClient) => Promise<unknown>) => {
  captured = []
  const client = new LocationClient({
    region: "us-west-2",
    endpoint: url,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    disableHostPrefix: true
  })
  await send(client)
  client.destroy()
  return captured
}

const wire = (c: ReadonlyArray<Captured>) => c.map(({ body, method, path }) => ({ method, path, body }))
const withoutToken = (c: ReadonlyArray<Captured>) =>
  c.map(({ body, method, path }) => {
    const parsed = body === "" ? undefined : JSON.parse(body)
    if (parsed !== undefined) delete parsed.ClientToken
    return { method, path, body: parsed }
  })

const docsExample = [
  "start-job",
  "--action",
  "ValidateAddress",
  "--execution-role-arn",
  roleArn,
  "--input-options",
  "Location=arn:aws:s3:::my-input-bucket,Format=Parquet",
  "--name",
  "MyFirstCLIJob",
  "--output-options",
  "Location=arn:aws:s3:::my-output-bucket,Format=Parquet",
  "--region",
  "us-west-2"
]
const docsInput = {
  Action: "ValidateAddress" as const,
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "arn:aws:s3:::my-input-bucket", Format: "Parquet" as const },
  Name: "MyFirstCLIJob",
  OutputOptions: { Location: "arn:aws:s3:::my-output-bucket", Format: "Parquet" as const }
}

describe("wire requests equal the AWS CLI's (official SDK as oracle)", () => {
  it("start-job, the AWS docs' example (spec §3.1 CLI): the expected JSON, a UUID token, signed for us-west-2", async () => {
    const [sent] = await cli(docsExample)
    expect(sent!.method).toBe("POST")
    expect(sent!.path).toBe("/metadata/v0/jobs")
    const body = JSON.parse(sent!.body)
    expect(body.ClientToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(body).toEqual({
      Action: "ValidateAddress",
      ExecutionRoleArn: roleArn,
      InputOptions: { Location: "arn:aws:s3:::my-input-bucket", Format: "Parquet" },
      OutputOptions: { Format: "Parquet", Location: "arn:aws:s3:::my-output-bucket" },
      ClientToken: body.ClientToken,
      Name: "MyFirstCLIJob"
    })
    expect(sent!.headers["content-type"]).toBe("application/json")
    expect(sent!.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/geo\/aws4_request/)
    expect(withoutToken([sent!])).toEqual(withoutToken(await sdk((c) => c.send(new StartJobCommand(docsInput)))))
  })

  it("start-job with features, tags and a client token: byte for byte the SDK's body", async () => {
    const args = [
      ...docsExample,
      "--action-options",
      "{\"ValidateAddress\":{\"AdditionalFeatures\":[\"Position\",\"CountrySpecificAttributes\"]}}",
      "--tags",
      "team=geo,env=prod",
      "--client-token",
      "my-token-1"
    ]
    const ours = await cli(args)
    const theirs = await sdk((c) =>
      c.send(
        new StartJobCommand({
          ...docsInput,
          ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } },
          Tags: { team: "geo", env: "prod" },
          ClientToken: "my-token-1"
        })
      )
    )
    expect(wire(ours)).toEqual(wire(theirs))
  })

  it("the same start-job through --cli-input-json and shorthand action options sends the same body", async () => {
    const viaJson = await cli([
      "start-job",
      "--cli-input-json",
      JSON.stringify({ ...docsInput, ClientToken: "t2", ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } } })
    ])
    const viaFlags = await cli([...docsExample, "--client-token", "t2", "--action-options", "ValidateAddress={AdditionalFeatures=[Position]}"])
    expect(wire(viaJson)).toEqual(wire(viaFlags))
    expect(withoutToken(viaJson)).toEqual(
      withoutToken(await sdk((c) => c.send(new StartJobCommand({ ...docsInput, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } } }))))
    )
  })

  it("get-job and wait job-completed: GET /metadata/v0/jobs/{JobId}, no body", async () => {
    const theirs = wire(await sdk((c) => c.send(new GetJobCommand({ JobId: "MyFirstCLIJob-1" }))))
    expect(wire(await cli(["get-job", "--job-id", "MyFirstCLIJob-1"]))).toEqual(theirs)
    expect(wire(await cli(["wait", "job-completed", "--job-id", "MyFirstCLIJob-1"]))).toEqual(theirs)
    expect(theirs).toEqual([{ method: "GET", path: "/metadata/v0/jobs/MyFirstCLIJob-1", body: "" }])
  })

  it("list-jobs: {} without options; Filter and MaxResults from --filter and --page-size", async () => {
    const plain = wire(await cli(["list-jobs"]))
    expect(plain).toEqual(wire(await sdk((c) => c.send(new ListJobsCommand({})))))
    expect(plain).toEqual([{ method: "POST", path: "/metadata/v0/jobs/list-jobs", body: "{}" }])
    expect(wire(await cli(["list-jobs", "--filter", "JobStatus=Running", "--page-size", "10"]))).toEqual(
      wire(await sdk((c) => c.send(new ListJobsCommand({ Filter: { JobStatus: "Running" }, MaxResults: 10 }))))
    )
  })

  it("list-jobs resuming from a service token, and through --cli-input-json", async () => {
    const theirs = wire(await sdk((c) => c.send(new ListJobsCommand({ MaxResults: 10, NextToken: "t1" }))))
    expect(wire(await cli(["list-jobs", "--page-size", "10", "--starting-token", "t1"]))).toEqual(theirs)
    expect(wire(await cli(["list-jobs", "--cli-input-json", "{\"MaxResults\":10,\"NextToken\":\"t1\"}"]))).toEqual(theirs)
  })

  it("cancel-job: POST /metadata/v0/jobs/cancel-job with the id in the body", async () => {
    const ours = wire(await cli(["cancel-job", "--job-id", "j1"]))
    expect(ours).toEqual(wire(await sdk((c) => c.send(new CancelJobCommand({ JobId: "j1" })))))
    expect(ours).toEqual([{ method: "POST", path: "/metadata/v0/jobs/cancel-job", body: "{\"JobId\":\"j1\"}" }])
  })
})
