import { describe, expect, it } from "@effect/vitest"
import type { JobStatus } from "@geojobs/core/Job"
import { roleArn } from "@geojobs/core/TestFixtures"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as TestClock from "effect/TestClock"
import { JobDriver } from "../src/JobDriver.js"
import { JobsApi, make } from "../src/JobsApi.js"
import { request, testLayer } from "./fixtures.js"

const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"

describe("JobsApi.startJob", () => {
  it.effect("creates a Pending job with <Name>-<uuid> id and a geo ARN", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))
      const api = yield* JobsApi
      const named = yield* api.startJob(request({ Name: "MyJob_1.a" }))
      expect(named.JobId).toMatch(new RegExp(`^MyJob_1\\.a-${uuid}$`))
      expect(named.JobArn).toBe(`arn:aws:geo:eu-west-2:111122223333:job/${named.JobId}`)
      expect(named.Status).toBe("Pending")
      expect(named.CreatedAt.toISOString()).toBe("2026-01-02T03:04:05.678Z")
      const unnamed = yield* api.startJob(request())
      expect(unnamed.JobId).toMatch(new RegExp(`^${uuid}$`))
      expect(unnamed.JobId).not.toBe(named.JobId)
    }).pipe(Effect.provide(testLayer())))

  it.effect("same token and same request answer the same job, with its current status", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const driver = yield* JobDriver
      const first = yield* api.startJob(request({ ClientToken: "tok-1", Tags: { a: "1", b: "2" } }))
      yield* TestClock.adjust("1 minute")
      // members in another order: still the same request
      const again = yield* api.startJob({
        Tags: { b: "2", a: "1" },
        OutputOptions: { Format: "Parquet", Location: "s3://output-bucket/results/" },
        ClientToken: "tok-1",
        InputOptions: { Format: "Parquet", Location: "s3://input-bucket/addresses/" },
        ExecutionRoleArn: roleArn,
        Action: "ValidateAddress"
      })
      expect(again).toEqual(first)
      yield* driver.markRunning(first.JobId)
      const replay = yield* api.startJob(request({ ClientToken: "tok-1", Tags: { a: "1", b: "2" } }))
      expect(replay).toEqual({ ...first, Status: "Running" })
      const list = yield* api.listJobs({})
      expect(list.Entries.length).toBe(1)
    }).pipe(Effect.provide(testLayer())))

  it.effect("same token with a different request is a ClientTokenConflict and creates nothing", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const first = yield* api.startJob(request({ ClientToken: "tok-2" }))
      const conflict = yield* Effect.flip(api.startJob(request({ ClientToken: "tok-2", Name: "other" })))
      expect(conflict._tag).toBe("ClientTokenConflict")
      if (conflict._tag === "ClientTokenConflict") {
        expect(conflict.existingJobId).toBe(first.JobId)
        const v = conflict.toValidationException()
        expect(v.reason).toBe("Other")
        expect(v.fieldList.map((f) => f.name)).toEqual(["ClientToken"])
        expect(v.status).toBe(400)
      }
      expect((yield* api.listJobs({})).Entries.length).toBe(1)
    }).pipe(Effect.provide(testLayer())))

  it.effect("tokens are forgotten after clientTokenTtl; no token means a new job each time", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const first = yield* api.startJob(request({ ClientToken: "tok-3" }))
      yield* TestClock.adjust("59 minutes")
      expect((yield* api.startJob(request({ ClientToken: "tok-3" }))).JobId).toBe(first.JobId)
      yield* TestClock.adjust("1 minute")
      const after = yield* api.startJob(request({ ClientToken: "tok-3" }))
      expect(after.JobId).not.toBe(first.JobId)
      const a = yield* api.startJob(request())
      const b = yield* api.startJob(request())
      expect(a.JobId).not.toBe(b.JobId)
      expect((yield* api.listJobs({})).Entries.length).toBe(4)
    }).pipe(Effect.provide(testLayer({ clientTokenTtl: "1 hour" }))))

  it.effect("calls onJobCreated once per created job, not on replays", () =>
    Effect.gen(function*() {
      const created: Array<string> = []
      const api = yield* make({ onJobCreated: (job) => Effect.sync(() => created.push(job.jobId)) })
      const a = yield* api.startJob(request({ ClientToken: "x" }))
      yield* api.startJob(request({ ClientToken: "x" }))
      const b = yield* api.startJob(request())
      expect(created).toEqual([a.JobId, b.JobId])
    }).pipe(Effect.provide(testLayer())))
})

describe("JobsApi validation", () => {
  const reasonAndFields = <E extends { readonly _tag: string }>(e: E) =>
    e._tag === "ValidationException"
      ? { reason: (e as any).reason, fields: (e as any).fieldList.map((f: any) => f.name) }
      : { reason: e._tag, fields: [] }

  it.effect("Missing names every absent required member", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const e = yield* Effect.flip(api.startJob({}))
      expect(reasonAndFields(e)).toEqual({
        reason: "Missing",
        fields: ["Action", "ExecutionRoleArn", "InputOptions", "OutputOptions"]
      })
      expect(reasonAndFields(yield* Effect.flip(api.cancelJob({})))).toEqual({ reason: "Missing", fields: ["JobId"] })
      expect(reasonAndFields(yield* Effect.flip(api.getJob({})))).toEqual({ reason: "Missing", fields: ["JobId"] })
      expect(reasonAndFields(yield* Effect.flip(api.startJob({ ...request(), InputOptions: { Format: "Parquet" } }))))
        .toEqual({ reason: "Missing", fields: ["InputOptions.Location"] })
    }).pipe(Effect.provide(testLayer())))

  it.effect("FieldValidationFailed names every bad field at once", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const e = yield* Effect.flip(api.startJob(request({
        Name: "bad name",
        ClientToken: "x".repeat(65),
        OutputOptions: { Location: "s3://output-bucket/no-slash", Format: "Parquet" },
        Tags: { "": "v" }
      })))
      expect(reasonAndFields(e)).toEqual({
        reason: "FieldValidationFailed",
        fields: ["ClientToken", "Name", "OutputOptions.Location", "Tags[\"\"]"]
      })
      const list = yield* Effect.flip(api.listJobs({ MaxResults: 0, Filter: { JobStatus: "Done" } }))
      expect(reasonAndFields(list)).toEqual({ reason: "FieldValidationFailed", fields: ["Filter.JobStatus", "MaxResults"] })
    }).pipe(Effect.provide(testLayer())))

  it.effect("CannotParse for a non-object body or a member of the wrong JSON type", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      expect(reasonAndFields(yield* Effect.flip(api.listJobs([1, 2])))).toEqual({ reason: "CannotParse", fields: ["(request)"] })
      expect(reasonAndFields(yield* Effect.flip(api.startJob("x")))).toEqual({ reason: "CannotParse", fields: ["(request)"] })
      expect(reasonAndFields(yield* Effect.flip(api.listJobs({ MaxResults: "10" })))).toEqual({
        reason: "CannotParse",
        fields: ["MaxResults"]
      })
      expect(reasonAndFields(yield* Effect.flip(api.startJob({ ...request(), InputOptions: "s3://in/" })))).toMatchObject({
        reason: "CannotParse",
        fields: ["InputOptions"]
      })
      // an enum value of the right type is a validation failure, not a parse failure
      expect(reasonAndFields(yield* Effect.flip(api.startJob({ ...request(), Action: "Geocode" })))).toEqual({
        reason: "FieldValidationFailed",
        fields: ["Action"]
      })
      expect(reasonAndFields(yield* Effect.flip(api.listJobs({ MaxResults: 1.5 })))).toEqual({
        reason: "FieldValidationFailed",
        fields: ["MaxResults"]
      })
    }).pipe(Effect.provide(testLayer())))

  it.effect("unknown members are UnknownField by default, ignored when configured", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      expect(reasonAndFields(yield* Effect.flip(api.startJob({ ...request(), Priority: 1 })))).toEqual({
        reason: "UnknownField",
        fields: ["Priority"]
      })
    }).pipe(Effect.provide(testLayer())).pipe(
      Effect.zipRight(
        Effect.gen(function*() {
          const api = yield* JobsApi
          const ok = yield* api.startJob({ ...request(), Priority: 1 })
          expect(ok.Status).toBe("Pending")
        }).pipe(Effect.provide(testLayer({ rejectUnknownFields: false })))
      )
    ))
})

describe("JobsApi lifecycle and cancellation", () => {
  it.effect("Pending → Running → Completed sets EndedAt only at the end; Failed carries Error", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const driver = yield* JobDriver
      const { JobId } = yield* api.startJob(request({ Tags: { team: "geo" } }))
      const pending = yield* api.getJob({ JobId })
      expect(pending).not.toHaveProperty("EndedAt")
      expect(pending).not.toHaveProperty("Error")
      expect(pending.Tags).toEqual({ team: "geo" })
      yield* TestClock.adjust("5 seconds")
      yield* driver.markRunning(JobId)
      const running = yield* api.getJob({ JobId })
      expect(running.Status).toBe("Running")
      expect(running.UpdatedAt.getTime() - running.CreatedAt.getTime()).toBe(5000)
      expect(running).not.toHaveProperty("EndedAt")
      yield* TestClock.adjust("5 seconds")
      yield* driver.markCompleted(JobId)
      const done = yield* api.getJob({ JobId })
      expect(done.Status).toBe("Completed")
      expect(done.EndedAt?.getTime()).toBe(done.CreatedAt.getTime() + 10_000)
      expect(done).not.toHaveProperty("Error")
      const illegal = yield* Effect.flip(driver.markRunning(JobId))
      expect(illegal._tag).toBe("IllegalTransition")

      const other = yield* api.startJob(request())
      const bad = yield* Effect.flip(driver.markFailed(other.JobId, { Code: "ValidationError", Messages: [] }))
      expect(bad._tag).toBe("ValidationException")
      yield* driver.markFailed(other.JobId, { Code: "ValidationError", Messages: ["bucket not versioned"] })
      const failed = yield* api.getJob({ JobId: other.JobId })
      expect(failed.Status).toBe("Failed")
      expect(failed.Error).toEqual({ Code: "ValidationError", Messages: ["bucket not versioned"] })
      expect(failed.EndedAt).toBeDefined()
      const notFound = yield* Effect.flip(driver.markCompleted("nope"))
      expect(notFound._tag).toBe("ResourceNotFoundException")
    }).pipe(Effect.provide(testLayer())))

  it.effect("CancelJob in every state", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const driver = yield* JobDriver
      const start = () => Effect.map(api.startJob(request()), (r) => r.JobId)
      const pending = yield* start()
      expect((yield* api.cancelJob({ JobId: pending })).Status).toBe("Cancelling")
      expect((yield* api.cancelJob({ JobId: pending })).Status).toBe("Cancelling")
      expect(yield* api.getJob({ JobId: pending })).not.toHaveProperty("EndedAt")
      yield* driver.completeCancellation(pending)
      const cancelled = yield* api.getJob({ JobId: pending })
      expect(cancelled.Status).toBe("Cancelled")
      expect(cancelled.EndedAt).toBeDefined()
      expect((yield* api.cancelJob({ JobId: pending })).Status).toBe("Cancelled")

      const running = yield* start()
      yield* driver.markRunning(running)
      expect((yield* api.cancelJob({ JobId: running })).Status).toBe("Cancelling")
      expect((yield* Effect.flip(driver.markCompleted(running)))._tag).toBe("IllegalTransition")

      const completed = yield* start()
      yield* driver.markRunning(completed)
      yield* driver.markCompleted(completed)
      const before = yield* api.getJob({ JobId: completed })
      yield* TestClock.adjust("1 minute")
      expect((yield* api.cancelJob({ JobId: completed })).Status).toBe("Completed")
      expect(yield* api.getJob({ JobId: completed })).toEqual(before)

      const failed = yield* start()
      yield* driver.markFailed(failed, { Code: "InternalServerError" })
      expect((yield* api.cancelJob({ JobId: failed })).Status).toBe("Failed")

      const unknown = yield* Effect.flip(api.cancelJob({ JobId: "does-not-exist" }))
      expect(unknown).toMatchObject({ _tag: "ResourceNotFoundException", status: 404 })
      expect((yield* Effect.flip(api.getJob({ JobId: "does-not-exist" })))._tag).toBe("ResourceNotFoundException")
    }).pipe(Effect.provide(testLayer())))
})

describe("JobsApi.listJobs", () => {
  it.effect("newest first, default page of 100, NextToken omitted on the last page", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const ids: Array<string> = []
      for (let i = 0; i < 150; i++) ids.push((yield* api.startJob(request())).JobId)
      const p1 = yield* api.listJobs(undefined)
      expect(p1.Entries.length).toBe(100)
      expect(p1.NextToken).toBeDefined()
      const p2 = yield* api.listJobs({ NextToken: p1.NextToken! })
      expect(p2).not.toHaveProperty("NextToken")
      expect([...p1.Entries, ...p2.Entries].map((e) => e.JobId)).toEqual([...ids].reverse())
      expect(p1.Entries[0]).not.toHaveProperty("Tags")
    }).pipe(Effect.provide(testLayer())))

  it.effect("filters by status and refuses forged, expired and other-filter tokens", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      const driver = yield* JobDriver
      const ids: Array<string> = []
      for (let i = 0; i < 9; i++) ids.push((yield* api.startJob(request())).JobId)
      for (const id of ids.filter((_, i) => i % 3 === 0)) yield* driver.markRunning(id)
      const running = yield* api.listJobs({ Filter: { JobStatus: "Running" }, MaxResults: 2 })
      expect(running.Entries.map((e) => e.JobId)).toEqual([ids[6], ids[3]])
      const rest = yield* api.listJobs({ Filter: { JobStatus: "Running" }, MaxResults: 2, NextToken: running.NextToken! })
      expect(rest.Entries.map((e) => e.JobId)).toEqual([ids[0]])
      expect(rest).not.toHaveProperty("NextToken")

      const token = running.NextToken!
      const fieldOf = (e: any) => ({ reason: e.reason, fields: e.fieldList.map((f: any) => f.name) })
      const other = yield* Effect.flip(api.listJobs({ Filter: { JobStatus: "Pending" }, NextToken: token }))
      expect(fieldOf(other)).toEqual({ reason: "FieldValidationFailed", fields: ["NextToken"] })
      const forged = yield* Effect.flip(api.listJobs({ Filter: { JobStatus: "Running" }, NextToken: token.slice(0, -2) + "AA" }))
      expect(fieldOf(forged)).toEqual({ reason: "FieldValidationFailed", fields: ["NextToken"] })
      yield* TestClock.adjust("10 minutes")
      const ok = yield* api.listJobs({ Filter: { JobStatus: "Running" }, NextToken: token })
      expect(ok.Entries.length).toBe(1)
      yield* TestClock.adjust("1 millis")
      const expired = yield* Effect.flip(api.listJobs({ Filter: { JobStatus: "Running" }, NextToken: token }))
      expect(fieldOf(expired)).toEqual({ reason: "FieldValidationFailed", fields: ["NextToken"] })
      expect(expired.message).toContain("expired")
    }).pipe(Effect.provide(testLayer({ nextTokenTtl: "10 minutes" }))))

  it.effect("a token from another service instance (another key) is forged", () =>
    Effect.gen(function*() {
      const api = yield* JobsApi
      for (let i = 0; i < 3; i++) yield* api.startJob(request())
      const page = yield* api.listJobs({ MaxResults: 1 })
      const otherApi = yield* JobsApi.pipe(Effect.provide(testLayer({ nextTokenSecret: new Uint8Array(32).fill(7) })))
      const e = yield* Effect.flip(otherApi.listJobs({ MaxResults: 1, NextToken: page.NextToken! }))
      expect(e._tag).toBe("ValidationException")
    }).pipe(Effect.provide(testLayer())))
})

describe("JobsApi against a model (property)", () => {
  const Command = fc.oneof(
    fc.record({ _tag: fc.constant("start" as const), token: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), variant: fc.integer({ min: 0, max: 1 }) }),
    fc.record({ _tag: fc.constant("cancel" as const), pick: fc.nat() }),
    fc.record({ _tag: fc.constant("drive" as const), pick: fc.nat(), event: fc.constantFrom("start", "complete", "fail", "cancelled") }),
    fc.record({ _tag: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 5000 }) })
  )

  it.effect.prop(
    "random operations keep ids, tokens, statuses, times and paging consistent",
    { commands: fc.array(Command, { maxLength: 60 }), pageSize: fc.integer({ min: 1, max: 7 }) },
    ({ commands, pageSize }) =>
      Effect.gen(function*() {
        const api = yield* JobsApi
        const driver = yield* JobDriver
        const model: Array<{ jobId: string; status: JobStatus }> = []
        const tokens = new Map<number, { jobId: string; variant: number }>()
        const next: Record<string, Partial<Record<string, JobStatus>>> = {
          Pending: { start: "Running", fail: "Failed" },
          Running: { complete: "Completed", fail: "Failed" },
          Cancelling: { cancelled: "Cancelled" }
        }
        for (const c of commands) {
          if (c._tag === "tick") yield* TestClock.adjust(c.ms)
          else if (c._tag === "start") {
            const req = request({ Name: `v${c.variant}`, ...(c.token !== undefined ? { ClientToken: `t${c.token}` } : {}) })
            const known = c.token === undefined ? undefined : tokens.get(c.token)
            const result = yield* Effect.either(api.startJob(req))
            if (known === undefined) {
              expect(result._tag).toBe("Right")
              if (result._tag === "Right") {
                model.push({ jobId: result.right.JobId, status: "Pending" })
                if (c.token !== undefined) tokens.set(c.token, { jobId: result.right.JobId, variant: c.variant })
              }
            } else if (known.variant === c.variant) {
              expect(result._tag === "Right" && result.right.JobId).toBe(known.jobId)
            } else {
              expect(result._tag === "Left" && result.left._tag).toBe("ClientTokenConflict")
            }
          } else if (model.length > 0) {
            const job = model[c.pick % model.length]!
            if (c._tag === "cancel") {
              const r = yield* api.cancelJob({ JobId: job.jobId })
              if (job.status === "Pending" || job.status === "Running") job.status = "Cancelling"
              expect(r.Status).toBe(job.status)
            } else {
              const op = c.event === "start"
                ? driver.markRunning(job.jobId)
                : c.event === "complete"
                ? driver.markCompleted(job.jobId)
                : c.event === "fail"
                ? driver.markFailed(job.jobId, { Code: "InternalServerError" })
                : driver.completeCancellation(job.jobId)
              const r = yield* Effect.either(op)
              const to = next[job.status]?.[c.event]
              expect(r._tag).toBe(to === undefined ? "Left" : "Right")
              if (to !== undefined) job.status = to
            }
          }
        }
        const terminal = new Set(["Completed", "Failed", "Cancelled"])
        for (const job of model) {
          const got = yield* api.getJob({ JobId: job.jobId })
          expect(got.Status).toBe(job.status)
          expect(got.EndedAt !== undefined).toBe(terminal.has(job.status))
          expect(got.Error !== undefined).toBe(job.status === "Failed")
          expect(got.UpdatedAt.getTime()).toBeGreaterThanOrEqual(got.CreatedAt.getTime())
        }
        for (const status of [undefined, "Pending", "Running", "Cancelling", "Completed", "Failed", "Cancelled"] as const) {
          const seen: Array<string> = []
          let token: string | undefined
          do {
            const page = yield* api.listJobs({
              MaxResults: pageSize,
              ...(status !== undefined ? { Filter: { JobStatus: status } } : {}),
              ...(token !== undefined ? { NextToken: token } : {})
            })
            seen.push(...page.Entries.map((e) => e.JobId))
            token = page.NextToken
          } while (token !== undefined)
          const expected = model.filter((j) => status === undefined || j.status === status).map((j) => j.jobId).reverse()
          expect(seen).toEqual(expected)
        }
      }).pipe(Effect.provide(testLayer())),
    { fastCheck: { numRuns: 60 } }
  )
})
