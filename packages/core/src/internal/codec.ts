/**
 * REST-JSON responses of the four Jobs operations for the full client: a 2xx body decoded into the
 * output Schema. A non-2xx one is read by `wire.decodeError`, which both clients share.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"
import type { LocationJobsClientError, OperationName } from "./errors.js"
import * as wire from "./wire.js"

type WireResponse = wire.WireResponse

/** Builds a decoder for an operation's 2xx body, compiled once. */
export const makeOutputDecoder = <A, I>(operation: OperationName, schema: Schema.Schema<A, I>) => {
  const decode = ParseResult.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (response: WireResponse): Either.Either<A, LocationJobsClientError> => {
    const fail = (why: string) => Either.left(wire.undecodable(operation, response, why))
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
