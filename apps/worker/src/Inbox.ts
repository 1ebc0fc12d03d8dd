/**
 * The inbox: a directory the worker watches (by polling; file-system events are unreliable on
 * network and container mounts). A file (`.csv`, `.jsonl`, `.parquet`, …) that has not changed
 * for a moment is moved to `.accepted/<sha256>-<name>` and submitted with the key
 * `inbox:<sha256>`, so the same content dropped twice is one batch. Crash-safe: accepted files
 * without a batch are submitted on the next scan; a file no job can take (no address columns,
 * not the format its name says) is moved to `.rejected/`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { pipeline } from "node:stream/promises"
import { acceptedExtensions, submitLocation } from "./Intake.js"
import type { LedgerService } from "./Ledger.js"

const sha256 = (file: string) =>
  Effect.tryPromise(async () => {
    const h = createHash("sha256")
    await pipeline(Fs.createReadStream(file), h)
    return h.digest("hex")
  })

/** One scan; returns how many batches were created. */
export const scan = (ledger: LedgerService, dir: string, settleMs = 500): Effect.Effect<number> =>
  Effect.gen(function*() {
    const accepted = Path.join(dir, ".accepted")
    yield* Effect.sync(() => Fs.mkdirSync(accepted, { recursive: true }))
    const now = Date.now()
    const names = yield* Effect.sync(() => Fs.readdirSync(dir, { withFileTypes: true }))
    for (const entry of names) {
      if (!entry.isFile() || entry.name.startsWith(".")) continue
      const ext = Path.extname(entry.name).toLowerCase()
      if (!(acceptedExtensions as ReadonlyArray<string>).includes(ext)) continue
      const file = Path.join(dir, entry.name)
      const stat = yield* Effect.option(Effect.try(() => Fs.statSync(file)))
      if (stat._tag === "None" || now - stat.value.mtimeMs < settleMs) continue
      const hash = yield* Effect.option(sha256(file))
      if (hash._tag === "None") continue
      yield* Effect.ignore(Effect.try(() => Fs.renameSync(file, Path.join(accepted, `${hash.value}-${entry.name}`))))
    }
    let created = 0
    for (const name of yield* Effect.sync(() => Fs.readdirSync(accepted))) {
      const m = /^([0-9a-f]{64})-(.+)$/.exec(name)
      if (m === null) continue
      const key = `inbox:${m[1]}`
      const r = yield* Effect.either(submitLocation(ledger, { location: Path.join(accepted, name), key }, [dir]))
      if (r._tag === "Right" && r.right.created) {
        created++
        yield* Effect.logInfo(`inbox file ${m[2]} received`).pipe(Effect.annotateLogs({ batchId: r.right.batch.id }))
      } else if (r._tag === "Left") {
        yield* Effect.logWarning(`inbox file ${name} not accepted: ${r.left.message}`)
        // a file no job can take is set aside, not refused again at every scan
        if (r.left._tag === "IntakeError" && r.left.reason === "BadRequest") {
          yield* Effect.ignore(Effect.try(() => {
            Fs.mkdirSync(Path.join(dir, ".rejected"), { recursive: true })
            Fs.renameSync(Path.join(accepted, name), Path.join(dir, ".rejected", name))
          }))
        }
      }
    }
    return created
  }).pipe(Effect.catchAllCause((cause) => Effect.as(Effect.logWarning("inbox scan failed", cause), 0)))
