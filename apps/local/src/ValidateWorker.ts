/**
 * The validation worker thread of `ValidatePool`: takes `SliceTask`s, answers with the encoded
 * row groups (their bytes transferred, not copied) or the error's message.
 *
 * @since 0.1.0
 */
import * as Engine from "@geojobs/address/Engine"
import { parentPort } from "node:worker_threads"
import { SliceInputError, slicer, type SliceTask } from "./ValidateChunk.js"

const port = parentPort
if (port === null) throw new Error("ValidateWorker runs in a worker thread")

// the reference indexes, once per worker, before the first task needs them
Engine.warmUp()
const run = slicer()
port.postMessage({ ready: true })

port.on("message", (message: { readonly id: number; readonly task: SliceTask }) => {
  try {
    const result = run(message.task)
    port.postMessage({ id: message.id, result }, result.encoded.map((e) => e.bytes.buffer as ArrayBuffer))
  } catch (e) {
    port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e), input: e instanceof SliceInputError })
  }
})
