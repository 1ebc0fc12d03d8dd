import { afterAll, describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import * as fc from "fast-check"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import * as NodeFile from "../src/NodeFile.js"
import * as NodeParallel from "../src/NodeParallel.js"
import * as Parquet from "../src/Parquet.js"
import { failure, tempDir } from "./fixtures.js"

const dir = tempDir()
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const at = (name: string) => path.join(dir, name)
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

/** Small pieces, no small-file threshold: a file of a few hundred KB goes through many workers' pieces. */
const tuning = { minBytes: 0, pieceBytes: 4096, workers: 2 } as const

/** A deterministic pseudo-random generator. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed / 0x80000000
}

/** Values that stress the reader: quotes, delimiters, line breaks, unicode, spaces, a leading byte-order mark. */
const tricky = [
  "plain",
  "",
  "with, comma",
  "semi;colon",
  "tab\there",
  "pipe|bar",
  "say \"hi\"",
  "\"",
  "two\nlines",
  "crlf\r\nline",
  "\n",
  "Zürich",
  "東京都千代田区",
  "🏠 home",
  " spaced ",
  "\uFEFFbom-led",
  "a\"\"b"
]

interface Dialect {
  readonly delimiter: string
  readonly newline: "\n" | "\r\n" | "\r"
  readonly bom?: boolean
  readonly finalNewline?: boolean
  /** Line breaks of another kind than `newline` left unquoted (csv-parse keeps them in the field). */
  readonly bareBreaks?: boolean
  /** Empty lines before the header. */
  readonly leadingEmptyLines?: number
}

/** A CSV text of `rows` records in `dialect`, with empty lines, short and long rows, and a few fields larger than a piece. */
const generate = (rows: number, dialect: Dialect, seed = 7): string => {
  const next = random(seed)
  const pick = <A>(values: ReadonlyArray<A>): A => values[Math.floor(next() * values.length)]!
  const { delimiter, newline } = dialect
  const quoted = (value: string) => `"${value.replaceAll("\"", "\"\"")}"`
  /** A field as CSV writes it (sometimes quoted when it need not be); `bare`: left unquoted though it has a line break. */
  const field = ([value, bare]: readonly [string, boolean]): string =>
    ((value.includes(delimiter) || /["\r\n]/.test(value)) && !bare) || next() < 0.1 ? quoted(value) : value
  const header = ["id", "name, full", "multi\nline header", "", "address", "city", "id"]
  let text = (dialect.bom ? "\uFEFF" : "") + newline.repeat(dialect.leadingEmptyLines ?? 0)
  text += header.map((h) => (h.includes(delimiter) || h.includes("\n") ? `"${h}"` : h)).join(delimiter) + newline
  for (let r = 0; r < rows; r++) {
    const roll = next()
    if (roll < 0.03) {
      text += newline // an empty line: no record
      continue
    }
    if (roll < 0.04) {
      text += "\"\"" + newline // one empty quoted field: a record of nulls
      continue
    }
    const width = roll < 0.1 ? 3 : roll < 0.15 ? 9 : header.length
    const cells: Array<readonly [string, boolean]> = []
    for (let c = 0; c < width; c++) {
      if (c === 0) {
        // byte-order marks at the start of a record, so at the start of some pieces: content
        // there, kept as written
        const bom = next()
        cells.push([bom < 0.1 ? "\uFEFF" : bom < 0.2 ? `\uFEFF\uFEFFr${r}` : bom < 0.3 ? `\uFEFFr${r}` : `r${r}`, false])
      } else if (next() < 0.002) cells.push([`big "${"x\n,;\t|".repeat(1500)}" end`, false]) // larger than a piece
      else if (dialect.bareBreaks && next() < 0.05) cells.push([newline === "\n" ? "bare\rcr" : "bare\nlf", true])
      else cells.push([pick(tricky), false])
    }
    text += cells.map(field).join(delimiter)
    if (r < rows - 1 || dialect.finalNewline !== false) text += newline
  }
  return text
}

/** Every column and value of a Parquet file, in row order. */
const contents = (file: string) =>
  run(Stream.runCollect(NodeFile.readColumnar(file, { format: "parquet", requireAddressColumns: false }))).then((chunks) => {
    const all = [...chunks]
    const columns = all[0]?.columns ?? []
    return { columns, values: columns.map((c) => all.flatMap((chunk) => [...(chunk.data[c] ?? [])])) }
  })

const rowGroups = (file: string) =>
  run(Effect.scoped(Effect.flatMap(NodeFile.source(file), (source) => Parquet.info(source, file)))).then((info) => info.rowGroups)

const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))

/**
 * Converts `input` serially and in parallel (many pieces, no serial fallback) and checks both
 * give the same result, columns and values; returns the serial result and values.
 */
const compare = async (input: string, options: NodeParallel.ConvertOptions & NodeParallel.Tuning = {}) => {
  const serialOut = `${input}.serial.parquet`
  const parallelOut = `${input}.parallel.parquet`
  const inputFormat = input.endsWith(".tsv") ? "tsv" : "csv"
  const serial = await run(NodeFile.convert(input, serialOut, {
    inputFormat,
    requireAddressColumns: options.requireAddressColumns ?? false,
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {})
  }))
  const serialReasons: Array<string> = []
  const progress: Array<number> = []
  const parallel = await run(NodeParallel.convertCsvToParquet(input, parallelOut, {
    ...tuning,
    ...options,
    onSerial: (why) => serialReasons.push(why),
    onBytes: (n) => progress.push(n)
  }))
  // the parallel path was taken, over many pieces
  expect(serialReasons).toEqual([])
  expect((await rowGroups(parallelOut)).length).toBeGreaterThan(10)
  expect(parallel).toEqual(serial)
  const expected = await contents(serialOut)
  const actual = await contents(parallelOut)
  expect(actual.columns).toEqual(expected.columns)
  for (let c = 0; c < expected.columns.length; c++) expect(actual.values[c], expected.columns[c]).toEqual(expected.values[c])
  expect(progress.length).toBeGreaterThan(1)
  expect(progress).toEqual([...progress].sort((a, b) => a - b))
  expect(progress.at(-1)).toBe(fs.statSync(input).size)
  return { serial, expected }
}

/** The error of both conversions of `input`, checked equal; no output left behind by the parallel one. */
const sameError = async (input: string, options: NodeParallel.ConvertOptions & NodeParallel.Tuning = {}) => {
  const serialOut = `${input}.serial.parquet`
  const parallelOut = `${input}.parallel.parquet`
  const serial = await failure(NodeFile.convert(input, serialOut, {
    inputFormat: "csv",
    requireAddressColumns: options.requireAddressColumns ?? false
  }))
  const reasons: Array<string> = []
  const parallel = await failure(NodeParallel.convertCsvToParquet(input, parallelOut, {
    ...tuning,
    ...options,
    onSerial: (why) => reasons.push(why)
  }))
  expect(parallel.message).toBe(serial.message)
  expect(parallel.reason).toBe(serial.reason)
  expect(fs.existsSync(parallelOut)).toBe(false)
  expect(leftovers()).toEqual([])
  return { error: parallel, reasons }
}

type RecordDelimiter = NodeParallel.RecordDelimiter

/** What csv-parse reads, with the options of the serial reader and the workers; or its error's code. */
const csvParse = (text: string, delimiter: string, recordDelimiter: RecordDelimiter): Array<Array<string>> | string => {
  try {
    return parse(Buffer.from(text), { bom: false, delimiter, record_delimiter: recordDelimiter, relax_column_count: true, skip_empty_lines: true })
  } catch (e) {
    return String((e as { code?: unknown }).code)
  }
}

/** What `readRecords` reads, or "thrown". */
const fastParse = (text: string, delimiter: string, recordDelimiter: RecordDelimiter): Array<Array<string>> | "thrown" => {
  const records: Array<Array<string>> = []
  let current: Array<string> = []
  try {
    NodeParallel.readRecords(text, delimiter, recordDelimiter, (index, value) => (current[index] = value), (fields) => {
      expect(current.length).toBe(fields)
      records.push(current)
      current = []
    })
  } catch {
    return "thrown"
  }
  return records
}

const pieces = ["a", "bc", " ", "é", "東", "🏠", "\uFEFF", "\"", "\"\"", ",", ";", "\t", "|", "\r", "\n", "\r\n"]
const anyText = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(""))
const delimiter = fc.constantFrom(",", ";", "\t", "|")
const recordDelimiter = fc.constantFrom<RecordDelimiter>("\n", "\r\n", "\r")
/** Records written as CSV: quoted when they must be (and sometimes when they need not), joined by the record delimiter. */
const csvText = fc.tuple(
  delimiter,
  recordDelimiter,
  fc.array(fc.array(fc.tuple(anyText, fc.boolean()), { minLength: 1, maxLength: 6 }), { maxLength: 12 }),
  fc.boolean()
).map(([d, rd, records, last]) => {
  const field = ([value, quote]: readonly [string, boolean]) =>
    quote || value.includes(d) || /["\r\n]/.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value
  const text = records.map((record) => record.map(field).join(d)).join(rd) + (last && records.length > 0 ? rd : "")
  return { delimiter: d, recordDelimiter: rd, text }
})

describe("NodeParallel's CSV pieces", () => {
  it("readRecords reads what csv-parse reads, or throws (then csv-parse decides)", () => {
    fc.assert(
      fc.property(anyText, delimiter, recordDelimiter, (text, d, rd) => {
        const fast = fastParse(text, d, rd)
        if (fast !== "thrown") expect(fast).toEqual(csvParse(text, d, rd))
      }),
      { numRuns: 3000 }
    )
  })

  it("readRecords reads CSV as written without throwing", () => {
    fc.assert(
      fc.property(csvText, ({ delimiter: d, recordDelimiter: rd, text }) => {
        const expected = csvParse(text, d, rd)
        expect(typeof expected).not.toBe("string")
        expect(fastParse(text, d, rd)).toEqual(expected)
      }),
      { numRuns: 3000 }
    )
  })

  it("the cutter cuts at record ends only: the pieces read as the whole text reads", () => {
    fc.assert(
      fc.property(
        fc.oneof(csvText, fc.tuple(anyText, delimiter, recordDelimiter).map(([text, d, rd]) => ({ text, delimiter: d, recordDelimiter: rd }))),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 1, maxLength: 8 }),
        ({ delimiter: d, recordDelimiter: rd, text }, pieceBytes, pieceRows, blockSizes) => {
          const bytes = new TextEncoder().encode(text)
          const cut = NodeParallel.cutter(rd, pieceBytes, pieceRows)
          const out: Array<Uint8Array> = []
          for (let at = 0, b = 0; at < bytes.length; b++) {
            const end = Math.min(bytes.length, at + blockSizes[b % blockSizes.length]!)
            out.push(...cut.push(bytes.slice(at, end)))
            at = end
          }
          const rest = cut.end()
          if (rest !== undefined) out.push(rest)
          expect(Buffer.concat(out).toString()).toBe(text)
          const whole = csvParse(text, d, rd)
          // a text csv-parse rejects may be cut anywhere after its error: the serial reader is asked then
          if (typeof whole === "string") return
          const inPieces = out.map((piece) => csvParse(new TextDecoder("utf-8", { ignoreBOM: true }).decode(piece), d, rd))
          expect(inPieces.flat()).toEqual(whole)
        }
      ),
      { numRuns: 3000 }
    )
  })
})

describe("NodeParallel.convertCsvToParquet", { timeout: 120_000 }, () => {
  it("gives the serial conversion's columns and values: commas, LF, a byte-order mark, no final line break", async () => {
    const input = at("comma.csv")
    fs.writeFileSync(input, generate(3000, { delimiter: ",", newline: "\n", bom: true, finalNewline: false }))
    expect(fs.statSync(input).size).toBeGreaterThan(150_000)
    const { expected, serial } = await compare(input, { requireAddressColumns: true })
    // the generator's hard cases are really in the file
    expect(serial.columns).toEqual(["Id", "name, full", "multi\nline header", "column_4", "AddressLines_1", "AddressComponents_Locality", "id"])
    const values = expected.values.flat()
    for (const value of ["two\nlines", "crlf\r\nline", "say \"hi\"", "🏠 home", " spaced "]) expect(values).toContain(value)
    expect(values.some((v) => typeof v === "string" && v.length > 4096)).toBe(true)
    expect(expected.values[0]).toContain("\uFEFF")
    expect(expected.values[0]!.some((v) => typeof v === "string" && v.startsWith("\uFEFF\uFEFFr"))).toBe(true)
    expect(expected.values[0]!.some((v) => typeof v === "string" && /^\uFEFFr\d/.test(v))).toBe(true)
    expect(expected.values[0]!.filter((v) => v === null).length).toBeGreaterThan(0) // the all-null records
  })

  it("semicolons, CRLF, empty lines before the header, a line feed inside an unquoted field", async () => {
    const input = at("semicolon.csv")
    const text = generate(3000, { delimiter: ";", newline: "\r\n", bareBreaks: true, leadingEmptyLines: 2 }, 11)
    fs.writeFileSync(input, text)
    const { expected } = await compare(input)
    expect(expected.values.flat()).toContain("bare\nlf")
  })

  it("tabs (a .tsv), with a carriage return inside an unquoted field", async () => {
    const input = at("tabs.tsv")
    fs.writeFileSync(input, generate(3000, { delimiter: "\t", newline: "\n", bareBreaks: true }, 13))
    const { expected } = await compare(input)
    expect(expected.values.flat()).toContain("bare\rcr")
  })

  it("old Mac line breaks (CR) with a given delimiter, and pieces cut by row count", async () => {
    const input = at("pipes.csv")
    fs.writeFileSync(input, generate(3000, { delimiter: "|", newline: "\r", bareBreaks: true }, 17))
    const { expected } = await compare(input, { delimiter: "|", pieceBytes: 1 << 20, pieceRows: 100 })
    expect(expected.values.flat()).toContain("bare\nlf")
  })

  it("small files, and UTF-16 ones, are converted serially", async () => {
    const input = at("small.csv")
    fs.writeFileSync(input, generate(50, { delimiter: ",", newline: "\n" }))
    const reasons: Array<string> = []
    const result = await run(NodeParallel.convertCsvToParquet(input, at("small.parquet"), { onSerial: (why) => reasons.push(why) }))
    expect(reasons).toEqual([expect.stringContaining("small")])
    expect(result).toEqual(await run(NodeFile.convert(input, at("small.serial.parquet"), { inputFormat: "csv" })))

    const utf16 = at("utf16.csv")
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(generate(500, { delimiter: ",", newline: "\n" }), "utf16le")]))
    const utf16Reasons: Array<string> = []
    await run(NodeParallel.convertCsvToParquet(utf16, at("utf16.parquet"), { ...tuning, onSerial: (why) => utf16Reasons.push(why) }))
    expect(utf16Reasons).toEqual([expect.stringContaining("utf-16le")])
    await run(NodeFile.convert(utf16, at("utf16.serial.parquet"), { inputFormat: "csv" }))
    expect(await contents(at("utf16.parquet"))).toEqual(await contents(at("utf16.serial.parquet")))
  })

  describe("a malformed file fails as the serial conversion fails, leaving no output", () => {
    const good = generate(3000, { delimiter: ",", newline: "\n" }, 23)
    const middle = good.indexOf("\n", Math.floor(good.length * 0.6)) + 1

    it("an unclosed quote", async () => {
      const input = at("unclosed.csv")
      // no quote after it: the quote is still open at the end of the file
      fs.writeFileSync(input, `${good.slice(0, middle)}r,"never closed,x\n${good.slice(middle).replaceAll("\"", "")}`)
      const { error, reasons } = await sameError(input)
      expect(error.reason).toBe("NotCsv")
      expect(reasons).toEqual([expect.stringContaining("could not be read")])
    })

    it("a quote inside an unquoted field", async () => {
      const input = at("stray.csv")
      fs.writeFileSync(input, `${good.slice(0, middle)}r,ab"c,x\n${good.slice(middle)}`)
      const { reasons } = await sameError(input)
      expect(reasons).toEqual([expect.stringContaining("could not be read")])
    })

    it("text after a closing quote", async () => {
      const input = at("closing.csv")
      fs.writeFileSync(input, `${good.slice(0, middle)}r,"ab"c,x\n${good.slice(middle)}`)
      const { reasons } = await sameError(input)
      expect(reasons).toEqual([expect.stringContaining("could not be read")])
    })

    it("invalid UTF-8 in the middle, and a character cut by the end of the file", async () => {
      const bytes = Buffer.from(good)
      const at1 = Buffer.byteLength(good.slice(0, middle))
      const input = at("latin1.csv")
      fs.writeFileSync(input, Buffer.concat([bytes.subarray(0, at1), Buffer.from([0x72, 0x2c, 0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x0a]), bytes.subarray(at1)]))
      const { error, reasons } = await sameError(input)
      expect(error.reason).toBe("NotCsv")
      expect(error.message).toContain("not valid UTF-8")
      expect(reasons).toEqual([expect.stringContaining("could not be read")])

      const cut = at("cut.csv")
      fs.writeFileSync(cut, Buffer.concat([bytes, Buffer.from([0xe6, 0x9d])]))
      const truncated = await sameError(cut)
      expect(truncated.error.message).toContain("ends inside")
    })

    it("no address column, when one is required", async () => {
      const input = at("noaddress.csv")
      fs.writeFileSync(input, `foo,bar\n${"1,2\n".repeat(20_000)}`)
      const { error } = await sameError(input, { requireAddressColumns: true })
      expect(error.reason).toBe("NoAddressColumns")
    })
  })

  it("leaves nothing behind when interrupted", async () => {
    const input = at("interrupted.csv")
    fs.writeFileSync(input, generate(3000, { delimiter: ",", newline: "\n" }, 29))
    const output = at("interrupted.parquet")
    let started: () => void = () => undefined
    const first = new Promise<void>((resolve) => (started = resolve))
    const fiber = Effect.runFork(NodeParallel.convertCsvToParquet(input, output, { ...tuning, onBytes: () => started() }))
    await first
    await run(Fiber.interrupt(fiber))
    expect(fs.existsSync(output)).toBe(false)
    expect(leftovers()).toEqual([])
  })
})
