/**
 * `geojobs validate` end to end on the embedded local service (no endpoint, no Region: the
 * service starts in-process with its data under `<cwd>/.geojobs`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ExitCode from "../src/ExitCode.js"
import { geojobs, json, tempDir } from "./Harness.js"

const csv = [
  "id,address,city,state,zip",
  "1,1600 Pennsylvania Ave NW,Washington,DC,20500",
  "2,350 Fifth Avenue,New York,NY,10118",
  "3,1 Infinite Loop,Cupertino,CA,95014",
  "4,123 Nowhere Street,Springfield,ZZ,00000"
].join("\n") + "\n"

const workspace = () => {
  const cwd = tempDir()
  Fs.writeFileSync(Path.join(cwd, "addresses.csv"), csv)
  return cwd
}

const readRows = (file: string) =>
  Effect.runPromise(
    Stream.runCollect(NodeFile.read(file, { requireAddressColumns: false })).pipe(Effect.map((chunks) => [...chunks].flat()))
  )

describe("validate", () => {
  it("takes a CSV to a validated CSV on the embedded service, with a summary; a rerun reuses the job", async () => {
    const cwd = workspace()
    const first = await geojobs(["validate", "addresses.csv"], { cwd })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/^geojobs: target: embedded local service at http:\/\/127\.0\.0\.1:\d+ \(data in \.\/\.geojobs\)$/m)
    expect(first.stderr).toMatch(/geojobs: uploading 4 rows to s3:\/\/geojobs-input\/[0-9a-f]{32}\/input\.parquet/)
    expect(first.stderr).toContain("geojobs: wrote addresses.validated.csv")
    const summary = json(first)
    expect(summary).toMatchObject({ Input: "addresses.csv", Output: "addresses.validated.csv", Rows: 4 })
    expect(summary.Validated + summary.Corrected + summary.Unconfirmed + summary.Failed).toBe(4)
    expect(summary.Unconfirmed + summary.Failed).toBeGreaterThanOrEqual(1) // the made-up address

    const rows = await readRows(Path.join(cwd, "addresses.validated.csv"))
    expect(rows).toHaveLength(4)
    expect(rows[0]).toMatchObject({ Input_Id: "1", Input_AddressLines_1: "1600 Pennsylvania Ave NW" })
    expect(Object.keys(rows[0]!)).toContain("Output_ValidationResults_MatchConfidence")
    expect(Fs.existsSync(Path.join(cwd, ".geojobs"))).toBe(true)

    const again = await geojobs(["validate", "addresses.csv"], { cwd })
    expect(again.code, again.stderr).toBe(0)
    expect(json(again).JobId).toBe(summary.JobId)
    expect(again.stderr).toContain("geojobs: input already uploaded")
    expect(again.stderr).toContain(`geojobs: reusing job ${summary.JobId}`)
    const jobs = json(await geojobs(["list-jobs"], { cwd }))
    expect(jobs.Entries.map((e: { JobId: string }) => e.JobId)).toEqual([summary.JobId])
  })

  it("writes another format with --format/--out, asks for features, and reads JSON Lines", async () => {
    const cwd = workspace()
    const parquet = await geojobs(["validate", "addresses.csv", "--format", "parquet", "--out", "out/result.parquet", "--features", "Position"], {
      cwd: (Fs.mkdirSync(Path.join(cwd, "out")), cwd)
    })
    expect(parquet.code, parquet.stderr).toBe(0)
    const rows = await readRows(Path.join(cwd, "out", "result.parquet"))
    expect(rows).toHaveLength(4)
    expect(Object.keys(rows[0]!)).toContain("Output_Position_Latitude")

    Fs.writeFileSync(
      Path.join(cwd, "more.jsonl"),
      "{\"AddressLines_1\":\"350 Fifth Avenue\",\"AddressComponents_Locality\":\"New York\",\"AddressComponents_Region\":\"NY\"}\n"
    )
    const jsonl = await geojobs(["validate", "more.jsonl", "--output", "text"], { cwd })
    expect(jsonl.code, jsonl.stderr).toBe(0)
    expect(jsonl.stdout).toMatch(/^\d+\t\d+\tmore\.jsonl\tgeojobs-validate-\S+\tmore\.validated\.jsonl\t1\t/)
    const line = JSON.parse(Fs.readFileSync(Path.join(cwd, "more.validated.jsonl"), "utf8").split("\n")[0]!)
    expect(line.Input_AddressLines_1).toBe("350 Fifth Avenue")
  })

  it("bad input: a missing file, a CSV with no address columns, an unknown feature — one line each", async () => {
    const cwd = workspace()
    const missing = await geojobs(["validate", "nope.csv"], { cwd })
    expect(missing.code).toBe(ExitCode.Usage)
    expect(missing.stderr).toBe("geojobs: nope.csv: no such file\n")

    Fs.writeFileSync(Path.join(cwd, "pets.csv"), "name,species\nRex,dog\n")
    const noColumns = await geojobs(["validate", "pets.csv"], { cwd })
    expect(noColumns.code).toBe(ExitCode.ServiceError)
    expect(noColumns.stderr).toMatch(/^geojobs: .*pets\.csv: none of the address columns is present \(found only "name", "species"\)/)
    expect(noColumns.stderr.trim().split("\n")).toHaveLength(1)
    expect(noColumns.stderr).not.toMatch(/\n\s+at /)

    const feature = await geojobs(["validate", "addresses.csv", "--features", "Position,Speed"], { cwd })
    expect(feature.code).toBe(ExitCode.Usage)
    expect(feature.stderr).toContain("--features: unknown feature \"Speed\"")
  })

  it("on AWS, says that --bucket and --role-arn are needed (before any call)", async () => {
    const cwd = workspace()
    const r = await geojobs(["validate", "addresses.csv", "--region", "us-east-1"], { cwd })
    expect(r.code).toBe(ExitCode.Usage)
    expect(r.stderr).toContain("geojobs: target: AWS us-east-1 (--region)")
    expect(r.stderr).toMatch(/validate on AWS needs --bucket .* and --role-arn .*; missing: --bucket <name>, --role-arn <arn>/)
    const onlyRole = await geojobs(["validate", "addresses.csv", "--bucket", "b"], { cwd, env: { AWS_REGION: "eu-west-1" } })
    expect(onlyRole.stderr).toMatch(/missing: --role-arn <arn>$/m)
  })

  it("--out's extension sets the format: Parquet, TSV and JSON are written as named", async () => {
    const cwd = workspace()
    const parquet = await geojobs(["validate", "addresses.csv", "--out", "result.parquet"], { cwd })
    expect(parquet.code, parquet.stderr).toBe(0)
    expect(Fs.readFileSync(Path.join(cwd, "result.parquet")).subarray(0, 4).toString()).toBe("PAR1")
    expect(await readRows(Path.join(cwd, "result.parquet"))).toHaveLength(4)

    const tsv = await geojobs(["validate", "addresses.csv", "--out", "result.tsv"], { cwd })
    expect(tsv.code, tsv.stderr).toBe(0)
    const lines = Fs.readFileSync(Path.join(cwd, "result.tsv"), "utf8").split("\n")
    expect(lines[0]).toMatch(/^Input_Id\tInput_AddressLines_1\t/)
    expect(lines[1]).toMatch(/^1\t1600 Pennsylvania Ave NW\t/)

    const json = await geojobs(["validate", "addresses.csv", "--format", "json"], { cwd })
    expect(json.code, json.stderr).toBe(0)
    const array = JSON.parse(Fs.readFileSync(Path.join(cwd, "addresses.validated.json"), "utf8"))
    expect(array).toHaveLength(4)
    expect(array[1]).toMatchObject({ Input_Id: "2", Input_AddressLines_1: "350 Fifth Avenue" })
    // written beside the result under a temporary name, renamed when complete: nothing left over
    expect(Fs.readdirSync(cwd).filter((name) => name.endsWith(".tmp"))).toEqual([])
  })

  it("a --format that contradicts --out, an --out of unknown format, or a missing directory: refused before any work", async () => {
    const cwd = workspace()
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [["--format", "csv", "--out", "x.parquet"], /^geojobs: --format csv does not match --out x\.parquet \(a Parquet name\)/],
      [["--out", "result.txt"], /^geojobs: cannot tell the format of --out result\.txt: name it \.csv, \.tsv, \.parquet, \.jsonl or \.json, or pass --format/],
      [["--out", "missing/dir/x.csv"], /^geojobs: missing\/dir\/x\.csv: the directory missing\/dir does not exist/],
      [["--out", "addresses.csv"], /^geojobs: --out addresses\.csv is the input file/]
    ]
    for (const [args, message] of cases) {
      const r = await geojobs(["validate", "addresses.csv", ...args], { cwd })
      expect(r.code, r.stderr).toBe(ExitCode.Usage)
      expect(r.stderr).toMatch(message)
      // one line, and nothing started: no target, no upload, no job, no data directory
      expect(r.stderr.trim().split("\n")).toHaveLength(1)
      expect(Fs.existsSync(Path.join(cwd, ".geojobs"))).toBe(false)
    }
    expect(Fs.readFileSync(Path.join(cwd, "addresses.csv"), "utf8")).toBe(csv)
  })

  it("reads ; separated UTF-16 input with spreadsheet headers, and writes ; back; --delimiter overrides", async () => {
    const cwd = tempDir()
    const text = "Record ID;Street Address;Town/City;State/Province;Zip/Postal Code\n1;350 Fifth Avenue;New York;NY;10118\n2;1 Main St, Apt 2;Springfield;IL;00501\n"
    Fs.writeFileSync(Path.join(cwd, "semi.csv"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))
    const r = await geojobs(["validate", "semi.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const out = Fs.readFileSync(Path.join(cwd, "semi.validated.csv"), "utf8")
    expect(out.split("\n")[0]).toMatch(/^Input_Id;Input_AddressLines_1;/)
    const rows = await readRows(Path.join(cwd, "semi.validated.csv"))
    expect(rows[1]).toMatchObject({ Input_Id: "2", Input_AddressLines_1: "1 Main St, Apt 2", Input_AddressComponents_PostalCode: "00501" })

    // told to split on "," the same file has no address column (only fragments of lines)
    const forced = await geojobs(["validate", "semi.csv", "--delimiter", ",", "--out", "forced.csv"], { cwd })
    expect(forced.code).toBe(ExitCode.ServiceError)
    expect(forced.stderr).toMatch(/none of the address columns is present/)
    const bad = await geojobs(["validate", "semi.csv", "--delimiter", "ab"], { cwd })
    expect(bad.code).toBe(ExitCode.Usage)
    expect(bad.stderr).toMatch(/--delimiter: expected one character/)
    Fs.writeFileSync(Path.join(cwd, "in.jsonl"), '{"address":"1 Main St"}\n')
    const notCsv = await geojobs(["validate", "in.jsonl", "--delimiter", ";"], { cwd })
    expect(notCsv.code).toBe(ExitCode.Usage)
    expect(notCsv.stderr).toBe("geojobs: --delimiter applies to CSV and TSV input; in.jsonl is jsonl\n")
  })

  it("JSON Lines values come back as written: nested JSON as JSON text, leading zeros, numbers, empty strings", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(
      Path.join(cwd, "in.jsonl"),
      '{"Id": 1.50, "address": "350 Fifth Avenue", "city": "New York", "zip": "01001", "tags": ["vip", {"since": 2019}], "meta": {"a": null}, "note": ""}\n'
    )
    const r = await geojobs(["validate", "in.jsonl"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const line = JSON.parse(Fs.readFileSync(Path.join(cwd, "in.validated.jsonl"), "utf8").split("\n")[0]!)
    expect(line).toMatchObject({
      Input_Id: "1.50",
      Input_AddressLines_1: "350 Fifth Avenue",
      Input_AddressComponents_PostalCode: "01001",
      Input_tags: '["vip",{"since":2019}]',
      Input_meta: '{"a":null}',
      Input_note: ""
    })
  })

  it("a file with no line break: one error line, capped, not the whole header", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "one.csv"), "x".repeat(2 << 20))
    const r = await geojobs(["validate", "one.csv"], { cwd })
    expect(r.code).toBe(ExitCode.ServiceError)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr.length).toBeLessThan(1100)
    expect(r.stderr).toContain("none of the address columns is present")
  })

  it("Latin-1 input: one line naming the conversion", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "latin.csv"), Buffer.from("address,city\n1 Hauptstra\xdfe,Z\xfcrich\n", "latin1"))
    const r = await geojobs(["validate", "latin.csv"], { cwd })
    expect(r.code).not.toBe(0)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("iconv -f latin1 -t utf-8 latin.csv > latin.utf8.csv")
  })
})

describe("validate: a Parquet input", () => {
  const writeParquet = (file: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<Record<string, string | null>>) =>
    Effect.runPromise(NodeFile.writeAll(file, columns, Stream.make(rows), { format: "parquet" }))

  it("is the job's input as it is: not converted, left untouched, its rows validated", async () => {
    const cwd = tempDir()
    const input = Path.join(cwd, "in.parquet")
    await writeParquet(input, ["Id", "AddressLines_1", "AddressComponents_Locality", "AddressComponents_Region", "AddressComponents_PostalCode", "AddressComponents_Country"], [
      { Id: "1", AddressLines_1: "1 City Hall Square", AddressComponents_Locality: "Boston", AddressComponents_Region: "MA", AddressComponents_PostalCode: "02201", AddressComponents_Country: "USA" },
      { Id: "2", AddressLines_1: "1600 Pennsylvania Ave NW", AddressComponents_Locality: "Washington", AddressComponents_Region: "DC", AddressComponents_PostalCode: "20500", AddressComponents_Country: null }
    ])
    const before = Fs.readFileSync(input)
    const r = await geojobs(["validate", "in.parquet", "--out", "out.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/^geojobs: convert:/m)
    expect(json(r).Rows).toBe(2)
    expect(Fs.readFileSync(input).equals(before)).toBe(true)
    const rows = await readRows(Path.join(cwd, "out.csv"))
    expect(rows.map((row) => row.Input_AddressLines_1)).toEqual(["1 City Hall Square", "1600 Pennsylvania Ave NW"])
    // the job's input object holds the file's own bytes
    const blobs = Fs.readdirSync(Path.join(cwd, ".geojobs"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => Fs.readFileSync(Path.join(e.parentPath, e.name)))
    expect(blobs.some((bytes) => bytes.equals(before))).toBe(true)
  })

  it("without an address column is refused before the job, naming the file", async () => {
    const cwd = tempDir()
    await writeParquet(Path.join(cwd, "in.parquet"), ["name", "email"], [{ name: "a", email: "b" }])
    const r = await geojobs(["validate", "in.parquet"], { cwd })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/in\.parquet: none of the address columns is present \(found only "name", "email"\)/)
    expect(r.stderr).not.toMatch(/geojobs: target:/)
  })
})

