/**
 * Recipe: put an input file into S3 from code, run a job on it, and read the output back.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 \
 *   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test pnpm exec tsx examples/recipes/put-input-read-output.ts
 *
 * With the local service (`pnpm geojobs-local`) that endpoint serves both the Jobs API and S3; on
 * AWS, drop AWS_ENDPOINT_URL and pass your buckets and role as arguments:
 *   … put-input-read-output.ts <input bucket> <output bucket> <role ARN>
 * The input is Parquet with the column names Amazon Location reads (`AddressLines_1`,
 * `AddressComponents_Locality`, …), written here with `@geojobs/dataset`; the output is Parquet
 * too, read back the same way.
 *
 * Outside this repository: `npm install @geojobs/core @geojobs/node @geojobs/dataset effect
 * @effect/platform @effect/platform-node @aws-sdk/client-s3` (`@geojobs/node/NodeMain` needs
 * `@effect/platform-node`, an optional peer of `@geojobs/node`).
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Waiter from "@geojobs/core/Waiter"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const [inputBucket = "geojobs-input", outputBucket = "geojobs-output", role = "arn:aws:iam::000000000000:role/LocationJobs"] =
  process.argv.slice(2)
const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL
// The local service serves S3 by path (http://host:port/bucket/key), as most S3 emulators do.
const s3 = new S3Client(endpoint !== undefined ? { endpoint, forcePathStyle: true } : {})

const rows = [
  { AddressLines_1: "1600 Pennsylvania Ave NW", AddressComponents_Locality: "Washington", AddressComponents_Region: "DC", AddressComponents_PostalCode: "20500", AddressComponents_Country: "USA" },
  { AddressLines_1: "350 5th Ave", AddressComponents_Locality: "New York", AddressComponents_Region: "NY", AddressComponents_PostalCode: "10118", AddressComponents_Country: "USA" },
  { AddressLines_1: "1 Infinite Loop", AddressComponents_Locality: "Cupertino", AddressComponents_Region: "CA", AddressComponents_PostalCode: "95014", AddressComponents_Country: "USA" }
]

const send = <A>(what: string, f: () => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: (cause) => new Error(`${what}: ${(cause as Error).message}`) })

const program = Effect.gen(function*() {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-recipe-"))
  const input = Path.join(dir, "input.parquet")

  // 1. The input as Parquet, then into S3 (a job reads every Parquet object under its prefix).
  yield* NodeFile.writeAll(input, Object.keys(rows[0]!), Stream.make(rows))
  for (const bucket of [inputBucket, outputBucket]) {
    yield* send(`create bucket ${bucket}`, () => s3.send(new CreateBucketCommand({ Bucket: bucket }))).pipe(
      Effect.catchIf((e) => /BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(e.message), () => Effect.void)
    )
  }
  const runId = Date.now().toString(36)
  yield* send("upload the input", () =>
    s3.send(new PutObjectCommand({ Bucket: inputBucket, Key: `recipes/${runId}/input.parquet`, Body: Fs.readFileSync(input) })))

  // 2. The job, and its end.
  const { JobId } = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: role,
    InputOptions: { Location: `s3://${inputBucket}/recipes/${runId}/`, Format: "Parquet" },
    OutputOptions: { Location: `s3://${outputBucket}/recipes/${runId}/`, Format: "Parquet" }
  })
  const job = yield* Waiter.waitForJob(JobId, { minDelay: "1 second", maxDelay: "10 seconds", timeout: "10 minutes" })
  yield* Console.log(`job ${JobId}: ${job.Status}`)

  // 3. The output: every object under the job's output location.
  const prefix = job.OutputOptions.Location.replace(`s3://${outputBucket}/`, "")
  const listed = yield* send("list the output", () => s3.send(new ListObjectsV2Command({ Bucket: outputBucket, Prefix: prefix })))
  for (const object of listed.Contents ?? []) {
    if (!object.Key?.endsWith(".parquet")) continue
    const body = yield* send(`download ${object.Key}`, async () =>
      (await s3.send(new GetObjectCommand({ Bucket: outputBucket, Key: object.Key }))).Body!.transformToByteArray())
    const file = Path.join(dir, Path.basename(object.Key))
    Fs.writeFileSync(file, body)
    yield* NodeFile.read(file, { requireAddressColumns: false }).pipe(
      Stream.runForEach((batch) =>
        Effect.forEach(batch, (row) =>
          Console.log(
            `${row.Input_AddressLines_1} → ${row.Output_AddressLines_1 ?? "(no match)"} ` +
              `(match confidence ${row.Output_ValidationResults_MatchConfidence ?? "none"})`
          )))
    )
  }
}).pipe(Effect.ensuring(Effect.sync(() => s3.destroy())))

// A failure ends as one line naming the error (and its cause), with exit code 1.
NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
