/**
 * Exit codes of `geojobs`: AWS CLI v2's where it has one (documented in the README), and our
 * own for the job outcomes of `wait` and `validate`:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success (for `wait`/`validate`: the job Completed) |
 * | 3 | the job ended Failed |
 * | 4 | the job ended Cancelled |
 * | 5 | `wait` gave up (`--timeout`) |
 * | 130 | interrupted (Ctrl-C) |
 * | 252 | usage: unknown flag, malformed shorthand/JSON, missing option, input file not found |
 * | 253 | configuration: no credentials |
 * | 254 | the service or the data said no (ValidationException, AccessDenied, ResourceNotFound, unreadable input, S3 error) |
 * | 255 | the target is unreachable, the local service could not start, or anything unexpected |
 *
 * @since 0.1.0
 */

/** Success. */
export const Ok = 0
/** The job ended Failed. */
export const JobFailed = 3
/** The job ended Cancelled. */
export const JobCancelled = 4
/** The wait timed out. */
export const WaitTimeout = 5
/** Interrupted. */
export const Interrupted = 130
/** The command line is wrong (AWS CLI v2: 252). */
export const Usage = 252
/** The configuration is unusable: no credentials (AWS CLI v2: 253). */
export const Configuration = 253
/** A service, data or object-store error (AWS CLI v2: 254). */
export const ServiceError = 254
/** Target unreachable, or an unexpected failure (AWS CLI v2: 255). */
export const Unreachable = 255
