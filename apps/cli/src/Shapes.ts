/**
 * The request members of the four operations as shapes for shorthand/JSON parsing: the
 * service model's (`internal/jobsRequests.ts`), picked out by member name.
 *
 * @since 0.1.0
 */
import { type RequestShape, requests } from "./internal/jobsRequests.js"

const memberOf = (request: RequestShape, name: string): RequestShape => {
  const found = request.type === "structure" ? request.members.find((m) => m.name === name) : undefined
  if (found === undefined) throw new Error(`the model has no member ${name} in ${request.name}`)
  return found.shape
}

/** `ExecutionRoleArn` → `--execution-role-arn`: the AWS CLI's flag for a request member. */
export const flagOf = (member: string): string => `--${member.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`

/** StartJob's request. */
export const StartJobRequest = requests.StartJob.input
/** GetJob's and CancelJob's request. */
export const JobIdRequest = requests.GetJob.input
/** ListJobs' request. */
export const ListJobsRequest = requests.ListJobs.input

/** `InputOptions`. */
export const InputOptions = memberOf(StartJobRequest, "InputOptions")
/** `OutputOptions`. */
export const OutputOptions = memberOf(StartJobRequest, "OutputOptions")
/** `ActionOptions`. */
export const ActionOptions = memberOf(StartJobRequest, "ActionOptions")
/** `Tags`. */
export const Tags = memberOf(StartJobRequest, "Tags")
/** `Filter` of ListJobs. */
export const Filter = memberOf(ListJobsRequest, "Filter")
