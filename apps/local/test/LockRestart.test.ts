/**
 * A killed `geojobs-local` always comes back on its data directory, and a second live one is
 * refused without harming the first: the directory lock is the kernel's, not a pid rule.
 */
import { GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { parquetInput } from "./support/inputs.js"
import { killGroup, killHard, type Spawned, spawnLocal } from "@geojobs/test-support/LocalProcess"

const RESTARTS = 20
const credentials = { accessKeyId: "test", secretAccessKey: "test" }
const running: Array<Spawned> = []
afterAll(async () => {
  for (const s of running) killGroup(s.child)
  for (const s of running) await killHard(s.child)
})

const root = Path.resolve(import.meta.dirname, "..", "..", "..")
const health = async (url: string) => (await fetch(`${url}/_geojobs/health`)).status

/** Runs the bin to its end (a refused start exits), with what it printed. */
const runToExit = (args: ReadonlyArray<string>): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", Path.join(root, "apps/local/src/bin.ts"), "--port", "0", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    child.once("exit", (code) => resolve({ code, output }))
  })

describe("geojobs-local: the data directory's lock", () => {
  it(`kill -9 of the process group mid-job, restarted at once, ${RESTARTS} times: every restart is ready`, async () => {
    const dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-lock-restart-"))
    // Notes naming a live process that holds no lock (our parent), as a pid rule would obey.
    Fs.writeFileSync(Path.join(dataDir, "LOCK"), String(process.ppid))
    Fs.mkdirSync(Path.join(dataDir, "s3"))
    Fs.writeFileSync(Path.join(dataDir, "s3", "LOCK"), String(process.ppid))
    const args = ["--data-dir", dataDir, "--row-group-pause", "200", "--workers", "1"]
    let service = await spawnLocal(args, 90_000, { detached: true })
    running.push(service)

    // A job that outlives every restart but the last few, so each kill lands mid-job.
    const s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
    await s3.send(new CreateBucketCommand({ Bucket: "lock-in" }))
    await s3.send(new CreateBucketCommand({ Bucket: "lock-out" }))
    await s3.send(new PutObjectCommand({ Bucket: "lock-in", Key: "a/in.parquet", Body: await parquetInput(40, 20) }))
    s3.destroy()
    let geo = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
    const { JobId } = await geo.send(new StartJobCommand({
      Action: "ValidateAddress",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
      InputOptions: { Location: "s3://lock-in/a/", Format: "Parquet" },
      OutputOptions: { Location: "s3://lock-out/out/", Format: "Parquet" },
      ClientToken: "lock-restart"
    }))
    geo.destroy()

    for (let i = 0; i < RESTARTS; i++) {
      // No wait for the exit (nor for the parent to reap): the next start races the death.
      killGroup(service.child)
      service = await spawnLocal(args, 90_000, { detached: true })
      running.push(service)
      expect(await health(service.url)).toBe(200)
    }

    geo = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
    const jobs = (await geo.send(new ListJobsCommand({}))).Entries ?? []
    expect(jobs.map((j) => j.JobId)).toEqual([JobId])
    const deadline = Date.now() + 120_000
    let status = (await geo.send(new GetJobCommand({ JobId }))).Status
    while (status !== "Completed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250))
      status = (await geo.send(new GetJobCommand({ JobId }))).Status
    }
    expect(status).toBe("Completed")
    geo.destroy()
  }, 600_000)

  it("a second live service on the directory is refused, naming the first and the way out; the first is unharmed", async () => {
    const dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-lock-two-"))
    const first = await spawnLocal(["--data-dir", dataDir])
    running.push(first)
    const second = await runToExit(["--data-dir", dataDir])
    expect(second.code).toBe(1)
    expect(second.output.trim()).toBe(
      `geojobs-local: the data directory ${dataDir} is in use by geojobs-local (pid ${first.child.pid}, since ` +
        `${JSON.parse(Fs.readFileSync(Path.join(dataDir, "LOCK"), "utf8")).since}, serving ${first.url}); use another ` +
        `data directory (--data-dir or GEOJOBS_DATA_DIR), or --endpoint-url ${first.url} to use the running service`
    )
    // The refused one touched nothing: the first still serves, and its lock note is its own.
    expect(await health(first.url)).toBe(200)
    const geo = new LocationClient({ region: "us-east-1", endpoint: first.url, disableHostPrefix: true, credentials })
    expect((await geo.send(new ListJobsCommand({}))).Entries).toEqual([])
    geo.destroy()
    expect(JSON.parse(Fs.readFileSync(Path.join(dataDir, "LOCK"), "utf8")).pid).toBe(first.child.pid)
  }, 180_000)
})
