/**
 * `MicroLocationJobs` over `@geojobs/testing`'s HTTP double (the real wire protocol answered by the
 * in-memory service, with fault injection): a job lost after the service made it is found again
 * through the reused ClientToken (exactly one job), throttling and dropped connections are
 * retried, a malformed answer is UndecodableResponse, and the job's lifecycle is seen through
 * GetJob, ListJobs, CancelJob and `waitForJob`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as MicroLocationJobs from "@geojobs/core/MicroLocationJobs"
import { LocationJobsClientError } from "@geojobs/core/MicroLocationJobsError"
import * as MicroWaiter from "@geojobs/core/MicroWaiter"
import { startJobRequest } from "@geojobs/core/TestFixtures"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Micro from "effect/Micro"
import * as Runtime from "effect/Runtime"
import * as HttpDouble from "@geojobs/testing/HttpDouble"

/** A Micro transport over an Effect `HttpClient`, run in the given runtime. */
const transportOver = (client: HttpClient.HttpClient, runtime: Runtime.Runtime<never>): MicroLocationJobs.Transport => (request) =>
  Micro.tryPromise({
    try: () =>
      Runtime.runPromise(runtime)(
        Effect.scoped(Effect.gen(function*() {
          const base = request.method === "GET" ? HttpClientRequest.get(request.url) : HttpClientRequest.post(request.url)
          const withBody = request.body === undefined
            ? base
            : HttpClientRequest.bodyUint8Array(base, request.body, "application/json")
          const response = yield* client.execute(HttpClientRequest.setHeaders(withBody, request.headers))
          return { status: response.status, headers: response.headers, body: yield* response.text }
        }))
      ),
    catch: (cause) => new LocationJobsClientError({ reason: "Transport", message: String(cause), cause })
  })

const startInput = startJobRequest({ Name: "Double" })

const withDouble = <A>(f: (d: {
  readonly jobs: MicroLocationJobs.MicroLocationJobs
  readonly double: Effect.Effect.Success<ReturnType<typeof HttpDouble.make>>
}) => Promise<A>) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const double = yield* HttpDouble.make()
    const runtime = yield* Effect.runtime<never>()
    const jobs = MicroLocationJobs.make({
      region: "us-east-1",
      transport: transportOver(double.client, runtime),
      retry: { baseDelayMs: 1, throttlingBaseDelayMs: 2 }
    })
    return yield* Effect.promise(() => f({ jobs, double }))
  })))

describe("MicroLocationJobs over the HTTP double", () => {
  it("a StartJob answer lost after the job was made is retried with the same ClientToken: one job", () =>
    withDouble(async ({ double, jobs }) => {
      await Effect.runPromise(double.faults.failNext(1, { afterProcessing: true }))
      const started = await Micro.runPromise(jobs.startJob(startInput))
      const calls = await Effect.runPromise(double.faults.calls)
      expect(calls.map((c) => [c.status, c.reachedService])).toEqual([[500, true], [200, true]])
      const tokens = calls.map((c) => (c.body as { ClientToken: string }).ClientToken)
      expect(tokens[0]).toBe(tokens[1])
      const all = await Effect.runPromise(double.control.jobs)
      expect(all.map((j) => j.jobId)).toEqual([started.JobId])
    }))

  it("throttling and a dropped connection are retried; a malformed 200 is UndecodableResponse", () =>
    withDouble(async ({ double, jobs }) => {
      await Effect.runPromise(Effect.zipRight(double.faults.throttleNext(1), double.faults.dropNext(1)))
      const started = await Micro.runPromise(jobs.startJob(startInput))
      expect(started.Status).toBe("Pending")
      expect((await Effect.runPromise(double.faults.calls)).map((c) => c.fault)).toEqual(["Throttle", "Drop", undefined])
      await Effect.runPromise(double.faults.malformedNext(1))
      const exit = await Micro.runPromiseExit(jobs.getJob({ JobId: started.JobId }))
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "LocationJobsClientError",
        reason: "UndecodableResponse"
      })
    }))

  it("the lifecycle through GetJob, ListJobs, CancelJob and waitForJob", () =>
    withDouble(async ({ double, jobs }) => {
      const a = await Micro.runPromise(jobs.startJob({ ...startInput, Name: "A" }))
      const b = await Micro.runPromise(jobs.startJob({ ...startInput, Name: "B" }))
      await Effect.runPromise(double.control.advance(a.JobId, "Completed"))
      expect((await Micro.runPromise(MicroWaiter.waitForJob(jobs, a.JobId, { minDelayMs: 1 }))).Status).toBe("Completed")
      expect((await Micro.runPromise(jobs.cancelJob({ JobId: b.JobId }))).Status).toBe("Cancelling")
      await Effect.runPromise(double.control.advance(b.JobId, "Cancelled"))
      const waited = await Micro.runPromiseExit(MicroWaiter.waitForJob(jobs, b.JobId, { minDelayMs: 1 }))
      expect(waited._tag === "Failure" && waited.cause._tag === "Fail" ? waited.cause.error._tag : undefined).toBe("JobCancelled")
      const all = await Micro.runPromise(MicroLocationJobs.listAllJobs(jobs, {}, { pageSize: 1 }))
      expect(all.map((j) => [j.Name, j.Status]).sort()).toEqual([["A", "Completed"], ["B", "Cancelled"]])
      const missing = await Micro.runPromiseExit(jobs.getJob({ JobId: "nope" }))
      expect(missing._tag === "Failure" && missing.cause._tag === "Fail" ? missing.cause.error._tag : undefined).toBe("ResourceNotFoundException")
    }))
})
