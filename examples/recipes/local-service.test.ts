/**
 * Recipe: an integration test against the local service, started in-process as a Layer.
 *
 *   pnpm exec vitest run examples/recipes/local-service.test.ts
 *
 * `LocalTesting.layerLocationJobs()` (`@geojobs/local/Testing`) starts the service on a free
 * port of 127.0.0.1 with a temporary data directory, provides `LocationJobs` (the `@geojobs/node`
 * client, signing with the service's key) and `LocalService` (its URL, region, key), and removes
 * everything when the suite ends. Jobs really run: the input goes into the service's S3 with the
 * S3 client you already use, and the output comes back as Parquet.
 *
 * Outside this repository: `npm install -D @geojobs/local @geojobs/node @aws-sdk/client-s3`.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { expect, layer } from "@effect/vitest"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as LocalTesting from "@geojobs/local/Testing"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const rows = [
  { AddressLines_1: "1600 Pennsylvania Ave NW", AddressComponents_Locality: "Washington", AddressComponents_Region: "DC", AddressComponents_PostalCode: "20500", AddressComponents_Country: "USA" },
  { AddressLines_1: "350 5th Ave", AddressComponents_Locality: "New York", AddressComponents_Region: "NY", AddressComponents_PostalCode: "10118", AddressComponents_Country: "USA" }
]

/** An S3 client for the service, destroyed with the test's scope. */
const s3Client = Effect.gen(function*() {
  const service = yield* LocalTesting.LocalService
  return yield* Effect.acquireRelease(
    Effect.sync(() => new S3Client(LocalTesting.s3ClientConfig(service))),
    (client) => Effect.sync(() => client.destroy())
  )
})

// Live services (real clock): the service and the waits run in real time, as against AWS.
layer(LocalTesting.layerLocationJobs(), { timeout: 60_000, excludeTestServices: true })("a whole job on the local service", (it) => {
  it.scoped("validates a Parquet file put into its S3 and writes every row back", () =>
    Effect.gen(function*() {
      const s3 = yield* s3Client
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-recipe-"))
      const input = Path.join(dir, "in.parquet")
      yield* NodeFile.writeAll(input, Object.keys(rows[0]!), Stream.make(rows))
      yield* Effect.promise(async () => {
        await s3.send(new CreateBucketCommand({ Bucket: "recipe-in" }))
        await s3.send(new CreateBucketCommand({ Bucket: "recipe-out" }))
        await s3.send(new PutObjectCommand({ Bucket: "recipe-in", Key: "batch/in.parquet", Body: Fs.readFileSync(input) }))
      })

      const { JobId } = yield* LocationJobs.startJob({
        Action: "ValidateAddress",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/LocationJobs",
        InputOptions: { Location: "s3://recipe-in/batch/", Format: "Parquet" },
        OutputOptions: { Location: "s3://recipe-out/results/", Format: "Parquet" }
      })
      const job = yield* Waiter.waitForJob(JobId, { minDelay: "100 millis", maxDelay: "500 millis", timeout: "1 minute" })
      expect(job.Status).toBe("Completed")

      const prefix = job.OutputOptions.Location.replace("s3://recipe-out/", "")
      const keys = yield* Effect.promise(async () =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: "recipe-out", Prefix: prefix }))).Contents ?? [])
          .map((o) => o.Key!)
          .filter((key) => key.endsWith(".parquet"))
      )
      const output: Array<Record<string, string | null>> = []
      for (const key of keys) {
        const file = Path.join(dir, Path.basename(key))
        Fs.writeFileSync(
          file,
          yield* Effect.promise(async () => (await s3.send(new GetObjectCommand({ Bucket: "recipe-out", Key: key }))).Body!.transformToByteArray())
        )
        yield* NodeFile.read(file, { requireAddressColumns: false }).pipe(Stream.runForEach((batch) => Effect.sync(() => output.push(...batch))))
      }
      expect(output.map((row) => row.Input_AddressLines_1).sort()).toEqual(rows.map((r) => r.AddressLines_1).sort())
    }))

  it.effect("the service refuses a job whose input bucket does not exist, as AWS does", () =>
    Effect.gen(function*() {
      const { JobId } = yield* LocationJobs.startJob({
        Action: "ValidateAddress",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/LocationJobs",
        InputOptions: { Location: "s3://no-such-bucket/batch/", Format: "Parquet" },
        OutputOptions: { Location: "s3://recipe-out/results/", Format: "Parquet" }
      })
      const failed = yield* Effect.flip(Waiter.waitForJob(JobId, { minDelay: "100 millis", maxDelay: "500 millis", timeout: "1 minute" }))
      expect(failed._tag).toBe("JobFailed")
    }))
})
