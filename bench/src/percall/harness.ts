/**
 * The measuring side of the per-call benchmark, shared by every client program. Run as
 * `node <bundle>.mjs <port> <op> <concurrency> <calls> <warmup>`: warms the client up, then makes
 * `calls` calls of `op` with `concurrency` callers each calling in a loop, and prints one JSON line:
 * client CPU µs per call (`process.cpuUsage()` delta / calls: user + system, this process only),
 * calls per second (wall clock), peak RSS (`resourceUsage().maxRSS`), and GC time over the window.
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

/** Parses argv, measures, prints the JSON line, exits. */
export const main = async (make: CallMaker): Promise<void> => {
  const [port, op, concurrency, calls, warmup] = process.argv.slice(2)
  const client = await make(Number(port))
  const c = Number(concurrency)
  await client.run(op as Op, Number(warmup), c)
  let gcMs = 0
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration
  })
  obs.observe({ entryTypes: ["gc"] })
  const n = Number(calls)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await client.run(op as Op, n, c)
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  await new Promise((r) => setImmediate(r))
  obs.disconnect()
  const cpuUs = cpu.user + cpu.system
  process.stdout.write(JSON.stringify({
    usPerCall: cpuUs / n,
    callsPerSec: n / (wallMs / 1000),
    rssMiB: process.resourceUsage().maxRSS / 1024,
    gcShare: gcMs * 1000 / cpuUs
  }) + "\n")
  process.exit(0)
}
