import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { parquetMetadata, parquetReadObjects, snappyUncompress } from "hyparquet"
import * as Bytes from "../src/Bytes.js"
import * as NodeSnappy from "../src/NodeSnappy.js"
import * as Parquet from "../src/Parquet.js"
import { compress as builtIn } from "../src/internal/snappy.js"

const decode = (compressed: Uint8Array, length: number): Uint8Array => {
  const output = new Uint8Array(length)
  snappyUncompress(compressed, output)
  return output
}

const addressText = fc
  .array(fc.constantFrom("1600 ", "PENNSYLVANIA ", "AVE ", "NW ", "WASHINGTON ", "DC ", "20500", "\u0000\u0000\u0000\u0013", "é"), { maxLength: 30_000 })
  .map((words) => new TextEncoder().encode(words.join("")))

describe("NodeSnappy", { timeout: 120_000 }, () => {
  it("is the native compressor here: the optional snappy package is installed with the workspace", () => {
    expect(NodeSnappy.isNative()).toBe(true)
    expect(NodeSnappy.compressor()).not.toBe(builtIn)
  })

  it("gives raw Snappy that hyparquet's decoder reads back, as the built-in one does (empty, binary, text over 64 KiB)", () => {
    const compress = NodeSnappy.compressor()
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 5000 }), addressText), (input) => {
        const native = compress(input)
        expect(native).toBeInstanceOf(Uint8Array)
        expect(decode(native, input.length)).toEqual(input)
        expect(decode(builtIn(input), input.length)).toEqual(input)
      }),
      { numRuns: 150 }
    )
    expect(decode(compress(new Uint8Array(0)), 0)).toEqual(new Uint8Array(0))
  })

  it("returns a fresh array each call (the encoder reuses its page buffer)", () => {
    const compress = NodeSnappy.compressor()
    const page = new TextEncoder().encode("1 MAIN ST SEATTLE WA 98101 ".repeat(100))
    const first = compress(page)
    const copy = first.slice()
    page.fill(0x41)
    const second = compress(page)
    expect(first).toEqual(copy)
    expect(second).not.toBe(first)
  })

  it("reports why it is unavailable instead of throwing: not installed, or not the snappy package", () => {
    const missing = NodeSnappy.loadNative(() => {
      throw new Error("Cannot find module 'snappy'\nRequire stack: ...")
    })
    expect(missing).toEqual({ unavailable: "Cannot find module 'snappy'" })
    expect(NodeSnappy.loadNative(() => ({}))).toEqual({ unavailable: "the module named snappy has no compressSync" })
    expect(NodeSnappy.loadNative(() => null)).toEqual({ unavailable: "the module named snappy has no compressSync" })
    const loaded = NodeSnappy.loadNative(() => ({ compressSync: (b: Uint8Array) => b.slice() }))
    expect("compress" in loaded).toBe(true)
  })

  it("writes Parquet files that read back to the same rows as the built-in compressor's", async () => {
    const columns = [
      { name: "AddressLines_1", type: "STRING" as const },
      { name: "Output_Status", type: "STRING" as const },
      { name: "Score", type: "DOUBLE" as const }
    ]
    const length = 30_000
    const data = {
      AddressLines_1: Array.from({ length }, (_, i) => (i % 11 === 0 ? null : `${i} MAIN ST APT ${i % 97}, SEATTLE WA 981${i % 10}${i % 7}`)),
      Output_Status: Array.from({ length }, (_, i) => (i % 5 === 0 ? "Unconfirmed" : "Validated")),
      Score: Array.from({ length }, (_, i) => (i % 13 === 0 ? null : i / 100))
    }
    const write = (snappy: NodeSnappy.Compress) =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const sink = Bytes.memorySink()
            const writer = yield* Parquet.writer(sink, "mem.parquet", columns, { snappy, pageSize: 64 * 1024 })
            yield* writer.writeColumnar({ columns: columns.map((c) => c.name), data, length })
            yield* writer.close
            return sink.bytes()
          })
        )
      )
    const native = await write(NodeSnappy.compressor())
    const js = await write(builtIn)
    const meta = parquetMetadata(native.slice().buffer)
    expect(meta.row_groups[0]!.columns.every((c) => c.meta_data!.codec === "SNAPPY")).toBe(true)
    const rows = await parquetReadObjects({ file: native.slice().buffer })
    expect(rows).toEqual(await parquetReadObjects({ file: js.slice().buffer }))
    expect(rows).toHaveLength(length)
    expect(rows[1]).toEqual({ AddressLines_1: "1 MAIN ST APT 1, SEATTLE WA 98111", Output_Status: "Validated", Score: 0.01 })
  })
})
