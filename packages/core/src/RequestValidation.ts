/**
 * Checks a request against its Schema and turns every violation into one
 * `ValidationException` whose `fieldList` names each bad field (`InputOptions.Location`,
 * `Tags.owner`, `ActionOptions.ValidateAddress.AdditionalFeatures.1`). Shared by the client
 * (before sending) and the service side (on receipt), so both name fields the same way.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import { formatPath, invalidRequestMessage } from "./internal/constraints.js"
import { ValidationException, type ValidationExceptionField, type ValidationExceptionReason } from "./LocationJobsError.js"

/** Options for {@link validate}. */
export interface ValidateOptions {
  /** `client` marks the error as raised before sending; `service` as the service's answer. */
  readonly side: "client" | "service"
  /** Reject members the schema does not know (service side: reason `UnknownField`). */
  readonly rejectUnknownFields?: boolean
}

/**
 * Flattens a parse issue into fields, one per bad path (the first message of each path is
 * kept, so a field that is both too long and malformed is named once), and picks the
 * reason: `Missing` when every problem is a missing required member, `UnknownField` when
 * every problem is an unexpected member, `FieldValidationFailed` otherwise.
 */
export const issueToFields = (
  issue: ParseResult.ParseIssue
): { readonly reason: ValidationExceptionReason; readonly fieldList: ReadonlyArray<ValidationExceptionField> } => {
  const issues = ParseResult.ArrayFormatter.formatIssueSync(issue)
  const byPath = new Map<string, ValidationExceptionField>()
  let allMissing = issues.length > 0
  let allUnexpected = issues.length > 0
  for (const i of issues) {
    const name = formatPath(i.path)
    if (i._tag !== "Missing") allMissing = false
    if (i._tag !== "Unexpected") allUnexpected = false
    if (!byPath.has(name)) {
      const message = i._tag === "Missing"
        ? `${name} is required`
        : i._tag === "Unexpected"
        ? `${name} is not a member of this request`
        : i.message
      byPath.set(name, { name, message })
    }
  }
  return {
    reason: allMissing ? "Missing" : allUnexpected ? "UnknownField" : "FieldValidationFailed",
    fieldList: [...byPath.values()]
  }
}

/** Builds the `ValidationException` for a parse issue. */
export const toValidationException = (
  operation: string,
  issue: ParseResult.ParseIssue,
  side: "client" | "service"
): ValidationException => {
  const { fieldList, reason } = issueToFields(issue)
  return new ValidationException({
    message: invalidRequestMessage(operation, fieldList),
    reason,
    fieldList,
    ...(side === "client" ? { clientSide: true } : { status: 400 })
  })
}

/**
 * Builds a reusable validator for one request schema: decodes with every error collected
 * (`errors: "all"`), compiled once.
 */
export const makeValidator = <A, I>(
  operation: string,
  schema: Schema.Schema<A, I>,
  options: ValidateOptions
) => {
  const parseOptions: AST.ParseOptions = {
    errors: "all",
    onExcessProperty: options.rejectUnknownFields ? "error" : "ignore"
  }
  const decode = ParseResult.decodeUnknownEither(schema, parseOptions)
  return (input: unknown): Either.Either<A, ValidationException> =>
    Either.mapLeft(decode(input), (issue) => toValidationException(operation, issue, options.side))
}
