/**
 * `ResultPass`: the job's output passed row group by row group in worker threads gives the
 * same result file, `--review` file and summary as reading it in order on one thread (what
 * `validate` did before, kept here as the oracle): per format and layout, over hostile values,
 * across files and row groups; a group that cannot be decoded fails the pass with the file's
 * name and nothing is left behind.
 */
import { describe, expect, it } from "@effect/vitest"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Parquet from "@geojobs/dataset/Parquet"
import type { Format } from "@geojobs/dataset/Format"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ResultColumns from "../src/ResultColumns.js"
import * as ResultPass from "../src/ResultPass.js"
import * as Summary from "@geojobs/address/ResultSummary"
import { geojobs, tempDir } from "./Harness.js"

const hostile = [
  "say \"hi\", then leave",
  "two\nlines",
  "crlf\r\nline",
  "semi;colon|pipe\ttab",
  "ünïcödé 東京 🏠",
  "{\"nested\":{\"json\":[1,2,3]}}",
  "00501",
  " padded "
]

/** A job output of `rows` rows written by the embedded service (row groups of 5,000). */
const jobOutput = async (dir: string, rows: number): Promise<string> => {
  const lines = ["id,address,city,state,zip,country,note"]
  const cities = [["Boston", "MA", "02201", "USA"], ["Sydney", "NSW", "2000", "AUS"], ["Ottawa", "ON", "K1A 0A9", "CAN"], ["Nowhere", "ZZ", "", "Atlantis"]]
  for (let i = 0; i < rows; i++) {
    const [city, state, zip, country] = cities[i % cities.length]!
    const note = hostile[i % hostile.length]!
    lines.push([String(i).padStart(6, "0"), i % 7 === 0 ? "" : `${i % 900 + 1} Main St`, city, state, zip, country, `"${note.replaceAll("\"", "\"\"")}"`].join(","))
  }
  Fs.writeFileSync(Path.join(dir, "in.csv"), lines.join("\n") + "\n")
  const r = await geojobs(["validate", "in.csv", "--out", "service.parquet", "--features", "Position", "--quiet"], { cwd: dir })
  expect(r.code, r.stderr).toBe(0)
  return Path.join(dir, "service.parquet")
}

const inputNames: ReadonlyArray<readonly [string, string]> = [
  ["Id", "id"],
  ["AddressLines_1", "address"],
  ["AddressComponents_Locality", "city"],
  ["AddressComponents_Region", "state"],
  ["AddressComponents_PostalCode", "zip"],
  ["AddressComponents_Country", "country"],
  ["note", "note"]
]

/** Enough to keep rows of the second file too. */
const limits = { attentionLimit: 20_000, pointLimit: 20_000 }

interface Written {
  readonly summary: Summary.Summary
}

/** The oracle: the files read in order on this thread, summarised, laid out and written. */
const serial = (
  files: ReadonlyArray<string>,
  layout: ResultColumns.Layout,
  out: string,
  format: Format,
  review: string,
  summary = Summary.make(limits)
) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const columns = (yield* Effect.scoped(Effect.flatMap(NodeFile.source(files[0]!), (s) => Parquet.info(s, files[0]!)))).columns
    const plan = ResultColumns.plan(layout, columns, inputNames)
    const reviewPlan = ResultColumns.plan("compact", columns, inputNames, { message: true })
    const reviewWriter = yield* NodeFile.writer(review, ["Row", ...reviewPlan.columns], { format: "csv" })
    let seen = 0
    const chunks = Stream.fromIterable(files).pipe(
      Stream.flatMap((file) => NodeFile.readColumnar(file, { format: "parquet", requireAddressColumns: false })),
      Stream.mapEffect((chunk) => {
        const outcomes = summary.add(chunk)
        const first = seen + 1
        seen += chunk.length
        return Effect.as(reviewWriter.writeColumnar(ResultPass.reviewRows(reviewPlan.apply(chunk, outcomes), first)), plan.apply(chunk, outcomes))
      })
    )
    yield* NodeFile.writeAll(out, plan.columns, chunks, { format })
    yield* reviewWriter.close
    return { summary: summary.result() } satisfies Written
  })))

/** The pass with `workers` threads. */
const passed = (files: ReadonlyArray<string>, layout: ResultColumns.Layout, out: string, format: Format, review: string, workers: number) =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const columns = (yield* Effect.scoped(Effect.flatMap(NodeFile.source(files[0]!), (s) => Parquet.info(s, files[0]!)))).columns
    const plan = ResultColumns.plan(layout, columns, inputNames)
    const reviewPlan = ResultColumns.plan("compact", columns, inputNames, { message: true })
    const summary = Summary.make(limits)
    const result = yield* NodeFile.writer(out, plan.columns, { format })
    const reviewWriter = yield* NodeFile.writer(review, ["Row", ...reviewPlan.columns], { format: "csv" })
    let last = 0
    yield* ResultPass.run({
      inputs: files.map((file) => ({ file, open: NodeFile.source(file) })),
      spec: {
        limits,
        layout,
        outputColumns: columns,
        inputNames,
        result: { format, columns: result.columns },
        review: { format: "csv", columns: reviewWriter.columns }
      },
      summary,
      result,
      review: reviewWriter,
      workers,
      onRows: (n) => {
        expect(n).toBeGreaterThan(last)
        last = n
      }
    })
    yield* result.close
    yield* reviewWriter.close
    return { summary: summary.result(), rows: last }
  })))

const parquetRows = (file: string) =>
  Effect.runPromise(Stream.runCollect(NodeFile.readColumnar(file, { format: "parquet", requireAddressColumns: false }).pipe(
    Stream.map((c) => c.columns.map((name) => c.data[name]))
  ))).then((chunks) => {
    const columns: Array<Array<unknown>> = []
    for (const chunk of chunks) chunk.forEach((values, c) => (columns[c] ??= []).push(...(values ?? [])))
    return columns
  })

describe("ResultPass", () => {
  const dir = tempDir("geojobs-resultpass-")
  let service: Promise<string> | undefined
  const output = () => (service ??= jobOutput(dir, 12_345))

  it("a job output spans several row groups (what the pass splits on)", async () => {
    const file = await output()
    const info = await Effect.runPromise(Effect.scoped(Effect.flatMap(NodeFile.source(file), (s) => Parquet.info(s, file))))
    expect(info.numRows).toBe(12_345)
    expect(info.rowGroups.length).toBeGreaterThanOrEqual(2)
  }, 180_000)

  for (const [format, layout] of [
    ["csv", "aws"],
    ["tsv", "original"],
    ["jsonl", "compact"],
    ["json", "original"],
    ["parquet", "compact"]
  ] as const) {
    it(`in workers: the same ${format} (${layout} layout), review file and summary as in order on one thread`, async () => {
      const file = await output()
      // two files: row numbers and the summary carry on from one to the next
      const files = [file, file]
      const work = tempDir("geojobs-resultpass-run-")
      const at = (name: string) => Path.join(work, name)
      const oracle = await serial(files, layout, at(`serial.${format}`), format, at("serial-review.csv"))
      const inWorkers = await passed(files, layout, at(`workers.${format}`), format, at("workers-review.csv"), 2)
      const inline = await passed(files, layout, at(`inline.${format}`), format, at("inline-review.csv"), 0)
      expect(inWorkers.rows).toBe(2 * 12_345)
      expect(inWorkers.summary).toEqual(oracle.summary)
      expect(inline.summary).toEqual(oracle.summary)
      expect(oracle.summary.attention.at(-1)!.row).toBeGreaterThan(12_345)
      expect(oracle.summary.points.at(-1)!.row).toBeGreaterThan(12_345)
      if (format === "parquet") {
        const want = await parquetRows(at(`serial.${format}`))
        expect(await parquetRows(at(`workers.${format}`))).toEqual(want)
        expect(await parquetRows(at(`inline.${format}`))).toEqual(want)
      } else {
        const want = Fs.readFileSync(at(`serial.${format}`))
        expect(Fs.readFileSync(at(`workers.${format}`)).equals(want)).toBe(true)
        expect(Fs.readFileSync(at(`inline.${format}`)).equals(want)).toBe(true)
      }
      const review = Fs.readFileSync(at("serial-review.csv"), "utf8")
      expect(review.split("\n").length).toBeGreaterThan(1000)
      expect(Fs.readFileSync(at("workers-review.csv"), "utf8")).toBe(review)
    }, 180_000)
  }

  for (const workers of [0, 2]) {
    it(`a result only summarised (${workers} workers): the same summary, input columns decoded only while rows are listed`, async () => {
      const file = await output()
      const files = [file, file]
      const work = tempDir("geojobs-resultpass-summary-")
      const oracle = await serial(files, "aws", Path.join(work, "serial.csv"), "csv", Path.join(work, "review.csv"), Summary.make())
      const summary = Summary.make()
      await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const columns = (yield* Effect.scoped(Effect.flatMap(NodeFile.source(file), (s) => Parquet.info(s, file)))).columns
        yield* ResultPass.run({
          inputs: files.map((f) => ({ file: f, open: NodeFile.source(f) })),
          spec: { limits: {}, layout: "aws", outputColumns: columns, inputNames, result: undefined, review: undefined },
          decode: Summary.columnsRead,
          summary,
          result: undefined,
          review: undefined,
          workers,
          onRows: () => undefined
        })
      })))
      const got = summary.result()
      expect(got).toEqual(oracle.summary)
      expect(got.attention.length).toBe(Summary.printedAttention)
      expect(got.attention.every((a) => a.input.length > 0)).toBe(true)
      expect(got.rows).toBe(2 * 12_345)
    }, 180_000)
  }

  it("a row group that cannot be decoded fails the pass with the file's name; the result file is not left behind", async () => {
    const file = await output()
    const bytes = Fs.readFileSync(file)
    // spoil the middle of the file: a page of a later row group
    const broken = Path.join(dir, "broken.parquet")
    const spoilt = Buffer.from(bytes)
    spoilt.fill(0xff, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 4096)
    Fs.writeFileSync(broken, spoilt)
    const work = tempDir("geojobs-resultpass-broken-")
    const failure = await passed([broken], "aws", Path.join(work, "out.csv"), "csv", Path.join(work, "review.csv"), 2).then(
      () => undefined,
      (e: unknown) => String(e)
    )
    expect(failure).toMatch(/broken\.parquet: /)
    expect(Fs.readdirSync(work)).toEqual([])
  }, 180_000)
})
