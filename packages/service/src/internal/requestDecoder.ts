/**
 * Decodes a request as the service does: the body must be a JSON object (else `CannotParse`),
 * every member is checked against the core request Schema with all errors collected and each
 * bad field named (core's `toValidationException`), and a member of the wrong JSON type (a
 * number where a string belongs) is reported as `CannotParse`, the way a restJson1 server
 * fails to deserialise it, still naming every bad field.
 */
import { toValidationException } from "@geojobs/core/RequestValidation"
import { ValidationException } from "@geojobs/core/LocationJobsError"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

type JsonKind = "string" | "number" | "boolean" | "null" | "object" | "array"

const kindOf = (u: unknown): JsonKind | "other" =>
  u === null
    ? "null"
    : Array.isArray(u)
    ? "array"
    : typeof u === "string" || typeof u === "number" || typeof u === "boolean"
    ? typeof u as JsonKind
    : typeof u === "object"
    ? "object"
    : "other"

/** The JSON kinds a schema node can accept, or `undefined` when it cannot be said. */
const expectedKinds = (ast: AST.AST): ReadonlySet<JsonKind> | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return new Set(["string"])
    case "NumberKeyword":
      return new Set(["number"])
    case "BooleanKeyword":
      return new Set(["boolean"])
    case "Literal":
      return new Set([kindOf(ast.literal) as JsonKind])
    case "TypeLiteral":
      return new Set(["object"])
    case "TupleType":
      return new Set(["array"])
    case "Refinement":
      return expectedKinds(ast.from)
    case "Transformation":
      return expectedKinds(ast.from)
    case "Suspend":
      return expectedKinds(ast.f())
    case "Union": {
      const out = new Set<JsonKind>()
      for (const member of ast.types) {
        const kinds = expectedKinds(member)
        if (kinds === undefined) return undefined
        for (const k of kinds) out.add(k)
      }
      return out
    }
    default:
      return undefined
  }
}

/** True when some leaf of the issue is a value of the wrong JSON type. */
const hasTypeMismatch = (issue: ParseResult.ParseIssue): boolean => {
  switch (issue._tag) {
    case "Type": {
      const kinds = expectedKinds(issue.ast)
      const actual = kindOf(issue.actual)
      return kinds !== undefined && (actual === "other" || !kinds.has(actual))
    }
    case "Pointer":
    case "Transformation":
      return hasTypeMismatch(issue.issue)
    case "Refinement":
      return issue.kind === "From" && hasTypeMismatch(issue.issue)
    case "Composite":
      return Array.isArray(issue.issues)
        ? issue.issues.some(hasTypeMismatch)
        : hasTypeMismatch(issue.issues as ParseResult.ParseIssue)
    default:
      return false
  }
}

/** Options of {@link makeRequestDecoder}. */
export interface RequestDecoderOptions {
  readonly rejectUnknownFields: boolean
}

/** Compiles a service-side decoder for one operation's request schema. */
export const makeRequestDecoder = <A, I>(
  operation: string,
  schema: Schema.Schema<A, I>,
  options: RequestDecoderOptions
) => {
  const decode = ParseResult.decodeUnknownEither(schema, {
    errors: "all",
    onExcessProperty: options.rejectUnknownFields ? "error" : "ignore"
  })
  return (input: unknown): Either.Either<A, ValidationException> => {
    if (kindOf(input) !== "object") {
      return Either.left(
        new ValidationException({
          message: `${operation}: the request body must be a JSON object`,
          reason: "CannotParse",
          fieldList: [{ name: "(request)", message: "the request body must be a JSON object" }],
          status: 400
        })
      )
    }
    return Either.mapLeft(decode(input), (issue) => {
      const error = toValidationException(operation, issue, "service")
      return hasTypeMismatch(issue)
        ? new ValidationException({
          message: error.message,
          reason: "CannotParse",
          fieldList: error.fieldList,
          status: 400
        })
        : error
    })
  }
}

/** The ValidationException for a body that is not JSON at all. */
export const unparsableBody = (operation: string, detail: string): ValidationException =>
  new ValidationException({
    message: `${operation}: the request body is not valid JSON (${detail})`,
    reason: "CannotParse",
    fieldList: [{ name: "(request)", message: "the request body is not valid JSON" }],
    status: 400
  })
