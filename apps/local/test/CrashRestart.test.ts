/**
 * kill -9 during a running job, restart on the same data directory: every job is still there,
 * unfinished jobs run again and complete once, and no partial output is ever visible.
 */
import { GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand } from "@aws-sdk/client-location"
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { parquetReadObjects } from "hyparquet"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { parquetInput } from "./support/inputs.js"
import { killHard, type Spawned, spawnLocal } from "@geojobs/test-support/LocalProcess"

const credentials = { accessKeyId: "test", secretAccessKey: "test" }
const clients = (url: string) => ({
  s3: new S3Client({ region: "us-east-1", endpoint: url, forcePathStyle: true, credentials }),
  geo: new LocationClient({ region: "us-east-1", endpoint: url, disableHostPrefix: true, credentials })
})
const running: Array<Spawned> = []
afterAll(async () => {
  for (const s of running) await killHard(s.child)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const waitFor = async <A>(what: string, f: () => Promise<A | undefined>, timeoutMs = 120_000): Promise<A> => {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await f()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

describe("restart safety", () => {
  it("kill -9 mid-job, restart: all jobs kept, each completes once, no partial output", async () => {
    const dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-crash-"))
    const first = await spawnLocal(["--data-dir", dataDir, "--row-group-pause", "150"])
    running.push(first)
    let { geo, s3 } = clients(first.url)
    await s3.send(new CreateBucketCommand({ Bucket: "crash-in" }))
    await s3.send(new CreateBucketCommand({ Bucket: "crash-out" }))
    await s3.send(new PutObjectCommand({ Bucket: "crash-in", Key: "a/in.parquet", Body: await parquetInput(30, 40) }))
    const start = (name: string) =>
      geo.send(new StartJobCommand({
        Action: "ValidateAddress",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
        InputOptions: { Location: "s3://crash-in/a/", Format: "Parquet" },
        OutputOptions: { Location: "s3://crash-out/out/", Format: "Parquet" },
        Name: name,
        ClientToken: `token-${name}`
      }))
    const a = await start("first")
    const b = await start("second")
    await waitFor("job a to run", async () =>
      (await geo.send(new GetJobCommand({ JobId: a.JobId! }))).Status === "Running" ? true : undefined)
    await sleep(800) // some row groups in, far from done (30 groups × 150 ms)
    await killHard(first.child)
    geo.destroy()
    s3.destroy()

    const second = await spawnLocal(["--data-dir", dataDir])
    running.push(second)
    ;({ geo, s3 } = clients(second.url))
    // Straight after the restart, no output of the interrupted job is visible.
    const early = await s3.send(new ListObjectsV2Command({ Bucket: "crash-out", Prefix: `out/${a.JobId}/` }))
    const earlyJob = await geo.send(new GetJobCommand({ JobId: a.JobId! }))
    if (earlyJob.Status !== "Completed") expect(early.KeyCount ?? 0).toBe(0)

    for (const job of [a, b]) {
      await waitFor(`job ${job.JobId} to complete`, async () => {
        const got = await geo.send(new GetJobCommand({ JobId: job.JobId! }))
        expect(["Pending", "Running", "Completed"]).toContain(got.Status)
        return got.Status === "Completed" ? got : undefined
      })
    }
    // Replaying StartJob with the same tokens answers the same jobs: nothing duplicated.
    expect((await start("first")).JobId).toBe(a.JobId)
    const listed = await geo.send(new ListJobsCommand({}))
    expect(listed.Entries!.map((e) => e.JobId).sort()).toEqual([a.JobId, b.JobId].sort())

    for (const job of [a, b]) {
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: "crash-out", Prefix: `out/${job.JobId}/` }))
      expect(objects.Contents!.map((o) => o.Key)).toEqual([`out/${job.JobId}/00000-in.parquet`])
      const body = await (await s3.send(new GetObjectCommand({ Bucket: "crash-out", Key: objects.Contents![0]!.Key! }))).Body!
        .transformToByteArray()
      const rows = (await parquetReadObjects({
        file: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
        columns: ["Input_Id", "Output_Id"]
      })) as Array<{ Input_Id: string; Output_Id: string }>
      expect(rows).toHaveLength(1200)
      expect(new Set(rows.map((r) => r.Input_Id)).size).toBe(1200)
      expect(new Set(rows.map((r) => r.Output_Id)).size).toBe(1200)
      expect(rows[0]!.Input_Id).toBe("g0-r0")
      expect(rows[1199]!.Input_Id).toBe("g29-r39")
    }
    geo.destroy()
    s3.destroy()
  }, 300_000)
})
