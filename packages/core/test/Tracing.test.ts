/**
 * The client's spans, as a recording tracer sees them: one span per operation, one per attempt
 * under it, retries as events, the attributes people search by; the waiter's and paginator's
 * spans around their calls; no spans when tracing is off.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as util from "node:util"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as Paginator from "../src/Paginator.js"
import type * as Retry from "../src/Retry.js"
import * as Waiter from "../src/Waiter.js"
import { makeRecorder, type RecordedSpan } from "./support/RecordingTracer.js"
import { awsError, jobBody, json, makeScripted, type Reply, startOk, validStart } from "./support/ScriptedHttp.js"

const A = LocationJobsClient.SpanAttribute

const setup = (replies: Array<Reply>, options: Partial<LocationJobsClient.ClientOptions> = {}) => {
  const http = makeScripted(replies)
  const layer = LocationJobsClient.layer({ region: "us-east-1", ...options }).pipe(Layer.provide(http.layer))
  return { http, layer }
}

/** Runs `effect` in a fiber and moves the TestClock forward until it ends. */
const runWithClock = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.DurationInput = "100 millis") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 2000; i++) {
      if ((yield* Fiber.poll(fiber))._tag === "Some") break
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

const throttled = (retryAfterMs: number): Reply =>
  json(429, { message: "Rate exceeded" }, {
    "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.location/",
    "x-amzn-requestid": "req-throttled",
    "x-amz-retry-after": String(retryAfterMs)
  })

const attemptsOf = (recorder: ReturnType<typeof makeRecorder>, span: RecordedSpan) =>
  recorder.children(span).filter((s) => s.name.endsWith(" attempt"))

describe("operation and attempt spans", () => {
  it.effect("throttled once, then OK: operation span → 2 attempt spans, with status codes, request ids, job id and a retry event", () => {
    const recorder = makeRecorder()
    const { http, layer } = setup([throttled(300), startOk("job-42")])
    return Effect.gen(function*() {
      const out = yield* runWithClock(Effect.withSpan(LocationJobs.startJob(validStart), "caller"))
      expect(out.JobId).toBe("job-42")
      expect(http.sent).toHaveLength(2)

      const caller = recorder.only("caller")
      const op = recorder.only("LocationJobs.StartJob")
      expect(recorder.children(caller)).toEqual([op])
      expect(op.kind).toBe("client")
      expect(op.ended).toBe(true)
      expect(op.exit !== undefined && Exit.isSuccess(op.exit)).toBe(true)
      expect(op.attrs()).toEqual({
        [A.rpcSystem]: "aws-api",
        [A.rpcService]: "Location",
        [A.rpcMethod]: "StartJob",
        [A.region]: "us-east-1",
        [A.attempts]: 2,
        [A.throttles]: 1,
        [A.statusCode]: 200,
        [A.requestId]: "req-200",
        [A.jobId]: "job-42"
      })

      const [first, second, ...more] = recorder.children(op)
      expect(more).toEqual([])
      expect(first!.name).toBe("LocationJobs.StartJob attempt")
      expect(second!.name).toBe("LocationJobs.StartJob attempt")
      expect(first!.attrs()).toEqual({
        [A.attempt]: 1,
        [A.statusCode]: 429,
        [A.requestId]: "req-throttled",
        [A.errorType]: "ThrottlingException",
        [A.retryAfterMs]: 300
      })
      expect(first!.exit !== undefined && Exit.isFailure(first!.exit)).toBe(true)
      expect(second!.attrs()).toEqual({
        [A.attempt]: 2,
        [A.resendCount]: 1,
        [A.statusCode]: 200,
        [A.requestId]: "req-200"
      })
      expect(second!.exit !== undefined && Exit.isSuccess(second!.exit)).toBe(true)

      expect(op.events).toHaveLength(1)
      const [retry] = op.events
      expect(retry!.name).toBe(LocationJobsClient.SpanEvent.retry)
      expect(retry!.attributes).toMatchObject({
        [A.attempt]: 1,
        [A.errorType]: "ThrottlingException",
        [A.retryReason]: "throttling",
        [A.statusCode]: 429,
        [A.requestId]: "req-throttled",
        [A.retryAfterMs]: 300
      })
      // The delay honours the hint and is what the client then waited (TestClock time).
      const delay = retry!.attributes[A.retryDelayMs] as number
      expect(delay).toBeGreaterThanOrEqual(300)
      expect(delay).toBeLessThanOrEqual(500)
      expect(http.sent[1]!.at - http.sent[0]!.at).toBeGreaterThanOrEqual(delay)
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("a failed operation: error.type on both spans, the job id from the input, an error exit", () => {
    const recorder = makeRecorder()
    const { layer } = setup([awsError(404, "ResourceNotFoundException")])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(LocationJobs.getJob({ JobId: "missing-job" }))
      expect(error._tag).toBe("ResourceNotFoundException")
      const op = recorder.only("LocationJobs.GetJob")
      expect(op.exit !== undefined && Exit.isFailure(op.exit)).toBe(true)
      expect(op.attrs()).toMatchObject({
        [A.rpcMethod]: "GetJob",
        [A.jobId]: "missing-job",
        [A.attempts]: 1,
        [A.statusCode]: 404,
        [A.requestId]: "req-404",
        [A.errorType]: "ResourceNotFoundException"
      })
      expect(op.events).toEqual([])
      const attempts = attemptsOf(recorder, op)
      expect(attempts.map((s) => s.attrs())).toEqual([{
        [A.attempt]: 1,
        [A.statusCode]: 404,
        [A.requestId]: "req-404",
        [A.errorType]: "ResourceNotFoundException"
      }])
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("a transport failure is a transient retry; the client error's reason is recorded", () => {
    const recorder = makeRecorder()
    const { layer } = setup([{ transportError: "ECONNRESET" }, json(200, { Entries: [] })])
    return Effect.gen(function*() {
      yield* runWithClock(LocationJobs.listJobs())
      const op = recorder.only("LocationJobs.ListJobs")
      expect(op.attrs()[A.jobId]).toBeUndefined()
      expect(op.attrs()[A.throttles]).toBeUndefined()
      const [first, second] = attemptsOf(recorder, op)
      expect(first!.attrs()).toEqual({
        [A.attempt]: 1,
        [A.errorType]: "LocationJobsClientError",
        [A.errorReason]: "Transport"
      })
      expect(second!.attrs()[A.statusCode]).toBe(200)
      expect(op.events.map((e) => [e.name, e.attributes[A.retryReason], e.attributes[A.errorType]])).toEqual([
        ["retry", "transient", "LocationJobsClientError"]
      ])
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("retries exhausted: three attempt spans, two retry events, the operation fails with the last error", () => {
    const recorder = makeRecorder()
    const { layer } = setup([
      awsError(500, "InternalServerException"),
      awsError(500, "InternalServerException"),
      awsError(500, "InternalServerException")
    ])
    return Effect.gen(function*() {
      yield* Effect.flip(runWithClock(LocationJobs.cancelJob({ JobId: "j-9" })))
      const op = recorder.only("LocationJobs.CancelJob")
      expect(attemptsOf(recorder, op).map((s) => s.attrs()[A.attempt])).toEqual([1, 2, 3])
      expect(op.events.map((e) => e.attributes[A.attempt])).toEqual([1, 2])
      expect(op.attrs()).toMatchObject({ [A.attempts]: 3, [A.errorType]: "InternalServerException", [A.jobId]: "j-9" })
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("an empty retry budget shows as a retry.budget_exhausted event", () => {
    const recorder = makeRecorder()
    const retry: Retry.StandardRetryOptions = { budgetCapacity: 0 }
    const { http, layer } = setup([throttled(100)], { retry })
    return Effect.gen(function*() {
      yield* Effect.flip(LocationJobs.getJob({ JobId: "j" }))
      expect(http.sent).toHaveLength(1)
      const op = recorder.only("LocationJobs.GetJob")
      expect(op.events.map((e) => e.name)).toEqual([LocationJobsClient.SpanEvent.budgetExhausted])
      expect(op.events[0]!.attributes).toMatchObject({ [A.retryReason]: "throttling", [A.attempt]: 1 })
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("a user's retry Schedule: attempt spans and retry events too", () => {
    const recorder = makeRecorder()
    const { layer } = setup([throttled(0), startOk()], { retry: { schedule: Schedule.recurs(2) } })
    return Effect.gen(function*() {
      yield* LocationJobs.startJob(validStart)
      const op = recorder.only("LocationJobs.StartJob")
      expect(attemptsOf(recorder, op).map((s) => s.attrs()[A.statusCode])).toEqual([429, 200])
      expect(op.events.map((e) => [e.name, e.attributes[A.attempt], e.attributes[A.retryReason]])).toEqual([
        ["retry", 1, "throttling"]
      ])
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("with transportSpans, the HTTP client's span sits under the attempt span", () => {
    const recorder = makeRecorder()
    const { layer } = setup([json(200, jobBody("j", "Running"))], { transportSpans: true })
    return Effect.gen(function*() {
      yield* LocationJobs.getJob({ JobId: "j" })
      const op = recorder.only("LocationJobs.GetJob")
      const [attempt] = recorder.children(op)
      const transport = recorder.children(attempt!)
      expect(transport).toHaveLength(1)
      expect(transport[0]!.kind).toBe("client")
      expect(transport[0]!.name).toMatch(/GET/)
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("no spans when tracing is disabled", () => {
    const recorder = makeRecorder()
    const { layer } = setup([startOk()])
    return Effect.gen(function*() {
      yield* LocationJobs.startJob(validStart)
      expect(recorder.spans).toEqual([])
    }).pipe(Effect.provide(layer), Effect.withTracerEnabled(false), Effect.withTracer(recorder.tracer))
  })

  it.effect("retries are logged at Debug level with their attributes", () => {
    const recorder = makeRecorder()
    const lines: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
    const logger = Logger.make(({ annotations, message }) => {
      lines.push({ message, annotations: Object.fromEntries(annotations) })
    })
    const { layer } = setup([throttled(300), startOk()])
    return Effect.gen(function*() {
      yield* runWithClock(LocationJobs.startJob(validStart))
      expect(lines).toHaveLength(1)
      expect(String(lines[0]!.message)).toMatch(/^StartJob: attempt 1 failed with ThrottlingException \(HTTP 429\); retrying in \d+ ms \(throttling\)$/)
      expect(lines[0]!.annotations).toMatchObject({ [A.requestId]: "req-throttled", [A.retryReason]: "throttling" })
    }).pipe(
      Effect.provide(layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.Debug),
      Effect.withTracer(recorder.tracer)
    )
  })
})

describe("errors carry no signed request", () => {
  it.effect("a transport failure after signing keeps the request as the client built it", () => {
    const http = makeScripted([{ transportError: "ECONNRESET" }])
    const signing = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(
        HttpClient.HttpClient,
        HttpClient.mapRequest(HttpClientRequest.setHeaders({
          authorization: "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=0123456789abcdef",
          "x-amz-security-token": "session-token-value"
        }))
      )
    ).pipe(Layer.provide(http.layer))
    const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(signing))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(LocationJobs.getJob({ JobId: "j" }))
      expect(http.sent[0]!.headers["authorization"]).toMatch(/^AWS4-HMAC-SHA256/) // it was signed when sent
      expect(error._tag === "LocationJobsClientError" && error.reason).toBe("Transport")
      const text = JSON.stringify(error) + util.inspect(error, { depth: 10 })
      expect(text).toContain("ECONNRESET")
      expect(text).not.toContain("Signature=")
      expect(text).not.toContain("session-token-value")
    }).pipe(Effect.provide(layer))
  })
})

describe("waiter and paginator spans", () => {
  it.effect("waitForJob: one span with the outcome, the polls' GetJob spans under it", () => {
    const recorder = makeRecorder()
    const { layer } = setup([
      json(200, jobBody("j", "Pending")),
      throttled(0),
      json(200, jobBody("j", "Running")),
      json(200, jobBody("j", "Completed"))
    ])
    return Effect.gen(function*() {
      yield* runWithClock(Waiter.waitForJob("j", { minDelay: "1 second", maxDelay: "1 second" }))
      const wait = recorder.only("LocationJobs.waitForJob")
      expect(wait.attrs()).toEqual({
        [A.jobId]: "j",
        [A.waitPolls]: 3,
        [A.jobStatus]: "Completed",
        [A.waitOutcome]: "Completed"
      })
      const polls = recorder.children(wait)
      expect(polls.map((s) => s.name)).toEqual(["LocationJobs.GetJob", "LocationJobs.GetJob", "LocationJobs.GetJob"])
      expect(polls.map((s) => attemptsOf(recorder, s).length)).toEqual([1, 2, 1])
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("waitForJob: a Failed job ends the span with outcome Failed", () => {
    const recorder = makeRecorder()
    const { layer } = setup([json(200, jobBody("j", "Failed", { EndedAt: "2024-01-01T01:00:00Z", Error: { Code: "ValidationError", Messages: ["no input files"] } }))])
    return Effect.gen(function*() {
      const e = yield* Effect.flip(Waiter.waitForJob("j"))
      expect(e._tag).toBe("JobFailed")
      const wait = recorder.only("LocationJobs.waitForJob")
      expect(wait.attrs()[A.waitOutcome]).toBe("Failed")
      expect(wait.exit !== undefined && Exit.isFailure(wait.exit)).toBe(true)
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })

  it.effect("listJobsPages: one span with the page count, a ListJobs span per page under it", () => {
    const recorder = makeRecorder()
    const { layer } = setup([
      json(200, { Entries: [], NextToken: "t1" }),
      json(200, { Entries: [], NextToken: "t2" }),
      json(200, { Entries: [] })
    ])
    return Effect.gen(function*() {
      const pages = yield* Stream.runCollect(Paginator.listJobsPages())
      expect(pages.length).toBe(3)
      const stream = recorder.only("LocationJobs.listJobsPages")
      expect(stream.attrs()[A.pages]).toBe(3)
      expect(recorder.children(stream).map((s) => s.name)).toEqual(["LocationJobs.ListJobs", "LocationJobs.ListJobs", "LocationJobs.ListJobs"])
    }).pipe(Effect.provide(layer), Effect.withTracer(recorder.tracer))
  })
})
