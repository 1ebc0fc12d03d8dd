/**
 * `geojobs validate <file>`: a CSV, Parquet or JSON Lines file of addresses in, a validated file
 * out. Converts the file to the job's Parquet input, uploads it (once: the key is derived from
 * the content), starts a ValidateAddress job with a ClientToken derived from the content and
 * options (a rerun reuses the job), waits with progress, downloads the output, writes the
 * result (the input's format unless `--format`) atomically, and prints a summary.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Format from "@geojobs/dataset/Format"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as FsP from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { ObjectStoreError, UsageError } from "../CliError.js"
import * as Globals from "../Globals.js"
import * as InputDigest from "../InputDigest.js"
import { Io } from "../Io.js"
import * as ObjectStore from "../ObjectStore.js"
import * as Run from "../Run.js"
import { localRoleArn, Session } from "../Session.js"
import * as Summary from "../Summary.js"
import * as Duration from "../Duration.js"
import { waitWithProgress } from "./Wait.js"

const optionalText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional, Options.map(Option.getOrUndefined))

/** The features `--features` accepts. */
export const featureNames = ["Position", "CountrySpecificAttributes"] as const

const extensionOf: Record<Format.Format, string> = { csv: "csv", parquet: "parquet", jsonl: "jsonl" }

/** `<dir>/<name>.validated.<ext>` next to the input. */
export const defaultOutput = (input: string, format: Format.Format): string => {
  const dir = Path.dirname(input)
  const base = Path.basename(input).replace(/\.(csv|parquet|pq|parq|jsonl|ndjson|jsonlines)$/i, "")
  return Path.join(dir, `${base}.validated.${extensionOf[format]}`)
}

const parseFeatures = (raw: string | undefined): Effect.Effect<ReadonlyArray<string>, UsageError> => {
  if (raw === undefined) return Effect.succeed([])
  const items = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0)
  const bad = items.filter((s) => !(featureNames as ReadonlyArray<string>).includes(s))
  if (bad.length > 0 || items.length === 0) {
    return Effect.fail(
      new UsageError({ message: `--features: unknown feature ${bad.map((b) => `"${b}"`).join(", ") || "(none given)"}; use ${featureNames.join(", ")}` })
    )
  }
  return Effect.succeed([...new Set(items)])
}

/** The job, its input and output, on the session's target. Fails clearly on AWS without bucket or role. */
const placement = (onAws: boolean, bucket: string | undefined, roleArn: string | undefined, hash: string) => {
  if (onAws && (bucket === undefined || roleArn === undefined)) {
    const missing = [bucket === undefined ? "--bucket <name>" : undefined, roleArn === undefined ? "--role-arn <arn>" : undefined]
      .filter((x) => x !== undefined)
    return Effect.fail(
      new UsageError({
        message: `validate on AWS needs --bucket (an S3 bucket in the job's Region, versioning on, for the input and output objects) ` +
          `and --role-arn (the job's execution role, allowed to read and write that bucket); missing: ${missing.join(", ")}`
      })
    )
  }
  const short = hash.slice(0, 32)
  return Effect.succeed({
    inputBucket: bucket ?? "geojobs-input",
    outputBucket: bucket ?? "geojobs-output",
    inputPrefix: bucket !== undefined ? `geojobs/input/${short}/` : `${short}/`,
    outputPrefix: bucket !== undefined ? `geojobs/output/${short}/` : `${short}/`,
    roleArn: roleArn ?? localRoleArn
  })
}

/** `validate`. */
export const command = Command.make(
  "validate",
  {
    file: Args.text({ name: "file" }).pipe(Args.withDescription("A CSV, Parquet or JSON Lines file of addresses.")),
    out: optionalText("out", "Where to write the result (default <name>.validated.<ext> next to the input)."),
    features: optionalText("features", "Additional features: Position, CountrySpecificAttributes (comma-separated)."),
    bucket: optionalText("bucket", "S3 bucket for the input and output objects (required on AWS)."),
    roleArn: optionalText("role-arn", "The job's execution role (required on AWS)."),
    format: Options.choice("format", Format.formats).pipe(
      Options.withDescription("Format of the result (default: the input's)."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    timeout: optionalText("timeout", "Give up waiting after this long (default 30m): exit code 5."),
    ...Globals.options
  },
  (config) =>
    Run.withGlobals(config, (globals) =>
      Effect.gen(function*() {
        const io = yield* Io
        const input = Path.resolve(io.cwd, config.file)
        const features = yield* parseFeatures(config.features)
        const timeoutMs = config.timeout === undefined
          ? 30 * 60_000
          : yield* Effect.flatMap(Effect.succeed(Duration.parse("--timeout", config.timeout)), (e) =>
            e._tag === "Left" ? Effect.fail(e.left) : Effect.succeed(e.right))
        const stat = yield* Effect.tryPromise({
          try: () => FsP.stat(input),
          catch: () => new UsageError({ message: `${config.file}: no such file` })
        })
        if (stat.isDirectory()) return yield* new UsageError({ message: `${config.file}: is a directory, not a file` })
        const inputFormat = yield* Effect.scoped(
          Effect.flatMap(NodeFile.source(input), (source) => Format.detect(source, config.file))
        )
        const outputFormat = config.format ?? inputFormat
        const output = config.out !== undefined ? Path.resolve(io.cwd, config.out) : defaultOutput(input, outputFormat)
        const shownOutput = config.out ?? Path.relative(io.cwd, output)

        const work = yield* Effect.acquireRelease(
          Effect.promise(() => FsP.mkdtemp(Path.join(Os.tmpdir(), "geojobs-validate-"))),
          (dir) => Effect.promise(() => FsP.rm(dir, { recursive: true, force: true }))
        )
        // 1. The job's input: Parquet with the spec's column names (header aliases mapped).
        const inputParquet = Path.join(work, "input.parquet")
        const converted = yield* NodeFile.convert(input, inputParquet, { inputFormat, requireAddressColumns: true })
        const hash = yield* InputDigest.fileSha256(input)

        const { jobId, outputs } = yield* Run.withSession(
          globals,
          Effect.gen(function*() {
            const session = yield* Session
            const onAws = session.target._tag === "Aws"
            const place = yield* placement(onAws, config.bucket, config.roleArn, hash)
            const store = yield* ObjectStore.make(session)
            if (!onAws && config.bucket === undefined) {
              yield* store.ensureBucket(place.inputBucket)
              yield* store.ensureBucket(place.outputBucket)
            }
            // 2. Upload once: the key is derived from the content.
            const key = `${place.inputPrefix}input.parquet`
            const size = (yield* Effect.promise(() => FsP.stat(inputParquet))).size
            if (yield* store.exists(place.inputBucket, key, size)) {
              io.stderr(`geojobs: input already uploaded to s3://${place.inputBucket}/${key}\n`)
            } else {
              io.stderr(`geojobs: uploading ${converted.rows} rows to s3://${place.inputBucket}/${key}\n`)
              yield* store.upload(place.inputBucket, key, inputParquet)
            }
            // 3. Start (or find again) the job.
            const inputLocation = `s3://${place.inputBucket}/${place.inputPrefix}`
            const outputLocation = `s3://${place.outputBucket}/${place.outputPrefix}`
            const request: StartJobRequest = {
              Action: "ValidateAddress",
              ExecutionRoleArn: place.roleArn,
              InputOptions: { Location: inputLocation, Format: "Parquet" },
              OutputOptions: { Format: "Parquet", Location: outputLocation },
              ClientToken: InputDigest.clientToken({
                fileSha256: hash,
                features,
                inputLocation,
                outputLocation,
                roleArn: place.roleArn
              }),
              ...(features.length > 0
                ? { ActionOptions: { ValidateAddress: { AdditionalFeatures: features as Array<"Position" | "CountrySpecificAttributes"> } } }
                : {}),
              Name: "geojobs-validate"
            }
            const startedAt = Date.now()
            const started = yield* LocationJobs.startJob(request).pipe(Run.call("StartJob"))
            const reused = started.Status !== "Pending" || started.CreatedAt.getTime() < startedAt - 5_000
            io.stderr(
              reused
                ? `geojobs: reusing job ${started.JobId} (same input and options, started ${started.CreatedAt.toISOString()}; ${started.Status})\n`
                : `geojobs: started job ${started.JobId}\n`
            )
            // 4. Wait.
            // On the embedded service the runner's row count is at hand: show it.
            const local = session.local
            const detail = local === undefined ? undefined : (job: { readonly JobId: string; readonly Status: string }) =>
              job.Status !== "Running" ? Effect.succeed(undefined) : local.store.get(job.JobId).pipe(
                Effect.map((record) => {
                  const done = Option.getOrUndefined(record)?.progress?.recordsProcessed
                  return done === undefined ? undefined : `${done}/${converted.rows} rows`
                }),
                Effect.orElseSucceed(() => undefined)
              )
            yield* waitWithProgress(started.JobId, {
              timeoutMs,
              delayMs: undefined,
              label: `validating ${config.file}`,
              detail
            })
            // 5. Download the output object(s).
            const prefix = `${place.outputPrefix}${started.JobId}/`
            const keys = (yield* store.list(place.outputBucket, prefix)).filter((k) => k.endsWith(".parquet"))
            if (keys.length === 0) {
              return yield* new ObjectStoreError({
                reason: "Other",
                message: `job ${started.JobId} Completed but wrote no Parquet output under s3://${place.outputBucket}/${prefix}`
              })
            }
            const files: Array<string> = []
            for (const [n, k] of keys.entries()) {
              const file = Path.join(work, `output-${String(n).padStart(5, "0")}.parquet`)
              yield* store.download(place.outputBucket, k, file)
              files.push(file)
            }
            return { jobId: started.JobId, outputs: files }
          })
        )

        // 6. The result file, and the summary.
        const summary = Summary.make()
        const columns = (yield* Effect.scoped(Effect.flatMap(NodeFile.source(outputs[0]!), (s) => Parquet.info(s, outputs[0]!)))).columns
        const chunks = Stream.fromIterable(outputs).pipe(
          Stream.flatMap((file) => NodeFile.readColumnar(file, { format: "parquet", requireAddressColumns: false })),
          Stream.tap((chunk) => Effect.sync(() => summary.add(chunk)))
        )
        if (outputFormat === "parquet" && outputs.length === 1) {
          // Keep the service's file as it is (column types included); count from it.
          yield* Stream.runDrain(chunks)
          const temp = NodeFile.tempPathFor(output)
          yield* Effect.tryPromise({
            try: async () => {
              await FsP.copyFile(outputs[0]!, temp)
              await FsP.rename(temp, output)
            },
            catch: (e) => new UsageError({ message: `${shownOutput}: cannot write: ${(e as Error).message}` })
          }).pipe(Effect.tapError(() => Effect.promise(() => FsP.rm(temp, { force: true }))))
        } else {
          yield* NodeFile.writeAll(output, columns, chunks, { format: outputFormat })
        }
        const counts = summary.result()
        io.stderr(`geojobs: wrote ${shownOutput}\n`)
        yield* Run.print(globals, "Validate", {
          Input: config.file,
          Output: shownOutput,
          JobId: jobId,
          Rows: counts.rows,
          Validated: counts.validated,
          Corrected: counts.corrected,
          Unconfirmed: counts.unconfirmed,
          Failed: counts.failed
        })
      }).pipe(Effect.scoped))
).pipe(
  Command.withDescription(
    "Validates a file of addresses: CSV/Parquet/JSON Lines in, validated file out (locally by default, or on AWS with --region, --bucket, --role-arn)."
  )
)
