/**
 * The directory lock is the kernel's: it is released the moment its process dies, a note naming
 * some live process does not block, and a second live owner is refused with who holds it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as DirLock from "../src/DirLock.js"

const tempDir = () => Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-dirlock-"))
const lockModule = Path.resolve(import.meta.dirname, "..", "src", "DirLock.ts")

/** Another process holding `dir` through this module; resolves once it holds it. */
const holdElsewhere = (dir: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const script = `
      import * as Effect from "effect/Effect"
      import * as DirLock from ${JSON.stringify(lockModule)}
      await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const held = yield* DirLock.lock(${JSON.stringify(dir)}, { app: "holder-test" })
        yield* held.note({ url: "http://127.0.0.1:9" })
        process.stdout.write("held\\n")
        yield* Effect.never
      })))
    `
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: Path.resolve(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes("held\n")) resolve(child)
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.once("exit", (code) => reject(new Error(`the holder exited with ${code}:\n${out}`)))
  })

describe("DirLock", () => {
  it.effect("held for the scope: a second lock in this process is refused, the note names the owner", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      yield* Effect.scoped(Effect.gen(function*() {
        const held = yield* DirLock.lock(dir, { app: "test-app", what: "data directory" })
        expect(DirLock.readOwner(dir)).toMatchObject({ pid: process.pid, app: "test-app" })
        yield* held.note({ url: "http://127.0.0.1:1234" })
        expect(DirLock.readOwner(dir)).toMatchObject({ pid: process.pid, url: "http://127.0.0.1:1234" })
        const again = yield* Effect.flip(Effect.scoped(DirLock.lock(dir, { app: "test-app", what: "data directory" })))
        expect(again.reason).toBe("HeldHere")
        expect(again.message).toBe(`the data directory ${dir} is already open in this process`)
      }))
      // Released with the scope: the note is gone and the lock can be taken again.
      expect(Fs.existsSync(Path.join(dir, "LOCK"))).toBe(false)
      yield* Effect.scoped(DirLock.lock(dir, { app: "test-app" }))
    }))

  it.effect("a note naming a live, unrelated process does not block (the old pid format or the new one)", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      // Our parent is alive and holds no lock: a pid rule would refuse here.
      Fs.writeFileSync(Path.join(dir, "LOCK"), String(process.ppid))
      yield* Effect.scoped(DirLock.lock(dir, { app: "a" }))
      Fs.writeFileSync(Path.join(dir, "LOCK"), JSON.stringify({ pid: process.ppid, app: "ghost" }))
      yield* Effect.scoped(DirLock.lock(dir, { app: "b" }))
      // pid 1 is alive in every container, and named by a lock left there before a crash.
      Fs.writeFileSync(Path.join(dir, "LOCK"), "1")
      yield* Effect.scoped(DirLock.lock(dir, { app: "c" }))
    }))

  it.live("another live process is refused with its pid, app, URL and the way out; its death frees the lock at once", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      const holder = yield* Effect.acquireRelease(
        Effect.promise(() => holdElsewhere(dir)),
        (child) => Effect.sync(() => child.kill("SIGKILL"))
      )
      const refused = yield* Effect.flip(Effect.scoped(DirLock.lock(dir, {
        app: "second",
        what: "work directory",
        waitMs: 200,
        hint: (owner) => `use another --work-dir, or talk to ${owner?.url}`
      })))
      expect(refused.reason).toBe("Held")
      expect(refused.owner).toMatchObject({ pid: holder.pid, app: "holder-test" })
      expect(refused.message).toBe(
        `the work directory ${dir} is in use by holder-test (pid ${holder.pid}, since ${refused.owner?.since}, ` +
          `serving http://127.0.0.1:9); use another --work-dir, or talk to http://127.0.0.1:9`
      )
      // Killed, and not waited for: the next owner takes over within its wait (the kernel
      // drops the lock as the process dies, reaped or not).
      holder.kill("SIGKILL")
      const next = yield* Effect.scoped(Effect.map(DirLock.lock(dir, { app: "next", waitMs: 5000 }), () => "held"))
      expect(next).toBe("held")
    }).pipe(Effect.scoped), { timeout: 60_000 })

  it.effect("a directory that cannot be created fails with the reason", () =>
    Effect.gen(function*() {
      const file = Path.join(tempDir(), "a-file")
      Fs.writeFileSync(file, "")
      const failed = yield* Effect.flip(Effect.scoped(DirLock.lock(Path.join(file, "sub"), { app: "x" })))
      expect(failed.reason).toBe("Failed")
      expect(failed.message).toMatch(/^cannot lock the directory .*a-file\/sub: .*ENOTDIR/)
    }))
})
