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
import * as C from "./constraints.js"
import * as S from "./microSchema.js"


const matching = (re: RegExp) => `a string matching the pattern ${re.source}`
const min = (n: number) => (s: { readonly length: number }) => s.length >= n
const max = (n: number) => (s: { readonly length: number }) => s.length <= n
const test = (re: RegExp) => (s: string) => re.test(s)

/**
 * A string check from its row of the constraints table `Job.ts` builds its Schemas from: minimum
 * length, maximum length, pattern, in that order, described as Schema describes those filters.
 */
const fromTable = (c: C.TextConstraint, brand?: string) =>
  S.text(
    [
      ...(c.minLength !== undefined ? [`minLength(${c.minLength})`] : []),
      ...(c.maxLength !== undefined ? [`maxLength(${c.maxLength})`] : []),
      ...(c.pattern !== undefined ? [matching(c.pattern)] : []),
      ...(brand !== undefined ? [`Brand<"${brand}">`] : [])
    ].join(" & "),
    [
      ...(c.minLength !== undefined ? [[min(c.minLength), C.tooShortMessage(c)] as const] : []),
      ...(c.maxLength !== undefined ? [[max(c.maxLength), C.tooLongMessage(c)] as const] : []),
      ...(c.pattern !== undefined ? [[test(c.pattern), (s: string) => C.patternMessage(c, s)] as const] : [])
    ]
  )

const JobId = fromTable(C.text.JobId, "@geojobs/core/JobId")
const ResourceName = fromTable(C.text.ResourceName)
const ClientToken = fromTable(C.text.ClientToken)
const IamRoleArn = fromTable(C.text.IamRoleArn)
const JobInputLocation = fromTable(C.text.JobInputLocation)
const JobOutputLocation = fromTable(C.text.JobOutputLocation)
const TagValue = fromTable(C.text.TagValue)
const NextToken = fromTable(C.text.NextToken)

/** The checks built from the constraints table, by its row names, for the test that holds them to it. */
export const scalars = {
  JobId,
  ResourceName,
  ClientToken,
  IamRoleArn,
  JobInputLocation,
  JobOutputLocation,
  TagValue,
  NextToken
} satisfies { readonly [K in keyof typeof C.text]: S.Node<string> }

const tagRecord = S.record(TagValue)
const Tags = S.refine(tagRecord, () => `{ ${tagRecord.d()} | filter }`, (tags) => {
  const keys = Object.keys(tags)
  const issues: Array<{ path: ReadonlyArray<string>; message: string }> = []
  if (keys.length > C.counts.Tags.max) issues.push({ path: [], message: C.counts.Tags.tooMany(keys.length) })
  for (const key of keys) {
    const problem = C.tagKeyProblem(key)
    if (problem !== undefined) issues.push({ path: [key], message: problem })
  }
  return issues.length === 0 ? undefined : issues
})

/** A request enum member, refused with the message `Job.ts`'s `member` gives. */
const member = <const L extends ReadonlyArray<string>>(field: string, ...values: L) =>
  S.literalWithMessage(S.literal(...values), (actual) => C.oneOfMessage(field, values, actual))

const JobStatus = member("Filter.JobStatus", "Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled")
const JobAction = member("Action", "ValidateAddress")
const Feature = member("AdditionalFeatures item", "Position", "CountrySpecificAttributes")

const AdditionalFeatures = S.refine(S.array(Feature), "{ minItems(1) & maxItems(2) | filter }", (xs) =>
  xs.length < C.counts.AdditionalFeatures.min
    ? C.counts.AdditionalFeatures.tooFew
    : xs.length > C.counts.AdditionalFeatures.max
    ? C.counts.AdditionalFeatures.tooMany
    : new Set(xs).size === xs.length
    ? undefined
    : C.counts.AdditionalFeatures.repeated)

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

const { MaxResults: range } = C.counts
const MaxResults = S.refine(S.number, `int & between(${range.min}, ${range.max})`, (n) =>
  !Number.isSafeInteger(n) ? range.notInteger : n < range.min || n > range.max ? range.outOfRange : undefined)

const timestampString = S.text(matching(C.Rfc3339Pattern), [[
  test(C.Rfc3339Pattern),
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
    const name = C.formatPath(i.path)
    if (!i.missing) allMissing = false
    if (!byPath.has(name)) byPath.set(name, { name, message: i.missing ? `${name} is required` : i.message })
  }
  const fieldList = [...byPath.values()]
  return new ValidationException({
    message: C.invalidRequestMessage(operation, fieldList),
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
