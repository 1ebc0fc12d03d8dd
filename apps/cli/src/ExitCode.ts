/**
 * Exit codes of `geojobs` (documented in the README):
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success (for `wait`/`validate`: the job Completed) |
 * | 1 | the service or the data said no (ValidationException, AccessDenied, ResourceNotFound, unreadable input, S3 error) |
 * | 2 | usage: unknown flag, malformed shorthand/JSON, missing option, input file not found |
 * | 3 | the job ended Failed |
 * | 4 | the job ended Cancelled |
 * | 5 | `wait` gave up (`--timeout`) |
 * | 6 | target unreachable, no/invalid credentials, local service could not start |
 * | 130 | interrupted (Ctrl-C) |
 *
 * @since 0.1.0
 */

/** Success. */
export const Ok = 0
/** A service, data or object-store error. */
export const ServiceError = 1
/** The command line is wrong. */
export const Usage = 2
/** The job ended Failed. */
export const JobFailed = 3
/** The job ended Cancelled. */
export const JobCancelled = 4
/** The wait timed out. */
export const WaitTimeout = 5
/** Target unreachable or credentials unusable. */
export const Unreachable = 6
/** Interrupted. */
export const Interrupted = 130
