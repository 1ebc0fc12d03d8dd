/**
 * Answers the clients must read as the official SDK reads them, shared by the Effect and the Micro
 * client's tests: a job from a newer service (enum values and members this library does not know,
 * members outside the request-side constraints), bodies of the wrong JSON type, and the seven
 * errors the service defines, written out from the spec rather than read from `src/`.
 */

/** Statuses, codes and features no release of the API had when this library was written. */
export const newValues = {
  Status: "Paused",
  Code: "QuotaExceededError",
  Feature: "Geocode",
  Action: "GeocodeAddress",
  Format: "Csv"
} as const

/** Members a newer service might add; the clients must drop them. */
const newMembers = { Priority: 3, Progress: { Processed: 10, Total: 20 }, Region: "us-east-1" }

/**
 * A GetJob / ListJobs entry from a newer service: every enum with a value we do not know, new
 * members at every level, and members that break the request constraints (an empty JobId, a Name
 * over 100 characters with spaces, a JobArn that is no geo ARN, locations that match no pattern,
 * three features with one repeated, five error messages of which one is over 200 characters, tags
 * with an empty key and a value over 256 characters, an empty role ARN).
 */
export const newerJob = (extra: Record<string, unknown> = {}) => ({
  Action: newValues.Action,
  ActionOptions: {
    ValidateAddress: { AdditionalFeatures: ["Position", newValues.Feature, "Position"], Mode: "Strict" },
    Geocode: { Precise: true }
  },
  CreatedAt: "2024-01-01T00:00:00Z",
  EndedAt: "2024-01-01T01:00:00.5+02:00",
  Error: { Code: newValues.Code, Messages: ["a", "b", "c", "d", "m".repeat(201)], Details: [1, 2] },
  ExecutionRoleArn: "",
  InputOptions: { Location: "s3://UPPER_CASE", Format: newValues.Format, Compression: "zstd" },
  JobArn: "job/x",
  JobId: "",
  Name: "n".repeat(101) + " with spaces",
  OutputOptions: { Format: "Parquet", Location: "s3://out/no-trailing-slash", Partitioned: false },
  Status: newValues.Status,
  UpdatedAt: "2024-01-01T00:05:00Z",
  ...newMembers,
  ...extra
})

/** `newerJob` as the clients must decode it: unknown values kept as strings, unknown members gone. */
export const newerJobDecoded = {
  Action: newValues.Action,
  ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", newValues.Feature, "Position"] } },
  CreatedAt: new Date("2024-01-01T00:00:00Z"),
  EndedAt: new Date("2023-12-31T23:00:00.500Z"),
  Error: { Code: newValues.Code, Messages: ["a", "b", "c", "d", "m".repeat(201)] },
  ExecutionRoleArn: "",
  InputOptions: { Location: "s3://UPPER_CASE", Format: newValues.Format },
  JobArn: "job/x",
  JobId: "",
  Name: "n".repeat(101) + " with spaces",
  OutputOptions: { Format: "Parquet", Location: "s3://out/no-trailing-slash" },
  Status: newValues.Status,
  UpdatedAt: new Date("2024-01-01T00:05:00Z")
}

/** GetJob adds tags: an empty key and a value too long for a request. */
export const newerTags = { "": "empty key", owner: "v".repeat(300), "bad key!": "x" }

/** The outputs of the four operations from a newer service, wire form and decoded. */
export const newerOutputs = {
  StartJob: {
    wire: { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn", JobId: "", Status: newValues.Status, ...newMembers },
    decoded: { CreatedAt: new Date("2024-01-01T00:00:00Z"), JobArn: "arn", JobId: "", Status: newValues.Status }
  },
  GetJob: {
    wire: newerJob({ Tags: newerTags }),
    decoded: { ...newerJobDecoded, Tags: newerTags }
  },
  ListJobs: {
    wire: { Entries: [newerJob(), newerJob({ Status: "Running", Error: { Code: "ValidationError" } })], NextToken: "t", ...newMembers },
    decoded: {
      Entries: [newerJobDecoded, { ...newerJobDecoded, Status: "Running", Error: { Code: "ValidationError" } }],
      NextToken: "t"
    }
  },
  CancelJob: {
    wire: { JobArn: "arn", JobId: "job:with/slash", Status: "Stopping", ...newMembers },
    decoded: { JobArn: "arn", JobId: "job:with/slash", Status: "Stopping" }
  }
} as const

/** Bodies whose members have the wrong JSON type (or lack a required one): still undecodable. */
export const wrongTypes: ReadonlyArray<readonly [string, "StartJob" | "GetJob" | "ListJobs" | "CancelJob", unknown]> = [
  ["a numeric Status", "StartJob", { ...newerOutputs.StartJob.wire, Status: 5 }],
  ["a null Status", "CancelJob", { ...newerOutputs.CancelJob.wire, Status: null }],
  ["a JobId that is a number", "CancelJob", { ...newerOutputs.CancelJob.wire, JobId: 42 }],
  ["a missing JobId", "StartJob", { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn", Status: "Pending" }],
  ["features that are a string, not a list", "GetJob", newerJob({ ActionOptions: { ValidateAddress: { AdditionalFeatures: "Position" } } })],
  ["a feature that is a number", "GetJob", newerJob({ ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", 1] } } })],
  ["an error code that is an object", "GetJob", newerJob({ Error: { Code: { name: "x" } } })],
  ["an error without its code", "GetJob", newerJob({ Error: { Messages: ["m"] } })],
  ["a tag value that is a number", "GetJob", newerJob({ Tags: { owner: 1 } })],
  ["Entries that is an object", "ListJobs", { Entries: { a: newerJob() } }],
  ["a NextToken that is a number", "ListJobs", { Entries: [], NextToken: 7 }],
  ["a timestamp without a zone", "GetJob", newerJob({ UpdatedAt: "2024-01-01T00:05:00" })]
]

/** The seven errors the service defines, with their HTTP status (spec §4.1). */
export const serviceErrors = [
  ["AccessDeniedException", 403],
  ["ConflictException", 409],
  ["InternalServerException", 500],
  ["ResourceNotFoundException", 404],
  ["ServiceQuotaExceededException", 402],
  ["ThrottlingException", 429],
  ["ValidationException", 400]
] as const

/** The four operations. */
export const operations = ["StartJob", "GetJob", "ListJobs", "CancelJob"] as const
