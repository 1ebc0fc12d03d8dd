/**
 * `MicroWaiter.waitForJob` over a scripted transport: Completed, Failed, Cancelled, errors that
 * keep or end the wait, the time limit, and the official waiter's delays.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Micro from "effect/Micro"
import * as MicroWaiter from "../src/MicroWaiter.js"
import { awsError, client, failure, job, ok } from "./support/ScriptedMicro.js"
import { newValues } from "./support/ServiceAnswers.js"

describe("MicroWaiter.waitForJob", () => {
  const wait = { minDelayMs: 2, maxDelayMs: 8, random: () => 0.5 }

  it("polls until Completed, reporting every answer", async () => {
    const c = client([ok(job("j", "Pending")), ok(job("j", "Running")), ok(job("j", "Completed"))])
    const seen: Array<string> = []
    const done = await Micro.runPromise(MicroWaiter.waitForJob(c.jobs, "j", { ...wait, onPoll: (j) => seen.push(j.Status) }))
    expect(done.Status).toBe("Completed")
    expect(seen).toEqual(["Pending", "Running", "Completed"])
  })

  it("Failed → JobFailed with the JobError; Cancelled → JobCancelled", async () => {
    const failed = client([ok({ ...job("j", "Failed"), Error: { Code: "ValidationError", Messages: ["no such bucket"] } })])
    expect(await failure(MicroWaiter.waitForJob(failed.jobs, "j", wait))).toMatchObject({
      _tag: "JobFailed",
      jobId: "j",
      error: { Code: "ValidationError", Messages: ["no such bucket"] },
      message: "Job j failed: ValidationError — no such bucket"
    })
    const cancelled = client([ok(job("j", "Cancelling")), ok(job("j", "Cancelled"))])
    expect(await failure(MicroWaiter.waitForJob(cancelled.jobs, "j", wait))).toMatchObject({ _tag: "JobCancelled" })
  })

  it("as the SDK's waiter: every error from GetJob keeps it polling; the limit ends it with the last error", async () => {
    const flaky = client([awsError(500, "InternalServerException"), ok(job("j", "Completed"))], { retry: false })
    expect((await Micro.runPromise(MicroWaiter.waitForJob(flaky.jobs, "j", wait))).Status).toBe("Completed")
    const fresh = client([awsError(404, "ResourceNotFoundException"), ok(job("j", "Completed"))], { retry: false })
    expect((await Micro.runPromise(MicroWaiter.waitForJob(fresh.jobs, "j", wait))).Status).toBe("Completed")
    expect(fresh.sent).toHaveLength(2)
    const denied = client([awsError(403, "AccessDeniedException")], { retry: false })
    // a limit of many poll delays (2–8 ms), so that a loaded machine still polls more than once
    expect(await failure(MicroWaiter.waitForJob(denied.jobs, "j", { ...wait, timeoutMs: 1000 }))).toMatchObject({
      _tag: "WaitTimeout",
      lastError: { _tag: "AccessDeniedException" },
      message: "Job j did not finish within 1s (last error: AccessDeniedException: AccessDeniedException happened)"
    })
    expect(denied.sent.length).toBeGreaterThanOrEqual(2)
  })

  it("a request that can never be sent ends it at once: an invalid id, no region", async () => {
    const c = client([ok(job("j", "Completed"))])
    expect(await failure(MicroWaiter.waitForJob(c.jobs, "not a job id/", wait))).toMatchObject({
      _tag: "ValidationException",
      clientSide: true
    })
    expect(c.sent).toHaveLength(0)
    const unconfigured = client([ok(job("j", "Completed"))], { region: undefined })
    expect(await failure(MicroWaiter.waitForJob(unconfigured.jobs, "j", wait))).toMatchObject({
      _tag: "LocationJobsClientError",
      reason: "Configuration"
    })
  })

  it("an unknown status is not terminal: it keeps polling, then completes", async () => {
    const c = client([ok(job("j", "Pending")), ok(job("j", newValues.Status)), ok(job("j", newValues.Status)), ok(job("j", "Completed"))])
    const seen: Array<string> = []
    const done = await Micro.runPromise(MicroWaiter.waitForJob(c.jobs, "j", { ...wait, onPoll: (j) => seen.push(j.Status) }))
    expect(done.Status).toBe("Completed")
    expect(seen).toEqual(["Pending", newValues.Status, newValues.Status, "Completed"])
    expect(c.sent).toHaveLength(4)
  })

  it("an unknown last status and an unknown error code are kept in WaitTimeout and JobFailed", async () => {
    const paused = client([ok(job("j", newValues.Status))])
    expect(await failure(MicroWaiter.waitForJob(paused.jobs, "j", { ...wait, timeoutMs: 20 }))).toMatchObject({
      _tag: "WaitTimeout",
      lastStatus: newValues.Status
    })
    const error = { Code: newValues.Code, Messages: ["m".repeat(250), "2", "3", "4", "5"] }
    const failed = client([ok({ ...job("j", "Failed"), Error: error })])
    expect(await failure(MicroWaiter.waitForJob(failed.jobs, "j", wait))).toMatchObject({ _tag: "JobFailed", error })
  })

  it("gives up with WaitTimeout and the last status", async () => {
    const c = client([ok(job("j", "Running"))])
    const t0 = Date.now()
    expect(await failure(MicroWaiter.waitForJob(c.jobs, "j", { ...wait, timeoutMs: 30 }))).toMatchObject({
      _tag: "WaitTimeout",
      lastStatus: "Running",
      waitedMillis: 30,
      message: "Job j did not finish within 30ms (last status: Running)"
    })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(28)
  })

  it("pollDelay is the official waiter's: min, then up to min · 2^(n-1), capped", () => {
    expect(MicroWaiter.pollDelay(1, 60_000, 120_000, 0.9)).toBe(60_000)
    expect(MicroWaiter.pollDelay(2, 60_000, 120_000, 0.5)).toBe(90_000)
    expect(MicroWaiter.pollDelay(5, 60_000, 120_000, 0.999)).toBe(119_940)
  })
})
