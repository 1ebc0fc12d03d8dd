/**
 * Schemas for every request and response member of the Amazon Location Jobs API
 * (StartJob, GetJob, ListJobs, CancelJob).
 *
 * Requests carry the constraints of the service model (`location` 2020-11-19): lengths,
 * anchored patterns, enums, list sizes and ranges. They are plain JSON-shaped objects (their
 * Type equals their wire form, except the branded `JobId`).
 *
 * Responses are read as the official SDK reads them: structure and JSON types are checked,
 * RFC 3339 timestamps decode into `Date`, enum members are open (a value newer than this
 * library is kept as the string the service sent; see `Open`), members this library does not
 * know are dropped, and no request-side constraint applies.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  counts,
  GeoArnPattern,
  oneOfMessage,
  patternMessage,
  Rfc3339Pattern,
  tagChars,
  tagKeyProblem,
  TagPattern,
  text,
  type TextConstraint,
  tooLongMessage,
  tooShortMessage
} from "./internal/constraints.js"

/** An optional member that, when present, must not be `undefined` (as on the wire). */
const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

// ---------------------------------------------------------------------------
// Patterns (the model's, anchored; in internal/constraints.ts, which the Micro client reads too)
// ---------------------------------------------------------------------------

export {
  ClientTokenPattern,
  GeoArnPattern,
  JobIdPattern,
  JobInputLocationPattern,
  JobOutputLocationPattern,
  Rfc3339Pattern,
  TagPattern
} from "./internal/constraints.js"

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

const lengthBetween = (min: number, max: number, what: string) =>
  Schema.String.pipe(
    Schema.minLength(min, { message: () => `${what} must be at least ${min} character${min === 1 ? "" : "s"} long` }),
    Schema.maxLength(max, { message: () => `${what} must be at most ${max} characters long` })
  )

/**
 * A string Schema from its row of the constraints table both clients are built from
 * (`internal/constraints.ts`): minimum length, maximum length, pattern, in that order, each with
 * the table's words.
 */
const fromTable = (c: TextConstraint): Schema.Schema<string> => {
  let schema: Schema.Schema<string> = Schema.String
  if (c.minLength !== undefined) schema = schema.pipe(Schema.minLength(c.minLength, { message: () => tooShortMessage(c) }))
  if (c.maxLength !== undefined) schema = schema.pipe(Schema.maxLength(c.maxLength, { message: () => tooLongMessage(c) }))
  if (c.pattern !== undefined) {
    schema = schema.pipe(Schema.pattern(c.pattern, { message: (issue) => patternMessage(c, String(issue.actual)) }))
  }
  return schema
}

/** A job's identifier: 1–200 characters of `[-._A-Za-z0-9]`. Branded. */
export const JobId = fromTable(text.JobId).pipe(Schema.brand("@geojobs/core/JobId"))
/** @since 0.1.0 */
export type JobId = typeof JobId.Type

/** A job's optional name: 1–100 characters of `[-._A-Za-z0-9]`. */
export const ResourceName = fromTable(text.ResourceName)

/** Idempotency token: 1–64 printable ASCII characters, no spaces. */
export const ClientToken = fromTable(text.ClientToken)

/**
 * IAM role ARN of the execution role. The model puts no length or pattern on it; we only
 * require a non-empty string, as the service would reject anything else anyway.
 */
export const IamRoleArn = fromTable(text.IamRoleArn)

/** A job ARN: `arn:<partition>:geo:<region>:<account>:job/<JobId>` (max 1600). */
export const JobArn = Schema.String.pipe(
  Schema.maxLength(1600, { message: () => "JobArn must be at most 1600 characters long" }),
  Schema.pattern(GeoArnPattern, { message: () => "JobArn must be a geo ARN" })
)

/** Where the input Parquet files are: an S3 ARN or `s3://bucket[/prefix]` (max 300). */
export const JobInputLocation = fromTable(text.JobInputLocation)

/** Where output is written: an S3 ARN or `s3://bucket[/prefix]/` ending with `/` (max 300). */
export const JobOutputLocation = fromTable(text.JobOutputLocation)

/** Tag key: 1–128 characters, letters/numbers/spaces and `_.,:/=+-@`. */
export const TagKey = lengthBetween(1, 128, "Tag key").pipe(
  Schema.pattern(TagPattern, { message: () => `Tag key ${tagChars}` })
)
/** Tag value: 0–256 characters, letters/numbers/spaces and `_.,:/=+-@`. */
export const TagValue = fromTable(text.TagValue)

/**
 * Up to 50 tags. Keys are checked here, one issue per bad key, because a Record drops keys
 * its key schema refuses instead of reporting them.
 */
export const Tags = Schema.Record({ key: Schema.String, value: TagValue }).pipe(
  Schema.filter((tags) => {
    const keys = Object.keys(tags)
    const issues: Array<Schema.FilterIssue> = []
    if (keys.length > counts.Tags.max) issues.push({ path: [], message: counts.Tags.tooMany(keys.length) })
    for (const key of keys) {
      const problem = tagKeyProblem(key)
      if (problem !== undefined) issues.push({ path: [key], message: problem })
    }
    return issues.length === 0 ? undefined : issues
  })
)

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

/** The statuses this library knows; what a request may filter by. @since 0.1.0 */
export const JobStatus = Schema.Literal("Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled")
/** @since 0.1.0 */
export type JobStatus = typeof JobStatus.Type
/** The statuses a job never leaves. */
export const TerminalStatuses: ReadonlySet<JobStatus> = new Set(["Completed", "Failed", "Cancelled"])
/** True when the job will not change any more; a status newer than this library is not terminal. */
export const isTerminal = (status: Open<JobStatus>): boolean => TerminalStatuses.has(status as JobStatus)

/** @since 0.1.0 */
export const JobAction = Schema.Literal("ValidateAddress")
/** @since 0.1.0 */
export type JobAction = typeof JobAction.Type
/** @since 0.1.0 */
export const JobInputFormat = Schema.Literal("Parquet")
/** @since 0.1.0 */
export const JobOutputFormat = Schema.Literal("Parquet")
/** @since 0.1.0 */
export const JobErrorCode = Schema.Literal("ValidationError", "InternalServerError")
/** @since 0.1.0 */
export type JobErrorCode = typeof JobErrorCode.Type
/** @since 0.1.0 */
export const ValidateAddressAdditionalFeature = Schema.Literal("Position", "CountrySpecificAttributes")
/** @since 0.1.0 */
export type ValidateAddressAdditionalFeature = typeof ValidateAddressAdditionalFeature.Type

/**
 * An enum as a request member: a value outside it is refused with a message naming the field and
 * the allowed values (`InputOptions.Format must be one of Parquet, got "CSV"`), not Schema's bare
 * `Expected "Parquet"`.
 */
const member = <L extends readonly [string, ...Array<string>]>(field: string, schema: Schema.Literal<L>) =>
  // `override`: Schema otherwise reports a union's members one by one inside arrays.
  schema.annotations({ message: (issue) => ({ message: oneOfMessage(field, schema.literals, issue.actual), override: true }) })

// ---------------------------------------------------------------------------
// Structures
// ---------------------------------------------------------------------------

/** 1–2 distinct additional features. */
export const ValidateAddressAdditionalFeatureList = Schema.Array(
  member("AdditionalFeatures item", ValidateAddressAdditionalFeature)
).pipe(
  Schema.minItems(counts.AdditionalFeatures.min, { message: () => counts.AdditionalFeatures.tooFew }),
  Schema.maxItems(counts.AdditionalFeatures.max, { message: () => counts.AdditionalFeatures.tooMany }),
  Schema.filter((xs) => new Set(xs).size === xs.length || counts.AdditionalFeatures.repeated)
)

/** @since 0.1.0 */
export const ValidateAddressActionOptions = Schema.Struct({
  AdditionalFeatures: optional(ValidateAddressAdditionalFeatureList)
})
/** @since 0.1.0 */
export const JobActionOptions = Schema.Struct({
  ValidateAddress: optional(ValidateAddressActionOptions)
})
/** @since 0.1.0 */
export type JobActionOptions = typeof JobActionOptions.Type

/** @since 0.1.0 */
export const JobInputOptions = Schema.Struct({
  Location: JobInputLocation,
  Format: member("InputOptions.Format", JobInputFormat)
})
/** @since 0.1.0 */
export type JobInputOptions = typeof JobInputOptions.Type

/** @since 0.1.0 */
export const JobOutputOptions = Schema.Struct({
  Format: member("OutputOptions.Format", JobOutputFormat),
  Location: JobOutputLocation
})
/** @since 0.1.0 */
export type JobOutputOptions = typeof JobOutputOptions.Type

/** One error message of a failed job: 1–200 characters. */
export const JobErrorMessage = lengthBetween(1, 200, "Error message")

/**
 * Why a job failed: a code and 1–4 messages, with the model's constraints (what a service may
 * set). A response's is read as `ReportedJobError`.
 */
export const JobError = Schema.Struct({
  Code: JobErrorCode,
  Messages: optional(
    Schema.Array(JobErrorMessage).pipe(Schema.minItems(1), Schema.maxItems(4))
  )
})
/** @since 0.1.0 */
export type JobError = typeof JobError.Type

/** @since 0.1.0 */
export const JobsFilter = Schema.Struct({
  JobStatus: optional(member("Filter.JobStatus", JobStatus))
})

/** Opaque ListJobs page token: 1–60000 characters. */
export const NextToken = fromTable(text.NextToken)

/** ListJobs page size: an integer 1–100. */
export const MaxResults = Schema.Number.pipe(
  Schema.int({ message: () => counts.MaxResults.notInteger }),
  Schema.between(counts.MaxResults.min, counts.MaxResults.max, { message: () => counts.MaxResults.outOfRange })
)

/**
 * An RFC 3339 timestamp on the wire (`2024-01-01T00:00:00Z`; the zone is mandatory),
 * a `Date` in code. Encodes with millisecond precision and `Z`.
 */
export const Timestamp = Schema.transform(
  Schema.String.pipe(
    Schema.pattern(Rfc3339Pattern, { message: () => "expected an RFC 3339 date-time with a zone, e.g. 2024-01-01T00:00:00Z" })
  ),
  Schema.DateFromSelf.pipe(Schema.filter((d) => !Number.isNaN(d.getTime()) || "Invalid date")),
  {
    strict: true,
    decode: (s) => new Date(s),
    encode: (d) => d.toISOString()
  }
)

// ---------------------------------------------------------------------------
// Responses: structure and JSON types only
// ---------------------------------------------------------------------------

/**
 * An enum member as a response carries it: one of the `Known` values, or a value the service
 * added after this release, kept as the string it sent (the official SDK keeps them too). The
 * `string & {}` keeps editors offering the known values; compare with them to narrow, and keep a
 * `default` branch in a switch.
 *
 * @since 0.2.0
 */
export type Open<Known extends string> = Known | (string & {})

/** Any string, typed as the open form of an enum. */
const openEnum = <Known extends string>(): Schema.Schema<Open<Known>, string> => Schema.String

/** A job's status in a response: a `JobStatus` or a newer one. @since 0.2.0 */
export const OpenJobStatus = openEnum<JobStatus>()
/** @since 0.2.0 */
export type OpenJobStatus = Open<JobStatus>

/** A failed job's error code in a response: a `JobErrorCode` or a newer one. @since 0.2.0 */
export const OpenJobErrorCode = openEnum<JobErrorCode>()
/** @since 0.2.0 */
export type OpenJobErrorCode = Open<JobErrorCode>

/** An additional feature in a response: a `ValidateAddressAdditionalFeature` or a newer one. @since 0.2.0 */
export const OpenValidateAddressAdditionalFeature = openEnum<ValidateAddressAdditionalFeature>()
/** @since 0.2.0 */
export type OpenValidateAddressAdditionalFeature = Open<ValidateAddressAdditionalFeature>

/**
 * Why a job failed, as GetJob and ListJobs report it: an open `Code` and any messages (the
 * model's 1–4 messages of 1–200 characters are not checked on what the service sends).
 *
 * @since 0.2.0
 */
export const ReportedJobError = Schema.Struct({
  Code: OpenJobErrorCode,
  Messages: optional(Schema.Array(Schema.String))
})
/** @since 0.2.0 */
export type ReportedJobError = typeof ReportedJobError.Type

/** A job id the service sent: any string, branded as the request's `JobId` is. */
const ReportedJobId = Schema.String.pipe(Schema.brand("@geojobs/core/JobId"))

const ReportedActionOptions = Schema.Struct({
  ValidateAddress: optional(Schema.Struct({
    AdditionalFeatures: optional(Schema.Array(OpenValidateAddressAdditionalFeature))
  }))
})

const ReportedInputOptions = Schema.Struct({
  Location: Schema.String,
  Format: openEnum<typeof JobInputFormat.Type>()
})

const ReportedOutputOptions = Schema.Struct({
  Format: openEnum<typeof JobOutputFormat.Type>(),
  Location: Schema.String
})

const ReportedTags = Schema.Record({ key: Schema.String, value: Schema.String })

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/** StartJob input. `ClientToken` is filled with a UUID v4 by the client when absent. */
export const StartJobRequest = Schema.Struct({
  ClientToken: optional(ClientToken),
  Action: member("Action", JobAction),
  ActionOptions: optional(JobActionOptions),
  ExecutionRoleArn: IamRoleArn,
  InputOptions: JobInputOptions,
  Name: optional(ResourceName),
  OutputOptions: JobOutputOptions,
  Tags: optional(Tags)
})
/** @since 0.1.0 */
export type StartJobRequest = typeof StartJobRequest.Encoded

/** StartJob output (structure and types only, as every response). @since 0.1.0 */
export const StartJobResponse = Schema.Struct({
  CreatedAt: Timestamp,
  JobArn: Schema.String,
  JobId: ReportedJobId,
  Status: OpenJobStatus
})
/** @since 0.1.0 */
export type StartJobResponse = typeof StartJobResponse.Type

/** GetJob input: the job id goes into the path. */
export const GetJobRequest = Schema.Struct({ JobId })
/** @since 0.1.0 */
export type GetJobRequest = typeof GetJobRequest.Encoded

const jobFields = {
  Action: openEnum<JobAction>(),
  ActionOptions: optional(ReportedActionOptions),
  CreatedAt: Timestamp,
  EndedAt: optional(Timestamp),
  Error: optional(ReportedJobError),
  ExecutionRoleArn: Schema.String,
  InputOptions: ReportedInputOptions,
  JobArn: Schema.String,
  JobId: ReportedJobId,
  Name: optional(Schema.String),
  OutputOptions: ReportedOutputOptions,
  Status: OpenJobStatus,
  UpdatedAt: Timestamp
}

/** GetJob output: the whole job, with its tags. */
export const GetJobResponse = Schema.Struct({
  ...jobFields,
  Tags: optional(ReportedTags)
})
/** @since 0.1.0 */
export type GetJobResponse = typeof GetJobResponse.Type

/** @since 0.1.0 */
export const ListJobsRequest = Schema.Struct({
  Filter: optional(JobsFilter),
  MaxResults: optional(MaxResults),
  NextToken: optional(NextToken)
})
/** @since 0.1.0 */
export type ListJobsRequest = typeof ListJobsRequest.Encoded

/** One job in a ListJobs page: GetJob's members without `Tags`. */
export const ListJobsResponseEntry = Schema.Struct(jobFields)
/** @since 0.1.0 */
export type ListJobsResponseEntry = typeof ListJobsResponseEntry.Type

/** @since 0.1.0 */
export const ListJobsResponse = Schema.Struct({
  Entries: Schema.Array(ListJobsResponseEntry),
  NextToken: optional(Schema.String)
})
/** @since 0.1.0 */
export type ListJobsResponse = typeof ListJobsResponse.Type

/** @since 0.1.0 */
export const CancelJobRequest = Schema.Struct({ JobId })
/** @since 0.1.0 */
export type CancelJobRequest = typeof CancelJobRequest.Encoded

/** @since 0.1.0 */
export const CancelJobResponse = Schema.Struct({
  JobArn: Schema.String,
  JobId: ReportedJobId,
  Status: OpenJobStatus
})
/** @since 0.1.0 */
export type CancelJobResponse = typeof CancelJobResponse.Type
