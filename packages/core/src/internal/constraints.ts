/**
 * The model's constraints that both request checks share: the anchored patterns (copied from the
 * model), the tag-key rule and the field paths and message of a client-side
 * `ValidationException`. Read by `Job.ts` / `RequestValidation.ts` (Schema) and by
 * `microJob.ts` (Micro). No Effect, no Schema.
 *
 * @internal
 */

/** `^[-._\w]+$` — shared by JobId and ResourceName (non-`u` `\w` = `[A-Za-z0-9_]`). */
export const JobIdPattern = /^[-._\w]+$/
/** `^[!-~]+$` — printable ASCII without space. */
export const ClientTokenPattern = /^[!-~]+$/
/** The model's GeoArn pattern, used for `JobArn`. */
export const GeoArnPattern =
  /^arn(:[a-z0-9]+([.-][a-z0-9]+)*):geo(:([a-z0-9]+([.-][a-z0-9]+)*))(:[0-9]+):((\*)|([-a-z]+[/][*-._\w]+))$/
/** Input location: an S3 (or other) ARN, or `s3://bucket[/prefix…][/]`. */
export const JobInputLocationPattern =
  /^(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[\w/+=,.-]+|s3:\/\/[a-z0-9][a-z0-9._-]{2,254}(\/[^/]+)*\/?)$/
/** Output location: like the input, but the `s3://` form must end with `/`. */
export const JobOutputLocationPattern =
  /^(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[\w/+=,.-]+|s3:\/\/[a-z0-9][a-z0-9._-]{2,254}(\/[^/]+)*\/)$/
/** Tag keys and values: letters, separators, numbers and `_.,:/=+-@`. */
export const TagPattern = /^([\p{L}\p{Z}\p{N}_.,:/=+\-@]*)$/u
/** The RFC 3339 form the service sends (zone designator mandatory). */
export const Rfc3339Pattern =
  /^(\d{4})-(\d{2})-(\d{2})[tT](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(([-+]\d{2}:\d{2})|[zZ])$/

/** Tag keys and values may hold these characters only (the words of the messages). */
export const tagChars = "may contain only letters, numbers, spaces and _.,:/=+-@"

/** What is wrong with a tag key, or undefined: 1–128 characters matching `TagPattern`. */
export const tagKeyProblem = (key: string): string | undefined =>
  key.length < 1
    ? "Tag key must be at least 1 character long"
    : key.length > 128
    ? "Tag key must be at most 128 characters long"
    : TagPattern.test(key)
    ? undefined
    : `Tag key ${tagChars}`

const plainSegment = /^[A-Za-z0-9_]+$/

/** `InputOptions.Location`, `Tags["my key"]`, `Tags[""]`: dotted where plain, quoted otherwise; `(request)` for the root. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  if (path.length === 0) return "(request)"
  let out = ""
  for (const p of path) {
    const s = String(p)
    out += plainSegment.test(s) ? (out === "" ? s : `.${s}`) : `[${JSON.stringify(s)}]`
  }
  return out
}

/** The message of a `ValidationException` naming its fields: every message, then the names when more than one. */
export const invalidRequestMessage = (
  operation: string,
  fieldList: ReadonlyArray<{ readonly name: string; readonly message: string }>
): string =>
  `${operation}: invalid request: ${fieldList.map((f) => f.message).join("; ")}` +
  (fieldList.length > 1 ? ` (fields: ${fieldList.map((f) => f.name).join(", ")})` : "")

/** A value as a message quotes it: strings in double quotes, anything else as JSON or text. */
const quote = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The message for a value outside an enum, naming the field, the allowed values and what was given
 * (`InputOptions.Format must be one of Parquet, got "CSV"`). Both request checks use it.
 */
export const oneOfMessage = (field: string, values: ReadonlyArray<string>, actual: unknown): string =>
  `${field} must be one of ${values.join(", ")}, got ${quote(actual)}`

/** The first character an S3 bucket name may have, then the others the model allows. */
const bucketStart = /^[a-z0-9]/
const bucketChars = /^[a-z0-9._-]*$/

/**
 * Why a location that does not match its pattern is refused, naming the rule broken and the fix:
 * a bucket name that is too short, holds characters S3 refuses, an empty path segment, an output
 * prefix without its final `/`, a malformed ARN. Both request checks call it with the value the
 * pattern refused, so the two clients (and the service side) say the same thing.
 */
export const locationProblem = (field: string, value: string, mustEndWithSlash: boolean): string => {
  const example = mustEndWithSlash ? "s3://my-bucket/results/" : "s3://my-bucket/input/"
  if (value.startsWith("s3://")) {
    const rest = value.slice(5)
    const slash = rest.indexOf("/")
    const bucket = slash < 0 ? rest : rest.slice(0, slash)
    const path = slash < 0 ? "" : rest.slice(slash)
    if (bucket === "") return `${field} "${value}" names no bucket: write it as ${example}`
    if (!bucketChars.test(bucket)) {
      return `${field}: bucket name "${bucket}" may contain only lowercase letters, numbers, ".", "-" and "_"`
    }
    if (!bucketStart.test(bucket)) return `${field}: bucket name "${bucket}" must start with a lowercase letter or a number`
    if (bucket.length < 3 || bucket.length > 255) {
      return `${field}: bucket name "${bucket}" is ${bucket.length} characters long; S3 bucket names are 3 to 63 characters long`
    }
    const inner = path.endsWith("/") ? path.slice(0, -1) : path
    if (inner !== "" && !/^(\/[^/]+)+$/.test(inner)) {
      return `${field} "${value}" has an empty path segment ("//"): remove the extra "/"`
    }
    if (mustEndWithSlash && !value.endsWith("/")) {
      return `${field} must be a prefix ending with "/": write "${value}/"`
    }
  } else if (value.startsWith("arn:")) {
    return `${field} "${value}" is not a valid ARN: expected arn:<partition>:s3:::<bucket>[/<prefix>], e.g. arn:aws:s3:::my-bucket/input`
  }
  return `${field} must be an S3 URI (${example}) or an S3 ARN (arn:aws:s3:::my-bucket)`
}

/**
 * A string member's constraints as the model has them, and the words of each refusal: the one
 * table both request checks are built from (`Job.ts` as Schema filters, `microJob.ts` as Micro
 * checks), each checking in this order: minimum length, maximum length, pattern.
 */
export interface TextConstraint {
  /** The member's name in messages. */
  readonly what: string
  readonly minLength?: number | undefined
  /** The refusal of a too short value, when not "<what> must be at least N characters long". */
  readonly minLengthMessage?: string | undefined
  readonly maxLength?: number | undefined
  readonly pattern?: RegExp | undefined
  /** The refusal of a value the pattern refuses (a function of that value, or fixed words). */
  readonly patternMessage?: string | ((actual: string) => string) | undefined
}

/** The request members' string constraints. */
export const text = {
  JobId: {
    what: "JobId",
    minLength: 1,
    maxLength: 200,
    pattern: JobIdPattern,
    patternMessage: "JobId must match the pattern [-._\\w]+"
  },
  ResourceName: {
    what: "Name",
    minLength: 1,
    maxLength: 100,
    pattern: JobIdPattern,
    patternMessage: "Name must match the pattern [-._\\w]+"
  },
  ClientToken: {
    what: "ClientToken",
    minLength: 1,
    maxLength: 64,
    pattern: ClientTokenPattern,
    patternMessage: "ClientToken must be printable ASCII without spaces ([!-~]+)"
  },
  // The model puts no length or pattern on the role ARN; an empty one is refused.
  IamRoleArn: { what: "ExecutionRoleArn", minLength: 1, minLengthMessage: "ExecutionRoleArn must not be empty" },
  JobInputLocation: {
    what: "InputOptions.Location",
    maxLength: 300,
    pattern: JobInputLocationPattern,
    patternMessage: (s: string) => locationProblem("InputOptions.Location", s, false)
  },
  JobOutputLocation: {
    what: "OutputOptions.Location",
    maxLength: 300,
    pattern: JobOutputLocationPattern,
    patternMessage: (s: string) => locationProblem("OutputOptions.Location", s, true)
  },
  TagValue: { what: "Tag value", maxLength: 256, pattern: TagPattern, patternMessage: `Tag value ${tagChars}` },
  NextToken: { what: "NextToken", minLength: 1, maxLength: 60000 }
} as const satisfies Record<string, TextConstraint>

/** The refusal of a value shorter than `c.minLength`. */
export const tooShortMessage = (c: TextConstraint): string =>
  c.minLengthMessage ?? `${c.what} must be at least ${c.minLength} character${c.minLength === 1 ? "" : "s"} long`

/** The refusal of a value longer than `c.maxLength`. */
export const tooLongMessage = (c: TextConstraint): string => `${c.what} must be at most ${c.maxLength} characters long`

/** The refusal of `actual`, which `c.pattern` refuses. */
export const patternMessage = (c: TextConstraint, actual: string): string =>
  typeof c.patternMessage === "function" ? c.patternMessage(actual) : c.patternMessage ?? `${c.what} is malformed`

/** The request members' count and range constraints, with their refusals. */
export const counts = {
  /** Tags: at most 50 entries. */
  Tags: { max: 50, tooMany: (n: number) => `Tags must have at most 50 entries, got ${n}` },
  /** AdditionalFeatures: 1 or 2 items, none repeated. */
  AdditionalFeatures: {
    min: 1,
    max: 2,
    tooFew: "AdditionalFeatures must have at least 1 item",
    tooMany: "AdditionalFeatures must have at most 2 items",
    repeated: "AdditionalFeatures must not repeat an item"
  },
  /** MaxResults: an integer from 1 to 100. */
  MaxResults: { min: 1, max: 100, notInteger: "MaxResults must be an integer", outOfRange: "MaxResults must be between 1 and 100" }
} as const
