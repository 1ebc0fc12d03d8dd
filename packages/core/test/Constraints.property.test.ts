/**
 * Property tests of the request Schemas against an independent, hand-written reading of the
 * spec's constraints (§2): every request the Schemas accept is one the constraints allow, and
 * every request breaking a constraint is rejected before anything is sent, with the field named.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Job from "../src/Job.js"
import * as LocationJobs from "../src/LocationJobs.js"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import { makeValidator } from "../src/RequestValidation.js"
import { roleArn } from "../src/TestFixtures.js"
import { makeScripted, startOk } from "./support/ScriptedHttp.js"

// --- the spec's constraints, written out independently of the Schemas -------------------
const isJobIdish = (s: string, max: number) => s.length >= 1 && s.length <= max && /^[-._A-Za-z0-9]+$/.test(s)
const tagChar = /^[\p{L}\p{Z}\p{N}_.,:/=+\-@]*$/u
const inputLoc = new RegExp(String.raw`^(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[\w/+=,.-]+|s3://[a-z0-9][a-z0-9._-]{2,254}(/[^/]+)*/?)$`)
const outputLoc = new RegExp(String.raw`^(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[\w/+=,.-]+|s3://[a-z0-9][a-z0-9._-]{2,254}(/[^/]+)*/)$`)

const startJobViolations = (r: any): Array<string> => {
  const v: Array<string> = []
  if (r.ClientToken !== undefined && !(r.ClientToken.length >= 1 && r.ClientToken.length <= 64 && /^[!-~]+$/.test(r.ClientToken))) v.push("ClientToken")
  if (r.Action !== "ValidateAddress") v.push("Action")
  if (typeof r.ExecutionRoleArn !== "string" || r.ExecutionRoleArn.length === 0) v.push("ExecutionRoleArn")
  if (!(typeof r.InputOptions?.Location === "string" && r.InputOptions.Location.length <= 300 && inputLoc.test(r.InputOptions.Location))) v.push("InputOptions.Location")
  if (r.InputOptions?.Format !== "Parquet") v.push("InputOptions.Format")
  if (!(typeof r.OutputOptions?.Location === "string" && r.OutputOptions.Location.length <= 300 && outputLoc.test(r.OutputOptions.Location))) v.push("OutputOptions.Location")
  if (r.OutputOptions?.Format !== "Parquet") v.push("OutputOptions.Format")
  if (r.Name !== undefined && !isJobIdish(r.Name, 100)) v.push("Name")
  if (r.Tags !== undefined) {
    const keys = Object.keys(r.Tags)
    if (keys.length > 50) v.push("Tags")
    for (const k of keys) {
      if (!(k.length >= 1 && k.length <= 128 && tagChar.test(k))) v.push(`Tags[${k}]`)
      const val = r.Tags[k]
      if (!(typeof val === "string" && val.length <= 256 && tagChar.test(val))) v.push(`Tags.${k}`)
    }
  }
  const f = r.ActionOptions?.ValidateAddress?.AdditionalFeatures
  if (f !== undefined) {
    const ok = Array.isArray(f) && f.length >= 1 && f.length <= 2 && new Set(f).size === f.length &&
      f.every((x: unknown) => x === "Position" || x === "CountrySpecificAttributes")
    if (!ok) v.push("ActionOptions.ValidateAddress.AdditionalFeatures")
  }
  return v
}

// --- generators of valid members ----------------------------------------------------------
const idChars = fc.constantFrom(..."abcXYZ019_-.".split(""))
const idString = (max: number) => fc.array(idChars, { minLength: 1, maxLength: max }).map((a) => a.join(""))
const bucket = fc.array(fc.constantFrom(..."abc019.-_".split("")), { minLength: 2, maxLength: 20 }).map((a) => "b" + a.join(""))
const segment = fc.array(fc.constantFrom(..."abcXYZ019-_. =+".split("")), { minLength: 1, maxLength: 10 }).map((a) => a.join(""))
const s3Uri = (trailingSlash: boolean) =>
  fc.tuple(bucket, fc.array(segment, { maxLength: 3 })).map(([b, segs]) => `s3://${b}${segs.map((s) => "/" + s).join("")}${trailingSlash ? "/" : ""}`)
const s3Arn = bucket.map((b) => `arn:aws:s3:::${b}`)
const tagText = fc.array(fc.constantFrom(..."aZ9 _.,:/=+-@éß中".split("")), { maxLength: 12 }).map((a) => a.join(""))
const validStartJob = fc.record(
  {
    ClientToken: fc.array(fc.integer({ min: 0x21, max: 0x7e }), { minLength: 1, maxLength: 64 }).map((cs) => String.fromCharCode(...cs)),
    Action: fc.constant("ValidateAddress" as const),
    ExecutionRoleArn: fc.constant(roleArn),
    InputOptions: fc.record({ Location: fc.oneof(s3Uri(false), s3Uri(true), s3Arn), Format: fc.constant("Parquet" as const) }),
    OutputOptions: fc.record({ Format: fc.constant("Parquet" as const), Location: fc.oneof(s3Uri(true), s3Arn) }),
    Name: idString(100),
    Tags: fc.dictionary(tagText.filter((k) => k.length >= 1), tagText, { maxKeys: 5 }),
    ActionOptions: fc.record({
      ValidateAddress: fc.record({
        AdditionalFeatures: fc.shuffledSubarray(["Position", "CountrySpecificAttributes"] as const, { minLength: 1 })
      })
    })
  },
  { requiredKeys: ["Action", "ExecutionRoleArn", "InputOptions", "OutputOptions"] }
)

// --- one-field breakers: [field named in the error, how to break it] -----------------------
const breakers: Array<[string, fc.Arbitrary<(r: any) => any>]> = [
  ["ClientToken", fc.constantFrom("", "has space", "x".repeat(65), "tab\t", "é").map((t) => (r: any) => ({ ...r, ClientToken: t }))],
  ["Name", fc.constantFrom("", "a b", "x".repeat(101), "a/b", "ü").map((n) => (r: any) => ({ ...r, Name: n }))],
  ["Action", fc.constantFrom("Geocode", "", 1).map((a) => (r: any) => ({ ...r, Action: a }))],
  ["ExecutionRoleArn", fc.constantFrom("", 5).map((a) => (r: any) => ({ ...r, ExecutionRoleArn: a }))],
  ["InputOptions.Location", fc.constantFrom("s3://UPPER/x", "http://bucket/x", "s3://ab", "s3://b/" + "x".repeat(300), "arn:aws:s3:::").map((l) => (r: any) => ({ ...r, InputOptions: { ...r.InputOptions, Location: l } }))],
  ["InputOptions.Format", fc.constantFrom("CSV", "parquet").map((f) => (r: any) => ({ ...r, InputOptions: { ...r.InputOptions, Format: f } }))],
  ["OutputOptions.Location", fc.constantFrom("s3://bucket/no-slash", "s3://bucket", "s3://Bucket/").map((l) => (r: any) => ({ ...r, OutputOptions: { ...r.OutputOptions, Location: l } }))],
  ["OutputOptions.Format", fc.constantFrom("Json").map((f) => (r: any) => ({ ...r, OutputOptions: { ...r.OutputOptions, Format: f } }))],
  ["Tags", fc.constant((r: any) => ({ ...r, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }))],
  ["Tags.k", fc.constantFrom("x".repeat(257), "bad!", "semi;").map((v) => (r: any) => ({ ...r, Tags: { k: v } }))],
  [`Tags["bad key!"]`, fc.constant((r: any) => ({ ...r, Tags: { "bad key!": "v" } }))],
  ["ActionOptions.ValidateAddress.AdditionalFeatures", fc.constantFrom([], ["Position", "Position"], ["Nope"], ["Position", "CountrySpecificAttributes", "Position"]).map((f) => (r: any) => ({ ...r, ActionOptions: { ValidateAddress: { AdditionalFeatures: f } } }))]
]

/** A reported field names `field` when it is that field or a part of it (`…AdditionalFeatures.0`). */
const names = (reported: string, field: string) =>
  reported === field || reported.startsWith(field + ".") || reported.startsWith(field + "[")

const validator = makeValidator("StartJob", Job.StartJobRequest, { side: "client" })

describe("StartJob constraints (property)", () => {
  it("every generated valid request is accepted and the accepted value meets every constraint", () => {
    fc.assert(
      fc.property(validStartJob, (r) => {
        const out = validator(r)
        expect(Either.isRight(out)).toBe(true)
        expect(startJobViolations(Either.getOrThrow(out))).toEqual([])
      }),
      { numRuns: 300 }
    )
  })

  it("whatever the Schema's own Arbitrary produces meets the constraints", () => {
    const arb = Arbitrary.make(Job.StartJobRequest)
    fc.assert(fc.property(arb, (r) => {
      expect(startJobViolations(r)).toEqual([])
    }), { numRuns: 300 })
  })

  it.effect("breaking any one constraint is rejected before sending, naming that field", () =>
    Effect.gen(function*() {
      const http = makeScripted([], startOk())
      const layer = LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(http.layer))
      const samples = fc.sample(
        fc.tuple(validStartJob, fc.constantFrom(...breakers).chain(([field, arb]) => arb.map((f) => [field, f] as const))),
        { numRuns: 400, seed: 20261125 }
      )
      for (const [valid, [field, breakIt]] of samples) {
        const broken = breakIt(valid)
        expect(startJobViolations(broken).length).toBeGreaterThan(0)
        const error = yield* Effect.flip(Effect.provide(LocationJobs.startJob(broken), layer))
        expect(error._tag).toBe("ValidationException")
        if (error._tag !== "ValidationException") continue
        expect(error.fieldList.some((f) => names(f.name, field))).toBe(true)
      }
      expect(http.sent).toHaveLength(0)
    }))

  it.effect("several broken fields are all named in one error", () =>
    Effect.gen(function*() {
      const samples = fc.sample(fc.tuple(validStartJob, fc.shuffledSubarray(breakers, { minLength: 2, maxLength: 5 })), { numRuns: 100, seed: 7 })
      for (const [valid, chosen] of samples) {
        // Tags breakers overwrite each other; keep the last one of those.
        const tagBreakers = chosen.filter(([f]) => f.startsWith("Tags"))
        const picked = [...chosen.filter(([f]) => !f.startsWith("Tags")), ...tagBreakers.slice(-1)]
        let broken: any = valid
        for (const [, arb] of picked) broken = fc.sample(arb, 1)[0](broken)
        const out = validator(broken)
        expect(Either.isLeft(out)).toBe(true)
        if (Either.isRight(out)) continue
        for (const [field] of picked) expect(out.left.fieldList.some((f) => names(f.name, field))).toBe(true)
      }
    }))
})

describe("other operations (property)", () => {
  it("GetJob/CancelJob ids: accepted iff 1–200 chars of [-._A-Za-z0-9]", () => {
    const v = makeValidator("GetJob", Job.GetJobRequest, { side: "client" })
    fc.assert(
      fc.property(fc.oneof(idString(200), fc.string({ maxLength: 210 }), idString(210)), (id) => {
        expect(Either.isRight(v({ JobId: id }))).toBe(isJobIdish(id, 200))
      }),
      { numRuns: 500 }
    )
  })

  it("ListJobs: MaxResults accepted iff an integer 1–100; NextToken iff 1–60000 chars", () => {
    const v = makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" })
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 110 }), fc.double({ min: 0, max: 101, noNaN: true })), (n) => {
        const ok = Number.isInteger(n) && n >= 1 && n <= 100
        const out = v({ MaxResults: n })
        expect(Either.isRight(out)).toBe(ok)
        if (Either.isLeft(out)) expect(out.left.fieldList[0].name).toBe("MaxResults")
      }),
      { numRuns: 300 }
    )
    expect(Either.isLeft(v({ NextToken: "" }))).toBe(true)
    expect(Either.isRight(v({ NextToken: "x".repeat(60000) }))).toBe(true)
    expect(Either.isLeft(v({ NextToken: "x".repeat(60001) }))).toBe(true)
    expect(Either.isLeft(v({ Filter: { JobStatus: "Done" } }))).toBe(true)
  })
})
