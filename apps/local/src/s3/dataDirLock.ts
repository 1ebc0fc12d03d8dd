/**
 * One store per data directory: a `LOCK` file holding the owner's pid. A second process (or a
 * second store in this process) on the same directory would clean up the first one's in-flight
 * temp files and not-yet-committed blobs at start-up, so it is refused. A lock left by a killed
 * process (its pid no longer running) is taken over.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { S3Errors, type S3Error } from "./S3Error.js"

const heldHere = new Set<string>()

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as { code?: unknown }).code === "EPERM"
  }
}

/** Holds `<dir>/LOCK` for the scope; fails when a live process (or this one) holds it. */
export const lockDir = (dir: string): Effect.Effect<void, S3Error, Scope.Scope> => {
  const file = Path.join(dir, "LOCK")
  const acquire = Effect.tryPromise({
    try: async (): Promise<string | undefined> => {
      if (heldHere.has(file)) return `the data directory ${dir} is already open in this process`
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await Fs.writeFile(file, String(process.pid), { flag: "wx" })
          heldHere.add(file)
          return undefined
        } catch (cause) {
          if ((cause as { code?: unknown }).code !== "EEXIST") throw cause
        }
        const owner = Number((await Fs.readFile(file, "utf8").catch(() => "")).trim())
        if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
          return `the data directory ${dir} is in use by process ${owner}`
        }
        // Stale: its owner is gone (killed, or a previous run of this very process id).
        await Fs.rm(file, { force: true })
      }
      return `cannot take the lock of ${dir}`
    },
    catch: (cause) => S3Errors.internal(`cannot lock ${dir}: ${String(cause)}`)
  }).pipe(Effect.flatMap((refusal) => (refusal === undefined ? Effect.void : Effect.fail(S3Errors.internal(refusal)))))
  return Effect.acquireRelease(acquire, () =>
    Effect.promise(async () => {
      heldHere.delete(file)
      await Fs.rm(file, { force: true }).catch(() => undefined)
    }))
}
