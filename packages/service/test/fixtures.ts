import type { StartJobRequest } from "@geojobs/core/Job"
import * as Layer from "effect/Layer"
import * as JobDriver from "../src/JobDriver.js"
import * as JobsApi from "../src/JobsApi.js"
import type { JobsConfigInput } from "../src/JobsConfig.js"

/** A valid StartJob request. */
export const request = (overrides: Partial<StartJobRequest> = {}): StartJobRequest => ({
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::111122223333:role/LocationJobs",
  InputOptions: { Location: "s3://input-bucket/addresses/", Format: "Parquet" },
  OutputOptions: { Location: "s3://output-bucket/results/", Format: "Parquet" },
  ...overrides
})

/** The service over a fresh memory store, plus its driver. */
export const testLayer = (config: JobsConfigInput = {}) => {
  const base = JobsApi.layerMemory({ region: "eu-west-2", accountId: "111122223333", ...config })
  return Layer.provideMerge(JobDriver.layer, base)
}
