import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import { JobDriver } from "../src/JobDriver.js"
import * as JobsApi from "../src/JobsApi.js"
import * as JobsConfig from "../src/JobsConfig.js"
import { JobStore, JobStoreError } from "../src/JobStore.js"
import { route, type WireResponse, WireHandler } from "../src/WireHandler.js"
import * as WireHandlerModule from "../src/WireHandler.js"
import { request, testLayer } from "./fixtures.js"

const layer = Layer.provideMerge(WireHandlerModule.layer, testLayer())
const enc = new TextEncoder()
const dec = new TextDecoder()

const call = (method: string, path: string, body?: unknown | string, headers: Record<string, string> = {}) =>
  Effect.flatMap(WireHandler, (h) =>
    h.handle({
      method,
      path,
      headers,
      body: body === undefined ? new Uint8Array() : enc.encode(typeof body === "string" ? body : JSON.stringify(body))
    }))
const json = (r: WireResponse) => JSON.parse(dec.decode(r.body))

describe("WireHandler.route", () => {
  it("routes the four bindings and nothing else", () => {
    expect(route("POST", "/metadata/v0/jobs")).toEqual({ operation: "StartJob" })
    expect(route("post", "/metadata/v0/jobs?x=1")).toEqual({ operation: "StartJob" })
    expect(route("GET", "/metadata/v0/jobs/abc%2Fdef")).toEqual({ operation: "GetJob", label: "abc%2Fdef" })
    expect(route("GET", "/metadata/v0/jobs/")).toEqual({ operation: "GetJob", label: "" })
    expect(route("POST", "/metadata/v0/jobs/list-jobs")).toEqual({ operation: "ListJobs" })
    expect(route("POST", "/metadata/v0/jobs/cancel-job")).toEqual({ operation: "CancelJob" })
    for (
      const [m, p] of [
        ["GET", "/metadata/v0/jobs"],
        ["DELETE", "/metadata/v0/jobs/x"],
        ["POST", "/metadata/v0/jobs/x"],
        ["GET", "/metadata/v0/jobs/a/b"],
        ["POST", "/metadata/v0/jobs/"],
        ["GET", "/"],
        ["POST", "/metadata/v0/jobsx"]
      ] as const
    ) expect(route(m, p), `${m} ${p}`).toEqual({ operation: "Unknown" })
  })
})

describe("WireHandler.handle", () => {
  it.effect("StartJob → GetJob → ListJobs → CancelJob with exact wire members", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 10, 25, 12, 0, 0))
      const started = yield* call("POST", "/metadata/v0/jobs", request({ Name: "Wire", Tags: { k: "v" } }), {
        host: "metadata.geo.us-east-1.amazonaws.com"
      })
      expect(started.status).toBe(200)
      expect(started.headers["Content-Type"]).toBe("application/json")
      expect(started.headers["x-amzn-RequestId"]).toMatch(/^[0-9a-f-]{36}$/)
      const s = json(started)
      expect(Object.keys(s).sort()).toEqual(["CreatedAt", "JobArn", "JobId", "Status"])
      expect(s.CreatedAt).toBe("2026-11-25T12:00:00.000Z")
      expect(s.Status).toBe("Pending")

      const got = yield* call("GET", `/metadata/v0/jobs/${encodeURIComponent(s.JobId)}`, undefined, { host: "localhost:4566" })
      expect(got.status).toBe(200)
      const g = json(got)
      expect(Object.keys(g).sort()).toEqual([
        "Action",
        "CreatedAt",
        "ExecutionRoleArn",
        "InputOptions",
        "JobArn",
        "JobId",
        "Name",
        "OutputOptions",
        "Status",
        "Tags",
        "UpdatedAt"
      ])
      expect(g.Tags).toEqual({ k: "v" })
      expect(dec.decode(got.body)).not.toContain("null")

      const listed = json(yield* call("POST", "/metadata/v0/jobs/list-jobs", {}))
      expect(Object.keys(listed)).toEqual(["Entries"])
      expect(listed.Entries).toHaveLength(1)
      expect(listed.Entries[0]).not.toHaveProperty("Tags")

      const cancelled = yield* call("POST", "/metadata/v0/jobs/cancel-job", { JobId: s.JobId })
      expect(json(cancelled)).toEqual({ JobArn: s.JobArn, JobId: s.JobId, Status: "Cancelling" })
      yield* TestClock.adjust("1 second")
      yield* (yield* JobDriver).completeCancellation(s.JobId)
      const ended = json(yield* call("GET", `/metadata/v0/jobs/${s.JobId}`))
      expect(ended.EndedAt).toBe("2026-11-25T12:00:01.000Z")
      expect(ended.Status).toBe("Cancelled")
    }).pipe(Effect.provide(layer)))

  it.effect("an empty service lists {\"Entries\":[]}", () =>
    Effect.gen(function*() {
      const r = yield* call("POST", "/metadata/v0/jobs/list-jobs", {})
      expect(r.status).toBe(200)
      expect(dec.decode(r.body)).toBe('{"Entries":[]}')
    }).pipe(Effect.provide(layer)))

  it.effect("ListJobs paginates over the wire and omits NextToken on the last page", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 5; i++) yield* call("POST", "/metadata/v0/jobs", request())
      const p1 = json(yield* call("POST", "/metadata/v0/jobs/list-jobs", { MaxResults: 3 }))
      expect(p1.Entries).toHaveLength(3)
      expect(typeof p1.NextToken).toBe("string")
      const p2 = json(yield* call("POST", "/metadata/v0/jobs/list-jobs", { MaxResults: 3, NextToken: p1.NextToken }))
      expect(p2.Entries).toHaveLength(2)
      expect(p2).not.toHaveProperty("NextToken")
      // an empty body is an empty request
      expect(json(yield* call("POST", "/metadata/v0/jobs/list-jobs")).Entries).toHaveLength(5)
    }).pipe(Effect.provide(layer)))

  it.effect("errors follow the recommended emulator format", () =>
    Effect.gen(function*() {
      const check = (r: WireResponse, status: number, name: string) => {
        expect(r.status).toBe(status)
        expect(r.headers["x-amzn-ErrorType"]).toBe(name)
        expect(r.headers["Content-Type"]).toBe("application/json")
        expect(r.headers["x-amzn-RequestId"]).toMatch(/^[0-9a-f-]{36}$/)
        const body = json(r)
        expect(body.__type).toBe(name)
        expect(typeof body.message).toBe("string")
        return body
      }
      const missing = check(yield* call("POST", "/metadata/v0/jobs", {}), 400, "ValidationException")
      expect(missing.reason).toBe("Missing")
      expect(missing.fieldList).toEqual(expect.arrayContaining([{ name: "Action", message: "Action is required" }]))
      for (const f of missing.fieldList) expect(Object.keys(f).sort()).toEqual(["message", "name"])

      const nullBody = check(yield* call("POST", "/metadata/v0/jobs/list-jobs", "null"), 400, "ValidationException")
      expect(nullBody).toMatchObject({ reason: "CannotParse", fieldList: [{ name: "(request)" }] })
      const notJson = check(yield* call("POST", "/metadata/v0/jobs/list-jobs", "{nope"), 400, "ValidationException")
      expect(notJson.reason).toBe("CannotParse")
      const wrongType = check(yield* call("POST", "/metadata/v0/jobs/list-jobs", { MaxResults: "5" }), 400, "ValidationException")
      expect(wrongType).toMatchObject({ reason: "CannotParse", fieldList: [{ name: "MaxResults" }] })
      const badUtf8 = yield* Effect.flatMap(WireHandler, (h) =>
        h.handle({ method: "POST", path: "/metadata/v0/jobs/cancel-job", headers: {}, body: new Uint8Array([0xff, 0xfe]) }))
      expect(check(badUtf8, 400, "ValidationException").reason).toBe("CannotParse")

      const unknownOp = check(yield* call("DELETE", "/metadata/v0/jobs/abc"), 400, "ValidationException")
      expect(unknownOp).toMatchObject({ reason: "UnknownOperation", fieldList: [] })

      check(yield* call("GET", "/metadata/v0/jobs/no-such-job"), 404, "ResourceNotFoundException")
      check(yield* call("POST", "/metadata/v0/jobs/cancel-job", { JobId: "no-such-job" }), 404, "ResourceNotFoundException")

      const slash = check(yield* call("GET", "/metadata/v0/jobs/a%2Fb"), 400, "ValidationException")
      expect(slash).toMatchObject({ reason: "FieldValidationFailed", fieldList: [{ name: "JobId" }] })
      const empty = check(yield* call("GET", "/metadata/v0/jobs/"), 400, "ValidationException")
      expect(empty).toMatchObject({ reason: "FieldValidationFailed", fieldList: [{ name: "JobId" }] })
      const badPercent = check(yield* call("GET", "/metadata/v0/jobs/%E0%A4%A"), 400, "ValidationException")
      expect(badPercent).toMatchObject({ reason: "CannotParse", fieldList: [{ name: "JobId" }] })

      yield* call("POST", "/metadata/v0/jobs", request({ ClientToken: "same" }))
      const conflict = check(
        yield* call("POST", "/metadata/v0/jobs", request({ ClientToken: "same", Name: "different" })),
        400,
        "ValidationException"
      )
      expect(conflict).toMatchObject({ reason: "Other", fieldList: [{ name: "ClientToken" }] })
    }).pipe(Effect.provide(layer)))

  it.effect("a failing store answers 500 InternalServerException", () =>
    Effect.gen(function*() {
      const r = yield* call("POST", "/metadata/v0/jobs/list-jobs", {})
      expect(r.status).toBe(500)
      expect(r.headers["x-amzn-ErrorType"]).toBe("InternalServerException")
      expect(json(r)).toEqual({ __type: "InternalServerException", message: "The service failed to process the request" })
    }).pipe(
      Effect.provide(
        WireHandlerModule.layer.pipe(
          Layer.provide(JobsApi.layer),
          Layer.provide(JobsConfig.layer()),
          Layer.provide(
            Layer.succeed(JobStore, {
              insert: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" })),
              get: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" })),
              compareAndSet: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" })),
              list: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" })),
              findToken: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" })),
              purgeExpiredTokens: () => Effect.fail(new JobStoreError({ reason: "Unavailable", message: "disk" }))
            })
          )
        )
      )
    ))
})
