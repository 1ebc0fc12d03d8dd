/**
 * Start-up of the apps as npm installs them (the bundles `scripts/build-apps.mjs` writes to each
 * app's dist/, run with plain node) beside the real AWS CLI, in one run: `geojobs --version` vs
 * `aws --version`, and `geojobs get-job` vs `aws location get-job` on the same job of a running
 * `geojobs-local` (wall time and peak RSS per process, from GNU time, median of BENCH_STARTUP_RUNS);
 * then `geojobs-local` and `geojobs-worker` from spawn to a health check answered.
 *
 * Part of `pnpm bench` (section "startup"); alone: `pnpm exec tsx bench/src/startup.ts`.
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7)
const gnuTime = "/usr/bin/time"

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface Sample {
  readonly wallMs: number
  readonly rssMiB: number
}

/** One process under GNU time: wall and peak RSS (of the largest process it waited for). */
const measure = (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Sample => {
  const r = spawnSync(gnuTime, ["-f", "GNUTIME %e %M", command, ...args], { env, encoding: "utf8", cwd: os.tmpdir() })
  const m = /GNUTIME ([\d.]+) (\d+)/.exec(r.stderr)
  if (r.status !== 0 || m === null) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(-1000)}`)
  return { wallMs: Number(m[1]) * 1000, rssMiB: Number(m[2]) / 1024 }
}

/** Runs each command `runs` times, interleaved (so a change in the machine's load hits all alike). */
const compare = (commands: Record<string, readonly [string, ReadonlyArray<string>]>, env: NodeJS.ProcessEnv) => {
  const samples: Record<string, Array<Sample>> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
  for (const [command, args] of Object.values(commands)) measure(command, args, env) // warm the file cache
  for (let i = 0; i < runs; i++) {
    for (const [name, [command, args]] of Object.entries(commands)) samples[name]!.push(measure(command, args, env))
  }
  return Object.fromEntries(
    Object.entries(samples).map(([k, ss]) => [k, { wallMs: median(ss.map((s) => s.wallMs)), rssMiB: median(ss.map((s) => s.rssMiB)) }])
  )
}

/** Spawns a server and times it from spawn to `url()` answering 200. */
const ready = async (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd: string, health: (out: string) => string | undefined) => {
  const t0 = performance.now()
  const child = spawn(process.execPath, [command, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  child.stdout.on("data", (d: Buffer) => (out += d.toString()))
  child.stderr.on("data", (d: Buffer) => (out += d.toString()))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${path.basename(command)} exited: ${out}`)
      if (performance.now() - t0 > 60_000) throw new Error(`${path.basename(command)} not ready in 60 s: ${out}`)
      const url = health(out)
      if (url !== undefined && (await fetch(url).then((r) => r.status, () => 0)) === 200) return performance.now() - t0
      await new Promise((r) => setTimeout(r, 5))
    }
  } finally {
    child.kill("SIGKILL")
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** The section's text. */
export const startup = async (): Promise<string> => {
  const build = spawnSync(process.execPath, [path.join(repoDir, "scripts", "build-apps.mjs")], { encoding: "utf8" })
  if (build.status !== 0) throw new Error(`build-apps failed: ${build.stderr}`)
  const dist = (app: string, bin: string) => path.join(repoDir, "apps", app, "dist", `${bin}.js`)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "geojobs-startup-"))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_DISABLE_HOST_PREFIX_INJECTION: "true",
    NO_COLOR: "1"
  }
  const local = spawn(process.execPath, [dist("local", "geojobs-local"), "--port", "0", "--data-dir", path.join(work, "data")], {
    env,
    stdio: ["ignore", "pipe", "inherit"]
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ""
      local.stdout.on("data", (d: Buffer) => {
        out += d.toString()
        const m = /ready at (http:\/\/[\d.]+:\d+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      local.on("exit", (code) => reject(new Error(`geojobs-local exited with ${code}`)))
    })
    const started = spawnSync(process.execPath, [
      dist("cli", "geojobs"), "start-job", "--endpoint-url", url, "--action", "ValidateAddress",
      "--execution-role-arn", "arn:aws:iam::123456789012:role/LocationJobs",
      "--input-options", "Location=s3://bench-in/addresses/,Format=Parquet",
      "--output-options", "Location=s3://bench-out/results/,Format=Parquet"
    ], { env, encoding: "utf8" })
    const jobId = (JSON.parse(started.stdout) as { JobId: string }).JobId
    const node = process.execPath
    const version = compare({
      aws: ["aws", ["--version"]],
      geojobs: [node, [dist("cli", "geojobs"), "--version"]],
      "node -e 0": [node, ["-e", "0"]]
    }, env)
    const getJob = compare({
      aws: ["aws", ["--endpoint-url", url, "location", "get-job", "--job-id", jobId]],
      geojobs: [node, [dist("cli", "geojobs"), "get-job", "--endpoint-url", url, "--job-id", jobId]]
    }, env)
    const localReady: Array<number> = []
    const workerReady: Array<number> = []
    for (let i = 0; i < Math.min(runs, 5); i++) {
      localReady.push(await ready(dist("local", "geojobs-local"), ["--port", "0", "--data-dir", path.join(work, `l${i}`)], env, work, (out) => {
        const m = /ready at (http:\/\/[\d.]+:\d+)/.exec(out)
        return m ? `${m[1]}/_geojobs/health` : undefined
      }))
      workerReady.push(await ready(dist("worker", "geojobs-worker"), ["--port", "0", "--endpoint-url", url, "--work-dir", path.join(work, `w${i}`)], env, work, (out) => {
        const m = /geojobs-worker ready at (http:\/\/[\d.]+:\d+)/.exec(out)
        return m ? `${m[1]}/health` : undefined
      }))
    }
    const ratio = (a: number, b: number) => (a / b).toFixed(2)
    const rows = [
      ["command", "wall ms", "peak RSS MiB", "wall /AWS CLI", "RSS /AWS CLI"],
      ["aws --version", fmt(version.aws!.wallMs), fmt(version.aws!.rssMiB), "", ""],
      ["geojobs --version", fmt(version.geojobs!.wallMs), fmt(version.geojobs!.rssMiB), ratio(version.geojobs!.wallMs, version.aws!.wallMs), ratio(version.geojobs!.rssMiB, version.aws!.rssMiB)],
      ["node -e 0", fmt(version["node -e 0"]!.wallMs), fmt(version["node -e 0"]!.rssMiB), ratio(version["node -e 0"]!.wallMs, version.aws!.wallMs), ratio(version["node -e 0"]!.rssMiB, version.aws!.rssMiB)],
      ["aws location get-job", fmt(getJob.aws!.wallMs), fmt(getJob.aws!.rssMiB), "", ""],
      ["geojobs get-job", fmt(getJob.geojobs!.wallMs), fmt(getJob.geojobs!.rssMiB), ratio(getJob.geojobs!.wallMs, getJob.aws!.wallMs), ratio(getJob.geojobs!.rssMiB, getJob.aws!.rssMiB)]
    ]
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
    const table = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n")
    const v = version.geojobs!.wallMs / version.aws!.wallMs
    const w = getJob.geojobs!.wallMs / getJob.aws!.wallMs
    const m = getJob.geojobs!.rssMiB / getJob.aws!.rssMiB
    const met = (ok: boolean) => (ok ? "met" : "NOT met")
    return `START-UP — the apps' bundles (apps/*/dist, plain node) beside the AWS CLI (${spawnSync("aws", ["--version"], { encoding: "utf8" }).stdout.trim().split(" ")[0]}); ` +
      `median of ${runs} processes each, interleaved; get-job on one job of a running geojobs-local\n` +
      table +
      `\ngeojobs-local ready (spawn → health 200): ${fmt(median(localReady))} ms; geojobs-worker ready: ${fmt(median(workerReady))} ms (median of ${localReady.length})` +
      `\ngoals: --version wall ≤ 0.3× aws: ${met(v <= 0.3)} (${v.toFixed(2)}); get-job wall ≤ 0.3×: ${met(w <= 0.3)} (${w.toFixed(2)}); ` +
      `get-job RSS ≤ 1.3×: ${met(m <= 1.3)} (${m.toFixed(2)}); local ready ≤ 1 s: ${met(median(localReady) <= 1000)}; worker ready ≤ 1 s: ${met(median(workerReady) <= 1000)}`
  } finally {
    local.kill("SIGKILL")
    fs.rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await startup())
}
