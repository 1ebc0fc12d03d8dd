/**
 * The values tests of every package build Jobs API calls from, in one place: the execution role
 * of the API documentation's StartJob example, a valid StartJob request, and a job as GetJob and
 * ListJobs answer it on the wire. A test states only what it changes.
 *
 * @since 0.4.0
 */
import type { StartJobRequest } from "./Job.js"

/** The execution role of the API documentation's StartJob example. */
export const roleArn = "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole"

/** A valid StartJob request (Parquet in, Parquet out, {@link roleArn}), with `overrides`. */
export const startJobRequest = (overrides: Partial<StartJobRequest> = {}): StartJobRequest => ({
  Action: "ValidateAddress",
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "s3://input-bucket/addresses/", Format: "Parquet" },
  OutputOptions: { Location: "s3://output-bucket/results/", Format: "Parquet" },
  ...overrides
})

/**
 * A job as GetJob and ListJobs answer it (the wire JSON), with id `id` in status `status`;
 * `overrides` replace or add members (`UpdatedAt`, `Error`, …).
 */
export const job = (id: string, status: string, overrides: Readonly<Record<string, unknown>> = {}) => ({
  Action: "ValidateAddress",
  CreatedAt: "2024-01-01T00:00:00Z",
  ExecutionRoleArn: roleArn,
  InputOptions: { Location: "s3://in-bucket/x/", Format: "Parquet" },
  OutputOptions: { Format: "Parquet", Location: "s3://out-bucket/y/" },
  JobArn: `arn:aws:geo:us-east-1:123456789012:job/${id}`,
  JobId: id,
  Status: status,
  UpdatedAt: "2024-01-01T00:00:00Z",
  ...overrides
})
