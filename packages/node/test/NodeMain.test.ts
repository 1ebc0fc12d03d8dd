import { describe, expect, it } from "@effect/vitest"
import { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as Cause from "effect/Cause"
import * as FiberId from "effect/FiberId"
import { describeFailure } from "../src/NodeMain.js"

describe("NodeMain.describeFailure", () => {
  it("a typed failure is one line, its cause a second", () => {
    const error = new LocationJobsClientError({
      reason: "Transport",
      message: "StartJob: could not reach the service",
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { name: "RequestError" })
    })
    expect(describeFailure(Cause.fail(error))).toBe(
      "LocationJobsClientError: StartJob: could not reach the service\n  caused by: RequestError: connect ECONNREFUSED 127.0.0.1:9"
    )
    expect(describeFailure(Cause.fail(new LocationJobsClientError({ reason: "Configuration", message: "No region" })))).toBe(
      "LocationJobsClientError: No region"
    )
  })

  it("an interruption says nothing; a defect is printed whole", () => {
    expect(describeFailure(Cause.interrupt(FiberId.none))).toBeUndefined()
    const text = describeFailure(Cause.die(new TypeError("x is undefined")))!
    expect(text).toContain("TypeError: x is undefined")
    expect(text.split("\n").length).toBeGreaterThan(1)
  })
})
