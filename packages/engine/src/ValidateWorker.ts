/**
 * The validation worker thread of `ValidatePool`: takes `SliceTask`s, answers with the encoded
 * row groups (their bytes transferred, not copied) or the error's message. With
 * `workerData.warmupRows` > 0 it first validates that many sample rows (`ValidateWarmup`), so
 * its first task runs on code V8 has already optimised.
 *
 * @since 0.1.0
 */
import * as Engine from "@geojobs/address/Engine"
import * as Effect from "effect/Effect"
import { parentPort, workerData } from "node:worker_threads"
import { outputBuffers, SliceInputError, slicer, type SliceTask } from "./ValidateChunk.js"
import { warmupTasks } from "./ValidateWarmup.js"

const port = parentPort
if (port === null) throw new Error("ValidateWorker runs in a worker thread")

// the reference indexes, once per worker, before the first task needs them
Engine.warmUp()
// the memory of the row groups this worker encodes, back from the main thread once written
const buffers = outputBuffers()
const run = slicer(buffers)

const warmupRows = Number((workerData as { readonly warmupRows?: number } | null)?.warmupRows ?? 0)
if (warmupRows > 0) {
  // a job's path over sample rows, output dropped (its memory kept for the first task); best
  // effort: a warm-up that fails leaves a worker that compiles as it goes, as without one
  try {
    for (const task of await Effect.runPromise(warmupTasks(warmupRows))) {
      for (const e of run(task).encoded) buffers.give(e.bytes.buffer)
    }
  } catch {
    // nothing to do
  }
}
port.postMessage({ ready: true })

type Message = { readonly id: number; readonly task: SliceTask } | { readonly recycle: ReadonlyArray<ArrayBuffer> }

port.on("message", (message: Message) => {
  if ("recycle" in message) {
    for (const buffer of message.recycle) buffers.give(buffer)
    return
  }
  try {
    const result = run(message.task)
    port.postMessage({ id: message.id, result }, result.encoded.map((e) => e.bytes.buffer as ArrayBuffer))
  } catch (e) {
    port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e), input: e instanceof SliceInputError })
  }
})
