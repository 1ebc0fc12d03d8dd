/**
 * One set of error classes for both clients: an error the Micro client raises is `instanceof`
 * `LocationJobsError`'s class and `Effect.catchTag` handles it; an error the Effect client raises is
 * `instanceof` `MicroLocationJobsError`'s class and `Micro.catchTag` handles it; either is yieldable
 * in both kinds of program. Likewise the waiters' `JobFailed`, `JobCancelled` and `WaitTimeout`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as LocationJobsError from "../src/LocationJobsError.js"
import * as MicroLocationJobsError from "../src/MicroLocationJobsError.js"
import * as MicroWaiter from "../src/MicroWaiter.js"
import * as Waiter from "../src/Waiter.js"
import { awsError as httpError, jobBody, json, makeScripted } from "./support/ScriptedHttp.js"
import { awsError, client, failure, job, ok, startInput } from "./support/ScriptedMicro.js"
import { serviceErrors } from "./support/ServiceAnswers.js"

/** The seven errors of the spec, then the client's own. */
const classNames = [...serviceErrors.map(([name]) => name), "LocationJobsClientError"] as const

describe("one set of error classes", () => {
  it("both modules export the same class under each name, with the same _tag", () => {
    for (const name of classNames) {
      expect(MicroLocationJobsError[name], name).toBe(LocationJobsError[name])
    }
    const made = new MicroLocationJobsError.ThrottlingException({ message: "slow down", status: 429 })
    expect(made).toBeInstanceOf(LocationJobsError.ThrottlingException)
    expect(made).toBeInstanceOf(Error)
    expect(made._tag).toBe("ThrottlingException")
    expect(MicroLocationJobsError.isRetryable(made) && LocationJobsError.isThrottling(made)).toBe(true)
  })

  it("ServiceErrorTags lists the seven errors of the spec, in both modules", () => {
    expect(LocationJobsError.ServiceErrorTags).toEqual(serviceErrors.map(([name]) => name))
    expect(MicroLocationJobsError.ServiceErrorTags).toBe(LocationJobsError.ServiceErrorTags)
  })

  it.effect("errors of the Micro client are instances of LocationJobsError's classes and caught by Effect.catchTag", () =>
    Effect.gen(function*() {
      const c = client([awsError(429, "ThrottlingException"), { transportError: "connection reset" }], { retry: false })

      const throttled = yield* Effect.flip(c.jobs.getJob({ JobId: "j-1" }))
      expect(throttled).toBeInstanceOf(LocationJobsError.ThrottlingException)
      expect(throttled).toMatchObject({ _tag: "ThrottlingException", status: 429, message: "ThrottlingException happened" })
      const caught = yield* c.jobs.getJob({ JobId: "j-1" }).pipe(
        Effect.as("answered"),
        Effect.catchTag("LocationJobsClientError", (e) => Effect.succeed(`${e.reason}: ${e.message}`))
      )
      expect(caught).toMatch(/^Transport: GetJob: could not reach the service/)

      const invalid = yield* Effect.flip(c.jobs.startJob({ ...startInput, Name: "bad name" }))
      expect(invalid).toBeInstanceOf(LocationJobsError.ValidationException)
      const handled = yield* c.jobs.startJob({ ...startInput, Name: "bad name" }).pipe(
        Effect.map(() => [] as ReadonlyArray<string>),
        Effect.catchTag("ValidationException", (e) => Effect.succeed(e.fieldList.map((f) => f.name)))
      )
      expect(handled).toEqual(["Name"])
    }))

  it.effect("errors of the Effect client are instances of MicroLocationJobsError's classes and caught by Micro.catchTag", () =>
    Effect.gen(function*() {
      const http = makeScripted([httpError(404, "ResourceNotFoundException")])
      const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(http.layer))
      const missing = yield* Effect.flip(Effect.provide(LocationJobs.getJob({ JobId: "j-404" }), layer))
      expect(missing).toBeInstanceOf(MicroLocationJobsError.ResourceNotFoundException)
      expect(missing).toBeInstanceOf(LocationJobsError.ResourceNotFoundException)
      const caught = yield* Micro.fail(missing).pipe(
        Micro.catchTag("ResourceNotFoundException", (e) => Micro.succeed(e.status)),
        Micro.orElseSucceed(() => 0)
      )
      expect(caught).toBe(404)
    }))

  it("a service error decoded for the Micro client equals the one built from LocationJobsError's class", async () => {
    const c = client([awsError(403, "AccessDeniedException", {}, { "x-amzn-requestid": "req-9" })], { retry: false })
    const error = await failure(c.jobs.listJobs())
    expect(error).toStrictEqual(
      new LocationJobsError.AccessDeniedException({ message: "AccessDeniedException happened", status: 403, requestId: "req-9" })
    )
  })

  it.effect("an error is yieldable in Effect.gen and in Micro.gen, failing with itself", () =>
    Effect.gen(function*() {
      const error = new LocationJobsError.LocationJobsClientError({ reason: "Configuration", message: "No region" })
      const inEffect = yield* Effect.either(Effect.gen(function*() {
        return yield* error
      }))
      expect(inEffect).toStrictEqual(Either.left(error))
      const inMicro = yield* Micro.either(Micro.gen(function*() {
        return yield* error
      }))
      expect(Either.isLeft(inMicro) && inMicro.left).toBe(error)
    }))

  it.effect("the waiters end with one set of classes: MicroWaiter's JobFailed is Waiter's, and the other way round", () =>
    Effect.gen(function*() {
      expect([MicroWaiter.JobFailed, MicroWaiter.JobCancelled, MicroWaiter.WaitTimeout]).toEqual([
        Waiter.JobFailed,
        Waiter.JobCancelled,
        Waiter.WaitTimeout
      ])
      const failed = { ...job("j-1", "Failed"), Error: { Code: "ValidationError", Messages: ["bad input"] } }
      const c = client([ok(failed)])
      const fromMicro = yield* Effect.flip(MicroWaiter.waitForJob(c.jobs, "j-1"))
      expect(fromMicro).toBeInstanceOf(Waiter.JobFailed)
      const caught = yield* MicroWaiter.waitForJob(c.jobs, "j-1").pipe(
        Effect.map(() => "Completed"),
        Effect.catchTag("JobFailed", (e) => Effect.succeed(e.error?.Code))
      )
      expect(caught).toBe("ValidationError")

      const http = makeScripted([json(200, jobBody("j-2", "Cancelled"))])
      const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(http.layer))
      const fromEffect = yield* Effect.flip(Effect.provide(Waiter.waitForJob("j-2"), layer))
      expect(fromEffect).toBeInstanceOf(MicroWaiter.JobCancelled)
      expect(fromEffect).toMatchObject({ _tag: "JobCancelled", jobId: "j-2" })
    }))
})
