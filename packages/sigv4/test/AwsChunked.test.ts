import { assert, describe, expect, it } from "@effect/vitest"
import { AwsChunkedError, makeDecoder } from "../src/AwsChunked.js"
import { decodeWhole } from "./support.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

describe("AwsChunked", () => {
  it("joins the chunks, skipping signatures and trailers", () => {
    const body = encoder.encode(
      "5;chunk-signature=" + "a".repeat(64) + "\r\nhello\r\n" +
        "6;chunk-signature=" + "b".repeat(64) + "\r\n world\r\n" +
        "0;chunk-signature=" + "c".repeat(64) + "\r\n" +
        "x-amz-checksum-crc32:DUoRhQ==\r\n" +
        "x-amz-trailer-signature:" + "d".repeat(64) + "\r\n\r\n"
    )
    assert.strictEqual(decoder.decode(decodeWhole(body)), "hello world")
  })

  it("an empty body decodes to nothing; sizes are hex; a chunk is a view of the input", () => {
    const body = encoder.encode("3\r\nabc\r\n0\r\n\r\n")
    const pieces = makeDecoder().push(body)
    assert.strictEqual(pieces.length, 1)
    assert.strictEqual(decoder.decode(pieces[0]), "abc")
    assert.strictEqual(pieces[0]!.buffer, body.buffer)
    assert.strictEqual(decodeWhole(encoder.encode("0\r\n\r\n")).length, 0)
    const big = "x".repeat(0x1a)
    assert.strictEqual(decoder.decode(decodeWhole(encoder.encode(`1A\r\n${big}\r\n0\r\n\r\n`))), big)
  })

  it("accepts unsigned chunks, no trailer, and a body ending right after the final chunk", () => {
    const decoder = makeDecoder()
    const out = decoder.push(Buffer.from("5\r\nhello\r\n0\r\n"))
    expect(Buffer.concat(out).toString()).toBe("hello")
    expect(decoder.finish()).toEqual({})
  })

  it("hands over the trailers, names lowercase", () => {
    const decoder = makeDecoder()
    decoder.push(encoder.encode("1\r\nx\r\n0\r\nX-Amz-Checksum-CRC32: AAAAAA== \r\n\r\n"))
    expect(decoder.finish()).toEqual({ "x-amz-checksum-crc32": "AAAAAA==" })
    expect(decoder.decodedLength()).toBe(1)
  })

  it("rejects bad framing", () => {
    const bad = [
      "zz\r\nhello\r\n0\r\n\r\n", // not hex
      "5\r\nhelloXX0\r\n\r\n", // data not followed by CRLF
      "5\r\nhello\r\n0\r\nno-colon-here\r\n\r\n", // bad trailer
      "5\r\nhello\r\n0\r\n\r\nextra" // data after the end
    ]
    for (const body of bad) {
      const decoder = makeDecoder()
      expect(() => {
        decoder.push(Buffer.from(body))
        decoder.finish()
      }).toThrow(AwsChunkedError)
    }
    for (const truncated of ["", "5\r\nhel", "5\r\nhello\r\n", "5;chunk-sig", "3\r\nabc\r\n"]) {
      const decoder = makeDecoder()
      decoder.push(Buffer.from(truncated))
      expect(() => decoder.finish()).toThrow(/ended before its final chunk/)
    }
    const long = makeDecoder()
    expect(() => long.push(Buffer.from("1".repeat(10_000)))).toThrow(/too long/)
  })
})
