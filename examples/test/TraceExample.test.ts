/**
 * The tracing example end to end: a `validate` run on the embedded local service under
 * `@effect/opentelemetry`, whose spans include the Jobs API operations with their attempts under
 * them, and the wait with its polls.
 */
import { describe, expect, it } from "vitest"
import { renderTree, traceValidate } from "../trace-validate.js"

describe("examples/trace-validate.ts", () => {
  it("traces a validate run: StartJob and GetJob operation spans with attempt children, under the run's span", async () => {
    const result = await traceValidate()
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ Input: "addresses.csv", Rows: 37 })

    const byId = new Map(result.spans.map((s) => [s.spanContext().spanId, s]))
    const parentOf = (s: (typeof result.spans)[number]) =>
      s.parentSpanContext === undefined ? undefined : byId.get(s.parentSpanContext.spanId)
    const childrenOf = (s: (typeof result.spans)[number]) => result.spans.filter((c) => parentOf(c) === s)
    const named = (name: string) => result.spans.filter((s) => s.name === name)

    const [run] = named("geojobs validate")
    expect(run).toBeDefined()
    const [start, ...moreStarts] = named("LocationJobs.StartJob")
    expect(moreStarts).toEqual([])
    expect(parentOf(start!)).toBe(run)
    expect(start!.attributes).toMatchObject({
      "rpc.system": "aws-api",
      "rpc.service": "Location",
      "rpc.method": "StartJob",
      "geojobs.attempts": 1,
      "http.response.status_code": 200
    })
    const jobId = start!.attributes["aws.location.job_id"]
    expect(jobId).toMatch(/^geojobs-validate-/)
    expect(start!.attributes["aws.request_id"]).toEqual(expect.any(String))
    const startAttempts = childrenOf(start!)
    expect(startAttempts.map((s) => s.name)).toEqual(["LocationJobs.StartJob attempt"])
    expect(startAttempts[0]!.attributes).toMatchObject({ "geojobs.attempt": 1, "http.response.status_code": 200 })

    const [wait] = named("LocationJobs.waitForJob")
    expect(parentOf(wait!)).toBe(run)
    expect(wait!.attributes).toMatchObject({ "aws.location.job_id": jobId, "geojobs.wait.outcome": "Completed" })
    const polls = childrenOf(wait!).filter((s) => s.name === "LocationJobs.GetJob")
    expect(polls.length).toBeGreaterThanOrEqual(1)
    expect(polls.length).toBe(wait!.attributes["geojobs.wait.polls"])
    for (const poll of polls) {
      expect(poll.attributes["aws.location.job_id"]).toBe(jobId)
      expect(childrenOf(poll).map((s) => s.name)).toEqual(["LocationJobs.GetJob attempt"])
    }

    // The printed tree shows them nested.
    const tree = renderTree(result.spans)
    expect(tree.split("\n")[0]).toMatch(/^geojobs validate \(/)
    expect(tree).toMatch(/├─ LocationJobs\.StartJob \(.*\n│  └─ LocationJobs\.StartJob attempt \(/)
    expect(tree).toMatch(/LocationJobs\.waitForJob \(.*\n│  [├└]─ LocationJobs\.GetJob \(/)
  }, 120_000)
})
