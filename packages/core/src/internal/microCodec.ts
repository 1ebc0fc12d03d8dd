/**
 * REST-JSON responses for `MicroLocationJobs`: a 2xx body decoded into the operation's output (with
 * `microSchema`, no Schema). A non-2xx one is read by `wire.decodeError`, which both clients share.
 *
 * @internal
 */
import type { LocationJobsClientError, OperationName } from "./errors.js"
import { outputs } from "./microJob.js"
import * as S from "./microSchema.js"
import * as wire from "./wire.js"

type WireResponse = wire.WireResponse

/** A 2xx body decoded into the operation's output, or an `UndecodableResponse` client error. */
export const decodeOutput = <Op extends OperationName>(
  operation: Op,
  response: WireResponse
): ((typeof outputs)[Op] extends S.Node<infer A> ? A : never) | LocationJobsClientError => {
  const fail = (why: string) => wire.undecodable(operation, response, why)
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    return fail(wire.notJson(response.body)) as never
  }
  const issues: Array<S.Issue> = []
  const out = (outputs[operation] as S.Node).p(json, [], issues)
  if (out !== S.Fail) return out as never
  const first = issues[0]!
  return fail(
    `a body that does not match ${operation}'s output: ${first.path.length === 0 ? "" : `${first.path.join(".")}: `}${
      first.missing ? "is missing" : first.message
    }`
  ) as never
}
