/**
 * The Micro client's hand-written parts held equal to the full client's Schema-based ones, by
 * property: request checks (same valid value, or the same ValidationException: message, reason,
 * fields), request bytes, output decoding (same values, Dates and open enum values included, or
 * both undecodable), error decoding (same tag, fields and retry hint) and endpoint resolution.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Endpoint from "../src/Endpoint.js"
import * as codec from "../src/internal/codec.js"
import * as microCodec from "../src/internal/microCodec.js"
import * as wire from "../src/internal/wire.js"
import { resolveEndpoint } from "../src/internal/microEndpoint.js"
import { formatMillis } from "../src/internal/microTime.js"
import { validators } from "../src/internal/microJob.js"
import * as Job from "../src/Job.js"
import { ErrorStatus, OperationErrors } from "../src/LocationJobsError.js"
import * as MicroError from "../src/MicroLocationJobsError.js"
import { makeValidator } from "../src/RequestValidation.js"

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
const schemaValidators: Record<Op, (input: unknown) => Either.Either<unknown, import("../src/LocationJobsError.js").ValidationException>> = {
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
    ExecutionRoleArn: fc.constant("arn:aws:iam::123456789012:role/R"),
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

/** The fields both error sets carry, for comparing an error of one client with the other's. */
const fieldsOf = (e: any) => ({
  _tag: e._tag,
  message: e.message,
  status: e.status,
  requestId: e.requestId,
  reason: e.reason,
  fieldList: e.fieldList,
  code: e.code,
  clientSide: e.clientSide
})

describe("MicroLocationJobs request checks = the Schema validators", () => {
  for (const op of ops) {
    it(`${op}: same valid value or the same ValidationException`, () => {
      const seen = { valid: 0, invalid: 0 }
      fc.assert(
        fc.property(brokenRequest(op), (input) => {
          const schema = schemaValidators[op](input)
          const micro = (validators[op] as (input: unknown) => unknown)(input)
          seen[Either.isRight(schema) ? "valid" : "invalid"]++
          if (Either.isRight(schema)) {
            expect(micro).not.toBeInstanceOf(MicroError.ValidationException)
            expect(micro).toStrictEqual(schema.right)
          } else {
            expect(micro).toBeInstanceOf(MicroError.ValidationException)
            const e = micro as MicroError.ValidationException
            expect(e._tag).toBe("ValidationException")
            expect(fieldsOf(e)).toStrictEqual(fieldsOf(schema.left))
          }
        }),
        { numRuns: 1500 }
      )
      // both sides are exercised
      expect(seen.valid).toBeGreaterThan(50)
      expect(seen.invalid).toBeGreaterThan(500)
    })
  }
})

describe("MicroLocationJobs request bytes = the codec's", () => {
  for (const op of ops) {
    it(`${op}: same method, path and body`, () => {
      fc.assert(
        fc.property(validRequests[op], fc.uuid({ version: 4 }), (input, token) => {
          const checked = schemaValidators[op](input)
          if (Either.isLeft(checked)) return // the generator's tags may hold characters the API refuses
          const schema = checked.right as any
          const micro = (validators[op] as (input: unknown) => unknown)(input) as any
          const [a, b] = op === "StartJob"
            ? [wire.encodeStartJob(schema, schema.ClientToken ?? token), wire.encodeStartJob(micro, micro.ClientToken ?? token)]
            : op === "GetJob"
            ? [wire.encodeGetJob(schema), wire.encodeGetJob(micro)]
            : op === "ListJobs"
            ? [wire.encodeListJobs(schema), wire.encodeListJobs(micro)]
            : [wire.encodeCancelJob(schema), wire.encodeCancelJob(micro)]
          expect(b).toStrictEqual(a)
        }),
        { numRuns: 300 }
      )
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
  ExecutionRoleArn: fc.oneof(fc.constant("arn:aws:iam::123456789012:role/R"), edgyString),
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
            expect(micro).not.toBeInstanceOf(MicroError.LocationJobsClientError)
            expect(micro).toStrictEqual(schema.right)
          } else {
            expect(micro).toBeInstanceOf(MicroError.LocationJobsClientError)
            const e = micro as MicroError.LocationJobsClientError
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

// --- errors --------------------------------------------------------------------------------
const codes = fc.constantFrom(
  "AccessDeniedException", "InternalServerException", "ResourceNotFoundException", "ThrottlingException", "ValidationException",
  "ConflictException", "ServiceQuotaExceededException", "Throttling", "SlowDown", "Weird", "toString", "__proto__", ""
)
const decorated = codes.chain((c) =>
  fc.constantFrom(c, `${c}:http://internal.amazon.com/coral/com.amazonaws.location/`, `com.amazonaws.location#${c}`, `${c},extra`, ` ${c} `)
)
const errorResponse = fc.record({
  status: fc.oneof(fc.constantFrom(400, 403, 404, 409, 429, 500, 502, 503, 504), fc.integer({ min: 300, max: 599 })),
  headers: fc.record({
    "x-amzn-errortype": decorated,
    "x-amzn-requestid": fc.constantFrom("req-1", ""),
    "x-amz-request-id": fc.constant("req-2"),
    "retry-after": fc.constantFrom("2", "0.5", "Wed, 21 Oct 2026 07:28:00 GMT", "soon", ""),
    "x-amz-retry-after": fc.constantFrom("1500", "x")
  }, { requiredKeys: [] }),
  body: fc.oneof(
    fc.record({
      message: fc.string({ maxLength: 10 }),
      Message: fc.string({ maxLength: 10 }),
      code: decorated,
      Code: decorated,
      __type: decorated,
      reason: fc.constantFrom("Missing", "FieldValidationFailed", "CannotParse", "Other", "UnknownField", "UnknownOperation", "Nope", 5),
      Reason: fc.constantFrom("Missing", "Nope"),
      fieldList: fc.oneof(fc.array(fc.oneof(fc.record({ name: fc.string(), message: fc.string() }, { requiredKeys: [] }), fc.record({ Name: fc.string(), Message: fc.integer() }, { requiredKeys: [] }), fc.constant(null), fc.constant(3)), { maxLength: 3 }), fc.constant("x")),
      FieldList: fc.constant([{ name: "F", message: "m" }])
    }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    fc.constantFrom("", "oops", "[1]", "null")
  )
})

describe("MicroLocationJobs error decoding = the codec's", () => {
  for (const op of ops) {
    it(`${op}: same error class, fields and retry hint`, () => {
      const now = Date.UTC(2026, 9, 21, 7, 27, 0)
      fc.assert(
        fc.property(errorResponse, (response) => {
          const a = codec.decodeError(op, response, now)
          const b = microCodec.decodeError(op, response, now)
          expect(fieldsOf(b.error)).toStrictEqual(fieldsOf(a.error))
          expect(b.retryAfterMs).toBe(a.retryAfterMs)
          expect(MicroError.isRetryable(b.error)).toBe(true === (a.error._tag === "InternalServerException" || a.error._tag === "ThrottlingException" || (a.error._tag === "LocationJobsClientError" && a.error.status !== undefined && (a.error.status === 429 || a.error.status >= 500))))
        }),
        { numRuns: 800 }
      )
    })
  }
})

// --- endpoints -----------------------------------------------------------------------------
const endpointOptions = fc.record({
  region: fc.constantFrom("us-east-1", "eu-west-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", " us-west-2 ", "", "US_EAST", "a".repeat(70), "x"),
  endpoint: fc.constantFrom("http://localhost:4566", "http://127.0.0.1:4566/", "http://[::1]:4566", "https://metadata.example.com/base//", "https://example.com/p", "ftp://x", "not a url", ""),
  useFips: fc.boolean(),
  useDualstack: fc.boolean(),
  disableHostPrefix: fc.boolean()
}, { requiredKeys: [] })

describe("the wire's service errors = ErrorStatus", () => {
  it("every operation decodes exactly the names of ErrorStatus, which hold each model's list", () => {
    const defined: ReadonlyArray<string | undefined> = Object.keys(ErrorStatus)
    expect(defined).toHaveLength(7)
    for (const code of [...defined, "Other", "toString", "", undefined]) expect(wire.isServiceError(code)).toBe(defined.includes(code))
    for (const op of ops) for (const code of OperationErrors[op]) expect(wire.isServiceError(code)).toBe(true)
  })
})

describe("MicroLocationJobs endpoints = Endpoint.resolve", () => {
  it("same URL and signing Region, or the same Configuration error", () => {
    fc.assert(
      fc.property(endpointOptions, (options) => {
        const a = Endpoint.resolve(options)
        const b = resolveEndpoint(options)
        if (Either.isRight(a)) expect(b).toStrictEqual(a.right)
        else {
          expect(b).toBeInstanceOf(MicroError.LocationJobsClientError)
          expect([(b as MicroError.LocationJobsClientError).reason, (b as MicroError.LocationJobsClientError).message]).toEqual([a.left.reason, a.left.message])
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe("MicroLocationJobs time texts = Duration.format", () => {
  it("whole milliseconds print alike", () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10 * 86_400_000 })), (ms) => {
      expect(formatMillis(ms)).toBe(Duration.format(Duration.millis(ms)))
    }))
  })
})
