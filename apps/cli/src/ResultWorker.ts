/**
 * A result worker thread of `ResultPass`: takes a row group of the job's output and the pass's
 * spec, answers with the group's summary part and encoded rows (their memory transferred, not
 * copied) or the error's message.
 *
 * @since 0.1.0
 */
import { DatasetError } from "@geojobs/dataset/DatasetError"
import { parentPort } from "node:worker_threads"
import { passer, type Reply, type Request, type Spec, type TaskResult } from "./ResultPass.js"

const port = parentPort
if (port === null) throw new Error("ResultWorker runs in a worker thread")

// one spec per run: the pass (its layouts and encoders) is built once
let last: { readonly spec: Spec; readonly pass: ReturnType<typeof passer> } | undefined

port.on("message", ({ id, spec, task }: Request) => {
  try {
    if (last === undefined || JSON.stringify(last.spec) !== JSON.stringify(spec)) last = { spec, pass: passer(spec) }
    const result: TaskResult = last.pass(task)
    const transfer = [result.result, result.review].flatMap((c) => (c === undefined ? [] : [c.bytes.buffer as ArrayBuffer]))
    port.postMessage({ id, result } satisfies Reply, transfer)
  } catch (e) {
    const error = e instanceof DatasetError
      ? { file: e.file, reason: e.reason, detail: e.detail }
      : { detail: e instanceof Error ? e.message : String(e) }
    port.postMessage({ id, error } satisfies Reply)
  }
})
