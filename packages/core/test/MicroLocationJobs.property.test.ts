/**
 * The Micro client's hand-written parts held equal to the full client's Schema-based ones, by
 * property: request checks (same valid value, or the same ValidationException) and output decoding
 * (same values, Dates and open enum values included, or both undecodable). What the two clients
 * share is not compared, as it cannot differ: request bytes and error decoding (one function each
 * in `wire.ts`), the error classes (`internal/errors.ts`) and endpoint resolution (one set of
 * rules, held to the SDK's in `EndpointTable.test.ts`). What is left of error decoding is a check of
 * the service's error table: each code it names is decoded into that class, any other is not.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as codec from "../src/internal/codec.js"
import * as microCodec from "../src/internal/microCodec.js"
import { validators } from "../src/internal/microJob.js"
import { formatMillis } from "../src/internal/microTime.js"
import * as wire from "../src/internal/wire.js"
import * as Job from "../src/Job.js"
import * as Errors from "../src/LocationJobsError.js"
import { ErrorStatus, LocationJobsClientError, OperationErrors, type ValidationException } from "../src/LocationJobsError.js"
import { makeValidator } from "../src/RequestValidation.js"
import { roleArn } from "../src/TestFixtures.js"

const ops = ["StartJob", "GetJob", "ListJobs", "CancelJob"] as const
type Op = (typeof ops)[number]

const requestSchemas = {
  StartJob: Job.StartJobRequest,
  GetJob: Job.GetJobRequest,
  ListJobs: Job.ListJobsRequest,
  CancelJob: Job.CancelJobRequest
}
const responseSchemas = {
  StartJob: Job.StartJobResponse,
  GetJob: Job.GetJobResponse,
  ListJobs: Job.ListJobsResponse,
  CancelJob: Job.CancelJobResponse
}
const schemaValidators: Record<Op, (input: unknown) => Either.Either<unknown, ValidationException>> = {
  StartJob: makeValidator("StartJob", Job.StartJobRequest, { side: "client" }),
  GetJob: makeValidator("GetJob", Job.GetJobRequest, { side: "client" }),
  ListJobs: makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" }),
  CancelJob: makeValidator("CancelJob", Job.CancelJobRequest, { side: "client" })
}

// --- values to put anywhere --------------------------------------------------------------
const idChars = fc.constantFrom(..."abcXYZ019_-.".split(""))
const idString = (min: number, max: number) => fc.array(idChars, { minLength: min, maxLength: max }).map((a) => a.join(""))
const bucket = fc.array(fc.constantFrom(..."abc019.-_".split("")), { minLength: 2, maxLength: 20 }).map((a) => "b" + a.join(""))
const segment = fc.array(fc.constantFrom(..."abcXYZ019-_. =+".split("")), { minLength: 1, maxLength: 10 }).map((a) => a.join(""))
const s3Uri = (slash: boolean) =>
  fc.tuple(bucket, fc.array(segment, { maxLength: 3 })).map(([b, s]) => `s3://${b}${s.map((x) => "/" + x).join("")}${slash ? "/" : ""}`)
const tagText = fc.array(fc.constantFrom(..."aZ9 _.,:/=+-@éß中!;\t".split("")), { maxLength: 12 }).map((a) => a.join(""))

/** Strings near every constraint: ids, locations, ASCII, unicode, lengths at the limits. */
const edgyString = fc.oneof(
  idString(0, 3),
  idString(99, 102),
  idString(199, 202),
  fc.constantFrom("", " ", "a b", "ValidateAddress", "Parquet", "Position", "CountrySpecificAttributes", "Pending", "Running", "Bad", "x".repeat(257), "é", "arn:aws:s3:::my-bucket", "s3://ab", "s3://Bucket/", "2024-01-01T00:00:00Z"),
  s3Uri(true),
  s3Uri(false),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.array(fc.integer({ min: 0x21, max: 0x7e }), { minLength: 60, maxLength: 66 }).map((cs) => String.fromCharCode(...cs)),
  tagText
)
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: edgyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -3, max: 120 }), fc.double(), fc.constantFrom(0.5, NaN, Infinity, -0)) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, [], {}, ["Position"], ["Position", "Position"], ["Nope", 3], ["Position", "CountrySpecificAttributes", "Position"]) },
  { weight: 1, arbitrary: fc.dictionary(tagText, fc.oneof(tagText, fc.integer()), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) }
)

// --- valid requests, then mutated at known paths -----------------------------------------
const validStartJob = fc.record(
  {
    ClientToken: fc.array(fc.integer({ min: 0x21, max: 0x7e }), { minLength: 1, maxLength: 64 }).map((cs) => String.fromCharCode(...cs)),
    Action: fc.constant("ValidateAddress"),
    ExecutionRoleArn: fc.constant(roleArn),
    InputOptions: fc.record({ Location: fc.oneof(s3Uri(false), s3Uri(true), bucket.map((b) => `arn:aws:s3:::${b}`)), Format: fc.constant("Parquet") }),
    OutputOptions: fc.record({ Format: fc.constant("Parquet"), Location: s3Uri(true) }),
    Name: idString(1, 100),
    Tags: fc.dictionary(tagText.filter((k) => k.length >= 1), tagText, { maxKeys: 5 }),
    ActionOptions: fc.record({
      ValidateAddress: fc.record({
        AdditionalFeatures: fc.shuffledSubarray(["Position", "CountrySpecificAttributes"], { minLength: 1 })
      }, { requiredKeys: [] })
    }, { requiredKeys: [] })
  },
  { requiredKeys: ["Action", "ExecutionRoleArn", "InputOptions", "OutputOptions"] }
)
const validRequests: Record<Op, fc.Arbitrary<unknown>> = {
  StartJob: validStartJob,
  GetJob: fc.record({ JobId: idString(1, 200) }),
  CancelJob: fc.record({ JobId: idString(1, 200) }),
  ListJobs: fc.record({
    Filter: fc.record({ JobStatus: fc.constantFrom("Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled") }, { requiredKeys: [] }),
    MaxResults: fc.integer({ min: 1, max: 100 }),
    NextToken: fc.string({ minLength: 1, maxLength: 20 })
  }, { requiredKeys: [] })
}
const requestPaths: Record<Op, ReadonlyArray<ReadonlyArray<string>>> = {
  StartJob: [
    ["ClientToken"], ["Action"], ["ActionOptions"], ["ActionOptions", "ValidateAddress"],
    ["ActionOptions", "ValidateAddress", "AdditionalFeatures"], ["ActionOptions", "ValidateAddress", "AdditionalFeatures", "0"],
    ["ExecutionRoleArn"], ["InputOptions"], ["InputOptions", "Location"], ["InputOptions", "Format"], ["Name"],
    ["OutputOptions"], ["OutputOptions", "Location"], ["OutputOptions", "Format"], ["Tags"], ["Tags", "k"], ["Tags", "bad key!"], ["Extra"]
  ],
  GetJob: [["JobId"], ["Extra"]],
  CancelJob: [["JobId"], ["Extra"]],
  ListJobs: [["Filter"], ["Filter", "JobStatus"], ["MaxResults"], ["NextToken"], ["Extra"]]
}

type Mutation = { readonly path: ReadonlyArray<string>; readonly value: unknown; readonly remove: boolean }

/** A copy of `input` with `value` put at `path` (or the key removed), creating objects on the way. */
const mutate = (input: unknown, m: Mutation): unknown => {
  const go = (node: unknown, i: number): unknown => {
    const key = m.path[i]!
    const copy: any = Array.isArray(node) ? [...node] : typeof node === "object" && node !== null ? { ...node } : {}
    if (i === m.path.length - 1) {
      if (m.remove) delete copy[key]
      else copy[key] = m.value
    } else copy[key] = go(copy[key], i + 1)
    return copy
  }
  return go(input, 0)
}

const mutations = (op: Op) =>
  fc.array(
    fc.record({ path: fc.constantFrom(...requestPaths[op]), value: anyValue, remove: fc.boolean() }),
    { maxLength: 4 }
  )

const brokenRequest = (op: Op): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(validRequests[op], mutations(op)).map(([valid, ms]) => ms.reduce(mutate, valid)) },
    { weight: 1, arbitrary: fc.oneof(anyValue, Arbitrary.make(requestSchemas[op] as Schema.Schema<unknown>)) }
  )

describe("MicroLocationJobs request checks = the Schema validators", () => {
  for (const op of ops) {
    it(`${op}: same valid value or the same ValidationException`, () => {
      const seen = { valid: 0, invalid: 0 }
      fc.assert(
        fc.property(brokenRequest(op), (input) => {
          const schema = schemaValidators[op](input)
          const micro = (validators[op] as (input: unknown) => unknown)(input)
          seen[Either.isRight(schema) ? "valid" : "invalid"]++
          // one error class for both: strict equality compares the class, message and every field
          expect(micro).toStrictEqual(Either.isRight(schema) ? schema.right : schema.left)
        }),
        { numRuns: 1500 }
      )
      // both sides are exercised
      expect(seen.valid).toBeGreaterThan(50)
      expect(seen.invalid).toBeGreaterThan(500)
    })
  }
})

// --- responses -----------------------------------------------------------------------------
const timestamp = fc.oneof(
  fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123+02:00", "2024-01-01t00:00:00z", "2024-01-01T00:00:00", "2024-13-45T00:00:00Z", "1704067200", "")
)
/** An enum member as a newer service may send it: a known value, or any other string. */
const openValue = (...known: ReadonlyArray<string>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: edgyString })
const jobWire = fc.record({
  Action: openValue("ValidateAddress"),
  ActionOptions: fc.record({
    ValidateAddress: fc.record({
      AdditionalFeatures: fc.oneof(
        fc.constantFrom(["Position"], ["CountrySpecificAttributes", "Position"]),
        fc.array(openValue("Position", "CountrySpecificAttributes"), { maxLength: 4 })
      )
    }, { requiredKeys: [] })
  }, { requiredKeys: [] }),
  CreatedAt: timestamp,
  EndedAt: timestamp,
  Error: fc.record({
    Code: openValue("ValidationError", "InternalServerError"),
    Messages: fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), edgyString), { maxLength: 6 })
  }, { requiredKeys: ["Code"] }),
  ExecutionRoleArn: fc.oneof(fc.constant(roleArn), edgyString),
  InputOptions: fc.record({ Location: fc.oneof(s3Uri(false), edgyString), Format: openValue("Parquet") }),
  JobArn: fc.oneof(idString(1, 30).map((id) => `arn:aws:geo:us-east-1:123456789012:job/${id}`), edgyString),
  JobId: fc.oneof(idString(1, 30), edgyString),
  Name: fc.oneof(idString(1, 30), edgyString),
  OutputOptions: fc.record({ Format: openValue("Parquet"), Location: fc.oneof(s3Uri(true), edgyString) }),
  Status: openValue("Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled"),
  UpdatedAt: timestamp,
  Tags: fc.dictionary(fc.oneof(tagText, edgyString), fc.oneof(tagText, edgyString), { maxKeys: 3 }),
  Unknown: fc.string()
}, { requiredKeys: ["Action", "CreatedAt", "ExecutionRoleArn", "InputOptions", "JobArn", "JobId", "OutputOptions", "Status", "UpdatedAt"] })
const validResponses: Record<Op, fc.Arbitrary<unknown>> = {
  StartJob: jobWire.map(({ CreatedAt, JobArn, JobId, Status }) => ({ CreatedAt, JobArn, JobId, Status })),
  GetJob: jobWire,
  CancelJob: jobWire.map(({ JobArn, JobId, Status }) => ({ JobArn, JobId, Status })),
  ListJobs: fc.record({
    Entries: fc.array(jobWire.map(({ Tags: _, ...rest }) => rest), { maxLength: 3 }),
    NextToken: fc.string({ maxLength: 5 })
  }, { requiredKeys: ["Entries"] })
}
const responsePaths = [
  ["CreatedAt"], ["JobArn"], ["JobId"], ["Status"], ["Action"], ["EndedAt"], ["Error"], ["Error", "Code"], ["Error", "Messages"],
  ["ExecutionRoleArn"], ["InputOptions", "Location"], ["OutputOptions"], ["Name"], ["Tags"], ["Tags", "bad key!"], ["UpdatedAt"],
  ["ActionOptions", "ValidateAddress", "AdditionalFeatures"], ["Entries"], ["Entries", "0"], ["Entries", "0", "JobId"], ["NextToken"]
]
const responseBody = (op: Op) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(validResponses[op], fc.array(fc.record({ path: fc.constantFrom(...responsePaths), value: anyValue, remove: fc.boolean() }), { maxLength: 2 })).map(([v, ms]) => JSON.stringify(ms.reduce(mutate, v))) },
    { weight: 1, arbitrary: fc.constantFrom("", "not json", "[]", "null", "{}", "5") }
  )

describe("MicroLocationJobs output decoding = the Schema decoders", () => {
  for (const op of ops) {
    const decode = codec.makeOutputDecoder(op, responseSchemas[op] as Schema.Schema<unknown, unknown>)
    it(`${op}: same output (Dates too) or both undecodable`, () => {
      const seen = { decoded: 0, undecodable: 0 }
      fc.assert(
        fc.property(responseBody(op), fc.option(fc.constant("r-1"), { nil: undefined }), (body, requestId) => {
          const response = { status: 200, headers: requestId === undefined ? {} : { "x-amzn-requestid": requestId }, body }
          const schema = decode(response)
          const micro = microCodec.decodeOutput(op, response)
          seen[Either.isRight(schema) ? "decoded" : "undecodable"]++
          if (Either.isRight(schema)) {
            expect(micro).not.toBeInstanceOf(LocationJobsClientError)
            expect(micro).toStrictEqual(schema.right)
          } else {
            expect(micro).toBeInstanceOf(LocationJobsClientError)
            const e = micro as LocationJobsClientError
            expect([e.reason, e.status, e.requestId]).toEqual([schema.left.reason, schema.left.status, schema.left.requestId])
            if (body === "" || !(() => { try { JSON.parse(body); return true } catch { return false } })()) expect(e.message).toBe(schema.left.message)
          }
        }),
        { numRuns: 1000 }
      )
      // both branches exercised: CancelJob's three fields are hit by few mutations, so its
      // undecodable count sits near 200 of 1,000 runs — a floor of 50 keeps the check stable
      expect(seen.decoded).toBeGreaterThan(50)
      expect(seen.undecodable).toBeGreaterThan(50)
    })
  }
})

// --- the error table ------------------------------------------------------------------------
const codes = fc.constantFrom(
  "AccessDeniedException", "InternalServerException", "ResourceNotFoundException", "ThrottlingException", "ValidationException",
  "ConflictException", "ServiceQuotaExceededException", "Throttling", "SlowDown", "Weird", "toString", "__proto__", "constructor", ""
)
const decorated = codes.chain((c) =>
  fc.constantFrom(c, `${c}:http://internal.amazon.com/coral/com.amazonaws.location/`, `com.amazonaws.location#${c}`, `${c},extra`, ` ${c} `)
)
const errorResponse = fc.record({
  status: fc.oneof(fc.constantFrom(400, 403, 404, 409, 429, 500, 502, 503, 504), fc.integer({ min: 300, max: 599 })),
  headers: fc.record({ "x-amzn-errortype": decorated, "x-amzn-requestid": fc.constantFrom("req-1", "") }, { requiredKeys: [] }),
  body: fc.oneof(
    fc.record({ message: fc.string({ maxLength: 10 }), code: decorated, __type: decorated }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    fc.constantFrom("", "oops", "[1]", "null")
  )
})

describe("wire.decodeError = the service's error table", () => {
  it("a code ErrorStatus names becomes that class, any other code (or none) an UnknownServiceError keeping it", () => {
    const seen = { service: 0, unknown: 0 }
    fc.assert(
      fc.property(fc.constantFrom(...ops), errorResponse, (op, response) => {
        const { error } = wire.decodeError(op, response, 0)
        const code = wire.errorCodeOf(response.headers, wire.parseJsonObject(response.body))
        expect(error.status).toBe(response.status)
        if (code !== undefined && Object.hasOwn(ErrorStatus, code)) {
          seen.service++
          expect(error._tag).toBe(code)
          expect(error).toBeInstanceOf(Errors[code as keyof typeof ErrorStatus])
        } else {
          seen.unknown++
          expect(error).toBeInstanceOf(LocationJobsClientError)
          const e = error as LocationJobsClientError
          expect([e.reason, e.code]).toStrictEqual(["UnknownServiceError", code])
        }
      }),
      { numRuns: 500 }
    )
    expect(seen.service).toBeGreaterThan(50)
    expect(seen.unknown).toBeGreaterThan(50)
  })
})

describe("the wire's service errors = ErrorStatus", () => {
  it("every operation decodes exactly the names of ErrorStatus, which hold each model's list", () => {
    const defined: ReadonlyArray<string | undefined> = Object.keys(ErrorStatus)
    expect(defined).toHaveLength(7)
    for (const code of [...defined, "Other", "toString", "", undefined]) expect(wire.isServiceError(code)).toBe(defined.includes(code))
    for (const op of ops) for (const code of OperationErrors[op]) expect(wire.isServiceError(code)).toBe(true)
  })
})

describe("MicroLocationJobs time texts = Duration.format", () => {
  it("whole milliseconds print alike", () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10 * 86_400_000 })), (ms) => {
      expect(formatMillis(ms)).toBe(Duration.format(Duration.millis(ms)))
    }))
  })
})
