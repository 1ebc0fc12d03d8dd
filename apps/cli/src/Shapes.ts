/**
 * The request members of the four operations as shapes for shorthand/JSON parsing and
 * `--cli-input-json` (same names and nesting as the API).
 *
 * @since 0.1.0
 */
import * as S from "./Shorthand.js"

/** `InputOptions`. */
export const InputOptions = S.struct({ Location: S.string(), Format: S.string() })
/** `OutputOptions`. */
export const OutputOptions = S.struct({ Format: S.string(), Location: S.string() })
/** `ActionOptions`. */
export const ActionOptions = S.struct({
  ValidateAddress: S.struct({ AdditionalFeatures: S.list(S.string()) })
})
/** `Tags`. */
export const Tags = S.map
/** `Filter` of ListJobs. */
export const Filter = S.struct({ JobStatus: S.string() })

/** StartJob's request. */
export const StartJobRequest = S.struct({
  ClientToken: S.string(),
  Action: S.string(),
  ActionOptions,
  ExecutionRoleArn: S.string(),
  InputOptions,
  Name: S.string(),
  OutputOptions,
  Tags
})
/** GetJob's and CancelJob's request. */
export const JobIdRequest = S.struct({ JobId: S.string() })
/** ListJobs' request. */
export const ListJobsRequest = S.struct({ Filter, MaxResults: S.integer, NextToken: S.string() })
