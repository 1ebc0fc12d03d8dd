import { describe, expect, it } from "@effect/vitest"
import type { JobStatus } from "@geojobs/core/Job"
import * as Either from "effect/Either"
import { type JobEvent, isTerminal, transition } from "../src/JobLifecycle.js"

const statuses: ReadonlyArray<JobStatus> = ["Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled"]
const events: ReadonlyArray<JobEvent> = ["start", "complete", "fail", "cancel", "cancelled"]

const legal: Record<string, JobStatus> = {
  "Pending/start": "Running",
  "Pending/fail": "Failed",
  "Pending/cancel": "Cancelling",
  "Running/complete": "Completed",
  "Running/fail": "Failed",
  "Running/cancel": "Cancelling",
  "Cancelling/cancelled": "Cancelled"
}

describe("JobLifecycle", () => {
  it("allows exactly the documented moves (all 30 pairs checked)", () => {
    for (const from of statuses) {
      for (const event of events) {
        const result = transition("j", from, event)
        const expected = legal[`${from}/${event}`]
        if (expected === undefined) {
          expect(Either.isLeft(result), `${from}/${event}`).toBe(true)
          if (Either.isLeft(result)) expect(result.left).toMatchObject({ _tag: "IllegalTransition", from, event })
        } else {
          expect(result, `${from}/${event}`).toEqual(Either.right(expected))
        }
      }
    }
  })

  it("terminal statuses have no way out", () => {
    expect(statuses.filter(isTerminal)).toEqual(["Completed", "Failed", "Cancelled"])
    for (const from of statuses.filter(isTerminal)) {
      for (const event of events) expect(Either.isLeft(transition("j", from, event))).toBe(true)
    }
  })
})
