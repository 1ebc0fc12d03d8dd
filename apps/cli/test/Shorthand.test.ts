import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Shapes from "../src/Shapes.js"
import * as Shorthand from "../src/Shorthand.js"

const noFiles: Shorthand.ReadFile = (p) => {
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" })
}
const parse = (raw: string, shape: Shorthand.Shape, flag = "--x", member = "X") =>
  Shorthand.parse(flag, member, raw, shape, noFiles)

describe("Shorthand", () => {
  it("reads the AWS docs' shorthand for input and output options", () => {
    expect(parse("Location=arn:aws:s3:::my-bucket,Format=Parquet", Shapes.InputOptions)).toEqual(
      Either.right({ Location: "arn:aws:s3:::my-bucket", Format: "Parquet" })
    )
    expect(parse("Location=s3://b/p/,Format=Parquet", Shapes.OutputOptions)).toEqual(
      Either.right({ Location: "s3://b/p/", Format: "Parquet" })
    )
  })

  it("reads nested structures and lists, and JSON, to the same value", () => {
    const expected = Either.right({ ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } })
    expect(parse("ValidateAddress={AdditionalFeatures=[Position,CountrySpecificAttributes]}", Shapes.ActionOptions)).toEqual(expected)
    expect(parse("{\"ValidateAddress\":{\"AdditionalFeatures\":[\"Position\",\"CountrySpecificAttributes\"]}}", Shapes.ActionOptions))
      .toEqual(expected)
    expect(parse("ValidateAddress={AdditionalFeatures=Position}", Shapes.ActionOptions)).toEqual(
      Either.right({ ValidateAddress: { AdditionalFeatures: ["Position"] } })
    )
  })

  it("reads tags as a map, as Key/Value entries and as JSON", () => {
    expect(parse("team=geo,env=dev", Shapes.Tags)).toEqual(Either.right({ team: "geo", env: "dev" }))
    expect(parse("Key=team,Value=geo", Shapes.Tags)).toEqual(Either.right({ team: "geo" }))
    expect(parse("[{\"Key\":\"a\",\"Value\":\"b\"}]", Shapes.Tags)).toEqual(Either.right({ a: "b" }))
    expect(parse("{\"a\":\"b\"}", Shapes.Tags)).toEqual(Either.right({ a: "b" }))
  })

  it("keeps quoted and escaped commas, and bare comma lists", () => {
    expect(Shorthand.parseShorthand("a=\"x,y\",b=c\\,d")).toEqual({ a: "x,y", b: "c,d" })
    expect(Shorthand.parseShorthand("a=x,y,z,b=1")).toEqual({ a: ["x", "y", "z"], b: "1" })
  })

  it("names unknown members as the AWS CLI does", () => {
    const r = parse("Location=x,Fromat=Parquet", Shapes.InputOptions, "--input-options", "InputOptions")
    expect(Either.isLeft(r) && r.left.message).toBe(
      "Parameter validation failed for '--input-options': Unknown parameter in InputOptions: \"Fromat\", must be one of: Location, Format"
    )
  })

  it("reports malformed JSON and shorthand in one line", () => {
    const bad = parse("{\"Location\": ", Shapes.InputOptions, "--input-options")
    expect(Either.isLeft(bad) && bad.left.message).toMatch(/^Error parsing parameter '--input-options': Invalid JSON: /)
    const worse = parse("Location", Shapes.InputOptions, "--input-options")
    expect(Either.isLeft(worse) && worse.left.message).toMatch(/^Error parsing parameter '--input-options': Invalid shorthand: expected key=value/)
    const unclosed = parse("ValidateAddress={AdditionalFeatures=[Position}", Shapes.ActionOptions, "--action-options")
    expect(Either.isLeft(unclosed)).toBe(true)
  })

  it("loads file:// values, and says when the file is missing", () => {
    const files: Shorthand.ReadFile = (p) => {
      if (p === "in.json") return "{\"Location\":\"s3://b\",\"Format\":\"Parquet\"}"
      return noFiles(p)
    }
    expect(Shorthand.parse("--input-options", "InputOptions", "file://in.json", Shapes.InputOptions, files)).toEqual(
      Either.right({ Location: "s3://b", Format: "Parquet" })
    )
    const missing = Shorthand.parse("--input-options", "InputOptions", "file://nope.json", Shapes.InputOptions, files)
    expect(Either.isLeft(missing) && missing.left.message).toBe(
      "Error parsing parameter '--input-options': Unable to load paramfile file://nope.json: no such file"
    )
  })

  it("reads --cli-input-json and checks its members", () => {
    expect(Shorthand.parseCliInputJson("{\"Filter\":{\"JobStatus\":\"Running\"},\"MaxResults\":5}", Shapes.ListJobsRequest, noFiles))
      .toEqual(Either.right({ Filter: { JobStatus: "Running" }, MaxResults: 5 }))
    const r = Shorthand.parseCliInputJson("{\"Bogus\":1}", Shapes.ListJobsRequest, noFiles)
    expect(Either.isLeft(r) && r.left.message).toMatch(/Unknown parameter in input: "Bogus"/)
  })
})
