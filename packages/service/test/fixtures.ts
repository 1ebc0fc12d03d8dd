import { startJobRequest } from "@geojobs/core/TestFixtures"
import * as Layer from "effect/Layer"
import * as JobDriver from "../src/JobDriver.js"
import * as JobsApi from "../src/JobsApi.js"
import type { JobsConfigInput } from "../src/JobsConfig.js"

/** A valid StartJob request. */
export const request = startJobRequest

/** The service over a fresh memory store, plus its driver. */
export const testLayer = (config: JobsConfigInput = {}) => {
  const base = JobsApi.layerMemory({ region: "eu-west-2", accountId: "111122223333", ...config })
  return Layer.provideMerge(JobDriver.layer, base)
}
