/**
 * `geojobs validate <file>`: a CSV, Parquet or JSON Lines file of addresses in, a validated file
 * out. Converts the file to the job's Parquet input (a Parquet file is that input as it is),
 * uploads it (once: the key is derived from the content), starts a ValidateAddress job with a ClientToken derived from the content and
 * options (a rerun reuses the job), waits with progress, downloads the output, writes the
 * result atomically, and prints a summary. Everything that can be checked before the job is:
 * the input (readable, its format, delimiter and encoding, an address column), and the result
 * file (its format from `--format` or `--out`'s extension, its directory; see `OutputFile`).
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as Contract from "@geojobs/dataset/Contract"
import type { DatasetError } from "@geojobs/dataset/DatasetError"
import type { DatasetWriter } from "@geojobs/dataset/DatasetWriter"
import * as Csv from "@geojobs/dataset/Csv"
import * as AddressColumns from "@geojobs/dataset/AddressColumns"
import * as Format from "@geojobs/dataset/Format"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as NodeParallel from "@geojobs/dataset/NodeParallel"
import * as Parquet from "@geojobs/dataset/Parquet"
import * as ValidatePool from "@geojobs/engine/ValidatePool"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as FsP from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { ObjectStoreError, UsageError } from "../CliError.js"
import * as Globals from "../Globals.js"
import * as InputDigest from "../InputDigest.js"
import { Io } from "../Io.js"
import * as S3Transfers from "../S3Transfers.js"
import * as OutputFile from "../OutputFile.js"
import * as Run from "../Run.js"
import { localRoleArn, Session } from "../Session.js"
import * as Progress from "../Progress.js"
import * as ResultColumns from "../ResultColumns.js"
import * as ResultPass from "../ResultPass.js"
import * as Summary from "@geojobs/address/ResultSummary"
import * as Target from "../Target.js"
import * as Duration from "../Duration.js"
import { endSignal, waitWithProgress } from "./Wait.js"

/** The features `--features` accepts. */
export const featureNames = ["Position", "CountrySpecificAttributes"] as const

/** `<dir>/<name>.validated.<ext>` next to the input. */
export const defaultOutput = OutputFile.defaultPath

const delimiterNames: Readonly<Record<string, string>> = {
  tab: "\t",
  "\\t": "\t",
  comma: ",",
  semicolon: ";",
  pipe: "|"
}

/** `--delimiter`: one character, or `tab`, `comma`, `semicolon`, `pipe`, `\t`. */
export const parseDelimiter = (raw: string | undefined): Effect.Effect<string | undefined, UsageError> => {
  if (raw === undefined) return Effect.succeed(undefined)
  const delimiter = delimiterNames[raw.toLowerCase()] ?? raw
  if (delimiter.length !== 1 || delimiter === "\"" || delimiter === "\n" || delimiter === "\r") {
    return Effect.fail(
      new UsageError({ message: `--delimiter: expected one character (e.g. , ; | or tab), not ${JSON.stringify(raw.slice(0, 20))}` })
    )
  }
  return Effect.succeed(delimiter)
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

/**
 * The `--report` file, checked before the job; the report's module (and its libraries) is loaded
 * only when the option is given. With it, a summary that keeps what the page shows.
 */
const reportFile = (options: {
  readonly cwd: string
  readonly raw: string | undefined
  readonly input: string
  readonly others: ReadonlyArray<readonly [option: string, path: string]>
}) => {
  const raw = options.raw
  return raw === undefined ? Effect.succeed(undefined) : Effect.gen(function*() {
    const Report = yield* Effect.promise(() => import("../Report.js"))
    const file = yield* Report.resolve({ ...options, raw })
    return { Report, file, limits: Report.limits }
  })
}

/** The `--review` file: its format from its extension. */
const reviewFile = (cwd: string, raw: string | undefined): Effect.Effect<OutputFile.OutputFile | undefined, UsageError> => {
  if (raw === undefined) return Effect.succeed(undefined)
  const format = Format.fromExtension(raw)
  if (format === undefined) {
    return Effect.fail(new UsageError({ message: `--review ${raw}: name a .csv, .tsv, .parquet, .jsonl or .json file (its extension sets the format)` }))
  }
  const path = Path.resolve(cwd, raw)
  return Effect.succeed({ path, shown: Path.relative(cwd, path), format })
}

/**
 * The input's columns as pairs of the name the job saw (`AddressColumns.mapHeaders`, as the
 * conversion maps them) and the name in the file.
 */
const inputColumnNames = (input: string, format: Format.Format, delimiter: string | undefined) =>
  Effect.map(
    NodeFile.columnsOf(input, { format, mapHeaders: false, requireAddressColumns: false, ...(delimiter !== undefined ? { delimiter } : {}) }),
    (original) => {
      const job = format === "parquet" ? original : AddressColumns.mapHeaders(original)
      return original.map((name, i) => [job[i]!, name] as const)
    }
  )

/** A Parquet input's row count, after the check that it has an address column. */
const parquetInput = (input: string) =>
  Effect.scoped(Effect.gen(function*() {
    const source = yield* NodeFile.source(input)
    const info = yield* Parquet.info(source, input)
    yield* Contract.requireAddressColumns(input, info.columns)
    return { rows: info.numRows }
  }))

/** `validate`. */
export const command = Command.make(
  "validate",
  {
    file: Args.text({ name: "file" }).pipe(Args.withDescription("A CSV, TSV, Parquet, JSON Lines or JSON file of addresses.")),
    out: Globals.optionalText(
      "out",
      "Where to write the result (default <name>.validated.<ext> next to the input); its extension sets the format."
    ),
    delimiter: Globals.optionalText("delimiter", "The input's field delimiter: , ; | or tab (default: detected from the first lines)."),
    features: Globals.optionalText("features", "Additional features: Position, CountrySpecificAttributes (comma-separated)."),
    bucket: Globals.optionalText("bucket", "S3 bucket for the input and output objects (required on AWS)."),
    roleArn: Globals.optionalText("role-arn", "The job's execution role (required on AWS)."),
    format: Options.choice("format", Format.formats).pipe(
      Options.withDescription("Format of the result (default: --out's extension, else the input's)."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    timeout: Globals.optionalText("timeout", "Give up waiting after this long (default 30m): exit code 5."),
    columns: Options.choice("columns", ResultColumns.layouts).pipe(
      Options.withDescription(
        "Layout of the result: aws (Amazon Location's column names, the default), original (your column names and order, then the result columns) or compact (your columns, then category, reason, confidence, standardized address and position)."
      ),
      Options.withDefault("aws" as const)
    ),
    quiet: Options.boolean("quiet").pipe(
      Options.withDescription("No progress and no informational lines on stderr (errors still are).")
    ),
    review: Globals.optionalText(
      "review",
      "Also write the rows that need attention (every row not Validated) with their row number, category, reason and message to this file (.csv, .tsv, .parquet, .jsonl or .json)."
    ),
    report: Globals.optionalText(
      "report",
      "Also write an HTML report to this file (.html): counts, reasons, charts, a map of the rows with a position (--features Position) and a searchable table of the rows that need attention; one page, no network needed."
    ),
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
        const delimiter = yield* parseDelimiter(config.delimiter)
        const stat = yield* Effect.tryPromise({
          try: () => FsP.stat(input),
          catch: () => new UsageError({ message: `${config.file}: no such file` })
        })
        if (stat.isDirectory()) return yield* new UsageError({ message: `${config.file}: is a directory, not a file` })
        const { inputFormat, inputDelimiter } = yield* Effect.scoped(Effect.gen(function*() {
          const source = yield* NodeFile.source(input)
          const format = yield* Format.detect(source, config.file)
          if (delimiter !== undefined && !Format.isDelimited(format)) {
            return yield* new UsageError({ message: `--delimiter applies to CSV and TSV input; ${config.file} is ${format}` })
          }
          const dialect = Format.isDelimited(format)
            ? yield* Csv.dialect(source, config.file, { delimiter: delimiter ?? (format === "tsv" ? "\t" : undefined) })
            : undefined
          return { inputFormat: format, inputDelimiter: dialect?.delimiter }
        }))
        // The result file: decided and checked now, not after the job.
        const result = yield* Either.match(
          OutputFile.resolve({ cwd: io.cwd, input, inputFormat, out: config.out, format: config.format }),
          { onLeft: Effect.fail, onRight: Effect.succeed }
        )
        yield* OutputFile.check(result, input)
        const review = yield* reviewFile(io.cwd, config.review)
        if (review !== undefined) {
          yield* OutputFile.check(review, input)
          if (Path.resolve(review.path) === Path.resolve(result.path)) {
            return yield* new UsageError({ message: `--review ${review.shown} is also the result file: choose another name` })
          }
        }
        const report = yield* reportFile({
          cwd: io.cwd,
          raw: config.report,
          input,
          others: [["--out", result.path], ...(review !== undefined ? [["--review", review.path] as const] : [])]
        })
        const output = result.path
        const outputFormat = result.format
        const shownOutput = result.shown
        // A CSV result keeps a CSV input's delimiter (a `;` file stays a `;` file).
        const csvOptions = outputFormat === "csv" && inputFormat === "csv" && inputDelimiter !== undefined && inputDelimiter !== "\t"
          ? { csv: { delimiter: inputDelimiter } }
          : {}

        const work = yield* Effect.acquireRelease(
          Effect.promise(() => FsP.mkdtemp(Path.join(Os.tmpdir(), "geojobs-validate-"))),
          (dir) => Effect.promise(() => FsP.rm(dir, { recursive: true, force: true }))
        )
        // 1. The job's input: Parquet with the spec's column names (header aliases mapped).
        const inputParquet = Path.join(work, "input.parquet")
        const progress = Progress.make(io, { quiet: config.quiet })
        const info = (line: string) => {
          if (!config.quiet) io.stderr(`geojobs: ${line}\n`)
        }
        // A Parquet input is the job's input as it is (the service reads it with the same reader
        // the conversion would: its names are not mapped, its values become text there); only
        // its footer is read here, for the row count and the address-column check.
        const converted = inputFormat === "parquet"
          ? yield* parquetInput(input)
          : yield* Effect.gen(function*() {
            const convertPhase = progress.phase("convert", { unit: "bytes", total: stat.size })
            const options = {
              requireAddressColumns: true,
              ...(inputDelimiter !== undefined ? { delimiter: inputDelimiter } : {}),
              onBytes: convertPhase.set
            }
            // CSV and TSV on worker threads (a large file; a small one or an odd one serially)
            const done = inputFormat === "csv" || inputFormat === "tsv"
              ? yield* NodeParallel.convertCsvToParquet(input, inputParquet, { ...options, inputFormat })
              : yield* NodeFile.convert(input, inputParquet, { ...options, inputFormat })
            convertPhase.end({ unit: "rows", done: done.rows })
            return done
          })
        // On the embedded service a large job's validation workers start now, while the input is
        // hashed and the service starts (one thread busy), instead of once the job has begun.
        const embedded = Either.match(Target.resolve(globals, io.env), { onLeft: () => false, onRight: (t) => t._tag === "Embedded" })
        const pool = embedded && converted.rows >= ValidatePool.defaultMinRowsForWorkers
          ? yield* ValidatePool.make()
          : undefined
        if (pool !== undefined) yield* Effect.forkScoped(Effect.ignore(pool.warm))
        const jobInput = inputFormat === "parquet" ? input : inputParquet
        // hashed while the service starts (the hash names the upload and the job's ClientToken)
        const hashing = yield* Effect.forkScoped(InputDigest.fileSha256(input))
        // The input's own column names, paired with the names the job saw (header aliases mapped).
        const inputNames = config.columns === "aws" && review === undefined
          ? []
          : yield* inputColumnNames(input, inputFormat, inputDelimiter)

        // The summary's limits (with --report, those of the page). On the embedded service the
        // runner counts each output's summary while it validates and hands it over here.
        const limits: Summary.Limits = report?.limits ?? {}
        const counted = new Map<string, Summary.Part>()
        const summaries = { limits, put: (bucket: string, key: string, part: Summary.Part) => counted.set(`${bucket}/${key}`, part) }
        // The embedded runner says when a job ends: the wait polls then, not at its next interval.
        const jobEnd = endSignal()

        const { jobId, summary } = yield* Run.withSession(
          globals,
          Effect.gen(function*() {
            const session = yield* Session
            const onAws = session.target._tag === "Aws"
            const hash = yield* Fiber.join(hashing)
            const place = yield* placement(onAws, config.bucket, config.roleArn, hash)
            const store = yield* S3Transfers.make(session)
            if (!onAws && config.bucket === undefined) {
              yield* store.ensureBucket(place.inputBucket)
              yield* store.ensureBucket(place.outputBucket)
            }
            // 2. Upload once: the key is derived from the content.
            const key = `${place.inputPrefix}input.parquet`
            const size = (yield* Effect.promise(() => FsP.stat(jobInput))).size
            if (yield* store.exists(place.inputBucket, key, size)) {
              info(`input already uploaded to s3://${place.inputBucket}/${key}`)
            } else {
              info(`uploading ${converted.rows} rows to s3://${place.inputBucket}/${key}`)
              const uploadPhase = progress.phase("upload", { unit: "bytes", total: size })
              yield* store.upload(place.inputBucket, key, jobInput, uploadPhase.set)
              uploadPhase.end({ unit: "bytes", done: size })
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
            info(
              reused
                ? `reusing job ${started.JobId} (same input and options, started ${started.CreatedAt.toISOString()}; ${started.Status})`
                : `started job ${started.JobId}`
            )
            // 4. Wait.
            // On the embedded service the runner's row count is at hand: show it; on AWS the status.
            const local = session.local
            const validatePhase = progress.phase("validate", { unit: "rows", total: converted.rows })
            const onPoll = (job: { readonly JobId: string; readonly Status: string }) =>
              local === undefined || job.Status !== "Running"
                ? Effect.void
                : local.store.get(job.JobId).pipe(
                  Effect.map((record) => {
                    const done = Option.getOrUndefined(record)?.progress?.recordsProcessed
                    if (done !== undefined) validatePhase.set(done)
                  }),
                  Effect.orElseSucceed(() => undefined)
                )
            // The embedded service answers in-process: poll it briskly, so a small job ends when it ends.
            const finished = yield* waitWithProgress(started.JobId, {
              timeoutMs,
              delayMs: local !== undefined ? 100 : undefined,
              onPoll,
              wake: local !== undefined ? jobEnd.wake : undefined
            })
            validatePhase.end(
              local === undefined ? `job ${finished.JobId} ${finished.Status}` : { unit: "rows", done: converted.rows }
            )
            // 5. The output object(s): read where the embedded service wrote them (a kept file
            // copied out meanwhile), else downloaded.
            const prefix = `${place.outputPrefix}${started.JobId}/`
            const keys = (yield* store.list(place.outputBucket, prefix)).filter((k) => k.endsWith(".parquet"))
            if (keys.length === 0) {
              return yield* new ObjectStoreError({
                reason: "Other",
                message: `job ${started.JobId} Completed but wrote no Parquet output under s3://${place.outputBucket}/${prefix}`
              })
            }
            // Parquet with the service's columns: its file is kept as it is (downloaded beside the
            // result, renamed once summarised), read only to be summarised (and for --review), so
            // without --review only the summary's columns are decoded.
            const keepServiceFile = outputFormat === "parquet" && keys.length === 1 && config.columns === "aws"
            const kept = keepServiceFile ? NodeFile.tempPathFor(output) : undefined
            if (kept !== undefined) yield* Effect.addFinalizer(() => Effect.promise(() => FsP.rm(kept, { force: true })))
            const inPlace = store.source
            const inputs: Array<ResultPass.Input<ObjectStoreError | DatasetError>> = []
            // the kept file's copy, made while the pass reads the object in place
            let copy: Effect.Effect<void, ObjectStoreError> = Effect.void
            if (inPlace !== undefined) {
              for (const k of keys) inputs.push({ file: `s3://${place.outputBucket}/${k}`, open: inPlace(place.outputBucket, k) })
              if (kept !== undefined) copy = store.download(place.outputBucket, keys[0]!, kept)
            } else {
              const downloadPhase = progress.phase("download", { unit: "bytes" })
              for (const [n, k] of keys.entries()) {
                const file = kept ?? Path.join(work, `output-${String(n).padStart(5, "0")}.parquet`)
                yield* store.download(place.outputBucket, k, file, downloadPhase.add)
                inputs.push({ file, open: NodeFile.source(file) })
              }
              downloadPhase.end()
            }

            // 6. The result file, and the summary (with --report, the one that keeps what the page
            // shows; the first rows that need attention are printed either way).
            const summary = Summary.make(limits)
            // A kept file only summarised, whose summary the embedded service counted: not read again
            const countedParts = inPlace !== undefined && kept !== undefined && review === undefined
              ? keys.map((k) => counted.get(`${place.outputBucket}/${k}`))
              : []
            const alreadyCounted = countedParts.length > 0 && countedParts.every((p) => p !== undefined)
            const writePhase = progress.phase("write", { unit: "rows", total: converted.rows })
            let resultWriter: DatasetWriter | undefined
            let reviewWriter: DatasetWriter | undefined
            if (alreadyCounted) {
              for (const part of countedParts) summary.absorb(part!)
              yield* copy
              writePhase.set(summary.result().rows)
            } else {
              const columns = (yield* Effect.scoped(Effect.flatMap(inputs[0]!.open, (s) => Parquet.info(s, inputs[0]!.file)))).columns
              const layout = ResultColumns.plan(config.columns, columns, inputNames)
              const reviewLayout = ResultColumns.plan("compact", columns, inputNames, { message: true })
              reviewWriter = review === undefined
                ? undefined
                : yield* NodeFile.writer(review.path, ["Row", ...reviewLayout.columns], { format: review.format })
              resultWriter = kept !== undefined
                ? undefined
                : yield* NodeFile.writer(output, layout.columns, { format: outputFormat, ...csvOptions })
              const pass = Effect.scoped(ResultPass.run({
                inputs,
                spec: {
                  limits,
                  layout: config.columns,
                  outputColumns: columns,
                  inputNames,
                  result: resultWriter === undefined
                    ? undefined
                    : { format: outputFormat, columns: resultWriter.columns, csv: csvOptions.csv },
                  review: reviewWriter === undefined ? undefined : { format: review!.format, columns: reviewWriter.columns }
                },
                decode: kept !== undefined && reviewWriter === undefined ? Summary.columnsRead : undefined,
                summary,
                result: resultWriter,
                review: reviewWriter,
                workers: ResultPass.workersFor(converted.rows, resultWriter !== undefined || reviewWriter !== undefined),
                onRows: writePhase.set
              }))
              yield* Effect.all([pass, copy], { concurrency: 2, discard: true })
            }
            if (resultWriter !== undefined) yield* resultWriter.close
            if (kept !== undefined) {
              yield* Effect.tryPromise({
                try: () => FsP.rename(kept, output),
                catch: (e) => new UsageError({ message: `${shownOutput}: cannot write: ${(e as Error).message}` })
              })
            }
            writePhase.end()
            if (reviewWriter !== undefined) {
              yield* reviewWriter.close
              info(`wrote ${review!.shown} (${reviewWriter.rowsWritten()} rows that need attention)`)
            }
            return { jobId: started.JobId, summary }
          }),
          { pool: pool === undefined ? undefined : ValidatePool.handle(pool), summaries, onJobEnd: jobEnd.tell }
        )
        const counts = summary.result()
        info(`wrote ${shownOutput}`)
        if (report !== undefined) {
          const meta = { input: config.file, output: shownOutput, jobId, generatedAt: new Date() }
          yield* report.Report.write(report.file, counts, meta)
          info(`wrote ${report.file.shown}`)
        }
        yield* Run.print(globals, "Validate", {
          Input: config.file,
          Output: shownOutput,
          JobId: jobId,
          Rows: counts.rows,
          Validated: counts.validated,
          Corrected: counts.corrected,
          Unconfirmed: counts.unconfirmed,
          Failed: counts.failed,
          Reasons: Object.fromEntries(counts.reasons),
          Confidence: Object.fromEntries(counts.confidence),
          Granularity: Object.fromEntries(counts.granularity),
          NeedsAttention: counts.attention.slice(0, Summary.printedAttention).map((a) => ({
            Row: a.row,
            Category: a.category,
            Reason: a.reason,
            Message: a.message,
            Input: a.input
          }))
        })
      }).pipe(Effect.scoped))
).pipe(
  Command.withDescription(
    "Validates a file of addresses: CSV/TSV/Parquet/JSON Lines/JSON in, validated file out (locally by default, or on AWS with --region, --bucket, --role-arn)."
  )
)
