/**
 * The character encoding of a text file (CSV, JSON Lines): UTF-8 with or without a byte-order
 * mark, or UTF-16 (little- or big-endian, told by its byte-order mark). The text readers take
 * their bytes through {@link utf8Blocks}, which checks UTF-8 as it goes and converts UTF-16 to
 * UTF-8, so a parser only ever sees UTF-8. Text that is not valid UTF-8 is refused with the
 * command that converts it (such files are nearly always Latin-1 / Windows-1252 exports).
 *
 * @since 0.1.0
 */
import { blocks } from "./Bytes.js"
import type { ByteSource } from "./Bytes.js"

/** The encodings the text readers accept. */
export type Encoding = "utf-8" | "utf-16le" | "utf-16be"

/** What the first bytes say: the encoding and the length of its byte-order mark (0 when none). */
export interface Detected {
  readonly encoding: Encoding
  readonly bom: number
}

/** The encoding of a text from its first bytes: a UTF-16 byte-order mark, else UTF-8 (with or without its mark). */
export const detect = (head: Uint8Array): Detected => {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bom: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bom: 2 }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bom: 3 }
  return { encoding: "utf-8", bom: 0 }
}

/** Thrown by {@link utf8Blocks} when the text is not in the encoding it claims. */
export class InvalidText extends Error {
  constructor(
    /** Byte offset (in the file) near which the first invalid sequence is. */
    readonly offset: number,
    readonly encoding: Encoding,
    /** The text ends inside a character. */
    readonly truncated: boolean
  ) {
    super(
      truncated
        ? `the text ends inside a ${encoding === "utf-8" ? "UTF-8" : "UTF-16"} character`
        : `the text is not valid ${encoding === "utf-8" ? "UTF-8" : "UTF-16"} (at byte ${offset})`
    )
  }
}

/**
 * The one-line explanation and fix for text that is not UTF-8, e.g. for `file` in Latin-1:
 * "the text is not valid UTF-8 (at byte 17); it is probably Latin-1 (Windows-1252): convert it
 * first, e.g. iconv -f latin1 -t utf-8 in.csv > in.utf8.csv".
 */
export const explain = (error: InvalidText, file: string): string => {
  if (error.encoding !== "utf-8") return `${error.message}; save the file as UTF-8`
  const base = file.split(/[\\/]/).pop() ?? file
  const dot = base.lastIndexOf(".")
  const converted = dot > 0 ? `${base.slice(0, dot)}.utf8${base.slice(dot)}` : `${base}.utf8`
  return `${error.message}; it is probably Latin-1 (Windows-1252): convert it first, ` +
    `e.g. iconv -f latin1 -t utf-8 ${shellWord(base)} > ${shellWord(converted)}`
}

const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

/** The first offset in `bytes` at which a streaming UTF-8 decode fails (binary search over prefixes). */
const firstInvalid = (bytes: Uint8Array): number => {
  let good = 0
  let bad = bytes.length
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true })
      good = mid
    } catch {
      bad = mid
    }
  }
  return bad - 1
}

/**
 * The text of `source` as UTF-8 bytes, block by block, without its byte-order mark: UTF-8 is
 * checked and passed through unchanged; UTF-16 is converted. Throws {@link InvalidText} at the
 * first invalid sequence.
 */
export async function* utf8Blocks(source: ByteSource, blockSize?: number): AsyncGenerator<Uint8Array> {
  let detected: Detected | undefined
  let decoder: TextDecoder | undefined
  const encoder = new TextEncoder()
  let offset = 0
  for await (let block of blocks(source, blockSize)) {
    const at = offset
    offset += block.length
    if (detected === undefined) {
      detected = detect(block)
      decoder = new TextDecoder(detected.encoding, { fatal: true, ignoreBOM: true })
      block = block.subarray(detected.bom)
    }
    let text: string
    try {
      text = decoder!.decode(block, { stream: true })
    } catch {
      throw new InvalidText(
        at + (detected.encoding === "utf-8" ? firstInvalid(block) : 0) + (at === 0 ? detected.bom : 0),
        detected.encoding,
        false
      )
    }
    // UTF-8 goes through as it is (the decode above only checked it)
    yield detected.encoding === "utf-8" ? block : encoder.encode(text)
  }
  if (decoder !== undefined) {
    try {
      decoder.decode()
    } catch {
      throw new InvalidText(offset, detected!.encoding, true)
    }
  }
}

/** Up to `maxBytes` of the start of `source` as text (any accepted encoding), for sniffing. Never throws on bad text. */
export const sample = async (source: ByteSource, maxBytes = 64 * 1024): Promise<string> => {
  const end = Math.min(source.byteLength, maxBytes)
  if (end === 0) return ""
  const head = new Uint8Array(await source.slice(0, end))
  const { encoding, bom } = detect(head)
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(head.subarray(bom), { stream: true })
}
