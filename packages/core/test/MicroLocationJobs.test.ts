/**
 * The Micro client over a scripted transport: nothing sent for invalid requests, the ClientToken
 * made once and reused by retries, standard retry (attempts, throttling base, Retry-After, budget,
 * what is not retried), the attempt timeout (which aborts the request), transport failures, error
 * decoding per operation, pagination, and use from `Effect` programs.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Micro from "effect/Micro"
import type * as Job from "../src/Job.js"
import * as MicroLocationJobs from "../src/MicroLocationJobs.js"
import { LocationJobsClientError } from "../src/MicroLocationJobsError.js"
import { awsError, client, failure, job, ok, started, startInput } from "./support/ScriptedMicro.js"
import { newerJob, newerOutputs, newValues, operations, serviceErrors, wrongTypes } from "./support/ServiceAnswers.js"

/** Runs one operation with a valid input. */
const call = (jobs: MicroLocationJobs.MicroLocationJobs, op: (typeof operations)[number]) =>
  op === "StartJob"
    ? jobs.startJob(startInput)
    : op === "GetJob"
    ? jobs.getJob({ JobId: "j-1" })
    : op === "ListJobs"
    ? jobs.listJobs({})
    : jobs.cancelJob({ JobId: "j-1" })

describe("MicroLocationJobs requests", () => {
  it("StartJob: POST /metadata/v0/jobs to the metadata. host, JSON body, content-length, a UUID v4 token", async () => {
    const c = client([ok()])
    const out = await Micro.runPromise(c.jobs.startJob(startInput))
    expect(out).toStrictEqual({ ...started, CreatedAt: new Date("2024-01-01T00:00:00Z") })
    const [sent] = c.sent
    expect(sent!.method).toBe("POST")
    expect(sent!.url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs")
    expect(sent!.headers["content-type"]).toBe("application/json")
    expect(sent!.headers["content-length"]).toBe(String(new TextEncoder().encode(sent!.body).length))
    expect(JSON.parse(sent!.body!).ClientToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it("GetJob: GET with the id escaped into the path, no body, no content headers; a custom endpoint keeps its prefix rule", async () => {
    const c = client([ok(job("a.b-c_d", "Completed"))], { endpoint: "http://localhost:4566", disableHostPrefix: true })
    const out = await Micro.runPromise(c.jobs.getJob({ JobId: "a.b-c_d" }))
    expect(out.Status).toBe("Completed")
    expect(out.UpdatedAt).toStrictEqual(new Date("2024-01-01T00:10:00.500Z"))
    expect(c.sent[0]).toMatchObject({ method: "GET", url: "http://localhost:4566/metadata/v0/jobs/a.b-c_d", headers: {}, body: undefined })
    const prefixed = client([ok(job("j", "Running"))], { endpoint: "http://localhost:4566" })
    await Micro.runPromise(prefixed.jobs.getJob({ JobId: "j" }))
    expect(prefixed.sent[0]!.url).toBe("http://metadata.localhost:4566/metadata/v0/jobs/j")
  })

  it("ListJobs sends {} when empty; CancelJob sends the id in the body", async () => {
    const c = client([ok({ Entries: [] }), ok({ JobArn: started.JobArn, JobId: "j-1", Status: "Cancelling" })])
    expect(await Micro.runPromise(c.jobs.listJobs())).toStrictEqual({ Entries: [] })
    expect(await Micro.runPromise(c.jobs.cancelJob({ JobId: "j-1" }))).toMatchObject({ Status: "Cancelling" })
    expect(c.sent.map((s) => [s.url.replace(/^https:\/\/[^/]+/, ""), s.body])).toEqual([
      ["/metadata/v0/jobs/list-jobs", "{}"],
      ["/metadata/v0/jobs/cancel-job", `{"JobId":"j-1"}`]
    ])
  })

  it("an invalid request fails with a ValidationException naming every bad field, and nothing is sent", async () => {
    const c = client([ok()])
    const error = await failure(c.jobs.startJob({ ...startInput, Name: "bad name", ClientToken: "" }))
    expect(error._tag).toBe("ValidationException")
    if (error._tag !== "ValidationException") return
    expect(error.fieldList.map((f) => f.name)).toEqual(["ClientToken", "Name"])
    expect(error.clientSide).toBe(true)
    expect(error.status).toBeUndefined()
    expect(await failure(c.jobs.getJob({ JobId: "" }))).toMatchObject({ _tag: "ValidationException", reason: "FieldValidationFailed" })
    expect(await failure(c.jobs.listJobs({ MaxResults: 0 }))).toMatchObject({ fieldList: [{ name: "MaxResults" }] })
    expect(c.sent).toHaveLength(0)
  })

  it("a bad endpoint setting fails every call with a Configuration error, nothing sent", async () => {
    const c = client([ok()], { region: undefined })
    expect(c.jobs.endpoint).toBeInstanceOf(LocationJobsClientError)
    expect(await failure(c.jobs.getJob({ JobId: "j" }))).toMatchObject({ _tag: "LocationJobsClientError", reason: "Configuration" })
    expect(c.sent).toHaveLength(0)
  })
})

describe("MicroLocationJobs errors, per operation", () => {
  const cases = [
    ["StartJob", awsError(403, "AccessDeniedException"), "AccessDeniedException"],
    ["StartJob", awsError(400, "ValidationException", { reason: "FieldValidationFailed", fieldList: [{ name: "JobId", message: "too long" }] }), "ValidationException"],
    ["GetJob", { status: 404, body: { __type: "com.amazonaws.location#ResourceNotFoundException", message: "not found" } }, "ResourceNotFoundException"],
    ["CancelJob", { status: 404, body: { __type: "com.amazonaws.location#ResourceNotFoundException", message: "not found" } }, "ResourceNotFoundException"],
    ["CancelJob", { status: 503, body: { __type: "com.amazonaws.location#ServiceUnavailableException", message: "later" } }, "LocationJobsClientError"],
    ["ListJobs", { status: 429, body: { code: "ThrottlingException", Message: "slow down" } }, "ThrottlingException"],
    ["ListJobs", { status: 500, body: { message: "boom" } }, "LocationJobsClientError"]
  ] as const
  for (const [op, reply, tag] of cases) {
    it(`${op}: ${reply.status} → ${tag}`, async () => {
      const c = client([reply], { retry: false })
      const error: any = await failure(call(c.jobs, op) as Micro.Micro<unknown, { readonly _tag: string }>)
      expect(error._tag).toBe(tag)
      expect(error.status).toBe(reply.status)
      expect(error.requestId).toBe("req-1")
      if (tag === "ValidationException") expect(error).toMatchObject({ reason: "FieldValidationFailed", fieldList: [{ name: "JobId", message: "too long" }] })
      if (op === "CancelJob" && tag === "LocationJobsClientError") expect(error).toMatchObject({ reason: "UnknownServiceError", code: "ServiceUnavailableException" })
      if (op === "ListJobs" && tag === "LocationJobsClientError") expect(error.message).toBe("ListJobs: HTTP 500 with no error code: boom")
      expect(error).toBeInstanceOf(Error)
    })
  }

  // Every error the service defines decodes typed on every operation, whatever the operation's
  // model lists, as the official SDK looks codes up service-wide.
  for (const op of operations) {
    for (const [code, status] of serviceErrors) {
      it(`${op}: ${code} (${status}) → typed ${code}`, async () => {
        const body = code === "ValidationException" ? { reason: "Missing", fieldList: [{ name: "JobId", message: "required" }] } : {}
        const c = client([awsError(status, code, body)], { retry: false })
        const error: any = await failure(call(c.jobs, op) as Micro.Micro<unknown, { readonly _tag: string }>)
        expect(error._tag).toBe(code)
        expect(error).toMatchObject({ message: `${code} happened`, status, requestId: "req-1" })
        if (code === "ValidationException") expect(error).toMatchObject({ reason: "Missing", fieldList: [{ name: "JobId", message: "required" }] })
        expect(error).toBeInstanceOf(Error)
      })
    }
  }

  it("a 2xx that is not the output is UndecodableResponse, not retried", async () => {
    const c = client([ok({ JobId: "j" })])
    expect(await failure(c.jobs.startJob(startInput))).toMatchObject({ reason: "UndecodableResponse", status: 200 })
    expect(c.sent).toHaveLength(1)
  })
})

describe("MicroLocationJobs lenient responses", () => {
  for (const op of operations) {
    it(`${op}: new enum values kept as strings, new members dropped, no request constraints applied`, async () => {
      const c = client([ok(newerOutputs[op].wire)])
      expect(await Micro.runPromise(call(c.jobs, op) as Micro.Micro<unknown, unknown>)).toStrictEqual(newerOutputs[op].decoded)
    })
  }

  it("open values: any string fits the member types", async () => {
    const c = client([ok(newerJob())])
    const job = await Micro.runPromise(c.jobs.getJob({ JobId: "j-1" }))
    const later: string = newValues.Status
    const status: Job.GetJobResponse["Status"] = later
    expect(status).toBe(job.Status)
    expect(job.Error?.Code).toBe(newValues.Code)
  })

  for (const [what, op, body] of wrongTypes) {
    it(`${op}: ${what} → UndecodableResponse`, async () => {
      const c = client([ok(body)])
      expect(await failure(call(c.jobs, op) as Micro.Micro<unknown, unknown>)).toMatchObject({
        _tag: "LocationJobsClientError",
        reason: "UndecodableResponse",
        status: 200,
        requestId: "req-1"
      })
    })
  }
})

describe("MicroLocationJobs retry", () => {
  it("retries a 500 and reuses the same ClientToken on every attempt", async () => {
    const c = client([awsError(500, "InternalServerException"), awsError(503, "ServiceUnavailable"), ok()])
    const out = await Micro.runPromise(c.jobs.startJob(startInput))
    expect(out.JobId).toBe("j-1")
    expect(c.sent).toHaveLength(3)
    const tokens = c.sent.map((s) => JSON.parse(s.body!).ClientToken)
    expect(new Set(tokens).size).toBe(1)
    expect(c.retries.map((r) => [r.attempt, r.reason, r.error._tag])).toEqual([
      [1, "transient", "InternalServerException"],
      [2, "transient", "LocationJobsClientError"]
    ])
  })

  it("gives up after 3 attempts with the last error", async () => {
    const c = client([awsError(500, "InternalServerException")])
    expect(await failure(c.jobs.getJob({ JobId: "j" }))).toMatchObject({ _tag: "InternalServerException" })
    expect(c.sent).toHaveLength(3)
  })

  it("throttling uses the throttling base; full jitter stays under base · 2^(n-1)", async () => {
    const c = client([awsError(429, "ThrottlingException")], { random: () => 0.999, retry: { throttlingBaseDelayMs: 20, baseDelayMs: 1 } })
    await failure(c.jobs.listJobs({}))
    expect(c.retries.map((r) => [r.reason, r.delayMs])).toEqual([["throttling", 19], ["throttling", 39]])
    expect(c.sent[2]!.at - c.sent[1]!.at).toBeGreaterThanOrEqual(35)
  })

  it("honours retry-after (seconds) and x-amz-retry-after (ms), capped by maxDelay", async () => {
    const c = client([
      awsError(503, "InternalServerException", {}, { "retry-after": "0.05" }),
      awsError(503, "InternalServerException", {}, { "x-amz-retry-after": "5000" }),
      ok()
    ], { random: () => 0, retry: { maxDelayMs: 30, baseDelayMs: 1 } })
    await Micro.runPromise(c.jobs.startJob(startInput))
    expect(c.retries.map((r) => [r.delayMs, r.retryAfterMs])).toEqual([[30, 50], [30, 5000]])
  })

  it("the retry budget is shared by the client's calls and refuses retries once spent", async () => {
    const c = client([awsError(500, "InternalServerException")], { retry: { budgetCapacity: 7, baseDelayMs: 1 } })
    await failure(c.jobs.getJob({ JobId: "a" })) // one retry (5 tokens), then 2 left: the second is refused
    expect(c.sent).toHaveLength(2)
    await failure(c.jobs.getJob({ JobId: "b" }))
    expect(c.sent).toHaveLength(3)
  })

  it("does not retry client errors (400, 403) nor when retry is off", async () => {
    const c = client([awsError(403, "AccessDeniedException")])
    await failure(c.jobs.getJob({ JobId: "a" }))
    expect(c.sent).toHaveLength(1)
    const off = client([awsError(500, "InternalServerException")], { retry: false })
    await failure(off.jobs.getJob({ JobId: "a" }))
    expect(off.sent).toHaveLength(1)
  })

  it("a transport failure names the operation and is retried", async () => {
    const c = client([{ transportError: "ECONNRESET" }, ok()])
    await Micro.runPromise(c.jobs.startJob(startInput))
    expect(c.retries[0]!.error).toMatchObject({ reason: "Transport", message: "StartJob: could not reach the service: ECONNRESET (https://metadata.geo.us-east-1.amazonaws.com)" })
    const down = client([{ transportError: "ECONNREFUSED" }], { retry: false })
    expect(await failure(down.jobs.getJob({ JobId: "a" }))).toMatchObject({ reason: "Transport", message: "GetJob: could not reach the service: ECONNREFUSED (https://metadata.geo.us-east-1.amazonaws.com)" })
  })
})

describe("MicroLocationJobs attempt timeout", () => {
  it("fails an attempt with no answer in time with Timeout, aborts it, and retries it", async () => {
    const c = client([{ hang: true }, { hang: true }, ok()], { attemptTimeoutMs: 30 })
    const out = await Micro.runPromise(c.jobs.startJob(startInput))
    expect(out.JobId).toBe("j-1")
    expect(c.sent).toHaveLength(3)
    expect(c.aborted).toEqual([true, true])
    expect(c.retries[0]!.error).toMatchObject({ reason: "Timeout", message: "StartJob: no answer from https://metadata.geo.us-east-1.amazonaws.com within 30ms (attemptTimeoutMs)" })
  })

  it("gives up with the Timeout error after the last attempt", async () => {
    const c = client([{ hang: true }], { attemptTimeoutMs: 20, retry: { maxAttempts: 2, baseDelayMs: 1 } })
    const t0 = Date.now()
    expect(await failure(c.jobs.getJob({ JobId: "j" }))).toMatchObject({ _tag: "LocationJobsClientError", reason: "Timeout" })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(38)
    expect(c.sent).toHaveLength(2)
  })
})

describe("MicroLocationJobs pagination", () => {
  const pages = [
    ok({ Entries: [job("a", "Running"), job("b", "Pending")], NextToken: "t1" }),
    ok({ Entries: [job("c", "Completed")], NextToken: "t2" }),
    ok({ Entries: [], NextToken: "t2" })
  ]

  it("listAllJobs follows NextToken and stops on a repeated token", async () => {
    const c = client(pages)
    const all = await Micro.runPromise(MicroLocationJobs.listAllJobs(c.jobs, { Filter: { JobStatus: "Running" } }, { pageSize: 2 }))
    expect(all.map((j) => j.JobId)).toEqual(["a", "b", "c"])
    expect(c.sent.map((s) => JSON.parse(s.body!))).toEqual([
      { Filter: { JobStatus: "Running" }, MaxResults: 2 },
      { Filter: { JobStatus: "Running" }, MaxResults: 2, NextToken: "t1" },
      { Filter: { JobStatus: "Running" }, MaxResults: 2, NextToken: "t2" }
    ])
  })

  it("listJobsPages yields each page to for await", async () => {
    const c = client(pages)
    const seen: Array<number> = []
    for await (const page of MicroLocationJobs.listJobsPages(c.jobs, {}, { startingToken: "t0" })) seen.push(page.Entries.length)
    expect(seen).toEqual([2, 1, 0])
    expect(JSON.parse(c.sent[0]!.body!)).toEqual({ NextToken: "t0" })
  })
})

describe("MicroLocationJobs in Effect programs", () => {
  it.effect("operations are Effects: yield them, catch their errors by tag", () =>
    Effect.gen(function*() {
      const c = client([ok(), awsError(404, "ResourceNotFoundException")], { retry: false })
      const { JobId } = yield* c.jobs.startJob(startInput)
      expect(JobId).toBe("j-1")
      const status = yield* c.jobs.getJob({ JobId }).pipe(
        Effect.map((j) => j.Status as string),
        Effect.catchTag("ResourceNotFoundException", (e) => Effect.succeed(`missing (${e.status})`))
      )
      expect(status).toBe("missing (404)")
    }))
})
