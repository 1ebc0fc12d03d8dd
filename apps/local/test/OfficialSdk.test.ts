/**
 * The official AWS SDKs drive a whole job against the local service: `@aws-sdk/client-s3`
 * (path-style) creates buckets and uploads a Parquet file, `@aws-sdk/client-location`
 * (`disableHostPrefix`) starts the job and waits with `waitUntilJobCompleted`, and the output
 * Parquet read back has the spec's columns and validated content.
 */
import { GetJobCommand, ListJobsCommand, LocationClient, StartJobCommand, waitUntilJobCompleted } from "@aws-sdk/client-location"
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { parquetMetadata, parquetReadObjects } from "hyparquet"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let s3: S3Client
let location: LocationClient
const credentials = { accessKeyId: "test", secretAccessKey: "test" }

const rows = [
  { Id: "wh", AddressLines_1: "1600 Pennsylvania Ave NW", AddressComponents_Locality: "Washington", AddressComponents_Region: "DC", AddressComponents_PostalCode: "20500", AddressComponents_Country: "USA" },
  { Id: "esb-typo", AddressLines_1: "350 Fifth Avenue", AddressComponents_Locality: "New Yrok", AddressComponents_Region: "NY", AddressComponents_PostalCode: "10118", AddressComponents_Country: "USA" },
  { Id: "empty", AddressLines_1: null, AddressComponents_Locality: null, AddressComponents_Region: null, AddressComponents_PostalCode: null, AddressComponents_Country: null }
]

const parquetBytes = async (): Promise<Uint8Array> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-sdk-in-"))
  const file = Path.join(dir, "addresses.parquet")
  await Effect.runPromise(NodeFile.writeAll(file, Object.keys(rows[0]!), Stream.make(rows)))
  return new Uint8Array(Fs.readFileSync(file))
}

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  const dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-local-sdk-"))
  service = await Effect.runPromise(
    Scope.extend(LocalService.make({ port: 0, dataDir, runnerOptions: { pollInterval: "200 millis" } }), scope)
  )
  s3 = new S3Client({ region: "us-east-1", endpoint: service.url, forcePathStyle: true, credentials })
  location = new LocationClient({ region: "us-east-1", endpoint: service.url, disableHostPrefix: true, credentials })
}, 60_000)

afterAll(async () => {
  s3?.destroy()
  location?.destroy()
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("the official SDKs against the local service", () => {
  it("run a whole ValidateAddress job: buckets, upload, StartJob, waiter, output", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-input" }))
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-output" }))
    await s3.send(new PutObjectCommand({ Bucket: "sdk-input", Key: "batch-1/addresses.parquet", Body: await parquetBytes() }))

    const started = await location.send(new StartJobCommand({
      Action: "ValidateAddress",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/geojobs-local",
      InputOptions: { Location: "s3://sdk-input/batch-1/", Format: "Parquet" },
      OutputOptions: { Location: "s3://sdk-output/results/", Format: "Parquet" },
      Name: "SdkJob",
      ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } }
    }))
    expect(started.Status).toBe("Pending")
    expect(started.JobId).toMatch(/^SdkJob-[0-9a-f-]{36}$/)
    expect(started.JobArn).toBe(`arn:aws:geo:us-east-1:000000000000:job/${started.JobId}`)
    expect(started.CreatedAt).toBeInstanceOf(Date)

    const waited = await waitUntilJobCompleted({ client: location, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { JobId: started.JobId! })
    expect(waited.state).toBe("SUCCESS")

    const job = await location.send(new GetJobCommand({ JobId: started.JobId! }))
    expect(job.Status).toBe("Completed")
    expect(job.EndedAt).toBeInstanceOf(Date)
    const listed = await location.send(new ListJobsCommand({ Filter: { JobStatus: "Completed" } }))
    expect(listed.Entries?.map((e) => e.JobId)).toContain(started.JobId)

    const objects = await s3.send(new ListObjectsV2Command({ Bucket: "sdk-output", Prefix: `results/${started.JobId}/` }))
    const keys = (objects.Contents ?? []).map((o) => o.Key)
    expect(keys).toEqual([`results/${started.JobId}/00000-addresses.parquet`])
    const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-output", Key: keys[0]! }))
    const bytes = await got.Body!.transformToByteArray()
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const columns = parquetMetadata(buffer).schema.slice(1).map((c) => c.name)
    for (const c of ["Input_Id", "Input_AddressLines_1", "Output_Id", "ErrorType", "ErrorMessage", "Output_Address_Label",
      "Output_Address_PostalCode", "Output_ValidationResults_MatchConfidence", "Output_ValidationResults_Components_Address_Locality_Status",
      "Output_Position_Longitude", "Output_Position_Latitude"]) {
      expect(columns).toContain(c)
    }
    expect(columns.some((c) => c.startsWith("Output_CountrySpecificAttributes_"))).toBe(false)
    const out = (await parquetReadObjects({ file: buffer })) as Array<Record<string, unknown>>
    expect(out.map((r) => r.Input_Id)).toEqual(["wh", "esb-typo", "empty"])
    expect(new Set(out.map((r) => r.Output_Id)).size).toBe(3)
    expect(out[0]!.ErrorType).toBeNull()
    expect(out[0]!.Output_Address_Locality).toMatch(/washington/i)
    expect(out[1]!.Output_Address_Locality).toMatch(/new york/i)
    expect(out[1]!.Output_ValidationResults_Components_Address_Locality_StatusDetail).toBe("Corrected")
    expect(out[2]!.ErrorType).toBe("InvalidInput")
  }, 120_000)

  it("a job whose input bucket does not exist ends Failed with a ValidationError", async () => {
    const started = await location.send(new StartJobCommand({
      Action: "ValidateAddress",
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/geojobs-local",
      InputOptions: { Location: "arn:aws:s3:::no-such-bucket", Format: "Parquet" },
      OutputOptions: { Location: "s3://sdk-output/results/", Format: "Parquet" }
    }))
    const waited = await waitUntilJobCompleted({ client: location, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { JobId: started.JobId! })
      .then(() => "resolved", (e: Error) => `${e.name} ${e.message}`)
    // The SDK's waiter throws on the FAILURE acceptor (Failed status).
    expect(waited).toContain("FAILURE")
    const job = await location.send(new GetJobCommand({ JobId: started.JobId! }))
    expect(job.Status).toBe("Failed")
    expect(job.Error?.Code).toBe("ValidationError")
    expect(job.Error?.Messages?.join(" ")).toContain("no-such-bucket")
  }, 120_000)
})
