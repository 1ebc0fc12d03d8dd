import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import type { GetJobResponse } from "../src/Job.js"
import type { LocationJobsError } from "../src/LocationJobsError.js"
import { awsError, json, jobBody, makeScripted, type Reply, startOk, validStart } from "./support/ScriptedHttp.js"
import { newerJob, newerOutputs, newerTags, newValues, operations, serviceErrors, wrongTypes } from "./support/ServiceAnswers.js"

const clientWith = (replies: Array<Reply>, options: Partial<LocationJobsClient.ClientOptions> = {}) => {
  const http = makeScripted(replies)
  const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false, ...options }).pipe(Layer.provide(http.layer))
  return { http, layer }
}

const ops = {
  StartJob: () => LocationJobs.startJob(validStart),
  GetJob: () => LocationJobs.getJob({ JobId: "job-1" }),
  ListJobs: () => LocationJobs.listJobs({}),
  CancelJob: () => LocationJobs.cancelJob({ JobId: "job-1" })
} as const

describe("request encoding", () => {
  it.effect("StartJob: POST /metadata/v0/jobs with the SDK's member order and a UUID v4 token", () => {
    const { http, layer } = clientWith([startOk()])
    return Effect.gen(function*() {
      const out = yield* LocationJobs.startJob({
        ...validStart,
        Name: "MyJob",
        Tags: { team: "geo" },
        ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
      })
      expect(out.JobId).toBe("job-1")
      expect(out.CreatedAt).toBeInstanceOf(Date)
      expect(out.CreatedAt.toISOString()).toBe("2024-01-01T00:00:00.000Z")
      const [sent] = http.sent
      expect(sent.method).toBe("POST")
      expect(sent.url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs")
      expect(sent.headers["content-type"]).toBe("application/json")
      const body = JSON.parse(sent.body!)
      expect(Object.keys(body)).toEqual([
        "Action",
        "ExecutionRoleArn",
        "InputOptions",
        "OutputOptions",
        "ClientToken",
        "ActionOptions",
        "Name",
        "Tags"
      ])
      expect(Object.keys(body.InputOptions)).toEqual(["Location", "Format"])
      expect(Object.keys(body.OutputOptions)).toEqual(["Format", "Location"])
      expect(body.ClientToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }).pipe(Effect.provide(layer))
  })

  it.effect("StartJob keeps a caller's ClientToken", () => {
    const { http, layer } = clientWith([startOk()])
    return Effect.gen(function*() {
      yield* LocationJobs.startJob({ ...validStart, ClientToken: "my-token-1" })
      expect(JSON.parse(http.sent[0].body!).ClientToken).toBe("my-token-1")
    }).pipe(Effect.provide(layer))
  })

  it.effect("GetJob: GET with the id percent-encoded in the path and no body", () => {
    const { http, layer } = clientWith([json(200, jobBody("a.b-c_d", "Running"))])
    return Effect.gen(function*() {
      const job = yield* LocationJobs.getJob({ JobId: "a.b-c_d" })
      expect(job.Status).toBe("Running")
      expect(http.sent[0].method).toBe("GET")
      expect(http.sent[0].url).toBe("https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs/a.b-c_d")
      expect(http.sent[0].body).toBeUndefined()
      expect(http.sent[0].headers["content-type"]).toBeUndefined()
    }).pipe(Effect.provide(layer))
  })

  it.effect("ListJobs sends {} when empty, and the members when set", () => {
    const { http, layer } = clientWith([json(200, { Entries: [] }), json(200, { Entries: [] })])
    return Effect.gen(function*() {
      yield* LocationJobs.listJobs()
      yield* LocationJobs.listJobs({ Filter: { JobStatus: "Running" }, MaxResults: 10, NextToken: "t1" })
      expect(http.sent[0].body).toBe("{}")
      expect(http.sent[0].url.endsWith("/metadata/v0/jobs/list-jobs")).toBe(true)
      expect(http.sent[1].body).toBe(`{"Filter":{"JobStatus":"Running"},"MaxResults":10,"NextToken":"t1"}`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("CancelJob: POST /metadata/v0/jobs/cancel-job with the id in the body", () => {
    const { http, layer } = clientWith([json(200, { JobArn: "arn:aws:geo:us-east-1:123456789012:job/j", JobId: "j", Status: "Cancelling" })])
    return Effect.gen(function*() {
      const out = yield* LocationJobs.cancelJob({ JobId: "j" })
      expect(out.Status).toBe("Cancelling")
      expect(http.sent[0].url.endsWith("/metadata/v0/jobs/cancel-job")).toBe(true)
      expect(http.sent[0].body).toBe(`{"JobId":"j"}`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("custom endpoints get the metadata. prefix unless disabled; IP literals never", () => {
    const a = clientWith([json(200, { Entries: [] })], { endpoint: "http://localhost:4566" })
    const b = clientWith([json(200, { Entries: [] })], { endpoint: "http://localhost:4566", disableHostPrefix: true })
    const c = clientWith([json(200, { Entries: [] })], { endpoint: "http://127.0.0.1:4566/" })
    return Effect.gen(function*() {
      yield* Effect.provide(LocationJobs.listJobs(), a.layer)
      yield* Effect.provide(LocationJobs.listJobs(), b.layer)
      yield* Effect.provide(LocationJobs.listJobs(), c.layer)
      expect(a.http.sent[0].url).toBe("http://metadata.localhost:4566/metadata/v0/jobs/list-jobs")
      expect(b.http.sent[0].url).toBe("http://localhost:4566/metadata/v0/jobs/list-jobs")
      expect(c.http.sent[0].url).toBe("http://127.0.0.1:4566/metadata/v0/jobs/list-jobs")
    })
  })
})

describe("client-side validation", () => {
  it.effect("names every bad field and sends nothing", () => {
    const { http, layer } = clientWith([])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        LocationJobs.startJob({
          ...validStart,
          Name: "has space",
          ClientToken: "with space",
          InputOptions: { Location: "s3://UPPER", Format: "Parquet" },
          OutputOptions: { Location: "s3://bucket/no-slash", Format: "Parquet" },
          Tags: { "": "x" }
        })
      )
      expect(error._tag).toBe("ValidationException")
      if (error._tag !== "ValidationException") return
      expect(error.clientSide).toBe(true)
      expect(error.reason).toBe("FieldValidationFailed")
      expect(error.fieldList.map((f) => f.name).sort()).toEqual(
        ["ClientToken", "InputOptions.Location", "Name", "OutputOptions.Location", `Tags[""]`].sort()
      )
      expect(http.sent).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("missing required members → reason Missing", () => {
    const { http, layer } = clientWith([])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(LocationJobs.startJob({} as never))
      expect(error._tag === "ValidationException" && error.reason).toBe("Missing")
      const e2 = yield* Effect.flip(LocationJobs.getJob({ JobId: "" }))
      expect(e2._tag === "ValidationException" && e2.fieldList[0].name).toBe("JobId")
      const e3 = yield* Effect.flip(LocationJobs.listJobs({ MaxResults: 101 }))
      expect(e3._tag === "ValidationException" && e3.fieldList[0].name).toBe("MaxResults")
      const e4 = yield* Effect.flip(LocationJobs.cancelJob({ JobId: "x".repeat(201) }))
      expect(e4._tag === "ValidationException" && e4.fieldList[0].name).toBe("JobId")
      expect(http.sent).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })
})

describe("lenient responses", () => {
  for (const op of operations) {
    it.effect(`${op}: new enum values kept as strings, new members dropped, no request constraints applied`, () => {
      const { layer } = clientWith([json(200, newerOutputs[op].wire)])
      return Effect.gen(function*() {
        const out = yield* (ops[op]() as Effect.Effect<unknown, LocationJobsError>)
        expect(out).toStrictEqual(newerOutputs[op].decoded)
      }).pipe(Effect.provide(layer))
    })
  }

  it.effect("open values: any string fits the member types, the known ones still narrow", () => {
    const { layer } = clientWith([json(200, newerJob({ Tags: newerTags }))])
    return Effect.gen(function*() {
      const job = yield* LocationJobs.getJob({ JobId: "job-1" })
      // Compile-time half: a string newer than this library is a value of each open member type.
      const later: string = newValues.Status
      const status: GetJobResponse["Status"] = later
      const code: NonNullable<GetJobResponse["Error"]>["Code"] = later
      expect([status, code]).toEqual([later, later])
      expect(job.Status).toBe(newValues.Status)
      expect(job.Status === "Completed" || job.Status === "Failed" || job.Status === "Cancelled").toBe(false)
      expect(job.Error?.Code).toBe(newValues.Code)
      expect(job.ActionOptions?.ValidateAddress?.AdditionalFeatures).toContain(newValues.Feature)
    }).pipe(Effect.provide(layer))
  })

  for (const [what, op, body] of wrongTypes) {
    it.effect(`${op}: ${what} → UndecodableResponse`, () => {
      const { layer } = clientWith([json(200, body)])
      return Effect.gen(function*() {
        const e = yield* Effect.flip(ops[op]() as Effect.Effect<unknown, LocationJobsError>)
        expect(e._tag === "LocationJobsClientError" && [e.reason, e.status, e.requestId]).toEqual([
          "UndecodableResponse",
          200,
          "req-200"
        ])
      }).pipe(Effect.provide(layer))
    })
  }
})

describe("error decoding", () => {
  // Every error the service defines decodes typed on every operation, whatever the operation's
  // model lists, as the official SDK looks codes up service-wide.
  for (const op of operations) {
    for (const [code, status] of serviceErrors) {
      it.effect(`${op}: ${code} (${status}) → typed ${code} with message, status and request id`, () => {
        const body = code === "ValidationException"
          ? { reason: "FieldValidationFailed", fieldList: [{ name: "JobId", message: "too long" }] }
          : {}
        const { layer } = clientWith([awsError(status, code, body)])
        return Effect.gen(function*() {
          const error = yield* Effect.flip(ops[op]() as Effect.Effect<unknown, LocationJobsError>)
          expect(error._tag).toBe(code)
          expect(error.message).toBe(`${code} happened`)
          expect("requestId" in error && error.requestId).toBe(`req-${status}`)
          expect("status" in error && error.status).toBe(status)
          if (error._tag === "ValidationException") {
            expect(error.reason).toBe("FieldValidationFailed")
            expect(error.fieldList).toEqual([{ name: "JobId", message: "too long" }])
            expect(error.clientSide).toBeUndefined()
          }
        }).pipe(Effect.provide(layer))
      })
    }
  }

  it.effect("each of the seven decodes by body __type or code too, on an operation whose model omits it", () => {
    const { layer } = clientWith(
      serviceErrors.flatMap(([code, status]) => [
        json(status, { __type: `com.amazonaws.location#${code}`, message: "m" }),
        json(status, { code, message: "m" })
      ])
    )
    return Effect.gen(function*() {
      for (const [code] of serviceErrors) {
        expect((yield* Effect.flip(ops.CancelJob()))._tag).toBe(code)
        expect((yield* Effect.flip(ops.CancelJob()))._tag).toBe(code)
      }
    }).pipe(Effect.provide(layer))
  })

  it.effect("the code is found in x-amzn-errortype, then body code, then __type", () => {
    const { layer } = clientWith([
      json(404, { __type: "com.amazonaws.location#ResourceNotFoundException", message: "not found" }),
      json(429, { code: "ThrottlingException", Message: "slow down" }),
      json(400, { Code: "ValidationException", message: "bad", reason: "Missing", fieldList: [] })
    ])
    return Effect.gen(function*() {
      const a = yield* Effect.flip(ops.GetJob())
      expect(a._tag).toBe("ResourceNotFoundException")
      expect(a.message).toBe("not found")
      const b = yield* Effect.flip(ops.GetJob())
      expect(b._tag).toBe("ThrottlingException")
      expect(b.message).toBe("slow down")
      const c = yield* Effect.flip(ops.GetJob())
      expect(c._tag === "ValidationException" && c.reason).toBe("Missing")
    }).pipe(Effect.provide(layer))
  })

  it.effect("an error the service does not define → UnknownServiceError keeping its code", () => {
    const { layer } = clientWith([
      awsError(503, "ServiceUnavailableException"),
      awsError(409, "TooManyTagsException"),
      json(503, "<html>unavailable</html>", { "content-type": "text/html" })
    ])
    return Effect.gen(function*() {
      const a = yield* Effect.flip(ops.CancelJob())
      expect(a._tag).toBe("LocationJobsClientError")
      expect(a._tag === "LocationJobsClientError" && [a.reason, a.code, a.status]).toEqual(["UnknownServiceError", "ServiceUnavailableException", 503])
      const b = yield* Effect.flip(ops.StartJob())
      expect(b._tag === "LocationJobsClientError" && b.code).toBe("TooManyTagsException")
      const c = yield* Effect.flip(ops.ListJobs())
      expect(c._tag === "LocationJobsClientError" && [c.reason, c.code, c.status]).toEqual(["UnknownServiceError", undefined, 503])
    }).pipe(Effect.provide(layer))
  })

  it.effect("unknown ValidationException reasons become Other; malformed fieldList entries are tolerated", () => {
    const { layer } = clientWith([awsError(400, "ValidationException", { reason: "Weird", fieldList: [{ name: 1 }, "x"] })])
    return Effect.gen(function*() {
      const e = yield* Effect.flip(ops.StartJob())
      expect(e._tag === "ValidationException" && e.reason).toBe("Other")
      expect(e._tag === "ValidationException" && e.fieldList).toEqual([{ name: "", message: "" }])
    }).pipe(Effect.provide(layer))
  })

  const badBodies: Array<[string, Reply]> = [
    ["not JSON", { status: 200, body: "<xml/>" }],
    ["truncated JSON", { status: 200, body: `{"CreatedAt":"2024-01-01T00:00:00Z","JobA` }],
    ["empty", { status: 200, body: "" }],
    ["a different shape", json(200, { hello: "world" })],
    ["a timestamp without a zone", json(200, { CreatedAt: "2024-01-01T00:00:00", JobArn: "arn:aws:geo:us-east-1:123456789012:job/j", JobId: "j", Status: "Pending" })],
    ["an epoch timestamp", json(200, { CreatedAt: 1704067200, JobArn: "arn:aws:geo:us-east-1:123456789012:job/j", JobId: "j", Status: "Pending" })],
    ["a status that is not a string", json(200, { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn:aws:geo:us-east-1:123456789012:job/j", JobId: "j", Status: ["Pending"] })]
  ]
  for (const [what, reply] of badBodies) {
    it.effect(`a 200 with ${what} → UndecodableResponse, never a defect`, () => {
      const { layer } = clientWith([reply])
      return Effect.gen(function*() {
        const exit = yield* Effect.exit(ops.StartJob())
        expect(exit._tag).toBe("Failure")
        const e = yield* Effect.flip(Effect.provide(ops.StartJob(), clientWith([reply]).layer))
        expect(e._tag === "LocationJobsClientError" && e.reason).toBe("UndecodableResponse")
      }).pipe(Effect.provide(layer))
    })
  }

  it.effect("error bodies that are not JSON or truncated still decode by header or status", () => {
    const { layer } = clientWith([
      { status: 429, headers: { "x-amzn-errortype": "ThrottlingException" }, body: "{\"mess" },
      { status: 500, body: "oops" }
    ])
    return Effect.gen(function*() {
      const a = yield* Effect.flip(ops.GetJob())
      expect(a._tag).toBe("ThrottlingException")
      expect(a.message).toContain("ThrottlingException")
      const b = yield* Effect.flip(ops.GetJob())
      expect(b._tag === "LocationJobsClientError" && [b.reason, b.status]).toEqual(["UnknownServiceError", 500])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a transport failure → LocationJobsClientError Transport", () => {
    const { layer } = clientWith([{ transportError: "ECONNREFUSED" }])
    return Effect.gen(function*() {
      const e = yield* Effect.flip(ops.ListJobs())
      expect(e._tag === "LocationJobsClientError" && e.reason).toBe("Transport")
      expect(e.message).toContain("ECONNREFUSED")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a bad endpoint configuration fails the layer with a Configuration error", () =>
    Effect.gen(function*() {
      const http = makeScripted([])
      const bad = [{}, { region: "US EAST" }, { endpoint: "ftp://x" }, { endpoint: "http://x", useFips: true }]
      for (const options of bad) {
        const result = yield* Effect.either(
          Effect.provide(LocationJobs.listJobs(), LocationJobsClient.layer(options).pipe(Layer.provide(http.layer)))
        )
        expect(Either.isLeft(result) && result.left._tag === "LocationJobsClientError" && result.left.reason).toBe(
          "Configuration"
        )
      }
      expect(http.sent).toHaveLength(0)
    }))
})
