/**
 * How batches come in, whatever the door (HTTP, inbox, CLI through the HTTP API): a location
 * (`s3://…` of Parquet input, or a file path the worker can read) or an uploaded file, which is
 * first written to the spool directory (temp file + rename) so the batch is durable before it is
 * acknowledged. A known key returns the existing batch. Local paths must be under a directory
 * the operator allowed; uploads are bounded in size and checked as they stream in; a file with
 * no address columns is refused before a batch exists.
 *
 * @since 0.1.0
 */
import { JobInputLocationPattern } from "@geojobs/core/Job"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import { type Batch, makeId } from "./Batch.js"
import * as AllowedPaths from "./internal/allowedPaths.js"
import { checkBatchFile } from "./internal/inputCheck.js"
import type { LedgerService } from "./Ledger.js"
import { IntakeError, type LedgerError } from "./WorkerError.js"

/** File extensions a batch file may have. */
export const acceptedExtensions = [".csv", ".jsonl", ".ndjson", ".json", ".parquet"] as const

/** The result of a submit. */
export interface Submitted {
  readonly batch: Batch
  readonly created: boolean
}

/** What intake allows. */
export interface IntakePolicy {
  /** Directories local paths must be under (resolved with symlinks). Empty: no local paths. */
  readonly allowedDirs: ReadonlyArray<string>
  /** Largest upload, in bytes. */
  readonly maxUploadBytes: number
  /** A CSV or JSON Lines upload must have a line break within its first this-many bytes. */
  readonly firstLineBytes: number
}

/** The default largest upload: 1 GiB, far above a job's input and far below a full disk. */
export const defaultMaxUploadBytes = 1024 ** 3

/** The default bound on an upload's first line (its header row). */
export const defaultFirstLineBytes = 1024 ** 2

const badRequest = (message: string) => new IntakeError({ reason: "BadRequest", message })

const checkExtension = (name: string, hint: string) => {
  const ext = Path.extname(name).toLowerCase()
  return (acceptedExtensions as ReadonlyArray<string>).includes(ext)
    ? Effect.void
    : Effect.fail(badRequest(`unsupported file type ${ext || "(none)"}: ${hint} ${acceptedExtensions.join(", ")}`))
}

/**
 * Submits a location. A path must be under one of `allowedDirs` (real paths compared), must
 * exist and must hold address columns; the batch records its real path.
 */
export const submitLocation = (
  ledger: LedgerService,
  input: { readonly location: string; readonly key?: string | undefined },
  allowedDirs: ReadonlyArray<string>
): Effect.Effect<Submitted, IntakeError | LedgerError> =>
  Effect.gen(function*() {
    const location = input.location.trim()
    if (location.startsWith("s3://")) {
      if (!JobInputLocationPattern.test(location)) {
        return yield* Effect.fail(badRequest(`not a valid S3 input location: ${location}`))
      }
      return yield* ledger.submit({ key: input.key, source: location })
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      return yield* Effect.fail(badRequest(`unsupported location scheme: ${location} (use s3:// or a file path)`))
    }
    yield* checkExtension(location, "use")
    const verdict = AllowedPaths.judge(location, allowedDirs)
    if (verdict._tag === "Refused") {
      return yield* Effect.fail(
        new IntakeError({
          reason: "Forbidden",
          message: `${verdict.path} is not under a directory the worker allows local paths from ` +
            (allowedDirs.length === 0 ? "(none are allowed)" : `(${allowedDirs.join(", ")})`) +
            `; start it with --allow-dir DIR, or upload the file instead (geojobs submit without --no-upload)`
        })
      )
    }
    if (input.key !== undefined) {
      const known = yield* ledger.getByKey(input.key)
      if (known._tag === "Some") return { batch: known.value, created: false }
    }
    if (verdict._tag === "Missing") return yield* Effect.fail(badRequest(`no such file: ${verdict.path}`))
    if (!Fs.statSync(verdict.real).isFile()) return yield* Effect.fail(badRequest(`not a file: ${verdict.real}`))
    yield* checkBatchFile(verdict.real, location)
    return yield* ledger.submit({ key: input.key, source: verdict.real })
  })

/** Why an upload stream was cut short. */
class Refused extends Error {
  constructor(readonly intake: IntakeError) {
    super(intake.message)
  }
}

/**
 * Passes the bytes through while checking them: no more than `max` in all; for text formats a
 * line break within the first `firstLine` bytes (else the body is not CSV or JSON Lines, and
 * waiting for the rest of it would only fill the disk); for Parquet the `PAR1` magic first.
 */
const guard = (name: string, policy: IntakePolicy) => {
  const parquet = Path.extname(name).toLowerCase() === ".parquet"
  let seen = 0
  let lineSeen = parquet
  let head = Buffer.alloc(0)
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > policy.maxUploadBytes) {
        return done(new Refused(new IntakeError({ reason: "TooLarge", message: `the upload is larger than ${policy.maxUploadBytes} bytes (the worker's --max-upload-bytes)` })))
      }
      if (parquet && head.length < 4) {
        head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)])
        if (head.length === 4 && head.toString("latin1") !== "PAR1") {
          return done(new Refused(badRequest(`${name}: not a Parquet file: it does not start with the PAR1 magic bytes`)))
        }
      }
      if (!lineSeen) {
        if (chunk.includes(0x0a)) lineSeen = true
        else if (seen > policy.firstLineBytes) {
          return done(new Refused(badRequest(`${name}: no line break in the first ${policy.firstLineBytes} bytes: not CSV or JSON Lines (a header row is expected first)`)))
        }
      }
      done(null, chunk)
    }
  })
}

/**
 * Submits an uploaded file: streams it to `<spool>/<id>/<name>` under the policy's limits
 * (refusing it as soon as it breaks one), checks its columns, then records the batch.
 */
export const submitUpload = (
  ledger: LedgerService,
  spoolDir: string,
  input: { readonly name: string; readonly key?: string | undefined; readonly body: Readable },
  policy: IntakePolicy
): Effect.Effect<Submitted, IntakeError | LedgerError> =>
  Effect.gen(function*() {
    const name = Path.basename(input.name).replace(/[^-._\w]/g, "_")
    yield* checkExtension(name, "name the upload with one of")
    if (input.key !== undefined) {
      const known = yield* ledger.getByKey(input.key)
      if (known._tag === "Some") return { batch: known.value, created: false }
    }
    const id = makeId()
    const dir = Path.join(spoolDir, id)
    const file = Path.join(dir, name)
    const removeDir = Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
    yield* Effect.tryPromise({
      try: async () => {
        await Fs.promises.mkdir(dir, { recursive: true })
        const tmp = `${file}.part`
        const checked = guard(name, policy)
        const written = pipeline(checked, Fs.createWriteStream(tmp))
        // pipe, not pipeline, from the request: a refusal must leave the request open for the answer
        input.body.on("error", (e) => checked.destroy(e))
        input.body.pipe(checked)
        await written.catch((e) => {
          input.body.unpipe(checked)
          // the rest of the body is read and dropped, so the client gets the answer
          input.body.resume()
          throw e
        })
        const h = await Fs.promises.open(tmp, "r")
        await h.sync().finally(() => h.close())
        await Fs.promises.rename(tmp, file)
      },
      catch: (cause) =>
        cause instanceof Refused
          ? cause.intake
          : new IntakeError({ reason: "Unavailable", message: `cannot store the upload: ${String((cause as Error)?.message ?? cause)}` })
    }).pipe(Effect.tapError(() => removeDir))
    yield* checkBatchFile(file, name).pipe(Effect.tapError(() => removeDir))
    const result = yield* ledger.submit({ id, key: input.key, source: file })
    if (!result.created) yield* removeDir
    return result
  })
