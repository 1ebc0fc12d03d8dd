/**
 * @geojobs/dataset — streaming readers and writers for address data in Parquet, CSV and
 * JSON Lines, with the ValidateAddress input contract.
 *
 * Prefer sub-path imports (`@geojobs/dataset/Parquet`) in hot code: barrels cost memory.
 * `NodeFile` and `NodeSnappy` are the only modules that import Node built-ins (node:fs, node:module).
 * @since 0.1.0
 */
export * as AddressColumns from "./AddressColumns.js"
export * as BufferPool from "./BufferPool.js"
export * as Bytes from "./Bytes.js"
export * as Chunk from "./Chunk.js"
export * as Contract from "./Contract.js"
export * as Csv from "./Csv.js"
export * as Dataset from "./Dataset.js"
export * as DatasetError from "./DatasetError.js"
export * as DatasetWriter from "./DatasetWriter.js"
export * as Format from "./Format.js"
export * as JsonArray from "./JsonArray.js"
export * as JsonLines from "./JsonLines.js"
export * as NodeFile from "./NodeFile.js"
export * as NodeParallel from "./NodeParallel.js"
export * as NodeSnappy from "./NodeSnappy.js"
export * as Parquet from "./Parquet.js"
export * as TextEncoding from "./TextEncoding.js"
