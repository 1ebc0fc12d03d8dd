/**
 * The `Content-Encoding: aws-chunked` body of SigV4's streaming uploads
 * (`x-amz-content-sha256: STREAMING-…`), decoded as it arrives: a sequence of
 * `hex-size[;chunk-signature=…]\r\n`, that many bytes, `\r\n`; a final zero-size chunk; then
 * optional trailer lines such as `x-amz-checksum-crc32:…`, ended by an empty line (or the end of
 * the body). Chunk signatures are not checked here (`SigV4Verify` checks the seed signature).
 *
 * Runtime-neutral: plain bytes in, plain bytes out; a server wraps it in its own stream type.
 *
 * @since 0.1.0
 */

const MAX_LINE = 8 * 1024
const MAX_TRAILER = 16 * 1024
const HEX_SIZE = /^[0-9a-fA-F]{1,16}$/

type State = "header" | "data" | "dataEnd" | "trailer" | "done"

/** A push decoder: feed it bytes, collect data chunks, then `finish` for the trailers. */
export interface AwsChunkedDecoder {
  /** Decodes the next piece of the body; returns the data bytes it held. Throws `AwsChunkedError` on bad framing. */
  readonly push: (bytes: Uint8Array) => ReadonlyArray<Uint8Array>
  /** Checks that the body ended after the final chunk; returns the trailer headers (lowercase names). */
  readonly finish: () => Readonly<Record<string, string>>
  /** The data bytes decoded so far. */
  readonly decodedLength: () => number
}

/** A framing problem in an aws-chunked body. */
export class AwsChunkedError extends Error {}

/** A line's bytes as text, one character per byte (ISO-8859-1). */
const latin1 = (bytes: ReadonlyArray<number>): string => {
  let text = ""
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!)
  return text
}

/** Makes a decoder for one body. */
export const makeDecoder = (): AwsChunkedDecoder => {
  let state: State = "header"
  let line: Array<number> = []
  let remaining = 0
  let decoded = 0
  let trailerBytes = 0
  const trailers: Record<string, string> = {}

  /** Appends to the current line; returns it when a CRLF completes it. */
  const takeLine = (byte: number, limit: number): string | undefined => {
    if (byte === 0x0a && line[line.length - 1] === 0x0d) {
      const text = latin1(line.slice(0, -1))
      line = []
      return text
    }
    line.push(byte)
    if (line.length > limit) throw new AwsChunkedError("an aws-chunked header or trailer line is too long")
    return undefined
  }

  const push = (bytes: Uint8Array): ReadonlyArray<Uint8Array> => {
    const out: Array<Uint8Array> = []
    let i = 0
    while (i < bytes.length) {
      switch (state) {
        case "header": {
          const text = takeLine(bytes[i++]!, MAX_LINE)
          if (text === undefined) break
          const size = text.split(";", 1)[0]!.trim()
          if (!HEX_SIZE.test(size)) throw new AwsChunkedError(`bad aws-chunked chunk header '${text.slice(0, 64)}'`)
          remaining = parseInt(size, 16)
          if (!Number.isSafeInteger(remaining)) throw new AwsChunkedError("aws-chunked chunk size too large")
          state = remaining === 0 ? "trailer" : "data"
          break
        }
        case "data": {
          const take = Math.min(remaining, bytes.length - i)
          out.push(bytes.subarray(i, i + take))
          i += take
          remaining -= take
          decoded += take
          if (remaining === 0) state = "dataEnd"
          break
        }
        case "dataEnd": {
          const byte = bytes[i++]!
          line.push(byte)
          if (line.length === 2) {
            if (line[0] !== 0x0d || line[1] !== 0x0a) throw new AwsChunkedError("aws-chunked chunk data not followed by CRLF")
            line = []
            state = "header"
          }
          break
        }
        case "trailer": {
          trailerBytes++
          if (trailerBytes > MAX_TRAILER) throw new AwsChunkedError("aws-chunked trailer too long")
          const text = takeLine(bytes[i++]!, MAX_LINE)
          if (text === undefined) break
          if (text === "") {
            state = "done"
            break
          }
          const colon = text.indexOf(":")
          if (colon <= 0) throw new AwsChunkedError(`bad aws-chunked trailer line '${text.slice(0, 64)}'`)
          trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim()
          break
        }
        case "done": {
          const byte = bytes[i++]!
          if (byte !== 0x0d && byte !== 0x0a) throw new AwsChunkedError("data after the end of an aws-chunked body")
          break
        }
      }
    }
    return out
  }

  const finish = (): Readonly<Record<string, string>> => {
    if (state === "done" || (state === "trailer" && line.length === 0)) return trailers
    throw new AwsChunkedError("the aws-chunked body ended before its final chunk")
  }

  return { push, finish, decodedLength: () => decoded }
}
