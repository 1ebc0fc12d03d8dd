import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as CliInput from "../src/CliInput.js"
import * as ParameterValidation from "../src/ParameterValidation.js"
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

  it("leaves unknown members and wrong types for the request's check", () => {
    expect(parse("Location=x,Fromat=Parquet", Shapes.InputOptions)).toEqual(Either.right({ Location: "x", Fromat: "Parquet" }))
    // JSON is taken as written; shorthand's lone value becomes a list where the model says list.
    expect(parse("{\"ValidateAddress\":{\"AdditionalFeatures\":\"Position\"}}", Shapes.ActionOptions)).toEqual(
      Either.right({ ValidateAddress: { AdditionalFeatures: "Position" } })
    )
    expect(parse("JobStatus=Running", Shapes.Filter)).toEqual(Either.right({ JobStatus: "Running" }))
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
      "Error parsing parameter '--input-options': Unable to load paramfile file://nope.json: [Errno 2] No such file or directory: 'nope.json'"
    )
  })
})

describe("ParameterValidation", () => {
  it("reports every problem, in botocore's order and words", () => {
    const problems = ParameterValidation.validate(
      {
        ClientToken: "",
        Action: "ValidateAddress",
        ActionOptions: { ValidateAddress: { AdditionalFeatures: [] } },
        ExecutionRoleArn: "r",
        InputOptions: { Location: 5, Fromat: "Parquet" },
        OutputOptions: { Format: "Parquet", Location: "s3://b/" },
        Tags: { "": "x" }
      },
      Shapes.StartJobRequest
    )
    expect(problems).toEqual([
      "Invalid length for parameter ClientToken, value: 0, valid min length: 1",
      "Invalid length for parameter ActionOptions.ValidateAddress.AdditionalFeatures, value: 0, valid min length: 1",
      "Missing required parameter in InputOptions: \"Format\"",
      "Unknown parameter in InputOptions: \"Fromat\", must be one of: Location, Format",
      "Invalid type for parameter InputOptions.Location, value: 5, type: <class 'int'>, valid types: <class 'str'>",
      "Invalid length for parameter Tags (key: ), value: 0, valid min length: 1"
    ])
  })

  it("names the request \"input\" and quotes values as Python prints them", () => {
    expect(ParameterValidation.validate({ Foo: ["a", 1, null] }, Shapes.JobIdRequest)).toEqual([
      "Missing required parameter in input: \"JobId\"",
      "Unknown parameter in input: \"Foo\", must be one of: JobId"
    ])
    expect(ParameterValidation.validate({ MaxResults: "x", Filter: [{ a: true }] }, Shapes.ListJobsRequest)).toEqual([
      "Invalid type for parameter MaxResults, value: x, type: <class 'str'>, valid types: <class 'int'>",
      "Invalid type for parameter Filter, value: [{'a': True}], type: <class 'list'>, valid types: <class 'dict'>"
    ])
    expect(ParameterValidation.validate({ MaxResults: 0 }, Shapes.ListJobsRequest)).toEqual([
      "Invalid value for parameter MaxResults, value: 0, valid min value: 1"
    ])
    // Maximums and patterns are the service's to check, as with the AWS CLI.
    expect(ParameterValidation.validate({ JobId: "not a valid id!" }, Shapes.JobIdRequest)).toEqual([])
  })
})

describe("CliInput", () => {
  const read = (flags: Partial<CliInput.Flags>, files: Shorthand.ReadFile = noFiles) =>
    Effect.runPromise(Effect.either(CliInput.read({ cliInputJson: undefined, cliInputYaml: undefined, generateCliSkeleton: undefined, ...flags }, files)))
  const message = (r: Either.Either<unknown, { readonly message: string }>) => Either.isLeft(r) ? r.left.message : undefined

  it("reads JSON and YAML (and file://) to the same members, in their order", async () => {
    const files: Shorthand.ReadFile = (p) => p === "job.yaml" ? "MaxResults: 5\nFilter:\n  JobStatus: Failed\n" : noFiles(p)
    const expected = Either.right({ MaxResults: 5, Filter: { JobStatus: "Failed" } })
    expect(await read({ cliInputJson: "{\"MaxResults\": 5, \"Filter\": {\"JobStatus\": \"Failed\"}}" })).toEqual(expected)
    expect(await read({ cliInputYaml: "MaxResults: 5\nFilter: {JobStatus: Failed}" })).toEqual(expected)
    expect(await read({ cliInputYaml: "file://job.yaml" }, files)).toEqual(expected)
    expect(await read({})).toEqual(Either.right(undefined))
  })

  it("words failures as AWS CLI v2 does", async () => {
    expect(message(await read({ cliInputJson: "{bad" }))).toBe("Error parsing parameter 'cli-input-json': Invalid JSON received.")
    expect(message(await read({ cliInputYaml: "JobId: [a" }))).toBe("Error parsing parameter 'cli-input-yaml': Invalid YAML received.")
    expect(message(await read({ cliInputYaml: "- a" }))).toBe(
      "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'list'>"
    )
    expect(message(await read({ cliInputYaml: "" }))).toBe(
      "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'NoneType'>"
    )
    expect(message(await read({ cliInputJson: "{}", cliInputYaml: "a: b" }))).toBe("Only one --cli-input- parameter may be specified.")
    expect(message(await read({ cliInputYaml: "file://gone.yaml" }))).toBe(
      "Error parsing parameter '--cli-input-yaml': Unable to load paramfile file://gone.yaml: [Errno 2] No such file or directory: 'gone.yaml'"
    )
  })
})
