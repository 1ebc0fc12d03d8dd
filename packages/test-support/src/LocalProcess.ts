/** `geojobs-local` as a real child process (for kill -9 tests and the examples' outside-the-project run). */
import { spawnReady, type Spawned } from "./Processes.js"

export { killGroup, killHard, type Spawned } from "./Processes.js"

/** Starts `geojobs-local` from its sources with `args` and waits for its ready line. */
export const spawnLocal = (
  args: ReadonlyArray<string>,
  timeoutMs = 90_000,
  options: { readonly detached?: boolean } = {}
): Promise<Spawned> => spawnReady("geojobs-local", "apps/local/src/bin.ts", args, { timeoutMs, detached: options.detached })
