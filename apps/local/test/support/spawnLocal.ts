/** Runs `geojobs-local` as a real child process (for kill -9 tests) and waits for its ready line. */
import { type ChildProcess, spawn } from "node:child_process"
import * as Path from "node:path"

export interface Spawned {
  readonly url: string
  readonly child: ChildProcess
  readonly output: () => string
}

const root = Path.resolve(import.meta.dirname, "..", "..", "..", "..")

/** `detached`: in a process group of its own, so `killGroup` takes it down as a supervisor would. */
export const spawnLocal = (args: ReadonlyArray<string>, timeoutMs = 90_000, options: { readonly detached?: boolean } = {}): Promise<Spawned> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", Path.join(root, "apps/local/src/bin.ts"), "--port", "0", ...args], {
      cwd: root,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false
    })
    let out = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`geojobs-local did not start within ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const m = /ready at (http:\/\/[\d.]+:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ url: m[1]!, child, output: () => out })
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`geojobs-local exited with ${code} before it was ready:\n${out}`))
    })
  })

/** Kills the process with SIGKILL and waits for it to be gone. */
export const killHard = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

/** SIGKILL to the child's whole process group (spawned `detached`), without waiting for anything. */
export const killGroup = (child: ChildProcess): void => {
  try {
    process.kill(-child.pid!, "SIGKILL")
  } catch {
    // already gone
  }
}
