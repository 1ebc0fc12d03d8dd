/**
 * The decompressors the Parquet readers use unless told otherwise: all of hyparquet-compressors',
 * with an empty page answered without calling them.
 *
 * @internal
 */
import type { Compressors } from "hyparquet"
import { compressors as allCompressors } from "hyparquet-compressors"

/** A decompressor that returns nothing for an empty page instead of failing on it. */
const emptySafe =
  (decompress: ((input: Uint8Array, outputLength: number) => Uint8Array) | undefined) =>
  (input: Uint8Array, outputLength: number): Uint8Array => {
    if (outputLength === 0) return new Uint8Array(0)
    if (decompress === undefined) throw new Error("no decompressor")
    return decompress(input, outputLength)
  }

/**
 * hyparquet-compressors' decompressors (Snappy, gzip, zstd, brotli, LZ4, LZ4_RAW). Its LZ4
 * decoders reject the one-byte empty block arrow-rs writes for an empty dictionary page, so
 * empty pages are answered without calling them.
 */
export const defaultCompressors: Compressors = {
  ...(allCompressors as Compressors),
  LZ4: emptySafe((allCompressors as Compressors).LZ4),
  LZ4_RAW: emptySafe((allCompressors as Compressors).LZ4_RAW)
}
