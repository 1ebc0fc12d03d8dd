/**
 * What one validation worker does, run synchronously in this thread over the first `rows` rows
 * of a Parquet file: each row group's raw bytes are fetched first, then cut into the service's
 * tasks (`taskBounds`, two workers' worth) and run through the workers' own `slicer` (decode a
 * batch at a time, engine, row-group builder, Snappy). Prints the encoded bytes' length and a
 * checksum of them (two builds that give the same figures wrote the same output).
 *
 *   node --import tsx src/engine/slices.ts <in.parquet> <rows>
 *
 * Made for counting instructions, which this shared 2-core machine cannot time reliably (its CPU
 * seconds move by ±15% with the neighbours' load): under valgrind, with V8's `--predictable`
 * (no background threads, GC and compilation in this thread) and fixed seeds, the count of a
 * build moves by ~1% between runs, and the difference between two row counts is the steady
 * per-row cost, JIT warm-up and start-up excluded:
 *
 *   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
 *     node --predictable --hash-seed=42 --random-seed=42 <bundle of this file> in.parquet 75000
 *   (the same with 25000; per row = (Ir(75000) - Ir(25000)) / 50000)
 *
 * Run it on an esbuild bundle of this file (tsx's loader would be counted too). Instructions are
 * not time (memory stalls, SIMD), so a change is kept on instructions and CPU both.
 */
import * as Engine from "@geojobs/address/Engine"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import type * as Parquet from "@geojobs/dataset/Parquet"
import * as ParquetFile from "@geojobs/dataset/Parquet"
import { type Layout, type SliceTask, slicer } from "@geojobs/engine/ValidateChunk"
import { taskBounds } from "@geojobs/engine/ValidateFile"
import * as Effect from "effect/Effect"

const [input, rowsText] = process.argv.slice(2)
const limit = Number(rowsText)
if (input === undefined || !Number.isInteger(limit) || limit <= 0) {
  process.stderr.write("usage: slices.ts <in.parquet> <rows>\n")
  process.exit(2)
}

Engine.warmUp()
const file = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const parquet = yield* ParquetFile.open(yield* NodeFile.source(input), input)
  const readRaw = parquet.readRaw
  if (readRaw === undefined) return yield* Effect.dieMessage(`${input}: its row groups cannot be fetched raw (nested columns)`)
  const raws: Array<Parquet.RawRowGroup> = []
  let rows = 0
  for (let g = 0; g < parquet.info.rowGroups.length && rows < limit; g++) {
    const raw = yield* readRaw(g)
    raws.push(raw)
    rows += raw.length
  }
  return { raws, columns: parquet.info.columns }
})))

const layout: Layout = { inputColumns: file.columns, features: ["Position", "CountrySpecificAttributes"] }
const run = slicer()
let rows = 0
let bytes = 0
let sum = 0
for (const raw of file.raws) {
  const length = Math.min(raw.length, limit - rows)
  if (length <= 0) break
  for (const { from, parts, to } of taskBounds(length, 2)) {
    const task: SliceTask = { layout, idPrefix: "bench-0-", firstRow: rows + from, input: { _tag: "Raw", raw, from, to }, parts }
    for (const group of run(task).encoded) {
      bytes += group.bytes.length
      for (let i = 0; i < group.bytes.length; i += 97) sum = (Math.imul(sum, 31) + group.bytes[i]!) >>> 0
    }
  }
  rows += length
}
process.stdout.write(JSON.stringify({ rows, bytes, checksum: sum }) + "\n")
