/**
 * How batches come in, whatever the door (HTTP, inbox, CLI through the HTTP API): a location
 * (`s3://…` of Parquet input, or a file path the worker can read) or an uploaded file, which is
 * first written to the spool directory (temp file + rename) so the batch is durable before it is
 * acknowledged. A known key returns the existing batch.
 *
 * @since 0.1.0
 */
import { JobInputLocationPattern } from "@geojobs/core/Job"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { type Batch, makeId } from "./Batch.js"
import type { LedgerService } from "./Ledger.js"
import { IntakeError, type LedgerError } from "./WorkerError.js"

/** File extensions a batch file may have. */
export const acceptedExtensions = [".csv", ".jsonl", ".ndjson", ".json", ".parquet"] as const

/** The result of a submit. */
export interface Submitted {
  readonly batch: Batch
  readonly created: boolean
}

/** Submits a location. Paths are made absolute and must exist. */
export const submitLocation = (
  ledger: LedgerService,
  input: { readonly location: string; readonly key?: string | undefined }
): Effect.Effect<Submitted, IntakeError | LedgerError> =>
  Effect.gen(function*() {
    const location = input.location.trim()
    if (location.startsWith("s3://")) {
      if (!JobInputLocationPattern.test(location)) {
        return yield* Effect.fail(new IntakeError({ reason: "BadRequest", message: `not a valid S3 input location: ${location}` }))
      }
      return yield* ledger.submit({ key: input.key, source: location })
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      return yield* Effect.fail(new IntakeError({ reason: "BadRequest", message: `unsupported location scheme: ${location} (use s3:// or a file path)` }))
    }
    const file = Path.resolve(location)
    const ext = Path.extname(file).toLowerCase()
    if (!(acceptedExtensions as ReadonlyArray<string>).includes(ext)) {
      return yield* Effect.fail(new IntakeError({ reason: "BadRequest", message: `unsupported file type ${ext || "(none)"}: use ${acceptedExtensions.join(", ")}` }))
    }
    if (input.key !== undefined) {
      const known = yield* ledger.getByKey(input.key)
      if (known._tag === "Some") return { batch: known.value, created: false }
    }
    if (!Fs.existsSync(file) || !Fs.statSync(file).isFile()) {
      return yield* Effect.fail(new IntakeError({ reason: "BadRequest", message: `no such file: ${file}` }))
    }
    return yield* ledger.submit({ key: input.key, source: file })
  })

/** Submits an uploaded file: writes it to `<spool>/<id>/<name>`, then records the batch. */
export const submitUpload = (
  ledger: LedgerService,
  spoolDir: string,
  input: { readonly name: string; readonly key?: string | undefined; readonly body: Readable | AsyncIterable<Uint8Array> }
): Effect.Effect<Submitted, IntakeError | LedgerError> =>
  Effect.gen(function*() {
    const name = Path.basename(input.name).replace(/[^-._\w]/g, "_")
    const ext = Path.extname(name).toLowerCase()
    if (!(acceptedExtensions as ReadonlyArray<string>).includes(ext)) {
      return yield* Effect.fail(new IntakeError({ reason: "BadRequest", message: `unsupported file type ${ext || "(none)"}: name the upload with one of ${acceptedExtensions.join(", ")}` }))
    }
    if (input.key !== undefined) {
      const known = yield* ledger.getByKey(input.key)
      if (known._tag === "Some") return { batch: known.value, created: false }
    }
    const id = makeId()
    const dir = Path.join(spoolDir, id)
    const file = Path.join(dir, name)
    yield* Effect.tryPromise({
      try: async () => {
        await Fs.promises.mkdir(dir, { recursive: true })
        const tmp = `${file}.part`
        await pipeline(input.body instanceof Readable ? input.body : Readable.from(input.body), Fs.createWriteStream(tmp))
        const h = await Fs.promises.open(tmp, "r")
        await h.sync().finally(() => h.close())
        await Fs.promises.rename(tmp, file)
      },
      catch: (cause) => new IntakeError({ reason: "Unavailable", message: `cannot store the upload: ${String((cause as Error)?.message ?? cause)}` })
    })
    const result = yield* ledger.submit({ id, key: input.key, source: file })
    if (!result.created) yield* Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
    return result
  })
