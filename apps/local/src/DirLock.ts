/**
 * One owner per directory, held by the operating system: `<dir>/LOCK.sqlite` is an SQLite file
 * opened in exclusive locking mode, so the kernel holds a lock on it for as long as the owning
 * process lives and drops it the moment that process dies (kill -9, out of memory, a container
 * stopped), whatever happens to its pid afterwards. No pid is ever compared: a pid stays
 * visible to `kill(pid, 0)` until its parent reaps it, is reused by whatever starts next, and in
 * a new container names pid 1 again, so a pid rule refuses restarts after a crash.
 *
 * SQLite is the kernel lock here because it is already in every app (the job store, the
 * worker's ledger) and takes the same lock on every platform it runs on (`fcntl` locks on Unix,
 * `LockFileEx` on Windows); Node has no `flock` of its own.
 *
 * `<dir>/LOCK` beside it is a note for people and for the refusal message (pid, app, host,
 * since, the URL once serving). It is never used to decide anything: a note naming a live,
 * unrelated process (or left by an older version, which wrote a bare pid there) does not block.
 *
 * A second live process on the directory is refused with a message naming the owner from its
 * note and the way out. When the lock is busy the attempt is repeated for a short while
 * (`waitMs`), because a killed owner holds its files until the kernel has torn down its memory.
 *
 * Two rules follow from `fcntl` locks: nothing in the owning process may open `LOCK.sqlite` other
 * than through this module (closing any descriptor of the file drops the process's lock), and
 * the directory must be on a file system with working POSIX locks (local disks, not every NFS).
 *
 * @since 0.1.0
 */
import Database from "better-sqlite3"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

/** What the owner wrote about itself in `<dir>/LOCK`. */
export interface Owner {
  readonly pid: number
  readonly app?: string | undefined
  readonly host?: string | undefined
  readonly since?: string | undefined
  readonly url?: string | undefined
}

/** Why a directory could not be locked. */
export class DirLockError extends Data.TaggedError("DirLockError")<{
  /** `Held`: another live process owns it; `HeldHere`: this process does; `Failed`: could not lock at all. */
  readonly reason: "Held" | "HeldHere" | "Failed"
  readonly dir: string
  readonly message: string
  /** The owner's note, when it could be read. */
  readonly owner?: Owner | undefined
  readonly cause?: unknown
}> {}

/** A held lock. */
export interface DirLock {
  readonly dir: string
  /** Adds facts to the note (the URL once the service listens). */
  readonly note: (facts: Partial<Omit<Owner, "pid">>) => Effect.Effect<void>
}

export interface LockOptions {
  /** Shown in the note and in refusals: `geojobs-local`, `geojobs-worker`, … */
  readonly app: string
  /** What the directory is, for messages: "data directory", "work directory". Default "directory". */
  readonly what?: string | undefined
  /** The way out, appended to a refusal, e.g. "use another --work-dir". */
  readonly hint?: ((owner: Owner | undefined) => string) | undefined
  /** How long a busy lock is tried again before the refusal. Default 2000 ms. */
  readonly waitMs?: number | undefined
}

/** The locks this process holds, by lock file; keeps each connection referenced while held. */
const held = new Map<string, Database.Database>()

const lockFileOf = (dir: string) => Path.join(dir, "LOCK.sqlite")
const noteFileOf = (dir: string) => Path.join(dir, "LOCK")

/** A real-time pause (a test clock must not stop a lock attempt from being repeated). */
const pause = (ms: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), ms)
    return Effect.sync(() => clearTimeout(timer))
  })

/** Tries once: the open connection when the lock is ours, undefined when someone holds it. */
const tryLock = (file: string): Database.Database | undefined => {
  const db = new Database(file, { timeout: 0 })
  try {
    db.pragma("locking_mode = EXCLUSIVE")
    // Keep the journal in memory: nothing here is worth a journal file beside the lock.
    db.pragma("journal_mode = MEMORY")
    // In exclusive locking mode the lock taken by this transaction is kept until close.
    db.exec("BEGIN EXCLUSIVE; COMMIT")
    return db
  } catch (cause) {
    db.close()
    if ((cause as { code?: unknown }).code === "SQLITE_BUSY") return undefined
    throw cause
  }
}

/** Reads the note leniently: JSON from this version, a bare pid from older ones. */
export const readOwner = (dir: string): Owner | undefined => {
  let text: string
  try {
    text = Fs.readFileSync(noteFileOf(dir), "utf8").trim()
  } catch {
    return undefined
  }
  if (/^\d+$/.test(text)) return { pid: Number(text) }
  try {
    const o = JSON.parse(text) as Record<string, unknown>
    if (typeof o.pid !== "number") return undefined
    const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined)
    return { pid: o.pid, app: str("app"), host: str("host"), since: str("since"), url: str("url") }
  } catch {
    return undefined
  }
}

const writeNote = (dir: string, owner: Owner) => {
  const file = noteFileOf(dir)
  const tmp = `${file}.${process.pid}.tmp`
  Fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`)
  Fs.renameSync(tmp, file)
}

/** "geojobs-local (pid 12, on host, since …, serving http://…)". */
export const describeOwner = (owner: Owner | undefined): string => {
  if (owner === undefined) return "another process"
  const facts = [
    `pid ${owner.pid}`,
    ...(owner.host !== undefined && owner.host !== Os.hostname() ? [`on ${owner.host}`] : []),
    ...(owner.since !== undefined ? [`since ${owner.since}`] : []),
    ...(owner.url !== undefined ? [`serving ${owner.url}`] : [])
  ]
  return `${owner.app ?? "a process"} (${facts.join(", ")})`
}

/**
 * Holds `dir` (created if missing) for the scope; fails with `DirLockError` when another live
 * process, or this one, holds it.
 */
export const lock = (dir: string, options: LockOptions): Effect.Effect<DirLock, DirLockError, Scope.Scope> => {
  const root = Path.resolve(dir)
  const file = lockFileOf(root)
  const what = options.what ?? "directory"
  const waitMs = options.waitMs ?? 2000
  const failed = (cause: unknown) =>
    new DirLockError({
      reason: "Failed",
      dir: root,
      message: `cannot lock the ${what} ${root}: ${(cause as { message?: unknown })?.message ?? String(cause)}`,
      cause
    })

  const attempt = Effect.suspend((): Effect.Effect<Database.Database | undefined, DirLockError> => {
    if (held.has(file)) {
      return Effect.fail(
        new DirLockError({ reason: "HeldHere", dir: root, message: `the ${what} ${root} is already open in this process` })
      )
    }
    return Effect.try({
      try: () => {
        Fs.mkdirSync(root, { recursive: true })
        return tryLock(file)
      },
      catch: failed
    })
  })

  const acquire = Effect.gen(function*() {
    const until = Date.now() + waitMs
    let db = yield* attempt
    while (db === undefined && Date.now() < until) {
      yield* pause(50)
      db = yield* attempt
    }
    if (db === undefined) {
      const owner = readOwner(root)
      const hint = options.hint?.(owner)
      return yield* Effect.fail(
        new DirLockError({
          reason: "Held",
          dir: root,
          owner,
          message: `the ${what} ${root} is in use by ${describeOwner(owner)}${hint ? `; ${hint}` : ""}`
        })
      )
    }
    held.set(file, db)
    const owner: Owner = { pid: process.pid, app: options.app, host: Os.hostname(), since: new Date().toISOString() }
    let current = owner
    // The note is for people; failing to write it must not fail the start.
    yield* Effect.sync(() => {
      try {
        writeNote(root, owner)
      } catch {
        // a read-only note is still a held lock
      }
    })
    const handle: DirLock = {
      dir: root,
      note: (facts) =>
        Effect.sync(() => {
          current = { ...current, ...facts, pid: process.pid }
          try {
            writeNote(root, current)
          } catch {
            // as above
          }
        })
    }
    return { db, handle }
  })

  return Effect.acquireRelease(acquire, ({ db }) =>
    Effect.sync(() => {
      // The note goes first: once the lock is free a new owner writes its own.
      try {
        Fs.rmSync(noteFileOf(root), { force: true })
      } catch {
        // nothing to do
      }
      held.delete(file)
      db.close()
    })).pipe(Effect.map(({ handle }) => handle))
}
