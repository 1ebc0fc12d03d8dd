/**
 * Every job command end to end, in-process, against a local service on a free port (runner
 * manual, so the tests decide when jobs move), through `--endpoint-url`-style environment.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { roleArn } from "@geojobs/core/TestFixtures"
import * as Effect from "effect/Effect"
import * as ExitCode from "../src/ExitCode.js"
import { geojobs, json, type Running, startJobArgs, startLocal, tempDir } from "./Harness.js"

let local: Running
let cwd: string
const run = (argv: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
  geojobs(argv, { cwd, env: { ...local.env, ...extra } })
const drive = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

beforeAll(async () => {
  cwd = tempDir()
  local = await startLocal({ dataDir: tempDir("geojobs-cli-svc-"), runner: "manual" })
})
afterAll(() => local.close())

describe("start-job / get-job / cancel-job", () => {
  it("starts a job from the AWS docs' arguments and prints the StartJob response as JSON", async () => {
    const r = await run(startJobArgs("MyFirstCLIJob"))
    expect(r.code).toBe(0)
    const out = json(r)
    expect(out.Status).toBe("Pending")
    expect(out.JobId).toMatch(/^MyFirstCLIJob/)
    expect(out.JobArn).toBe(`arn:aws:geo:us-east-1:000000000000:job/${out.JobId}`)
    expect(out.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/)
    expect(r.stderr).toContain(`geojobs: target: endpoint ${local.info.url} (from AWS_ENDPOINT_URL; region us-east-1)`)

    const got = await run(["get-job", "--job-id", out.JobId])
    expect(got.code).toBe(0)
    expect(json(got)).toMatchObject({
      Action: "ValidateAddress",
      JobId: out.JobId,
      Name: "MyFirstCLIJob",
      InputOptions: { Location: "arn:aws:s3:::my-input-bucket", Format: "Parquet" },
      OutputOptions: { Format: "Parquet", Location: "arn:aws:s3:::my-output-bucket" },
      Status: "Pending"
    })

    const cancelled = await run(["cancel-job", "--job-id", out.JobId])
    expect(cancelled.code).toBe(0)
    expect(json(cancelled)).toMatchObject({ JobId: out.JobId, Status: "Cancelling" })
  })

  it("accepts JSON values, --cli-input-json, tags and a client token (same token → same job)", async () => {
    const args = [
      "start-job",
      "--cli-input-json",
      JSON.stringify({
        Action: "ValidateAddress",
        ExecutionRoleArn: roleArn,
        InputOptions: { Location: "s3://in-bucket/x/", Format: "Parquet" },
        OutputOptions: { Format: "Parquet", Location: "s3://out-bucket/" }
      }),
      "--action-options",
      "{\"ValidateAddress\":{\"AdditionalFeatures\":[\"Position\",\"CountrySpecificAttributes\"]}}",
      "--tags",
      "team=geo,env=test",
      "--client-token",
      "token-123"
    ]
    const first = json(await run(args))
    const again = json(await run(args))
    expect(again.JobId).toBe(first.JobId)
    const got = json(await run(["get-job", "--cli-input-json", JSON.stringify({ JobId: first.JobId })]))
    expect(got.Tags).toEqual({ team: "geo", env: "test" })
    expect(got.ActionOptions).toEqual({ ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } })
  })

  it("defaults to table on a terminal (json otherwise); colours only on a terminal without NO_COLOR", async () => {
    const id = json(await run(startJobArgs("Tty"))).JobId
    const onTty = await geojobs(["get-job", "--job-id", id], { cwd, env: local.env, tty: true })
    expect(onTty.stdout.split("\n")[1]).toMatch(/^\|\s+GetJob\s+\|$/)
    expect((await geojobs(["--help"], { cwd, tty: true })).stdout).toContain("\x1b[")
    expect((await geojobs(["--help"], { cwd, tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\x1b[")
    expect((await geojobs(["--help", "--no-color"], { cwd, tty: true })).stdout).not.toContain("\x1b[")
  })

  it("prints table and text output", async () => {
    const id = json(await run(startJobArgs("Formats"))).JobId
    const table = await run(["get-job", "--job-id", id, "--output", "table"])
    expect(table.code).toBe(0)
    expect(table.stdout.split("\n")[1]).toMatch(/^\|\s+GetJob\s+\|$/)
    expect(table.stdout).toMatch(/\|\s+JobId\s+\|\s+Formats/)
    const text = await run(["--output", "text", "get-job", "--job-id", id])
    expect(text.stdout.split("\n")[0]).toMatch(new RegExp(`^ValidateAddress\t\\S+\t${roleArn}\tarn:aws:geo:\\S+\t${id}\tFormats\tPending\t`))
    expect(text.stdout).toContain("INPUTOPTIONS\tParquet\tarn:aws:s3:::my-input-bucket")
  })
})

describe("list-jobs", () => {
  it("follows every page, honours --page-size, --max-items, --starting-token and --filter", async () => {
    const svcDir = tempDir("geojobs-cli-list-")
    const own = await startLocal({ dataDir: svcDir, runner: "manual" })
    try {
      const r = (argv: ReadonlyArray<string>) => geojobs(argv, { cwd, env: own.env })
      const ids: Array<string> = []
      for (let i = 0; i < 5; i++) ids.push(json(await r(startJobArgs(`Paged${i}`))).JobId)
      await drive(own.info.driver.markRunning(ids[0]!))

      const all = await r(["list-jobs", "--page-size", "2", "--debug"])
      expect(all.code).toBe(0)
      expect(json(all).Entries.map((e: { JobId: string }) => e.JobId).sort()).toEqual([...ids].sort())
      expect(json(all).NextToken).toBeUndefined()
      const posts = all.stderr.split("\n").filter((l) => l.startsWith("geojobs: debug: > POST"))
      expect(posts).toHaveLength(3)
      expect(all.stderr).toContain("geojobs: debug: > {\"MaxResults\":2}")

      const first = json(await r(["list-jobs", "--page-size", "2", "--max-items", "3"]))
      expect(first.Entries).toHaveLength(3)
      expect(typeof first.NextToken).toBe("string")
      const rest = json(await r(["list-jobs", "--page-size", "2", "--starting-token", first.NextToken]))
      expect(rest.NextToken).toBeUndefined()
      expect([...first.Entries, ...rest.Entries].map((e: { JobId: string }) => e.JobId).sort()).toEqual([...ids].sort())

      const one = json(await r(["list-jobs", "--page-size", "2", "--no-paginate"]))
      expect(one.Entries).toHaveLength(2)
      expect(typeof one.NextToken).toBe("string")

      const running = json(await r(["list-jobs", "--filter", "JobStatus=Running"]))
      expect(running.Entries.map((e: { JobId: string }) => e.JobId)).toEqual([ids[0]])
      const pending = await r(["list-jobs", "--filter", "{\"JobStatus\":\"Pending\"}", "--output", "text"])
      expect(pending.stdout.split("\n").filter((l) => l.startsWith("ENTRIES\t"))).toHaveLength(4)
    } finally {
      await own.close()
    }
  })
})

describe("wait job-completed", () => {
  const started = async (name: string) => json(await run(startJobArgs(name))).JobId as string

  it("exits 0 when the job Completes, printing nothing (as the AWS CLI)", async () => {
    const id = await started("WaitOk")
    await drive(local.info.driver.markRunning(id))
    await drive(local.info.driver.markCompleted(id))
    const r = await run(["wait", "job-completed", "--job-id", id])
    expect(r.code).toBe(ExitCode.Ok)
    expect(r.stdout).toBe("")
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^geojobs: target: /)])
  })

  it("exits 3 when the job Fails: the AWS CLI's line (its Error makes it an error), then the job's error", async () => {
    const id = await started("WaitFailed")
    await drive(local.info.driver.markRunning(id))
    await drive(local.info.driver.markFailed(id, { Code: "ValidationError", Messages: ["no input files"] }))
    const r = await run(["wait", "job-completed", "--job-id", id])
    expect(r.code).toBe(ExitCode.JobFailed)
    expect(r.stderr).toContain("geojobs: Waiter JobCompleted failed: An error occurred (ValidationError): Unknown\n")
    expect(r.stderr).toContain(`geojobs: job ${id} Failed: ValidationError: no input files`)
  })

  it("exits 4 when the job is Cancelled: a terminal failure state", async () => {
    const id = await started("WaitCancelled")
    expect((await run(["cancel-job", "--job-id", id])).code).toBe(0)
    await drive(local.info.driver.completeCancellation(id))
    const r = await run(["wait", "job-completed", "--job-id", id])
    expect(r.code).toBe(ExitCode.JobCancelled)
    expect(r.stderr).toContain(
      "geojobs: Waiter JobCompleted failed: Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"Cancelled\""
    )
  })

  it("exits 5 when --timeout passes: max attempts exceeded, with the status it saw", async () => {
    const id = await started("WaitTimeout")
    const r = await run(["wait", "job-completed", "--job-id", id, "--timeout", "1s", "--delay", "100ms"])
    expect(r.code).toBe(ExitCode.WaitTimeout)
    expect(r.stderr).toContain("geojobs: Waiter JobCompleted failed: Max attempts exceeded\n")
    expect(r.stderr).toContain(`geojobs: job ${id} still Pending`)
  })

  it("draws a live status line on a terminal", async () => {
    const id = await started("WaitTty")
    await drive(local.info.driver.markRunning(id))
    await drive(local.info.driver.markCompleted(id))
    const r = await geojobs(["wait", "job-completed", "--job-id", id], { cwd, env: local.env, tty: true })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`\r\x1b[2Kjob ${id}: Completed`)
  })

  it("ends at once on a service error, as the AWS CLI's waiter (not the SDK's, which polls on)", async () => {
    const began = Date.now()
    const r = await run(["wait", "job-completed", "--job-id", "no-such-job", "--timeout", "30s"])
    expect(r.code).toBe(ExitCode.Unreachable)
    expect(r.stderr).toContain("geojobs: Waiter JobCompleted failed: An error occurred (ResourceNotFoundException): ")
    expect(Date.now() - began).toBeLessThan(15_000)
  })
})

describe("bad input: one clear line, a non-zero exit, no stack trace", () => {
  const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /)

  it("an unknown flag", async () => {
    const r = await run(["get-job", "--job-id", "x", "--bogus"])
    expect(r.code).toBe(ExitCode.Usage)
    expect(r.stderr).toBe("geojobs: Unknown options: --bogus\n")
    noStack(r.stderr)
  })

  it("an unknown command, and a missing required option", async () => {
    expect((await run(["describe-job"])).code).toBe(ExitCode.Usage)
    const r = await run(["start-job", "--action", "ValidateAddress"])
    expect(r.code).toBe(ExitCode.Usage)
    expect(r.stderr).toContain("geojobs: the following arguments are required: --execution-role-arn, --input-options, --output-options")
  })

  it("malformed shorthand and JSON", async () => {
    const shorthand = await run([...startJobArgs("Bad").slice(0, 5), "--input-options", "Location", "--output-options", "Location=s3://b/,Format=Parquet"])
    expect(shorthand.code).toBe(ExitCode.Usage)
    expect(shorthand.stderr).toMatch(/^geojobs: Error parsing parameter '--input-options': Invalid shorthand: /m)
    const badJson = await run(["start-job", "--cli-input-json", "{\"Action\": "])
    expect(badJson.code).toBe(ExitCode.Usage)
    expect(badJson.stderr).toBe("geojobs: Error parsing parameter 'cli-input-json': Invalid JSON received.\n")
    noStack(badJson.stderr)
  })

  it("a request the AWS CLI's own check refuses: every problem on its line, nothing sent", async () => {
    const r = await run([
      ...startJobArgs("Checked").slice(0, 5),
      "--input-options",
      "Location=s3://b/,Fromat=Parquet",
      "--output-options",
      "Location=s3://b/,Format=Parquet",
      "--client-token",
      "",
      "--debug"
    ])
    expect(r.code).toBe(ExitCode.Usage)
    expect(r.stderr.split("\n").slice(0, 4)).toEqual([
      "geojobs: Parameter validation failed:",
      "Invalid length for parameter ClientToken, value: 0, valid min length: 1",
      "Missing required parameter in InputOptions: \"Format\"",
      "Unknown parameter in InputOptions: \"Fromat\", must be one of: Location, Format"
    ])
    expect(r.stderr).not.toContain("debug: > POST")
  })

  it("--generate-cli-skeleton, and --cli-input-yaml with file://", async () => {
    const skeleton = await run(["start-job", "--generate-cli-skeleton", "yaml-input"])
    expect(skeleton.code).toBe(0)
    expect(skeleton.stdout).toContain("Action: ValidateAddress # [REQUIRED] The action to perform on the input data. Valid values are: ValidateAddress.\n")
    const sample = await run(["cancel-job", "--job-id", "x", "--generate-cli-skeleton", "output", "--output", "text"])
    expect(sample.stdout).toBe("JobArn\tJobId\tStatus\n")
    const fs = await import("node:fs")
    fs.writeFileSync(`${cwd}/job.yaml`, `${skeleton.stdout}`.replace("Location: ''", "Location: s3://in-bucket/").replace("Location: ''", "Location: s3://out-bucket/").replace("ExecutionRoleArn: ''", `ExecutionRoleArn: ${roleArn}`).replace("ClientToken: ''", "ClientToken: yaml-1").replace("Name: ''", "Name: FromYaml").replace("KeyName: ''", "team: geo"))
    const started = await run(["start-job", "--cli-input-yaml", "file://job.yaml"])
    expect(started.code).toBe(0)
    const job = json(await run(["get-job", "--job-id", json(started).JobId]))
    expect(job).toMatchObject({ Name: "FromYaml", Tags: { team: "geo" }, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } } })
  })

  it("a request the API rejects is named field by field, and nothing is sent", async () => {
    const r = await run(["start-job", ...startJobArgs("bad name!").slice(1), "--debug"])
    expect(r.code).toBe(ExitCode.ServiceError)
    expect(r.stderr).toMatch(/geojobs: An error occurred \(ValidationException\) when calling the StartJob operation: .*Name/)
    expect(r.stderr).not.toContain("debug: > POST")
  })

  it("an endpoint that refuses connections", async () => {
    const r = await geojobs(["get-job", "--job-id", "x", "--endpoint-url", "http://127.0.0.1:9"], { cwd })
    expect(r.code).toBe(ExitCode.Unreachable)
    expect(r.stderr).toMatch(/^geojobs: cannot reach the service: /m)
    expect(r.stderr.trim().split("\n")).toHaveLength(2) // the target line and the error
    noStack(r.stderr)
  })

  it("--debug logs the wire with secrets redacted, and the cause of a failure", async () => {
    const r = await run(["get-job", "--job-id", "no-such-job", "--debug"], { AWS_SESSION_TOKEN: "very-secret-session-token" })
    expect(r.stderr).toContain(`geojobs: debug: > GET ${local.info.url}/metadata/v0/jobs/no-such-job`)
    expect(r.stderr).toContain("geojobs: debug: >   authorization: <redacted>")
    expect(r.stderr).toContain("geojobs: debug: >   x-amz-security-token: <redacted>")
    expect(r.stderr).toContain("geojobs: debug: < 404")
    expect(r.stderr).not.toContain("very-secret-session-token")
    expect(r.stderr).not.toMatch(/Signature=[0-9a-f]{64}/)
  })
})
