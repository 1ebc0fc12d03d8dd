/**
 * Response metadata on success, for both clients: the request id, the HTTP status, the attempts
 * made, read with `ResponseMetadata.get` from the response itself (its members are unchanged).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as ResponseMetadata from "../src/ResponseMetadata.js"
import { awsError, json, jobBody, makeScripted, startOk, validStart } from "./support/ScriptedHttp.js"
import * as micro from "./support/ScriptedMicro.js"

describe("ResponseMetadata", () => {
  it.live("Effect client: request id, status and attempts of the answer that succeeded", () =>
    Effect.gen(function*() {
      const http = makeScripted([
        awsError(500, "InternalServerException"),
        json(200, jobBody("job-1", "Running"), { "x-amzn-requestid": "req-ok", "x-amz-id-2": "ext-2" })
      ])
      const layer = LocationJobsClient.layer({ region: "us-east-1", retry: { baseDelay: "1 millis" } }).pipe(Layer.provide(http.layer))
      const job = yield* Effect.provide(LocationJobs.getJob({ JobId: "job-1" }), layer)
      expect(ResponseMetadata.get(job)).toEqual({
        httpStatusCode: 200,
        requestId: "req-ok",
        extendedRequestId: "ext-2",
        attempts: 2
      })
      expect(Object.keys(job)).not.toContain("$metadata")
      const started = yield* Effect.provide(LocationJobs.startJob(validStart), LocationJobsClient.layer({ region: "us-east-1" }).pipe(
        Layer.provide(makeScripted([startOk()]).layer)
      ))
      expect(ResponseMetadata.get(started)).toMatchObject({ httpStatusCode: 200, attempts: 1 })
    }))

  it("Micro client: the same metadata", async () => {
    const c = micro.client([micro.awsError(503, "InternalServerException"), micro.awsError(500, "InternalServerException"), micro.ok()])
    const out = await Micro.runPromise(c.jobs.startJob(micro.startInput))
    expect(ResponseMetadata.get(out)).toEqual({ httpStatusCode: 200, requestId: "req-3", attempts: 3 })
    expect(JSON.stringify(out)).not.toContain("req-3")
  })

  it("values that did not come from a client have none", () => {
    expect(ResponseMetadata.get({ JobId: "x" })).toBeUndefined()
  })
})
