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
