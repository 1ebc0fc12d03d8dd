/**
 * The repository's apps as real child processes, for the tests that kill them (`kill -9`, process
 * groups, graceful stops): start one with `tsx` and wait for its `ready at <url>` line.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as Path from "node:path"

/** The repository root (apps are started from their sources under it). */
export const repoRoot = Path.resolve(import.meta.dirname, "..", "..", "..")

/** A started app: the URL its ready line named, the process, and everything it printed so far. */
export interface Spawned {
  readonly url: string
  readonly child: ChildProcess
  readonly output: () => string
}

/** How to start an app. */
export interface SpawnOptions {
  /** Added to the environment (which always has `AWS_EC2_METADATA_DISABLED=true`). */
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly timeoutMs: number
  /** In a process group of its own, so `killGroup` takes it down as a supervisor would. */
  readonly detached?: boolean | undefined
}

/**
 * Runs `entry` (a path under the repository root) with `--port 0` and `args`, and resolves once it
 * prints `ready at <url>`; rejects, with its output, when it exits first or `timeoutMs` passes.
 */
export const spawnReady = (
  what: string,
  entry: string,
  args: ReadonlyArray<string>,
  options: SpawnOptions
): Promise<Spawned> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", Path.join(repoRoot, entry), "--port", "0", ...args], {
      cwd: repoRoot,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false
    })
    let out = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${what} did not start within ${options.timeoutMs} ms:\n${out}`))
    }, options.timeoutMs)
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
      reject(new Error(`${what} exited with ${code} before it was ready:\n${out}`))
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

/** SIGTERM and wait for the exit code. */
export const stopGracefully = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once("exit", (code) => resolve(code))
    child.kill("SIGTERM")
  })
