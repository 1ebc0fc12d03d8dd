import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as AwsChunked from "../src/s3/awsChunked.js"
import { parseRangeHeader, resolveRange } from "../src/s3/ByteRange.js"
import * as KeyOrder from "../src/s3/keyOrder.js"
import { checksummer } from "../src/s3/s3Checksum.js"
import { bucketNameProblem } from "../src/s3/s3Names.js"
import * as Xml from "../src/s3/s3Xml.js"

/** An aws-chunked body of the given data pieces, with trailer lines. */
const encode = (pieces: ReadonlyArray<Uint8Array>, trailers: ReadonlyArray<string> = [], signed = true) => {
  const sig = signed ? `;chunk-signature=${"a".repeat(64)}` : ""
  const parts: Array<Buffer> = []
  for (const piece of pieces) parts.push(Buffer.from(`${piece.length.toString(16)}${sig}\r\n`), Buffer.from(piece), Buffer.from("\r\n"))
  parts.push(Buffer.from(`0${sig}\r\n`), ...trailers.map((t) => Buffer.from(`${t}\r\n`)), Buffer.from("\r\n"))
  return Buffer.concat(parts)
}

/** Splits bytes into pieces of the given sizes, cycling. */
const split = (bytes: Uint8Array, sizes: ReadonlyArray<number>) => {
  const out: Array<Uint8Array> = []
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    out.push(bytes.subarray(at, at + size))
    at += size
  }
  return out
}

const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256))

describe("awsChunked", () => {
  it.effect("decodes however the wire splits the body, and hands over the trailers", () =>
    Effect.gen(function*() {
      const body = encode(split(data, [65536, 4000, 464]), ["x-amz-checksum-crc32:AAAAAA==", "x-amz-trailer-signature:abc"])
      for (const sizes of [[1], [2, 3], [7], [100, 1], [1000], [body.length]]) {
        let seen: AwsChunked.Decoded | undefined
        const decoded = yield* AwsChunked.decode(Stream.fromIterable(split(body, sizes)), (d) =>
          Effect.sync(() => {
            seen = d
          })).pipe(Stream.runCollect)
        expect(Buffer.compare(Buffer.concat(Chunk.toReadonlyArray(decoded)), data)).toBe(0)
        expect(seen).toEqual({
          length: data.length,
          trailers: { "x-amz-checksum-crc32": "AAAAAA==", "x-amz-trailer-signature": "abc" }
        })
      }
    }))

  it.effect("a framing error fails the stream with an S3 error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Stream.runDrain(AwsChunked.decode(Stream.make(Buffer.from("nothex\r\n")))))
      expect(error).toMatchObject({ _tag: "S3Error", code: "InvalidRequest", status: 400 })
    }))
})

describe("checksums", () => {
  it("match the standard check values", () => {
    const digest = (algorithm: string, text: string, pieces = 1) => {
      const summer = checksummer(algorithm)!
      const bytes = Buffer.from(text)
      for (const piece of split(bytes, [Math.ceil(bytes.length / pieces)])) summer.update(piece)
      return Buffer.from(summer.digest(), "base64").toString("hex")
    }
    expect(digest("crc32", "123456789")).toBe("cbf43926")
    expect(digest("crc32", "123456789", 4)).toBe("cbf43926")
    expect(digest("crc32c", "123456789")).toBe("e3069283")
    expect(digest("sha256", "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(digest("sha1", "abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d")
    expect(checksummer("crc64nvme")).toBeUndefined()
  })
})

describe("s3Xml", () => {
  it("writes escaped documents in the S3 namespace", () => {
    const xml = Xml.document("Root", [["Key", "a<b>&\"c'"], ["N", 3], undefined, ["Nested", [["Flag", true]]]])
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Root xmlns="${Xml.S3_NAMESPACE}"><Key>a&lt;b&gt;&amp;&quot;c&apos;</Key><N>3</N><Nested><Flag>true</Flag></Nested></Root>`
    )
    expect(Xml.escapeText("tab\tok\u0001")).toBe("tab\tok&#x1;")
  })

  it("parses request documents with declarations, namespaces, comments, entities and CDATA", () => {
    const doc = Xml.parse(`<?xml version="1.0" encoding="UTF-8"?>
      <!-- a comment -->
      <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Part><PartNumber>1</PartNumber><ETag>&quot;abc&quot;</ETag></Part>
        <Part><PartNumber>2</PartNumber><ETag><![CDATA["d<e"]]></ETag><Empty/></Part>
      </CompleteMultipartUpload>`)
    expect(doc.name).toBe("CompleteMultipartUpload")
    const parts = Xml.childrenNamed(doc, "Part")
    expect(parts.map((p) => [Xml.childText(p, "PartNumber"), Xml.childText(p, "ETag")])).toEqual([
      ["1", "\"abc\""],
      ["2", "\"d<e\""]
    ])
    expect(Xml.parse("<a>&#65;&#x42;</a>").text).toBe("AB")
  })

  it("rejects what is not well-formed", () => {
    for (
      const bad of [
        "",
        "text",
        "<a>",
        "<a></b>",
        "<a><b></a></b>",
        "<a>&bogus;</a>",
        "<a></a><b></b>",
        "<a x=1></a>",
        "<!-- open",
        "<a><![CDATA[open</a>",
        "<".repeat(100) + "a" + ">"
      ]
    ) {
      expect(() => Xml.parse(bad)).toThrow(Xml.XmlSyntaxError)
    }
    expect(() => Xml.parse("<a>".repeat(40) + "</a>".repeat(40))).toThrow(/nested/)
  })
})

describe("ByteRange", () => {
  it("parses single ranges and ignores what S3 ignores", () => {
    expect(parseRangeHeader("bytes=0-99")).toEqual({ _tag: "FromTo", start: 0, end: 99 })
    expect(parseRangeHeader("bytes=100-")).toEqual({ _tag: "FromTo", start: 100, end: undefined })
    expect(parseRangeHeader("bytes=-20")).toEqual({ _tag: "Suffix", length: 20 })
    for (const ignored of [undefined, "bytes=", "bytes=-", "bytes=5-1", "bytes=0-1,3-4", "items=0-1", "bytes=a-b"]) {
      expect(parseRangeHeader(ignored)).toBeUndefined()
    }
  })

  it("resolves against the size: clamped ends, suffixes, unsatisfiable starts", () => {
    expect(resolveRange({ _tag: "FromTo", start: 0, end: 999 }, 10)).toEqual({ start: 0, end: 9 })
    expect(resolveRange({ _tag: "FromTo", start: 9, end: undefined }, 10)).toEqual({ start: 9, end: 9 })
    expect(resolveRange({ _tag: "FromTo", start: 10, end: undefined }, 10)).toBe("unsatisfiable")
    expect(resolveRange({ _tag: "Suffix", length: 3 }, 10)).toEqual({ start: 7, end: 9 })
    expect(resolveRange({ _tag: "Suffix", length: 30 }, 10)).toEqual({ start: 0, end: 9 })
    expect(resolveRange({ _tag: "Suffix", length: 0 }, 10)).toBe("unsatisfiable")
    expect(resolveRange({ _tag: "FromTo", start: 0, end: undefined }, 0)).toBe("unsatisfiable")
  })
})

describe("names and ordering", () => {
  it("follows S3's bucket naming rules", () => {
    for (const good of ["abc", "my-bucket.data", "a1b2c3", "x".repeat(63)]) expect(bucketNameProblem(good)).toBeUndefined()
    for (const bad of ["ab", "x".repeat(64), "UPPER", "under_score", "-a", "a-", ".a", "a..b", "10.0.0.1", "xn--abc", "a-s3alias"]) {
      expect(bucketNameProblem(bad)).toBeDefined()
    }
  })

  it("bounds a prefix exactly in UTF-8 byte order, and round-trips continuation tokens", () => {
    const prefix = KeyOrder.utf8("dir/")
    const past = KeyOrder.pastPrefix(prefix)
    for (const key of ["dir/", "dir/a", "dir/\u{10ffff}", "dir/\u00ff\u00ff"]) {
      expect(Buffer.compare(KeyOrder.utf8(key), past)).toBeLessThan(0)
    }
    expect(Buffer.compare(KeyOrder.utf8("dir0"), past)).toBeGreaterThanOrEqual(0)
    expect(Buffer.compare(KeyOrder.after(KeyOrder.utf8("a")), KeyOrder.utf8("a\u0001"))).toBeLessThan(0)
    const bound = KeyOrder.utf8("日本/ключ")
    expect(KeyOrder.decodeToken(KeyOrder.encodeToken(bound))).toEqual(bound)
    for (const bad of ["", "2.abc", "1.a b", "garbage"]) expect(KeyOrder.decodeToken(bad)).toBeUndefined()
  })
})
