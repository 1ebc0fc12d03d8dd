/**
 * `Direct` (the AWS-style one-call commands without the Effect runtime) against `Cli.main` (the
 * @effect/cli path): every line Direct takes prints the same stdout and stderr and exits with the
 * same code down both paths, on a local service, an unreachable endpoint and a silent one; every
 * line it must leave to `Cli.main` it leaves without printing anything; its table of global
 * options is `Globals.options`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as net from "node:net"
import * as Path from "node:path"
import * as Cli from "../src/Cli.js"
import * as Direct from "../src/Direct.js"
import * as Globals from "../src/Globals.js"
import * as Io from "../src/Io.js"
import { type Running, startJobArgs, startLocal, tempDir } from "./Harness.js"

const kebab = (key: string) => `--${key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`

let local: Running
let silent: net.Server
let silentUrl = ""
let closedUrl = ""
const sockets: Array<net.Socket> = []
const cwd = tempDir("geojobs-direct-")
let jobId = ""
let cancelled = ""

const env = (extra: Record<string, string> = {}) => ({ HOME: cwd, AWS_EC2_METADATA_DISABLED: "true", ...local.env, ...extra })

interface Outcome {
  readonly code: number | undefined
  readonly stdout: string
  readonly stderr: string
}

const direct = async (argv: ReadonlyArray<string>, extra?: Record<string, string>): Promise<Outcome> => {
  const io = Io.capture({ cwd, env: env(extra) })
  const code = await Direct.run(argv, io)
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() }
}

const full = async (argv: ReadonlyArray<string>, extra?: Record<string, string>): Promise<Outcome> => {
  const io = Io.capture({ cwd, env: env(extra) })
  const code = await Effect.runPromise(Cli.main(argv, io))
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() }
}

beforeAll(async () => {
  local = await startLocal({ dataDir: Path.join(cwd, "data") })
  const started = await full([...startJobArgs("direct-a"), "--client-token", "direct-a"])
  jobId = JSON.parse(started.stdout).JobId
  const other = await full([...startJobArgs("direct-b"), "--client-token", "direct-b"])
  cancelled = JSON.parse(other.stdout).JobId
  silent = net.createServer((socket) => void sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
  const closed = net.createServer()
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
  closedUrl = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  Fs.writeFileSync(Path.join(cwd, "input.json"), JSON.stringify({ Location: "arn:aws:s3:::my-input-bucket", Format: "Parquet" }))
}, 60_000)

afterAll(async () => {
  sockets.forEach((s) => s.destroy())
  await new Promise<void>((resolve) => silent.close(() => resolve()))
  await local.close()
})

describe("Direct", () => {
  it("knows every global option, each as Globals.options declares it", () => {
    expect(Object.keys(Direct.globalFlags).sort()).toEqual(Object.keys(Globals.options).map(kebab).sort())
    for (const [flag, [key]] of Object.entries(Direct.globalFlags)) expect(kebab(key)).toBe(flag)
  })

  it("prints what Cli.main prints, with the same exit code, for every line it takes", async () => {
    const lines: ReadonlyArray<ReadonlyArray<string>> = [
      ["get-job", "--job-id", jobId],
      ["get-job", `--job-id=${jobId}`],
      ["--region", "eu-west-1", "get-job", "--job-id", jobId],
      ["--output", "text", "get-job", "--job-id", jobId, "--no-cli-pager"],
      ["get-job", "--job-id", jobId, "--output", "table"],
      ["get-job", "--job-id", jobId, "--output", "yaml"],
      ["get-job", "--job-id", jobId, "--output", "yaml-stream", "--no-color"],
      ["get-job", "--job-id", jobId, "--query", "Status", "--output", "text"],
      ["get-job", "--job-id", jobId, "--query", "InputOptions", "--color", "off"],
      ["get-job", "--job-id", jobId, "--cli-read-timeout", "30", "--cli-connect-timeout", "5"],
      ["get-job", "--job-id", "no-such-job"],
      ["cancel-job", "--job-id", cancelled],
      ["cancel-job", "--job-id", cancelled],
      ["start-job", ...startJobArgs("direct-a").slice(1), "--client-token", "direct-a"],
      [...startJobArgs("direct-c"), "--client-token", "direct-c", "--tags", "team=geo,cost=7", "--query", "JobId"],
      [...startJobArgs("bad name!"), "--client-token", "direct-e"],
      [
        ...startJobArgs("direct-d").filter((a, i, all) => a !== "--input-options" && all[i - 1] !== "--input-options"),
        "--input-options",
        "file://input.json",
        "--client-token",
        "direct-d",
        "--action-options",
        "{\"ValidateAddress\":{\"AdditionalFeatures\":[\"Position\"]}}",
        "--query",
        "[JobId, JobArn]",
        "--output",
        "text"
      ]
    ]
    for (const line of lines) {
      const taken = await direct(line)
      expect(taken.code, line.join(" ")).not.toBeUndefined()
      expect(taken, line.join(" ")).toEqual(await full(line))
    }
  }, 60_000)

  it("words an unreachable endpoint and a silent one as Cli.main does", async () => {
    for (
      const line of [
        ["get-job", "--job-id", jobId, "--endpoint-url", closedUrl],
        ["get-job", "--job-id", jobId, "--endpoint-url", silentUrl, "--cli-read-timeout", "1"]
      ]
    ) {
      const taken = await direct(line, { AWS_MAX_ATTEMPTS: "1" })
      expect(taken.code, line.join(" ")).toBe(255)
      expect(taken, line.join(" ")).toEqual(await full(line, { AWS_MAX_ATTEMPTS: "1" }))
    }
  }, 30_000)

  it("leaves every other line to Cli.main, printing nothing", async () => {
    const lines: ReadonlyArray<ReadonlyArray<string>> = [
      [],
      ["get-job"],
      ["get-job", "--job-id"],
      ["get-job", "--job-id", ""],
      ["get-job", "--job-id", "-x"],
      ["get-job", "--job-id", jobId, "--job-id", jobId],
      ["get-job", "--job-id", jobId, "--bogus"],
      ["get-job", "--job-id", jobId, "extra"],
      ["get-job", "get-job", "--job-id", jobId],
      ["--job-id", jobId, "get-job"],
      ["get-job", "--job-id", jobId, "--debug"],
      ["get-job", "--job-id", jobId, "--no-sign-request"],
      ["get-job", "--job-id", jobId, "--no-color", "true"],
      ["get-job", "--job-id", jobId, "--output", "bogus"],
      ["get-job", "--job-id", jobId, "--cli-read-timeout", "1.5"],
      ["get-job", "--job-id", jobId, "--query", "[?"],
      ["get-job", "--job-id", jobId, "--profile", "nope"],
      ["get-job", "--job-id", jobId, "--endpoint-url", "ftp://x"],
      ["get-job", "--cli-input-json", `{"JobId":"${jobId}"}`],
      ["get-job", "--generate-cli-skeleton", "input"],
      ["get-job", "help"],
      ["get-job", "--help"],
      ["--version"],
      ["list-jobs"],
      ["wait", "job-completed", "--job-id", jobId],
      ["validate", "in.csv"],
      ["start-job", "--action", "ValidateAddress"],
      [...startJobArgs("x"), "--tags", "a=1", "--tags", "b=2"],
      [...startJobArgs("x"), "--input-options", "Location="]
    ]
    for (const line of lines) expect(await direct(line), line.join(" ")).toEqual({ code: undefined, stdout: "", stderr: "" })
    // the embedded service (no endpoint, no Region) and credentials from the SDK's chain
    const io = Io.capture({ cwd, env: { HOME: cwd } })
    expect(await Direct.run(["get-job", "--job-id", jobId], io)).toBeUndefined()
    const chain = Io.capture({ cwd, env: { HOME: cwd, AWS_REGION: "us-east-1" } })
    expect(await Direct.run(["get-job", "--job-id", jobId], chain)).toBeUndefined()
    expect(chain.stderrText()).toBe("")
  })
})
