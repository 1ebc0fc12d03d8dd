/** Test helpers: tiny address files, the local service's jobs and request log, spawning workers. */
import type { JobRecord } from "@geojobs/service/JobRecord"
import type { JobStoreService } from "@geojobs/service/JobStore"
import { repoRoot as root, type Spawned, spawnReady } from "@geojobs/test-support/Processes"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"

export { killGroup, killHard, stopGracefully } from "@geojobs/test-support/Processes"
export { root }

const streets = ["Main St", "Oak Ave", "Pine Rd", "Elm St", "Maple Dr"]

/** Writes `n` CSV files of `rows` addresses each; returns their paths. */
export const writeCsvFiles = (dir: string, n: number, rows = 3): ReadonlyArray<string> => {
  Fs.mkdirSync(dir, { recursive: true })
  return Array.from({ length: n }, (_, i) => {
    const file = Path.join(dir, `batch-${String(i).padStart(5, "0")}.csv`)
    const lines = ["AddressLine1,Locality,Region,PostalCode,Country"]
    for (let r = 0; r < rows; r++) lines.push(`${100 + i + r} ${streets[(i + r) % streets.length]},Springfield,IL,62701,USA`)
    Fs.writeFileSync(file, `${lines.join("\n")}\n`)
    return file
  })
}

/** Every job the local service holds. */
export const allJobs = (store: JobStoreService): Effect.Effect<ReadonlyArray<JobRecord>, unknown> =>
  Effect.gen(function*() {
    const out: Array<JobRecord> = []
    let before: number | undefined
    for (;;) {
      const page = yield* store.list({ limit: 1000, ...(before !== undefined ? { beforeSeq: before } : {}) })
      out.push(...page.jobs)
      if (!page.hasMore || page.jobs.length === 0) return out
      before = page.jobs[page.jobs.length - 1]!.seq
    }
  })

/** Jobs per job Name (the worker names jobs by batch id). */
export const jobsByName = (jobs: ReadonlyArray<JobRecord>): Map<string, number> => {
  const m = new Map<string, number>()
  for (const j of jobs) m.set(j.name ?? "", (m.get(j.name ?? "") ?? 0) + 1)
  return m
}

/** The largest number of `operation` requests in any window of `windowMs` (sliding over arrivals). */
export const maxInWindow = (times: ReadonlyArray<number>, windowMs = 1000): number => {
  const t = [...times].sort((a, b) => a - b)
  let best = 0
  let lo = 0
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= windowMs) lo++
    best = Math.max(best, hi - lo + 1)
  }
  return best
}

/** Reads the local service's request log over HTTP. */
export const requestLog = async (url: string, since: number) => {
  const r = await fetch(`${url}/_geojobs/requests?since=${since}`)
  return (await r.json()) as { entries: ReadonlyArray<{ at: number; api: string; operation: string; status: number }> }
}

export interface SpawnedWorker extends Spawned {
  /** Its API token (from `<work-dir>/api-token`, or GEOJOBS_WORKER_TOKEN when given). */
  readonly token: string
}

/** Starts `geojobs-worker` as a process and waits for its ready line. */
export const spawnWorker = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
  options: { readonly detached?: boolean } = {}
): Promise<SpawnedWorker> =>
  spawnReady("geojobs-worker", "apps/worker/src/bin.ts", args, {
    env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", ...env },
    timeoutMs,
    detached: options.detached
  }).then((spawned) => {
    const at = args.indexOf("--work-dir")
    const workDir = at >= 0 ? args[at + 1]! : Path.join(root, ".geojobs-worker")
    const token = env.GEOJOBS_WORKER_TOKEN ?? Fs.readFileSync(Path.join(workDir, "api-token"), "utf8").trim()
    return { ...spawned, token }
  })
