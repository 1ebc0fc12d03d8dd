/**
 * Text files as people have them: `;`, tab and `|` separated as well as `,`, UTF-8 with or
 * without a byte-order mark, UTF-16 with one; Latin-1 refused with the command that converts
 * it; a file with no line break does not echo itself into the error.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Bytes from "../src/Bytes.js"
import * as Csv from "../src/Csv.js"
import * as Dataset from "../src/Dataset.js"
import * as Format from "../src/Format.js"
import * as JsonLines from "../src/JsonLines.js"
import { collect, streamFailure, text } from "./fixtures.js"

const rows = [
  { AddressLines_1: "1 Main St, Apt 2", AddressComponents_Locality: "Springfield", AddressComponents_PostalCode: "01101" },
  { AddressLines_1: "2 Oak Ave", AddressComponents_Locality: "Salem; Essex", AddressComponents_PostalCode: "01970" }
]

const utf16 = (s: string, endian: "le" | "be"): Uint8Array => {
  const out = new Uint8Array(2 + s.length * 2)
  out.set(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff])
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i)
    out[2 + 2 * i + (endian === "le" ? 0 : 1)] = unit & 0xff
    out[2 + 2 * i + (endian === "le" ? 1 : 0)] = unit >> 8
  }
  return out
}

describe("delimiters", () => {
  for (const [name, d] of [["comma", ","], ["semicolon", ";"], ["tab", "\t"], ["pipe", "|"]] as const) {
    it(`a ${name}-separated file is read with its delimiter detected`, async () => {
      const quote = (v: string) => (v.includes(d) || v.includes(",") || v.includes(";") ? `"${v}"` : v)
      const body = ["address", "city", "zip"].join(d) + "\n" +
        rows.map((r) => [r.AddressLines_1, r.AddressComponents_Locality, r.AddressComponents_PostalCode].map(quote).join(d)).join("\n") + "\n"
      expect(Csv.detectDelimiter(body)).toBe(d)
      expect(await collect(Csv.read(text(body), "in.csv"))).toEqual(rows)
    })
  }

  it("an explicit delimiter wins over detection", async () => {
    const body = "address;city|zip\n1 Main St;X|01101\n"
    expect(await collect(Csv.read(text(body), "in.csv", { delimiter: "|" }))).toEqual([
      { "address;city": "1 Main St;X", AddressComponents_PostalCode: "01101" }
    ])
  })

  it("a .tsv file is read with tabs and its format told by the extension", async () => {
    expect(Format.fromExtension("a.TSV")).toBe("tsv")
    const read = await collect(Dataset.read(text("address\tcity\n1 Main St, Apt 2\tSpringfield\n"), "a.tsv"))
    expect(read).toEqual([{ AddressLines_1: "1 Main St, Apt 2", AddressComponents_Locality: "Springfield" }])
  })

  it("a one-column file stays one column", async () => {
    expect(await collect(Csv.read(text("address\n1 Main St; Apt 2\n"), "in.csv"))).toEqual([{ AddressLines_1: "1 Main St; Apt 2" }])
  })
})

describe("encodings", () => {
  const csv = "address;city\nZürichstrasse 1;Zürich\n"
  const expected = [{ AddressLines_1: "Zürichstrasse 1", AddressComponents_Locality: "Zürich" }]

  it("UTF-8 with and without a byte-order mark", async () => {
    expect(await collect(Csv.read(text(csv), "a.csv"))).toEqual(expected)
    expect(await collect(Csv.read(text(`\ufeff${csv}`), "a.csv"))).toEqual(expected)
  })

  it("UTF-16 little- and big-endian with a byte-order mark (CSV and JSON Lines)", async () => {
    for (const endian of ["le", "be"] as const) {
      expect(Format.sniff(utf16(csv, endian))).toBe("csv")
      expect(await collect(Dataset.read(Bytes.fromBytes(utf16(csv, endian)), "a.csv"))).toEqual(expected)
      expect(await collect(Dataset.read(Bytes.fromBytes(utf16(csv, endian)), "a"))).toEqual(expected)
      const jsonl = '{"address":"Zürichstrasse 1","city":"Zürich"}\n'
      expect(await collect(JsonLines.read(Bytes.fromBytes(utf16(jsonl, endian)), "a.jsonl"))).toEqual(expected)
    }
  })

  it("Latin-1 is refused in one line that names the fix", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode("city\n"), 0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x0a])
    const error = await streamFailure(Csv.read(Bytes.fromBytes(latin1), "data/latin1.csv"))
    expect(error.reason).toBe("NotCsv")
    expect(error.message).toBe(
      "data/latin1.csv: not CSV: the text is not valid UTF-8 (at byte 6); it is probably Latin-1 (Windows-1252): " +
        "convert it first, e.g. iconv -f latin1 -t utf-8 latin1.csv > latin1.utf8.csv"
    )
    const jsonl = await streamFailure(JsonLines.read(Bytes.fromBytes(new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])), "x.jsonl"))
    expect(jsonl.message).toContain("iconv -f latin1 -t utf-8 x.jsonl > x.utf8.jsonl")
  })
})

describe("long values in errors", () => {
  it("a file with no line break does not echo its header whole", async () => {
    const header = "a".repeat(1 << 20)
    const error = await streamFailure(Csv.read(text(header), "oneline.csv"))
    expect(error.reason).toBe("NoAddressColumns")
    expect(error.message.length).toBeLessThan(1000)
    expect(error.message).toContain(`found only "${"a".repeat(60)}…"`)
  })

  it("many headers are listed up to a point", async () => {
    const headers = Array.from({ length: 500 }, (_, i) => `h${i}`)
    const error = await streamFailure(Csv.read(text(`${headers.join(",")}\n`), "wide.csv"))
    expect(error.message).toContain("and 480 more")
    expect(error.message.length).toBeLessThan(1000)
  })

})
