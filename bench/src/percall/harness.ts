/**
 * The measuring side of the per-call benchmark, shared by every client program. Run as
 * `node <bundle>.mjs <port> <op> <concurrency> <calls> <warmup> [<steadyAfter>]`: warms the client up,
 * measures an early and a steady window of calls of `op` (see `main`) with `concurrency` callers
 * each calling in a loop, and prints one JSON line: client CPU µs per call in each window
 * (`process.cpuUsage()` delta / calls: user + system, this process only), and for the steady window
 * calls per second (wall clock) and GC time; peak RSS (`resourceUsage().maxRSS`) at the end.
 */
import { PerformanceObserver } from "node:perf_hooks"

/** The two measured operations. */
export type Op = "StartJob" | "GetJob"

/** What a client program gives the harness: one call of `op`, made by one caller. */
export type CallMaker = (port: number) => Promise<{
  /** Runs `calls` calls of `op` with `concurrency` callers. */
  readonly run: (op: Op, calls: number, concurrency: number) => Promise<void>
}>

/** The StartJob input every client sends (no ClientToken: each client makes a UUID v4, as the SDK does). */
export const startJobInput = {
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" },
  Name: "MyFirstValidationJob",
  ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
} as const

/** The GetJob input. */
export const getJobInput = { JobId: "MyFirstValidationJob-12345678-abcd" } as const

/** The credentials every client signs with. */
export const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }

/** Splits `calls` over `concurrency` loops of `one`. */
export const inParallel = async (calls: number, concurrency: number, one: () => Promise<unknown>): Promise<void> => {
  let left = calls
  const loop = async () => {
    while (left > 0) {
      left--
      await one()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
}

/** What one window of calls cost: CPU µs per call, calls per second, GC share of its CPU. */
const window = async (client: Awaited<ReturnType<CallMaker>>, op: Op, n: number, c: number) => {
  let gcMs = 0
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration
  })
  obs.observe({ entryTypes: ["gc"] })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await client.run(op, n, c)
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  // GC entries are delivered asynchronously: let the observer see the window's last ones.
  await new Promise((r) => setImmediate(r))
  obs.disconnect()
  const cpuUs = cpu.user + cpu.system
  return { usPerCall: cpuUs / n, callsPerSec: n / (wallMs / 1000), gcShare: gcMs * 1000 / cpuUs }
}

/**
 * Parses argv, measures, prints the JSON line, exits. Two measured windows:
 * - **early**: the `calls` calls right after `warmup` warm-up calls (calls 501–1,500 by default):
 *   what a process pays while V8 is still compiling the client's hot path (`process.cpuUsage()` is
 *   the whole process's, so the optimising compiler's threads count);
 * - **steady**: `calls` × 2 calls after another `steadyAfter` calls (calls 3,001–5,000 at C=1 by
 *   default): what a long-running process pays per call once its code is optimised. The goal is
 *   judged on this one; the early window is printed beside it.
 */
export const main = async (make: CallMaker): Promise<void> => {
  const [port, opArg, concurrency, calls, warmup, steadyAfter] = process.argv.slice(2)
  const op = opArg as Op
  const client = await make(Number(port))
  const c = Number(concurrency)
  const n = Number(calls)
  await client.run(op, Number(warmup), c)
  const early = await window(client, op, n, c)
  await client.run(op, Number(steadyAfter ?? 1500), c)
  const steady = await window(client, op, 2 * n, c)
  process.stdout.write(JSON.stringify({
    ...steady,
    earlyUsPerCall: early.usPerCall,
    rssMiB: process.resourceUsage().maxRSS / 1024
  }) + "\n")
  process.exit(0)
}
