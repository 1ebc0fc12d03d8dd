/**
 * The requests tests start jobs with: one valid StartJob request (and its role), so that a test
 * says only what it changes.
 *
 * @since 0.0.0
 */
import type { StartJobRequest } from "@geojobs/core/Job"

/** The execution role of the tests' jobs. */
export const roleArn = "arn:aws:iam::111122223333:role/LocationJobs"

/** A valid StartJob request, with `overrides`. */
export const startJobRequest = (overrides: Partial<StartJobRequest> = {}): StartJobRequest => ({
  Action: "ValidateAddress",
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "s3://input-bucket/addresses/", Format: "Parquet" },
  OutputOptions: { Location: "s3://output-bucket/results/", Format: "Parquet" },
  ...overrides
})
