/**
 * The machinery of the AWS CLI parity test: finding the AWS CLIs, running a case through each
 * CLI against the same local service, seeding that service, and normalising what legitimately
 * differs (ids made by two calls, the usage banner, the `geojobs:` prefix).
 */
import { execFile, spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import type { Result } from "../Harness.js"
import type { Context } from "./cases.js"
import { roleArn } from "@geojobs/core/TestFixtures"
import * as AwsCli from "@geojobs/test-support/AwsCli"

/** The AWS CLIs found on this machine. */
export interface Clis {
  /** `aws` on PATH when it is v1 (the pip AWS CLI with the Jobs commands). */
  readonly v1: string | undefined
  /** The v2 launcher: `scripts/aws-cli-v2.sh`, when it runs (it installs Debian's awscli if needed). */
  readonly v2: string | undefined
}

const versionOf = (bin: string): string | undefined => {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 600_000 })
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : undefined
}

const repoRoot = Path.resolve(import.meta.dirname, "../../../..")

/** Finds the CLIs (the v2 tool installs v2 on first use). */
export const locate = (): Clis => {
  const v1 = versionOf("aws")?.startsWith("aws-cli/1.") ? "aws" : undefined
  // The repository's launcher: Debian's v2 taught the jobs commands (a bare v2 does not know them).
  const tool = Path.join(repoRoot, "scripts", "aws-cli-v2.sh")
  const v2 = versionOf(tool)?.startsWith("aws-cli/2.") ? tool : undefined
  return { v1, v2 }
}

/**
 * Seeds the waiter service (its runner moves nothing by itself) with a Completed, a Cancelled
 * and a Pending job, started through the AWS CLI and moved by `move`.
 */
export const seedWaiter = async (
  run: Runner,
  move: {
    readonly complete: (jobId: string) => Promise<void>
    readonly finishCancelling: (jobId: string) => Promise<void>
  }
): Promise<Pick<Context, "completed" | "cancelled" | "pending">> => {
  const home = Fs.mkdtempSync(Path.join(process.env.TMPDIR ?? "/tmp", "geojobs-parity-seed-"))
  try {
    const aws = async (args: ReadonlyArray<string>) => {
      const r = await run.aws("v1", [...args, "--query", "JobId", "--output", "text"], home)
      if (r.code !== 0) throw new Error(`seeding failed: ${r.stderr}`)
      return r.stdout.trim()
    }
    const completed = await aws(startJobArgs("ParityDone"))
    await move.complete(completed)
    const cancelled = await aws(startJobArgs("ParityCancelled"))
    await aws(["cancel-job", "--job-id", cancelled])
    await move.finishCancelling(cancelled)
    const pending = await aws(startJobArgs("ParityPending"))
    return { completed, cancelled, pending }
  } finally {
    Fs.rmSync(home, { recursive: true, force: true })
  }
}

/** Runs one case's arguments through a CLI. */
export interface Runner {
  readonly aws: (
    version: "v1" | "v2",
    args: ReadonlyArray<string>,
    home: string,
    env?: Record<string, string>
  ) => Promise<Result>
  readonly geojobs: (args: ReadonlyArray<string>, home: string, env?: Record<string, string>) => Promise<Result>
  /**
   * geojobs as a process: for cases where the AWS SDK's credential chain reads the shared
   * files, which it finds through the process environment, not the run's.
   */
  readonly geojobsProcess: (args: ReadonlyArray<string>, home: string, env?: Record<string, string>) => Promise<Result>
}

/** The geojobs entry point run as a process; `GEOJOBS_PARITY_BIN` points at another (a bundle). */
const bin = process.env.GEOJOBS_PARITY_BIN ?? Path.resolve(import.meta.dirname, "../../src/bin.ts")

/** Every case runs geojobs as a process (set when `GEOJOBS_PARITY_BIN` names another build). */
export const alwaysProcess = process.env.GEOJOBS_PARITY_BIN !== undefined

const spawnCli = (file: string, args: ReadonlyArray<string>, env: Record<string, string>): Promise<Result> =>
  new Promise((resolve) => {
    execFile(file, args, { env, encoding: "utf8", timeout: 100_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })

/** The environment both CLIs see: test credentials, a private HOME and config file. */
const environment = (home: string, extra: Record<string, string> | undefined) => AwsCli.environment(home, extra)

/** A runner for the service at `url`. */
export const runner = (options: {
  readonly url: string
  readonly clis: Clis
  readonly geojobs: (argv: ReadonlyArray<string>, options: { cwd: string; env?: Record<string, string> }) => Promise<Result>
}): Runner => ({
  aws: (version, args, home, env) =>
    spawnCli(version === "v1" ? options.clis.v1! : options.clis.v2!, ["--endpoint-url", options.url, "location", ...args], {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...(process.env.TMPDIR !== undefined ? { TMPDIR: process.env.TMPDIR } : {}),
      // The local service has no `metadata.` host; the pager would wait for a terminal.
      AWS_DISABLE_HOST_PREFIX_INJECTION: "true",
      AWS_PAGER: "",
      ...environment(home, env)
    }),
  geojobs: (args, home, env) =>
    options.geojobs(["--endpoint-url", options.url, ...args], { cwd: home, env: environment(home, env) }),
  geojobsProcess: (args, home, env) =>
    spawnCli(process.execPath, ["--import", "tsx", bin, "--endpoint-url", options.url, ...args], {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...environment(home, env)
    })
})

/**
 * The first line of stderr that says something, without the CLI's prefix and usage banner.
 * A parameter check's report (`Parameter validation failed:` and a line per problem) is
 * compared whole: its problems are what it says.
 */
export const firstErrorLine = (stderr: string, cli: "aws" | "geojobs"): string => {
  const banner = /^(usage: |To see help text|  aws |Note: AWS CLI version 2)/
  const lines = stderr.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "")
  const at = cli === "aws"
    ? lines.findIndex((l) => !banner.test(l))
    : lines.findIndex((l) => !l.startsWith("geojobs: target: "))
  const prefix = cli === "aws" ? /^aws: (error: )?/ : /^geojobs: (error: )?/
  const line = (lines[at] ?? "").replace(prefix, "")
  if (line !== "Parameter validation failed:") return line
  const problems = lines.slice(at + 1).filter((l) => !/^(aws|geojobs): /.test(l))
  return [line, ...problems].join("\n")
}

/**
 * Hides what two calls make differently: job ids (their UUID part), creation and update times,
 * client tokens; runs of spaces are collapsed so that table widths do not hang on them.
 */
export const maskVarying = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, "<time>")
    .replace(/ {2,}/g, " ")
    .replace(/-{2,}/g, "-")

/** Waits until no job is Pending or Running, so that both CLIs list the same thing. */
export const settle = async (run: Runner): Promise<void> => {
  const home = Fs.mkdtempSync(Path.join(process.env.TMPDIR ?? "/tmp", "geojobs-parity-settle-"))
  try {
    for (let i = 0; i < 100; i++) {
      const r = await run.geojobs(
        ["list-jobs", "--query", "length(Entries[?Status=='Pending' || Status=='Running'])", "--output", "text"],
        home
      )
      if (r.code === 0 && r.stdout.trim() === "0") return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error("jobs did not settle")
  } finally {
    Fs.rmSync(home, { recursive: true, force: true })
  }
}

/** Arguments of a start-job whose buckets do not exist: the job fails at once, the same way each time. */
export const startJobArgs = (name: string | undefined, extra: ReadonlyArray<string> = []): Array<string> => [
  "start-job",
  "--action",
  "ValidateAddress",
  "--execution-role-arn",
  roleArn,
  "--input-options",
  "Location=arn:aws:s3:::parity-input,Format=Parquet",
  "--output-options",
  "Location=arn:aws:s3:::parity-output,Format=Parquet",
  ...(name !== undefined ? ["--name", name] : []),
  ...extra
]

/**
 * A data directory for AWS CLI v2 (AWS_DATA_PATH) whose JobCompleted waiter polls every second,
 * twice: the service model of the v2 launcher under a later API version, so that it is the one
 * v2 loads, with the waiter's delay and attempts cut. Made once per run.
 */
export const fastWaiterDataPath = (): string => {
  const tmp = process.env.TMPDIR ?? "/tmp"
  const models = Path.join(tmp, "geojobs-aws-v2-models", "location")
  const version = Fs.readdirSync(models).filter((d) => /^\d{4}-\d\d-\d\d$/.test(d)).sort().at(-1)
  if (version === undefined) throw new Error(`no Location model under ${models} (the v2 launcher makes it)`)
  const root = Path.join(tmp, "geojobs-parity-fast-waiter")
  const dir = Path.join(root, "location", "2099-12-31")
  Fs.mkdirSync(dir, { recursive: true })
  Fs.copyFileSync(Path.join(models, version, "service-2.json"), Path.join(dir, "service-2.json"))
  const waiters = JSON.parse(Fs.readFileSync(Path.join(models, version, "waiters-2.json"), "utf8")) as {
    waiters: Record<string, { delay: number; maxAttempts: number }>
  }
  waiters.waiters.JobCompleted = { ...waiters.waiters.JobCompleted!, delay: 1, maxAttempts: 2 }
  Fs.writeFileSync(Path.join(dir, "waiters-2.json"), JSON.stringify(waiters))
  return root
}

/** Seeds the service with three settled jobs (through the AWS CLI, so neither side makes them). */
export const seed = async (run: Runner): Promise<Pick<Context, "first" | "second" | "third">> => {
  const home = Fs.mkdtempSync(Path.join(process.env.TMPDIR ?? "/tmp", "geojobs-parity-seed-"))
  try {
    const start = async (args: ReadonlyArray<string>) => {
      const r = await run.aws("v1", [...args, "--query", "JobId", "--output", "text"], home)
      if (r.code !== 0) throw new Error(`seeding failed: ${r.stderr}`)
      return r.stdout.trim()
    }
    const first = await start(startJobArgs("ParityOne", [
      "--tags",
      "team=geo,env=test",
      "--action-options",
      "ValidateAddress={AdditionalFeatures=[Position,CountrySpecificAttributes]}"
    ]))
    const second = await start(startJobArgs("ParityTwo"))
    const third = await start(startJobArgs(undefined))
    await settle(run)
    return { first, second, third }
  } finally {
    Fs.rmSync(home, { recursive: true, force: true })
  }
}
