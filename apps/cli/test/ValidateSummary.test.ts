/**
 * `geojobs validate`'s summary as people act on it: counts by category from
 * `@geojobs/address/Outcome`, the most frequent reasons, rows by confidence and granularity, and
 * the first rows that need attention with their row number, input and reason.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { geojobs, json, tempDir } from "./Harness.js"

const csv = [
  "id,address,city,state,zip,country",
  "1,1 City Hall Square,Boston,MA,02201,USA",
  "2,,Boston,MA,02201,USA",
  "3,1 City Hall Square,Boston,MA,99999,USA",
  "4,1600 Pennsylvania Ave NW,Washington,DC,20500,USA"
].join("\n") + "\n"

describe("validate: the summary", () => {
  it("counts by category with reasons, confidence and granularity, and lists the rows that need attention", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), csv)
    const r = await geojobs(["validate", "in.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const summary = json(r)
    expect(summary.Rows).toBe(4)
    expect(summary.Validated + summary.Corrected + summary.Unconfirmed + summary.Failed).toBe(4)
    // every row has one reason, confidence and granularity
    const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)
    expect(total(summary.Reasons)).toBe(4)
    expect(total(summary.Confidence)).toBe(4)
    expect(total(summary.Granularity)).toBe(4)
    expect(summary.Reasons.StreetMissing).toBe(1)
    expect(summary.Reasons.PostalCodeNotFound).toBe(1)
    // the rows that need attention: row numbers of the input, its address, the reason
    const rows = summary.NeedsAttention as ReadonlyArray<{ Row: number; Category: string; Reason: string; Message: string; Input: string }>
    expect(rows.map((a) => [a.Row, a.Reason])).toEqual([[2, "StreetMissing"], [3, "PostalCodeNotFound"]])
    expect(rows[1]!.Input).toBe("1 City Hall Square, Boston, MA, 99999, USA")
    expect(rows[0]!.Category).toBe("Unconfirmed")
    expect(rows[0]!.Message).toMatch(/street/i)
    expect(summary.Validated).toBe(2)
  }, 120_000)
})

describe("validate: the summary of a Parquet result", () => {
  it("is the summary of the same rows written as CSV, whether counted as the job ran or read from the file", async () => {
    const cwd = tempDir()
    const rows = [
      csv.trimEnd(),
      "5,Bennelong Point,Sydney,NSW,2000,Australia",
      "6,24 Sussex Dr,Ottawa,BC,K1A 0A9,Canada",
      "7,10 Downing St,London,,SW1A 2AA,GB",
      "8,1 Main St,Nowhere,ZZ,,Atlantis",
      "9,1600 Pennsylvania Ave NW,Washingtn,DC,20500,USA",
      "10,,,,,"
    ].join("\n") + "\n"
    Fs.writeFileSync(Path.join(cwd, "in.csv"), rows)
    // the job runs in this command: the embedded service counts the summary as it validates
    const asParquet = await geojobs(["validate", "in.csv", "--out", "out.parquet", "--features", "Position"], { cwd })
    expect(asParquet.code, asParquet.stderr).toBe(0)
    expect(asParquet.stderr).not.toMatch(/reusing job/)
    // the same job again: its output file is read (all of it for CSV, the summary's columns for Parquet)
    const asCsv = await geojobs(["validate", "in.csv", "--out", "out.csv", "--features", "Position"], { cwd })
    expect(asCsv.code, asCsv.stderr).toBe(0)
    expect(asCsv.stderr).toMatch(/reusing job/)
    const again = await geojobs(["validate", "in.csv", "--out", "again.parquet", "--features", "Position"], { cwd })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/reusing job/)
    const { Output: _csvOutput, ...fromCsv } = json(asCsv)
    const { Output: _parquetOutput, ...fromParquet } = json(asParquet)
    const { Output: _againOutput, ...fromFile } = json(again)
    expect(fromParquet).toEqual(fromCsv)
    expect(fromFile).toEqual(fromCsv)
    expect(Fs.readFileSync(Path.join(cwd, "again.parquet"))).toEqual(Fs.readFileSync(Path.join(cwd, "out.parquet")))
    expect(Object.keys(fromCsv.Confidence).length).toBeGreaterThan(1)
    expect(Object.keys(fromCsv.Reasons).length).toBeGreaterThan(4)
    expect(fromCsv.Failed).toBeGreaterThan(0)
    expect(fromCsv.Corrected).toBeGreaterThan(0)
  }, 120_000)
})

const readCsv = (file: string) => {
  const [header, ...lines] = Fs.readFileSync(file, "utf8").trimEnd().split("\n")
  return { header: header!.split(","), lines }
}

describe("validate: --columns and --review", () => {
  const input = [
    "Customer,Street Address,Town,State,Zip,Country,Note",
    "c1,1 City Hall Square,Boston,MA,02201,USA,first",
    "c2,,Boston,MA,02201,USA,no street",
    "c3,1600 Pennsylvania Ave NW,Washington,DC,20500,USA,third"
  ].join("\n") + "\n"

  it("original: the input's own names and order, then the result columns", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), input)
    const r = await geojobs(["validate", "in.csv", "--columns", "original"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const { header, lines } = readCsv(Path.join(cwd, "in.validated.csv"))
    expect(header.slice(0, 7)).toEqual(["Customer", "Street Address", "Town", "State", "Zip", "Country", "Note"])
    expect(header.some((h) => h.startsWith("Input_"))).toBe(false)
    expect(header).toContain("Output_Address_Label")
    expect(lines[0]!.startsWith("c1,1 City Hall Square,Boston,MA,02201,USA,first,")).toBe(true)
  }, 120_000)

  it("compact: the input's columns, then category, reason, confidence, address and position", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), input)
    const r = await geojobs(["validate", "in.csv", "--columns", "compact", "--out", "out.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const { header, lines } = readCsv(Path.join(cwd, "out.csv"))
    expect(header).toEqual([
      "Customer", "Street Address", "Town", "State", "Zip", "Country", "Note",
      "Validation_Category", "Validation_Reason", "Validation_Confidence", "Standardized_Address", "Latitude", "Longitude"
    ])
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(",Unconfirmed,StreetMissing,")
  }, 120_000)

  it("--review writes only the rows that need attention, numbered, with their reason; checked before the job", async () => {
    const cwd = tempDir()
    Fs.writeFileSync(Path.join(cwd, "in.csv"), input)
    const bad = await geojobs(["validate", "in.csv", "--review", "missing/review.csv"], { cwd })
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/^geojobs: .*missing/m)
    expect(Fs.existsSync(Path.join(cwd, ".geojobs")), "no job ran").toBe(false)
    const unknown = await geojobs(["validate", "in.csv", "--review", "review.txt"], { cwd })
    expect(unknown.stderr).toContain("geojobs: --review review.txt: name a .csv")

    const r = await geojobs(["validate", "in.csv", "--review", "review.csv"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain("geojobs: wrote review.csv (1 rows that need attention)")
    const { header, lines } = readCsv(Path.join(cwd, "review.csv"))
    expect(header[0]).toBe("Row")
    expect(header.at(-1)).toBe("Validation_Message")
    expect(lines).toHaveLength(1)
    expect(lines[0]!.startsWith("2,c2,,Boston,MA,02201,USA,no street,Unconfirmed,StreetMissing,")).toBe(true)
    // the result file keeps every row, in the default (aws) layout
    expect(readCsv(Path.join(cwd, "in.validated.csv")).header[0]).toBe("Input_Customer")
  }, 120_000)
})
