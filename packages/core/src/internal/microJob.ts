/**
 * The request and response shapes of `Job.ts` in `microSchema` form: requests with the same
 * constraints, messages and descriptions, responses checked for structure and JSON types only
 * (open enums, no request-side constraint), and the client-side request check that names every
 * bad field the way `RequestValidation` does. Held equal to the Schemas by property tests.
 *
 * @internal
 */
import type * as Job from "../Job.js"
import { type OperationName, ValidationException } from "../MicroLocationJobsError.js"
import {
  ClientTokenPattern,
  formatPath,
  GeoArnPattern,
  invalidRequestMessage,
  JobIdPattern,
  JobInputLocationPattern,
  JobOutputLocationPattern,
  locationProblem,
  oneOfMessage,
  Rfc3339Pattern,
  tagChars,
  tagKeyProblem,
  TagPattern
} from "./constraints.js"
import * as S from "./microSchema.js"

/** The patterns, for the test that holds them equal to `Job.ts`'s. */
export const patterns = {
  JobIdPattern,
  ClientTokenPattern,
  GeoArnPattern,
  JobInputLocationPattern,
  JobOutputLocationPattern,
  TagPattern,
  Rfc3339Pattern
}

const matching = (re: RegExp) => `a string matching the pattern ${re.source}`
const min = (n: number) => (s: { readonly length: number }) => s.length >= n
const max = (n: number) => (s: { readonly length: number }) => s.length <= n
const test = (re: RegExp) => (s: string) => re.test(s)

/** `lengthBetween(min, max, what)` of Job.ts, then a pattern with its message. */
const lengthBetween = (lo: number, hi: number, what: string, pattern?: readonly [RegExp, string], brand?: string) =>
  S.text(
    `minLength(${lo}) & maxLength(${hi})${pattern ? ` & ${matching(pattern[0])}` : ""}${brand ? ` & Brand<"${brand}">` : ""}`,
    [
      [min(lo), `${what} must be at least ${lo} character${lo === 1 ? "" : "s"} long`],
      [max(hi), `${what} must be at most ${hi} characters long`],
      ...(pattern ? [[test(pattern[0]), pattern[1]] as const] : [])
    ]
  )

const maxAndPattern = (hi: number, what: string, re: RegExp, message: string | ((s: string) => string)) =>
  S.text(`maxLength(${hi}) & ${matching(re)}`, [[max(hi), `${what} must be at most ${hi} characters long`], [test(re), message]])

const JobId = lengthBetween(1, 200, "JobId", [JobIdPattern, "JobId must match the pattern [-._\\w]+"], "@geojobs/core/JobId")
const ResourceName = lengthBetween(1, 100, "Name", [JobIdPattern, "Name must match the pattern [-._\\w]+"])
const ClientToken = lengthBetween(1, 64, "ClientToken", [
  ClientTokenPattern,
  "ClientToken must be printable ASCII without spaces ([!-~]+)"
])
const IamRoleArn = S.text("minLength(1)", [[min(1), "ExecutionRoleArn must not be empty"]])
const JobInputLocation = maxAndPattern(
  300,
  "InputOptions.Location",
  JobInputLocationPattern,
  (s) => locationProblem("InputOptions.Location", s, false)
)
const JobOutputLocation = maxAndPattern(
  300,
  "OutputOptions.Location",
  JobOutputLocationPattern,
  (s) => locationProblem("OutputOptions.Location", s, true)
)
const TagValue = maxAndPattern(256, "Tag value", TagPattern, `Tag value ${tagChars}`)

const tagRecord = S.record(TagValue)
const Tags = S.refine(tagRecord, () => `{ ${tagRecord.d()} | filter }`, (tags) => {
  const keys = Object.keys(tags)
  const issues: Array<{ path: ReadonlyArray<string>; message: string }> = []
  if (keys.length > 50) issues.push({ path: [], message: `Tags must have at most 50 entries, got ${keys.length}` })
  for (const key of keys) {
    const problem = tagKeyProblem(key)
    if (problem !== undefined) issues.push({ path: [key], message: problem })
  }
  return issues.length === 0 ? undefined : issues
})

/** A request enum member, refused with the message `Job.ts`'s `member` gives. */
const member = <const L extends ReadonlyArray<string>>(field: string, ...values: L) =>
  S.literalWithMessage(S.literal(...values), (actual) => oneOfMessage(field, values, actual))

const JobStatus = member("Filter.JobStatus", "Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled")
const JobAction = member("Action", "ValidateAddress")
const Feature = member("AdditionalFeatures item", "Position", "CountrySpecificAttributes")

const AdditionalFeatures = S.refine(S.array(Feature), "{ minItems(1) & maxItems(2) | filter }", (xs) =>
  xs.length < 1
    ? "AdditionalFeatures must have at least 1 item"
    : xs.length > 2
    ? "AdditionalFeatures must have at most 2 items"
    : new Set(xs).size === xs.length
    ? undefined
    : "AdditionalFeatures must not repeat an item")

const JobActionOptions = S.struct({
  ValidateAddress: S.optional(S.struct({ AdditionalFeatures: S.optional(AdditionalFeatures) }))
})
const JobInputOptions = S.struct({
  Location: S.required(JobInputLocation),
  Format: S.required(member("InputOptions.Format", "Parquet"))
})
const JobOutputOptions = S.struct({
  Format: S.required(member("OutputOptions.Format", "Parquet")),
  Location: S.required(JobOutputLocation)
})

const NextToken = lengthBetween(1, 60000, "NextToken")
const MaxResults = S.refine(S.number, "int & between(1, 100)", (n) =>
  !Number.isSafeInteger(n) ? "MaxResults must be an integer" : n < 1 || n > 100 ? "MaxResults must be between 1 and 100" : undefined)

const timestampString = S.text(matching(Rfc3339Pattern), [[
  test(Rfc3339Pattern),
  "expected an RFC 3339 date-time with a zone, e.g. 2024-01-01T00:00:00Z"
]])
const Timestamp = S.transform(
  timestampString,
  () => `(${timestampString.d()} <-> { DateFromSelf | filter })`,
  (s) => {
    const date = new Date(s)
    return Number.isNaN(date.getTime()) ? undefined : date
  },
  "Invalid date"
)

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

const StartJobRequest = S.struct<typeof Job.StartJobRequest.Type>({
  ClientToken: S.optional(ClientToken),
  Action: S.required(JobAction),
  ActionOptions: S.optional(JobActionOptions),
  ExecutionRoleArn: S.required(IamRoleArn),
  InputOptions: S.required(JobInputOptions),
  Name: S.optional(ResourceName),
  OutputOptions: S.required(JobOutputOptions),
  Tags: S.optional(Tags)
})
const JobIdRequest = S.struct<{ readonly JobId: Job.JobId }>({ JobId: S.required(JobId) })
const ListJobsRequest = S.struct<typeof Job.ListJobsRequest.Type>({
  Filter: S.optional(S.struct({ JobStatus: S.optional(JobStatus) })),
  MaxResults: S.optional(MaxResults),
  NextToken: S.optional(NextToken)
})

// ---------------------------------------------------------------------------
// Responses: structure and JSON types only, as Job.ts reads them
// ---------------------------------------------------------------------------

/** An open enum member (any string) or a string member without the request's constraints. */
const anyString: S.Node<string> = S.string

const jobFields = {
  Action: S.required(anyString),
  ActionOptions: S.optional(S.struct({
    ValidateAddress: S.optional(S.struct({ AdditionalFeatures: S.optional(S.array(anyString)) }))
  })),
  CreatedAt: S.required(Timestamp),
  EndedAt: S.optional(Timestamp),
  Error: S.optional(S.struct({ Code: S.required(anyString), Messages: S.optional(S.array(anyString)) })),
  ExecutionRoleArn: S.required(anyString),
  InputOptions: S.required(S.struct({ Location: S.required(anyString), Format: S.required(anyString) })),
  JobArn: S.required(anyString),
  JobId: S.required(anyString),
  Name: S.optional(anyString),
  OutputOptions: S.required(S.struct({ Format: S.required(anyString), Location: S.required(anyString) })),
  Status: S.required(anyString),
  UpdatedAt: S.required(Timestamp)
}

/** The output decoders: the same values `Job.ts`'s response Schemas decode to. */
export const outputs = {
  StartJob: S.struct<Job.StartJobResponse>({
    CreatedAt: S.required(Timestamp),
    JobArn: S.required(anyString),
    JobId: S.required(anyString),
    Status: S.required(anyString)
  }),
  GetJob: S.struct<Job.GetJobResponse>({ ...jobFields, Tags: S.optional(S.record(anyString)) }),
  ListJobs: S.struct<Job.ListJobsResponse>({
    Entries: S.required(S.array(S.struct(jobFields))),
    NextToken: S.optional(anyString)
  }),
  CancelJob: S.struct<Job.CancelJobResponse>({
    JobArn: S.required(anyString),
    JobId: S.required(anyString),
    Status: S.required(anyString)
  })
}

// ---------------------------------------------------------------------------
// Client-side validation, named as RequestValidation names it
// ---------------------------------------------------------------------------

/** The issues as one client-side `ValidationException`: one field per path (its first message). */
export const toValidationException = (operation: OperationName, issues: ReadonlyArray<S.Issue>): ValidationException => {
  const byPath = new Map<string, { readonly name: string; readonly message: string }>()
  let allMissing = issues.length > 0
  for (const i of issues) {
    const name = formatPath(i.path)
    if (!i.missing) allMissing = false
    if (!byPath.has(name)) byPath.set(name, { name, message: i.missing ? `${name} is required` : i.message })
  }
  const fieldList = [...byPath.values()]
  return new ValidationException({
    message: invalidRequestMessage(operation, fieldList),
    reason: allMissing ? "Missing" : "FieldValidationFailed",
    fieldList,
    clientSide: true
  })
}

const validator = <A>(operation: OperationName, node: S.Node<A>) => (input: unknown): A | ValidationException => {
  const issues: Array<S.Issue> = []
  const valid = node.p(input, [], issues)
  return valid === S.Fail ? toValidationException(operation, issues) : valid
}

/** The request checks: the valid request (as the Schema decodes it), or the `ValidationException`. */
export const validators = {
  StartJob: validator("StartJob", StartJobRequest),
  GetJob: validator("GetJob", JobIdRequest),
  ListJobs: validator("ListJobs", ListJobsRequest),
  CancelJob: validator("CancelJob", JobIdRequest)
}
