/**
 * Conformance with the real AWS CLI: every case runs `aws location …` and `geojobs …` with the
 * same arguments against one local service and compares stdout byte for byte, the first
 * meaningful stderr line and the exit code. The cases are in `parity/cases.ts`.
 *
 * The oracle is AWS CLI v1 (`aws` on PATH, whose botocore has the Jobs commands); where v2
 * differs by design (timestamps, yaml, exit codes) the case names v2 and says why. Without
 * `aws` the suite fails in CI and is skipped elsewhere, with a message.
 */
import { afterAll, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { ExpectStatic } from "vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Case, cases, type Context } from "./parity/cases.js"
import * as Parity from "./parity/Parity.js"
import { geojobs, startLocal, tempDir, type Running } from "./Harness.js"

const clis = Parity.locate()
const missing = clis.v1 === undefined
  ? "the AWS CLI (`aws`) is not installed"
  : clis.v2 === undefined
  ? "AWS CLI v2 (../shared/tools/aws-cli-v2 or /usr/bin/aws v2) is not available"
  : undefined

if (missing !== undefined && process.env.CI !== "true") {
  console.warn(`AwsCliParity: skipped: ${missing}`)
}

describe.skipIf(missing !== undefined && process.env.CI !== "true")("AWS CLI parity", () => {
  let local: Running
  // The waiter cases' service: its runner is manual, so their jobs stay as seeded.
  let waiterLocal: Running
  let context: Context
  let fastWaiter: string
  const dataDir = tempDir("geojobs-parity-data-")
  const waiterDataDir = tempDir("geojobs-parity-waiter-")

  beforeAll(async () => {
    if (missing !== undefined) throw new Error(`AwsCliParity: ${missing} (required when CI=true)`)
    local = await startLocal({ dataDir })
    waiterLocal = await startLocal({ dataDir: waiterDataDir, runner: "manual" })
    const driver = waiterLocal.info.driver
    const waiterSeed = await Parity.seedWaiter(Parity.runner({ url: waiterLocal.info.url, clis, geojobs }), {
      complete: (jobId) => Effect.runPromise(Effect.asVoid(Effect.zipRight(driver.markRunning(jobId), driver.markCompleted(jobId)))),
      finishCancelling: (jobId) => Effect.runPromise(Effect.asVoid(driver.completeCancellation(jobId)))
    })
    context = { ...(await Parity.seed(Parity.runner({ url: local.info.url, clis, geojobs }))), ...waiterSeed }
    fastWaiter = Parity.fastWaiterDataPath()
  }, 120_000)

  afterAll(async () => {
    await local?.close()
    await waiterLocal?.close()
    Fs.rmSync(dataDir, { recursive: true, force: true })
    Fs.rmSync(waiterDataDir, { recursive: true, force: true })
  })

  const check = (c: Case) => async ({ expect }: { expect: ExpectStatic }) => {
    const run = Parity.runner({ url: (c.waiterService ? waiterLocal : local).info.url, clis, geojobs })
    const args = typeof c.args === "function" ? c.args(context) : c.args
    const home = tempDir("geojobs-parity-home-")
    try {
      if (c.config !== undefined) Fs.writeFileSync(Path.join(home, "config"), c.config)
      const env = { ...c.env }
      const aws = await run.aws(c.oracle ?? "v1", args, home, c.fastWaiter ? { ...env, AWS_DATA_PATH: fastWaiter } : env)
      const ours = await (c.process || Parity.alwaysProcess ? run.geojobsProcess : run.geojobs)([...args, ...(c.geojobsArgs ?? [])], home, env)
      if (c.mutates) await Parity.settle(run)
      const mask = c.mask ? Parity.maskVarying : (s: string) => s
      expect({
        stdout: mask(ours.stdout),
        stderr: Parity.firstErrorLine(ours.stderr, "geojobs"),
        code: ours.code
      }).toEqual({
        stdout: mask(aws.stdout),
        stderr: Parity.firstErrorLine(aws.stderr, "aws"),
        code: c.code ?? aws.code
      })
    } finally {
      Fs.rmSync(home, { recursive: true, force: true })
    }
  }
  const define = (c: Case) =>
    // A known difference is expected to fail: the test flips (and must be updated) once fixed.
    (c.known !== undefined ? it.fails : it)(c.known !== undefined ? `${c.name} (known difference: ${c.known})` : c.name, check(c), 120_000)

  // Reading cases run side by side (each is two process starts); changing ones one at a time.
  describe.concurrent("reading", () => cases.filter((c) => !c.mutates).forEach(define))
  describe.sequential("changing", () => cases.filter((c) => c.mutates).forEach(define))
})
