/**
 * The local runner through the Jobs API and the S3 store, in-process: input selection (bucket,
 * prefix, one object; ARN and s3:// forms), one output per input file, cancellation between row
 * groups, and job-level failures with their JobError.
 */
import { describe, expect, it } from "@effect/vitest"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { parquetMetadata, parquetReadObjects } from "hyparquet"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import { clientLayer } from "./support/localControl.js"

const row = (id: string) => ({
  Id: id,
  AddressLines_1: "1600 Pennsylvania Ave NW",
  AddressComponents_Locality: "Washington",
  AddressComponents_Region: "DC",
  AddressComponents_PostalCode: "20500",
  AddressComponents_Country: "USA"
})

/** Writes a Parquet file of `groups` row groups × `rows` rows, with `columns` (default: the address columns). */
const parquet = (groups: number, rows: number, make: (id: string) => Record<string, string | null> = row) =>
  Effect.gen(function*() {
    const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-runner-in-")), "in.parquet")
    const chunks = Array.from({ length: groups }, (_, g) => Array.from({ length: rows }, (_, r) => make(`g${g}r${r}`)))
    yield* NodeFile.writeAll(file, Object.keys(chunks[0]![0]!), Stream.fromIterable(chunks))
    return new Uint8Array(Fs.readFileSync(file))
  })

const put = (bucket: string, key: string, bytes: Uint8Array) =>
  Effect.flatMap(LocalService.LocalService, (s) => s.objects.putObject(bucket, key, Stream.make(bytes)))

const read = (bucket: string, key: string) =>
  Effect.flatMap(LocalService.LocalService, (s) =>
    Effect.map(s.objects.readRange(bucket, key, 0, Number.MAX_SAFE_INTEGER), (b) =>
      b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer))

const keys = (bucket: string, prefix: string) => Effect.flatMap(LocalService.LocalService, (s) => s.objects.listKeys(bucket, prefix))

const start = (input: string, output: string, extra: Partial<StartJobRequest> = {}) =>
  LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
    InputOptions: { Location: input, Format: "Parquet" },
    OutputOptions: { Location: output, Format: "Parquet" },
    ...extra
  })

const wait = (jobId: string) => Waiter.waitForJob(jobId, { minDelay: "100 millis", maxDelay: "200 millis", timeout: "60 seconds" })

const env = (options: Partial<LocalService.LocalServiceOptions> = {}) => {
  const local = LocalService.layer({
    port: 0,
    dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-runner-")),
    runnerOptions: { pollInterval: "100 millis", ...options.runnerOptions },
    ...options
  })
  return Layer.merge(local, clientLayer.pipe(Layer.provide(local)))
}

describe("job runner", () => {
  it.live("input selection: a prefix of several files, one object, a bucket ARN; one output per input file", () =>
    Effect.gen(function*() {
      const service = yield* LocalService.LocalService
      yield* service.objects.createBucket("inbox")
      yield* service.objects.createBucket("outbox")
      const a = yield* parquet(2, 3)
      const b = yield* parquet(1, 4)
      yield* put("inbox", "batch/b.parquet", b)
      yield* put("inbox", "batch/a.parquet", a)
      yield* put("inbox", "batch/_SUCCESS", new Uint8Array(0))
      yield* put("inbox", "other/c.parquet", a)

      const prefixJob = yield* start("s3://inbox/batch", "s3://outbox/res/", { Name: "prefix" })
      yield* wait(prefixJob.JobId)
      expect(yield* keys("outbox", `res/${prefixJob.JobId}/`)).toEqual([
        `res/${prefixJob.JobId}/00000-a.parquet`,
        `res/${prefixJob.JobId}/00001-b.parquet`
      ])
      const firstFile = yield* read("outbox", `res/${prefixJob.JobId}/00000-a.parquet`)
      const first = (yield* Effect.promise(() => parquetReadObjects({ file: firstFile }))) as Array<Record<string, unknown>>
      expect(first.map((r) => r.Input_Id)).toEqual(["g0r0", "g0r1", "g0r2", "g1r0", "g1r1", "g1r2"])

      const oneObject = yield* start("arn:aws:s3:::inbox/other/c.parquet", "arn:aws:s3:::outbox")
      yield* wait(oneObject.JobId)
      expect(yield* keys("outbox", `${oneObject.JobId}/`)).toEqual([`${oneObject.JobId}/00000-c.parquet`])

      const wholeBucket = yield* start("arn:aws:s3:::inbox", "s3://outbox/all/", {
        ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } }
      })
      yield* wait(wholeBucket.JobId)
      const outs = yield* keys("outbox", `all/${wholeBucket.JobId}/`)
      expect(outs).toHaveLength(3)
      const columns = parquetMetadata(yield* read("outbox", outs[0]!)).schema.map((c) => c.name)
      expect(columns).toContain("Output_Position_Latitude")
      expect(columns).toContain("Output_CountrySpecificAttributes_USA_Census_CountyFipsCode")
      const job = yield* LocationJobs.getJob({ JobId: wholeBucket.JobId })
      expect(job.Status).toBe("Completed")
    }).pipe(Effect.provide(env())), 120_000)

  it.live("job-level failures: missing buckets, no input files, no address columns → Failed with a ValidationError", () =>
    Effect.gen(function*() {
      const service = yield* LocalService.LocalService
      yield* service.objects.createBucket("inbox")
      yield* service.objects.createBucket("outbox")
      yield* put("inbox", "cols/x.parquet", yield* parquet(1, 2, (id) => ({ Id: id, Color: "blue" })))
      const cases: Array<[string, string, RegExp]> = [
        ["s3://missing-bucket/x/", "s3://outbox/", /Input bucket missing-bucket does not exist/],
        ["s3://inbox/empty/", "s3://outbox/", /No input files under s3:\/\/inbox\/empty\//],
        ["s3://inbox/cols/", "s3://outbox/", /x\.parquet.*address column|address column.*x\.parquet/i],
        ["s3://inbox/cols/", "s3://no-out-bucket/", /Output bucket no-out-bucket does not exist/]
      ]
      for (const [input, output, message] of cases) {
        const started = yield* start(input, output)
        const error = yield* Effect.flip(wait(started.JobId))
        expect(error._tag).toBe("JobFailed")
        if (error._tag !== "JobFailed") continue
        expect(error.error?.Code).toBe("ValidationError")
        expect(error.error?.Messages?.join(" ")).toMatch(message)
      }
      expect(yield* keys("outbox", "")).toEqual([])
    }).pipe(Effect.provide(env())), 120_000)

  it.live("CancelJob stops a running job between row groups: Cancelled, no output", () =>
    Effect.gen(function*() {
      const service = yield* LocalService.LocalService
      yield* service.objects.createBucket("inbox")
      yield* service.objects.createBucket("outbox")
      yield* put("inbox", "slow/in.parquet", yield* parquet(40, 5))
      const started = yield* start("s3://inbox/slow/", "s3://outbox/")
      for (let i = 0; i < 200; i++) {
        if ((yield* LocationJobs.getJob({ JobId: started.JobId })).Status === "Running") break
        yield* Effect.sleep("50 millis")
      }
      const cancelled = yield* LocationJobs.cancelJob({ JobId: started.JobId })
      expect(cancelled.Status).toBe("Cancelling")
      const error = yield* Effect.flip(wait(started.JobId))
      expect(error._tag).toBe("JobCancelled")
      const job = yield* LocationJobs.getJob({ JobId: started.JobId })
      expect(job.Status).toBe("Cancelled")
      expect(job.EndedAt).toBeInstanceOf(Date)
      expect(yield* keys("outbox", "")).toEqual([])
    }).pipe(Effect.provide(env({ runnerOptions: { rowGroupPause: "100 millis" } }))), 120_000)

  // The same file through the worker pool (forced on for a small file) and in the runner's
  // thread: the same rows, in input order, with the same Output_Id.
  const outputOf = (workers: number, warmWorkers = false) =>
    Effect.gen(function*() {
      const service = yield* LocalService.LocalService
      yield* service.objects.createBucket("inbox")
      yield* service.objects.createBucket("outbox")
      const shapes = [
        row,
        (id: string) => ({ Id: id, AddressLines_1: "1 Main St, Springfield, IL 62701", AddressComponents_Country: null }),
        (id: string) => ({ Id: id, AddressLines_1: "", AddressComponents_Country: "AU" })
      ]
      let n = 0
      yield* put("inbox", "p/in.parquet", yield* parquet(3, 70, (id) => shapes[n++ % shapes.length]!(id)))
      const started = yield* start("s3://inbox/p/", "s3://outbox/", {
        ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
      })
      yield* wait(started.JobId)
      const out = yield* read("outbox", `${started.JobId}/00000-in.parquet`)
      const rows = (yield* Effect.promise(() => parquetReadObjects({ file: out }))) as Array<Record<string, unknown>>
      return rows.map((r): Record<string, unknown> => ({ ...r, Output_Id: String(r.Output_Id).replace(started.JobId, "JOB") }))
    }).pipe(Effect.provide(env({ runnerOptions: { workers, minRowsForWorkers: 0, warmWorkers } })))

  it.live("for an in-process caller: each job's end is told, its output's summary handed over, its ETag the MD5 of its bytes", () => {
    const ended: Array<string> = []
    const summaries: Array<[string, string, number]> = []
    return Effect.gen(function*() {
      const service = yield* LocalService.LocalService
      yield* service.objects.createBucket("inbox")
      yield* service.objects.createBucket("outbox")
      yield* put("inbox", "s/in.parquet", yield* parquet(2, 30))
      const done = yield* start("s3://inbox/s/", "s3://outbox/")
      yield* wait(done.JobId)
      const key = `${done.JobId}/00000-in.parquet`
      expect(summaries).toEqual([["outbox", key, 60]])
      const bytes = yield* read("outbox", key)
      const head = yield* service.objects.headObject("outbox", key)
      expect(head.etag).toBe(`"${createHash("md5").update(new Uint8Array(bytes)).digest("hex")}"`)
      // a job that fails is told too
      const failed = yield* start("s3://inbox/nothing-here/", "s3://outbox/")
      yield* Effect.flip(wait(failed.JobId))
      yield* Effect.sleep("50 millis")
      expect(ended).toEqual([done.JobId, failed.JobId])
    }).pipe(Effect.provide(env({
      runnerOptions: {
        onJobEnd: (jobId) => void ended.push(jobId),
        summaries: { limits: {}, put: (bucket, key, part) => void summaries.push([bucket, key, part.counts.rows]) }
      }
    })))
  }, 60_000)

  it.live("a worker pool validates slices in parallel: same rows, same order, same ids as in one thread", () =>
    Effect.gen(function*() {
      const pooled = yield* outputOf(2)
      const inThread = yield* outputOf(0)
      expect(pooled).toHaveLength(210)
      expect(pooled.map((r) => r.Input_Id)).toEqual(Array.from({ length: 210 }, (_, i) => `g${Math.floor(i / 70)}r${i % 70}`))
      expect(pooled[5]!.Output_Id).toBe("JOB-0-5")
      expect(pooled).toEqual(inThread)
      // workers started with the runner and warmed up on sample rows: the same output
      expect(yield* outputOf(2, true)).toEqual(inThread)
    }), 180_000)
})
