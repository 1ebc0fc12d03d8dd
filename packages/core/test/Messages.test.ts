/**
 * Messages that name the rule broken and the fix, the same from both clients: a location refused
 * for its bucket name, its path or its final "/", an enum member naming its field and the allowed
 * values, and a transport failure naming the host and what went wrong there.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import { validators } from "../src/internal/microJob.js"
import * as Job from "../src/Job.js"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as MicroLocationJobs from "../src/MicroLocationJobs.js"
import type { ValidationException } from "../src/LocationJobsError.js"
import { makeValidator } from "../src/RequestValidation.js"
import { validStart } from "./support/ScriptedHttp.js"

const effectStart = makeValidator("StartJob", Job.StartJobRequest, { side: "client" })
const effectList = makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" })

/** The fields of the ValidationException both clients give for `input`, which must be equal. */
const fieldsOf = (input: unknown, op: "StartJob" | "ListJobs" = "StartJob") => {
  const full: Either.Either<unknown, ValidationException> = (op === "StartJob" ? effectStart : effectList)(input)
  const micro = validators[op](input)
  if (Either.isRight(full) || !("fieldList" in (micro as object))) throw new Error("expected a ValidationException")
  const m = micro as { readonly fieldList: ReadonlyArray<unknown>; readonly message: string }
  expect(m.fieldList).toEqual(full.left.fieldList)
  expect(m.message).toBe(full.left.message)
  return full.left.fieldList
}

const withInput = (Location: string, Format = "Parquet") => ({ ...validStart, InputOptions: { Location, Format } })
const withOutput = (Location: string) => ({ ...validStart, OutputOptions: { Format: "Parquet", Location } })

describe("request messages name the rule broken and the fix (both clients)", () => {
  it("a bucket name too short is refused for its length (3 to 63), not as a malformed URI", () => {
    expect(fieldsOf(withInput("s3://in/batch/"))).toEqual([{
      name: "InputOptions.Location",
      message: "InputOptions.Location: bucket name \"in\" is 2 characters long; S3 bucket names are 3 to 63 characters long"
    }])
  })

  it("characters S3 refuses in a bucket name, an empty path segment, no bucket, a bad ARN", () => {
    expect(fieldsOf(withInput("s3://My_Bucket/x"))[0]!.message).toBe(
      "InputOptions.Location: bucket name \"My_Bucket\" may contain only lowercase letters, numbers, \".\", \"-\" and \"_\""
    )
    expect(fieldsOf(withInput("s3://-bucket/x"))[0]!.message).toBe(
      "InputOptions.Location: bucket name \"-bucket\" must start with a lowercase letter or a number"
    )
    expect(fieldsOf(withInput("s3://bucket//x"))[0]!.message).toBe(
      "InputOptions.Location \"s3://bucket//x\" has an empty path segment (\"//\"): remove the extra \"/\""
    )
    expect(fieldsOf(withInput("s3:///x"))[0]!.message).toMatch(/^InputOptions\.Location "s3:\/\/\/x" names no bucket: write it as s3:\/\//)
    expect(fieldsOf(withInput("arn:aws:s3"))[0]!.message).toMatch(/^InputOptions\.Location "arn:aws:s3" is not a valid ARN: expected arn:<partition>:s3:::<bucket>/)
    expect(fieldsOf(withInput("/data/in"))[0]!.message).toBe(
      "InputOptions.Location must be an S3 URI (s3://my-bucket/input/) or an S3 ARN (arn:aws:s3:::my-bucket)"
    )
  })

  it("an output location without its final / says to add it", () => {
    expect(fieldsOf(withOutput("s3://out-bucket/results"))).toEqual([{
      name: "OutputOptions.Location",
      message: "OutputOptions.Location must be a prefix ending with \"/\": write \"s3://out-bucket/results/\""
    }])
  })

  it("a wrong enum member names its field and the allowed values", () => {
    expect(fieldsOf(withInput("s3://in-bucket/batch/", "CSV"))).toEqual([{
      name: "InputOptions.Format",
      message: "InputOptions.Format must be one of Parquet, got \"CSV\""
    }])
    expect(fieldsOf({ ...validStart, OutputOptions: { Format: 3, Location: "s3://out-bucket/r/" } })[0]!.message).toBe(
      "OutputOptions.Format must be one of Parquet, got 3"
    )
    expect(fieldsOf({ ...validStart, Action: "Geocode" })[0]!.message).toBe("Action must be one of ValidateAddress, got \"Geocode\"")
    expect(fieldsOf({ ...validStart, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Nope"] } } })[0]).toEqual({
      name: "ActionOptions.ValidateAddress.AdditionalFeatures.0",
      message: "AdditionalFeatures item must be one of Position, CountrySpecificAttributes, got \"Nope\""
    })
    expect(fieldsOf({ Filter: { JobStatus: "Done" } }, "ListJobs")[0]!.message).toBe(
      "Filter.JobStatus must be one of Pending, Running, Completed, Failed, Cancelling, Cancelled, got \"Done\""
    )
  })
})

/** An error as Node reports it: a message and a `code`. */
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code })

const failures = {
  refused: nodeError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:4566"),
  // Node tries every address of a host and reports them together; undici's fetch wraps the cause.
  refusedAll: Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new AggregateError([nodeError("ECONNREFUSED", "connect ECONNREFUSED ::1:4566")], ""), {})
  }),
  dns: nodeError("ENOTFOUND", "getaddrinfo ENOTFOUND geo.nowhere.example"),
  timeout: Object.assign(new TypeError("fetch failed"), { cause: nodeError("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error") }),
  other: new Error("the connection closed before the whole answer came")
}

const expected = {
  refused: "GetJob: could not reach the service: connection refused at http://127.0.0.1:4566 (ECONNREFUSED): " +
    "is the service running there? Check the endpoint",
  refusedAll: "GetJob: could not reach the service: connection refused at http://127.0.0.1:4566 (ECONNREFUSED): " +
    "is the service running there? Check the endpoint",
  dns: "GetJob: could not reach the service: host 127.0.0.1 not found (DNS lookup failed, ENOTFOUND): check the endpoint and the Region",
  timeout: "GetJob: could not reach the service: connecting to http://127.0.0.1:4566 timed out (UND_ERR_CONNECT_TIMEOUT): " +
    "check the network, a proxy or a firewall",
  other: "GetJob: could not reach the service: the connection closed before the whole answer came (http://127.0.0.1:4566)"
}

const endpoint = { endpoint: "http://127.0.0.1:4566", region: "us-east-1", retry: false } as const

const effectFailure = (cause: unknown) => {
  const http = HttpClient.make((request) => Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
  return Effect.flip(LocationJobs.getJob({ JobId: "j" })).pipe(
    Effect.provide(LocationJobsClient.layer(endpoint).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http))))
  )
}

const microFailure = (cause: unknown) =>
  Micro.runPromise(Micro.flip(
    MicroLocationJobs.make({ ...endpoint, transport: () => Micro.fail(MicroLocationJobs.transportError(cause)) }).getJob({ JobId: "j" })
  ))

describe("a transport failure names the host and the cause (both clients)", () => {
  for (const [name, cause] of Object.entries(failures)) {
    const message = expected[name as keyof typeof expected]
    it.effect(`${name}: LocationJobsClient`, () =>
      Effect.map(effectFailure(cause), (e) => {
        expect(e).toMatchObject({ _tag: "LocationJobsClientError", reason: "Transport", message })
      }))
    it(`${name}: MicroLocationJobs`, async () => {
      expect(await microFailure(cause)).toMatchObject({ _tag: "LocationJobsClientError", reason: "Transport", message })
    })
  }

  it.effect("the attempt timeout names the host and the option (LocationJobsClient)", () => {
    const http = HttpClient.make(() => Effect.never)
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(LocationJobs.getJob({ JobId: "j" })))
      yield* TestClock.adjust("31 seconds")
      const e = yield* Fiber.join(fiber)
      expect(e.message).toBe("GetJob: no answer from http://127.0.0.1:4566 within 30s (attemptTimeout)")
    }).pipe(Effect.provide(LocationJobsClient.layer(endpoint).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)))))
  })

  it("the attempt timeout names the host and the option (MicroLocationJobs)", async () => {
    const client = MicroLocationJobs.make({ ...endpoint, attemptTimeoutMs: 20, transport: () => Micro.never })
    const e = await Micro.runPromise(Micro.flip(client.getJob({ JobId: "j" })))
    expect(e.message).toBe("GetJob: no answer from http://127.0.0.1:4566 within 20ms (attemptTimeoutMs)")
  })
})
