/**
 * @geojobs/engine — the validation pipeline of ValidateAddress jobs: Parquet row groups cut into
 * slices, validated by the address engine on worker threads, written back in input order.
 *
 * Prefer sub-path imports (`@geojobs/engine/ValidateParquet`): this barrel loads every module.
 * `ValidateWorker` is not exported here: it is a worker thread's entry, started by `ValidatePool`.
 * @since 0.1.0
 */
export * as PoolHandle from "./PoolHandle.js"
export * as SliceTask from "./SliceTask.js"
export * as ValidateChunk from "./ValidateChunk.js"
export * as ValidateFile from "./ValidateFile.js"
export * as ValidateParquet from "./ValidateParquet.js"
export * as ValidatePool from "./ValidatePool.js"
export * as ValidateWarmup from "./ValidateWarmup.js"
