/**
 * A killed `geojobs-worker` always comes back on its work directory (and its embedded service's
 * data directory), and a second live worker there is refused without harming the first: the
 * locks are the kernel's, not pid rules.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { isTerminal } from "../src/Batch.js"
import * as Client from "../src/Client.js"
import { killGroup, killHard, root, type SpawnedWorker, spawnWorker, writeCsvFiles } from "./support/Fixtures.js"

const RESTARTS = Number(process.env.RESTARTS ?? 20)
const running: Array<SpawnedWorker> = []
afterAll(async () => {
  for (const w of running) killGroup(w.child)
  for (const w of running) await killHard(w.child)
})

const health = async (url: string) => (await fetch(`${url}/health`)).status

describe("geojobs-worker: the work directory's lock", () => {
  it(`kill -9 of the process group with batches in flight, restarted at once, ${RESTARTS} times: every restart is ready`, async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-lock-"))
    const work = Path.join(dir, "work")
    const data = Path.join(dir, "local")
    // Notes naming a live process that holds no lock (our parent), as a pid rule would obey.
    for (const d of [work, data]) {
      Fs.mkdirSync(d, { recursive: true })
      Fs.writeFileSync(Path.join(d, "LOCK"), String(process.ppid))
    }
    const env = { GEOJOBS_DATA_DIR: data }
    const files = writeCsvFiles(Path.join(dir, "files"), 6, 2)
    const args = ["--work-dir", work, "--allow-dir", Path.join(dir, "files"), "--lease", "2000", "--poll", "200", "--track-interval", "300"]
    let worker = await spawnWorker(args, env, 120_000, { detached: true })
    running.push(worker)
    await Effect.runPromise(
      Effect.forEach(files, (file, i) => Client.make(worker.url, { token: worker.token }).submit({ location: file, key: `k-${i}` }), { concurrency: 3 })
    )

    for (let i = 0; i < RESTARTS; i++) {
      // No wait for the exit (nor for the parent to reap): the next start races the death.
      killGroup(worker.child)
      worker = await spawnWorker(args, env, 120_000, { detached: true })
      running.push(worker)
      expect(await health(worker.url)).toBe(200)
    }

    // Nothing was lost to the kills: every batch is there and ends.
    const client = Client.make(worker.url, { token: worker.token })
    let batches = (await Effect.runPromise(client.list({ limit: 100 }))).batches
    const deadline = Date.now() + 180_000
    while (!batches.every((b) => isTerminal(b.state)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      batches = (await Effect.runPromise(client.list({ limit: 100 }))).batches
    }
    expect(batches).toHaveLength(files.length)
    for (const b of batches) expect([b.state, b.error]).toEqual(["Completed", undefined])
  }, 900_000)

  it("a second live worker on the work directory is refused, naming the first; the first is unharmed", async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-lock-two-"))
    const work = Path.join(dir, "work")
    const files = writeCsvFiles(Path.join(dir, "files"), 1, 2)
    const first = await spawnWorker(["--work-dir", work, "--allow-dir", Path.join(dir, "files")], { GEOJOBS_DATA_DIR: Path.join(dir, "local-1") })
    running.push(first)
    // Its own embedded data directory, so the refusal can only come from the work directory.
    const second = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", Path.join(root, "apps/worker/src/bin.ts"), "--port", "0", "--work-dir", work], {
        cwd: root,
        env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true", GEOJOBS_DATA_DIR: Path.join(dir, "local-2") },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      child.stdout.on("data", (c: Buffer) => (output += c.toString()))
      child.stderr.on("data", (c: Buffer) => (output += c.toString()))
      child.once("exit", (code) => resolve({ code, output }))
    })
    expect(second.code).toBe(1)
    const note = JSON.parse(Fs.readFileSync(Path.join(work, "LOCK"), "utf8"))
    expect(second.output.trim().split("\n").at(-1)).toBe(
      `geojobs-worker: the work directory ${work} is in use by geojobs-worker (pid ${first.child.pid}, since ${note.since}, ` +
        `serving ${first.url}); use another --work-dir (or GEOJOBS_WORKER_DIR), or stop that worker first`
    )
    expect(note.pid).toBe(first.child.pid)
    expect(await health(first.url)).toBe(200)
    const submitted = await Effect.runPromise(
      Client.make(first.url, { token: first.token }).submit({ location: files[0]!, key: "after" })
    )
    expect(submitted.created).toBe(true)
  }, 180_000)
})
