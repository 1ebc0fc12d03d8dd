/**
 * REST-JSON responses of the four Jobs operations for the full client: a 2xx body decoded into the
 * output Schema, a non-2xx one into the operation's error union by the rules of `wire.ts` (which
 * also encodes the requests, for both clients), with the Schema error classes.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import * as Errors from "../LocationJobsError.js"
import { LocationJobsClientError, type LocationJobsError, type OperationName } from "../LocationJobsError.js"
import * as wire from "./wire.js"

type WireResponse = wire.WireResponse

/** Decodes a non-2xx response into the operation's error union (the error classes found by name in their module). */
export const decodeError = wire.makeErrorDecoder<LocationJobsError>(Errors)

/** Builds a decoder for an operation's 2xx body, compiled once. */
export const makeOutputDecoder = <A, I>(operation: OperationName, schema: Schema.Schema<A, I>) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (response: WireResponse): Either.Either<A, LocationJobsClientError> => {
    const fail = (why: string) => Either.left(wire.undecodable(LocationJobsClientError, operation, response, why))
    let json: unknown
    try {
      json = JSON.parse(response.body)
    } catch {
      return fail(wire.notJson(response.body))
    }
    return Either.match(decode(json), {
      onLeft: (issue) => fail(`a body that does not match ${operation}'s output: ${ParseResult.TreeFormatter.formatIssueSync(issue)}`),
      onRight: Either.right
    })
  }
}
