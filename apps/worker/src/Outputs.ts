/**
 * A completed batch's output objects (under `<outputLocation>`, which collect sets to the
 * job's own prefix), listed and streamed through the worker's API, so `geojobs batches
 * --download` needs no S3 credentials of its own.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type { Batch } from "./Batch.js"
import { type ObjectStoreService, parseS3 } from "./ObjectStore.js"
import type { InputError } from "./WorkerError.js"

/** One output object. */
export interface OutputFile {
  readonly bucket: string
  readonly key: string
  /** Its key below the batch's output prefix, `/` made `_`: a file name. */
  readonly name: string
  readonly size: number
}

/** The output objects of a batch (none before it has an output location), in key order. */
export const list = (store: ObjectStoreService, batch: Batch): Effect.Effect<ReadonlyArray<OutputFile>, InputError> => {
  if (batch.outputLocation === undefined) return Effect.succeed([])
  const { bucket, prefix } = parseS3(batch.outputLocation)
  return Effect.map(store.list(bucket, prefix), (objects) =>
    objects
      .filter((o) => !o.key.endsWith("/"))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((o) => ({ bucket, key: o.key, name: o.key.slice(prefix.length).replace(/\//g, "_"), size: o.size })))
}

/** One output object as the answer's body. */
export const response = (store: ObjectStoreService, file: OutputFile): Effect.Effect<HttpServerResponse.HttpServerResponse, InputError> =>
  Effect.map(store.get(file.bucket, file.key), (body) =>
    HttpServerResponse.raw(body, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(file.size),
        "content-disposition": `attachment; filename="${file.name.replace(/[^-._\w]/g, "_")}"`
      }
    }))
