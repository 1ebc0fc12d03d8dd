import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import * as S3Routes from "../src/s3/S3Routes.js"
import * as S3Store from "../src/s3/S3Store.js"

/** S3 requires a Content-MD5 (or a checksum) on DeleteObjects. */
const md5 = (text: string) => createHash("md5").update(text).digest("base64")

const MAX_OBJECT = 256 * 1024

/** Where the server under test stores its data, and its port. */
class TestServer extends Context.Tag("S3Routes.test/TestServer")<TestServer, { readonly root: string; readonly port: number }>() {}

const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-s3routes-"))
const dataDir = Path.join(root, "data")

const TestLayer = Layer.effect(
  TestServer,
  Effect.map(HttpServer.HttpServer, (server) => ({
    root,
    port: (server.address as HttpServer.TcpAddress).port
  }))
).pipe(
  Layer.provideMerge(HttpServer.serve(S3Routes.httpApp)),
  Layer.provideMerge(NodeHttpServer.layer(() => Http.createServer(), { port: 0, host: "127.0.0.1" })),
  Layer.provide(S3Store.layer({ dataDir, maxObjectSize: MAX_OBJECT, minPartSize: 1024, fsync: false }))
)

interface Reply {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
  readonly text: string
}

/** A raw HTTP request: the path goes on the wire exactly as given (no URL normalisation). */
const request = (
  method: string,
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: Uint8Array | string } = {}
) =>
  Effect.flatMap(TestServer, ({ port }) =>
    Effect.async<Reply, Error>((resume) => {
      const req = Http.request({ host: "127.0.0.1", port, method, path, headers: options.headers }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => {
          const body = Buffer.concat(chunks)
          resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") }))
        })
        res.on("error", (error) => resume(Effect.fail(error)))
      })
      req.on("error", (error) => resume(Effect.fail(new Error(`${method} ${path.slice(0, 60)} ${JSON.stringify(options.headers ?? {})}: ${error.message}`))))
      req.end(options.body)
    }))

const errorCode = (reply: Reply) => /<Code>([^<]*)<\/Code>/.exec(reply.text)?.[1]

/** Builds an aws-chunked body from data pieces, with optional trailer lines. */
const awsChunked = (pieces: ReadonlyArray<string | Uint8Array>, trailers: ReadonlyArray<string> = []) => {
  const parts: Array<Buffer> = []
  for (const piece of pieces) {
    const bytes = Buffer.from(piece)
    parts.push(Buffer.from(`${bytes.length.toString(16)};chunk-signature=${"0".repeat(64)}\r\n`), bytes, Buffer.from("\r\n"))
  }
  parts.push(Buffer.from(`0;chunk-signature=${"0".repeat(64)}\r\n`))
  for (const line of trailers) parts.push(Buffer.from(`${line}\r\n`))
  parts.push(Buffer.from("\r\n"))
  return Buffer.concat(parts)
}

const crc32Base64 = (data: string) => {
  let c = 0xffffffff
  for (const byte of Buffer.from(data)) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  const out = Buffer.alloc(4)
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0)
  return out.toString("base64")
}

const walk = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => Path.relative(dir, Path.join(entry.parentPath, entry.name)))

layer(TestLayer, { timeout: 60_000 })("S3Routes over HTTP", (it) => {
  it.effect("buckets and objects: status codes, headers and XML as S3 sends them", () =>
    Effect.gen(function*() {
      const created = yield* request("PUT", "/routes")
      expect(created.status).toBe(200)
      expect(created.headers["x-amz-request-id"]).toMatch(/^[0-9A-F]{16}$/)
      const again = yield* request("PUT", "/routes")
      expect([again.status, errorCode(again)]).toEqual([409, "BucketAlreadyOwnedByYou"])
      expect((yield* request("HEAD", "/routes")).status).toBe(200)
      const missing = yield* request("HEAD", "/no-such-bucket")
      expect(missing.status).toBe(404)
      expect(missing.body.length).toBe(0)
      expect(missing.headers["x-amz-request-id"]).toBeDefined()
      const badName = yield* request("PUT", "/Bad_Name")
      expect([badName.status, errorCode(badName)]).toEqual([400, "InvalidBucketName"])

      const list = yield* request("GET", "/")
      expect(list.status).toBe(200)
      expect(list.headers["content-type"]).toBe("application/xml")
      expect(list.text).toContain("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
      expect(list.text).toContain("<Bucket><Name>routes</Name><CreationDate>")

      const body = "id,address\n1,1600 Amphitheatre Pkwy\n"
      const put = yield* request("PUT", "/routes/in/addresses%20%2B%20more.csv", {
        headers: {
          "content-type": "text/csv",
          "x-amz-meta-batch": "7",
          "cache-control": "max-age=60",
          "content-md5": createHash("md5").update(body).digest("base64")
        },
        body
      })
      expect(put.status).toBe(200)
      expect(put.headers.etag).toBe(`"${createHash("md5").update(body).digest("hex")}"`)

      const get = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv")
      expect(get.status).toBe(200)
      expect(get.text).toBe(body)
      expect(get.headers).toMatchObject({
        "etag": put.headers.etag,
        "content-type": "text/csv",
        "content-length": String(body.length),
        "accept-ranges": "bytes",
        "x-amz-meta-batch": "7",
        "cache-control": "max-age=60"
      })
      expect(new Date(get.headers["last-modified"]!).getTime()).not.toBeNaN()

      const head = yield* request("HEAD", "/routes/in/addresses%20%2B%20more.csv")
      expect(head.status).toBe(200)
      expect(head.headers["content-length"]).toBe(String(body.length))
      expect(head.body.length).toBe(0)

      const range = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", { headers: { range: "bytes=0-1" } })
      expect([range.status, range.text, range.headers["content-range"]]).toEqual([206, "id", `bytes 0-1/${body.length}`])
      const suffix = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", { headers: { range: "bytes=-5" } })
      expect([suffix.status, suffix.text]).toEqual([206, "Pkwy\n"])
      const open = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", { headers: { range: "bytes=3-" } })
      expect(open.text).toBe(body.slice(3))
      const unsatisfiable = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", {
        headers: { range: "bytes=5000-6000" }
      })
      expect([unsatisfiable.status, errorCode(unsatisfiable)]).toEqual([416, "InvalidRange"])
      const garbageRange = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", { headers: { range: "pages=1-2" } })
      expect([garbageRange.status, garbageRange.text]).toEqual([200, body])

      const notModified = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", {
        headers: { "if-none-match": put.headers.etag! }
      })
      expect(notModified.status).toBe(304)
      const precondition = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv", {
        headers: { "if-match": "\"0000\"" }
      })
      expect([precondition.status, errorCode(precondition)]).toEqual([412, "PreconditionFailed"])
      const override = yield* request("GET", "/routes/in/addresses%20%2B%20more.csv?response-content-type=text%2Fplain")
      expect(override.headers["content-type"]).toBe("text/plain")

      const noKey = yield* request("GET", "/routes/in/nothing.csv")
      expect(noKey.status).toBe(404)
      expect(noKey.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><BucketName>routes<\/BucketName><Key>in\/nothing.csv<\/Key><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/
      )
      expect(noKey.text).toContain(`<RequestId>${noKey.headers["x-amz-request-id"]}</RequestId>`)
      const noBucket = yield* request("GET", "/nobucket/x")
      expect([noBucket.status, errorCode(noBucket)]).toEqual([404, "NoSuchBucket"])

      const deleted = yield* request("DELETE", "/routes/in/addresses%20%2B%20more.csv")
      expect(deleted.status).toBe(204)
      expect((yield* request("DELETE", "/routes/in/addresses%20%2B%20more.csv")).status).toBe(204)
      const notEmpty = yield* request("PUT", "/routes/keep", { body: "x" })
      expect(notEmpty.status).toBe(200)
      const refuse = yield* request("DELETE", "/routes")
      expect([refuse.status, errorCode(refuse)]).toEqual([409, "BucketNotEmpty"])
    }))

  it.effect("keys are decoded once and stay strings: traversal attempts are just keys", () =>
    Effect.gen(function*() {
      yield* request("PUT", "/traversal")
      const cases: Array<[string, string]> = [
        ["/traversal/..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"],
        ["/traversal/../../escape", "../../escape"],
        ["/traversal//abs/path", "/abs/path"],
        ["/traversal/a%2F..%2Fb", "a/../b"],
        ["/traversal/%252e%252e%252f", "%2e%2e%2f"],
        ["/traversal/%2e%2e", ".."],
        ["/traversal/sp%20ace+plus", "sp ace+plus"],
        ["/traversal/%E6%97%A5%E6%9C%AC", "日本"]
      ]
      for (const [path, key] of cases) {
        const put = yield* request("PUT", path, { body: `key=${key}` })
        expect(put.status).toBe(200)
      }
      const listing = yield* request("GET", "/traversal?list-type=2")
      const keys = [...listing.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replace(/&amp;/g, "&"))
      expect(keys.sort()).toEqual(cases.map(([, key]) => key).sort())
      for (const [path, key] of cases) {
        expect((yield* request("GET", path)).text).toBe(`key=${key}`)
      }
      // Nothing outside <dataDir>/s3, nothing named after a key.
      const { root } = yield* TestServer
      const files = walk(root)
      expect(files.every((file) => file.startsWith(Path.join("data", "s3") + Path.sep))).toBe(true)
      expect(files.some((file) => file.includes("passwd") || file.includes("escape"))).toBe(false)
      const badEncoding = yield* request("GET", "/traversal/%E0%A4%A")
      expect([badEncoding.status, errorCode(badEncoding)]).toEqual([400, "InvalidURI"])
    }))

  it.effect("ListObjects V2 and V1: prefix, delimiter, paging, encoding-type=url", () =>
    Effect.gen(function*() {
      yield* request("PUT", "/listing")
      const keys = ["a/1", "a/2", "a/b/3", "b/1", "c", "d e+f"]
      for (const key of keys) yield* request("PUT", `/listing/${encodeURIComponent(key).replace(/%2F/g, "/")}`, { body: key })
      const page1 = yield* request("GET", "/listing?list-type=2&max-keys=2")
      expect(page1.text).toContain("<KeyCount>2</KeyCount>")
      expect(page1.text).toContain("<IsTruncated>true</IsTruncated>")
      expect(page1.text).toContain("<MaxKeys>2</MaxKeys>")
      expect(page1.text).toMatch(/<Contents><Key>a\/1<\/Key><LastModified>\d{4}-\d\d-\d\dT[\d:.]+Z<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><Size>3<\/Size><StorageClass>STANDARD<\/StorageClass><\/Contents>/)
      const token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(page1.text)![1]!
      const page2 = yield* request("GET", `/listing?list-type=2&max-keys=10&continuation-token=${encodeURIComponent(token)}`)
      expect(page2.text).toContain(`<ContinuationToken>${token}</ContinuationToken>`)
      expect([...page2.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(["a/b/3", "b/1", "c", "d e+f"])
      expect(page2.text).toContain("<IsTruncated>false</IsTruncated>")

      const grouped = yield* request("GET", "/listing?list-type=2&delimiter=%2F&prefix=a%2F")
      expect(grouped.text).toContain("<Prefix>a/</Prefix><Delimiter>/</Delimiter>")
      expect([...grouped.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(["a/1", "a/2"])
      expect(grouped.text).toContain("<CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes>")

      const encoded = yield* request("GET", "/listing?list-type=2&encoding-type=url&prefix=d")
      expect(encoded.text).toContain("<Key>d+e%2Bf</Key>")
      expect(encoded.text).toContain("<EncodingType>url</EncodingType>")

      const v1 = yield* request("GET", "/listing?delimiter=%2F&max-keys=2")
      expect(v1.text).toContain("<Marker></Marker>")
      expect(v1.text).toContain("<NextMarker>b/</NextMarker>")
      const v1next = yield* request("GET", "/listing?delimiter=%2F&marker=b%2F")
      expect([...v1next.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(["c", "d e+f"])

      const badToken = yield* request("GET", "/listing?list-type=2&continuation-token=nonsense")
      expect([badToken.status, errorCode(badToken)]).toEqual([400, "InvalidArgument"])
      const badMax = yield* request("GET", "/listing?list-type=2&max-keys=-1")
      expect([badMax.status, errorCode(badMax)]).toEqual([400, "InvalidArgument"])

      const deleteBody = "<Delete><Quiet>false</Quiet><Object><Key>a/1</Key></Object><Object><Key>missing</Key></Object></Delete>"
      const deleted = yield* request("POST", "/listing?delete", { body: deleteBody, headers: { "content-md5": md5(deleteBody) } })
      expect(deleted.status).toBe(200)
      expect(deleted.text).toContain("<Deleted><Key>a/1</Key></Deleted><Deleted><Key>missing</Key></Deleted>")
      expect((yield* request("GET", "/listing/a/1")).status).toBe(404)
      const location = yield* request("GET", "/listing?location")
      expect(location.text).toContain("<LocationConstraint")
      const unsupported = yield* request("GET", "/listing?versioning")
      expect([unsupported.status, errorCode(unsupported)]).toEqual([501, "NotImplemented"])
    }))

  it.effect("multipart over HTTP, with garbage: bad XML, wrong parts, unknown uploads", () =>
    Effect.gen(function*() {
      yield* request("PUT", "/multi")
      const init = yield* request("POST", "/multi/big/object.bin?uploads", { headers: { "content-type": "application/x-test" } })
      expect(init.status).toBe(200)
      expect(init.text).toContain("<Bucket>multi</Bucket><Key>big/object.bin</Key>")
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)![1]!
      const partPath = (n: number) => `/multi/big/object.bin?partNumber=${n}&uploadId=${encodeURIComponent(uploadId)}`
      const one = Buffer.alloc(2000, 1)
      const two = Buffer.alloc(100, 2)
      const p1 = yield* request("PUT", partPath(1), { body: one })
      const p2 = yield* request("PUT", partPath(2), { body: two })
      expect(p1.headers.etag).toBe(`"${createHash("md5").update(one).digest("hex")}"`)
      const completePath = `/multi/big/object.bin?uploadId=${encodeURIComponent(uploadId)}`

      for (const garbage of ["not xml at all", "<CompleteMultipartUpload><Part>", "<Other/>", "", "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>1</ETag></Part></CompleteMultipartUpload>"]) {
        const reply = yield* request("POST", completePath, { body: garbage })
        expect([reply.status, errorCode(reply)]).toEqual([400, "MalformedXML"])
      }
      const wrong = yield* request("POST", completePath, {
        body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag></Part></CompleteMultipartUpload>`
      })
      expect([wrong.status, errorCode(wrong)]).toEqual([400, "InvalidPart"])
      const order = yield* request("POST", completePath, {
        body: `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${p2.headers.etag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${p1.headers.etag}</ETag></Part></CompleteMultipartUpload>`
      })
      expect([order.status, errorCode(order)]).toEqual([400, "InvalidPartOrder"])

      const done = yield* request("POST", completePath, {
        body: `<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Part><ETag>&quot;${p1.headers.etag!.slice(1, -1)}&quot;</ETag><PartNumber>1</PartNumber></Part>
  <Part><PartNumber>2</PartNumber><ETag>${p2.headers.etag}</ETag></Part>
</CompleteMultipartUpload>`
      })
      expect(done.status).toBe(200)
      expect(done.text).toMatch(/<CompleteMultipartUploadResult xmlns="[^"]+"><Location>\/multi\/big\/object.bin<\/Location><Bucket>multi<\/Bucket><Key>big\/object.bin<\/Key><ETag>&quot;[0-9a-f]{32}-2&quot;<\/ETag><\/CompleteMultipartUploadResult>/)
      const object = yield* request("GET", "/multi/big/object.bin")
      expect(Buffer.compare(object.body, Buffer.concat([one, two]))).toBe(0)
      expect(object.headers["content-type"]).toBe("application/x-test")

      const gone = yield* request("POST", completePath, {
        body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${p1.headers.etag}</ETag></Part></CompleteMultipartUpload>`
      })
      expect([gone.status, errorCode(gone)]).toEqual([404, "NoSuchUpload"])
      const abortGone = yield* request("DELETE", completePath)
      expect([abortGone.status, errorCode(abortGone)]).toEqual([404, "NoSuchUpload"])

      const second = yield* request("POST", "/multi/other?uploads")
      const secondId = /<UploadId>([^<]+)<\/UploadId>/.exec(second.text)![1]!
      yield* request("PUT", `/multi/other?partNumber=1&uploadId=${secondId}`, { body: "part" })
      expect((yield* request("DELETE", `/multi/other?uploadId=${secondId}`)).status).toBe(204)
      const badPart = yield* request("PUT", `/multi/other?partNumber=1&uploadId=${secondId}`, { body: "part" })
      expect([badPart.status, errorCode(badPart)]).toEqual([404, "NoSuchUpload"])
    }))

  it.effect("aws-chunked bodies are de-chunked; trailer checksums and declared lengths are checked", () =>
    Effect.gen(function*() {
      yield* request("PUT", "/chunked")
      const data = ["hello ", "aws-chunked ", "world"]
      const whole = data.join("")
      const chunkedHeaders = (length: number) => ({
        "content-encoding": "aws-chunked",
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "x-amz-decoded-content-length": String(length),
        "x-amz-trailer": "x-amz-checksum-crc32",
        "content-type": "text/plain"
      })
      const ok = yield* request("PUT", "/chunked/ok.txt", {
        headers: chunkedHeaders(whole.length),
        body: awsChunked(data, [`x-amz-checksum-crc32:${crc32Base64(whole)}`])
      })
      expect(ok.status).toBe(200)
      expect(ok.headers["x-amz-checksum-crc32"]).toBe(crc32Base64(whole))
      expect(ok.headers.etag).toBe(`"${createHash("md5").update(whole).digest("hex")}"`)
      const back = yield* request("GET", "/chunked/ok.txt")
      expect(back.text).toBe(whole)
      expect(back.headers["content-encoding"]).toBeUndefined()
      expect(back.headers["x-amz-checksum-crc32"]).toBeUndefined()
      const withChecksum = yield* request("GET", "/chunked/ok.txt", { headers: { "x-amz-checksum-mode": "ENABLED" } })
      expect(withChecksum.headers["x-amz-checksum-crc32"]).toBe(crc32Base64(whole))
      const headChecksum = yield* request("HEAD", "/chunked/ok.txt", { headers: { "x-amz-checksum-mode": "ENABLED" } })
      expect(headChecksum.headers["x-amz-checksum-crc32"]).toBe(crc32Base64(whole))
      const rangeChecksum = yield* request("GET", "/chunked/ok.txt", {
        headers: { "x-amz-checksum-mode": "ENABLED", range: "bytes=0-3" }
      })
      expect([rangeChecksum.status, rangeChecksum.headers["x-amz-checksum-crc32"]]).toEqual([206, undefined])

      const badCrc = yield* request("PUT", "/chunked/ok.txt", {
        headers: chunkedHeaders(whole.length),
        body: awsChunked(["HELLO ", "aws-chunked ", "world"], [`x-amz-checksum-crc32:${crc32Base64(whole)}`])
      })
      expect([badCrc.status, errorCode(badCrc)]).toEqual([400, "BadDigest"])
      const badLength = yield* request("PUT", "/chunked/ok.txt", {
        headers: chunkedHeaders(whole.length + 5),
        body: awsChunked(data, [`x-amz-checksum-crc32:${crc32Base64(whole)}`])
      })
      expect([badLength.status, errorCode(badLength)]).toEqual([400, "IncompleteBody"])
      const badFraming = yield* request("PUT", "/chunked/ok.txt", {
        headers: chunkedHeaders(whole.length),
        body: "zz;chunk-signature=0\r\nhello\r\n0\r\n\r\n"
      })
      expect([badFraming.status, errorCode(badFraming)]).toEqual([400, "InvalidRequest"])
      const truncated = yield* request("PUT", "/chunked/ok.txt", {
        headers: chunkedHeaders(whole.length),
        body: awsChunked(data).subarray(0, 20)
      })
      expect(truncated.status).toBe(400)
      // A header checksum on a plain body is checked too.
      const plainBad = yield* request("PUT", "/chunked/plain.txt", {
        headers: { "x-amz-checksum-crc32": crc32Base64("other") },
        body: "plain"
      })
      expect([plainBad.status, errorCode(plainBad)]).toEqual([400, "BadDigest"])
      const plainOk = yield* request("PUT", "/chunked/plain.txt", {
        headers: { "x-amz-checksum-crc32": crc32Base64("plain") },
        body: "plain"
      })
      expect(plainOk.status).toBe(200)
      // None of the failures replaced the object.
      expect((yield* request("GET", "/chunked/ok.txt")).text).toBe(whole)
    }))

  it.effect("bad input leaves the service up and the data intact", () =>
    Effect.gen(function*() {
      yield* request("PUT", "/sturdy")
      yield* request("PUT", "/sturdy/precious", { body: "precious bytes" })
      const oversized = yield* request("PUT", "/sturdy/precious", { body: Buffer.alloc(MAX_OBJECT + 1, 7) })
      expect([oversized.status, errorCode(oversized)]).toEqual([400, "EntityTooLarge"])
      const oversizedChunked = yield* request("PUT", "/sturdy/precious", {
        headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
        body: awsChunked([Buffer.alloc(MAX_OBJECT / 2, 1), Buffer.alloc(MAX_OBJECT / 2 + 1, 2)])
      })
      expect([oversizedChunked.status, errorCode(oversizedChunked)]).toEqual([400, "EntityTooLarge"])
      const badMd5 = yield* request("PUT", "/sturdy/precious", { headers: { "content-md5": "AAAA" }, body: "x" })
      expect([badMd5.status, errorCode(badMd5)]).toEqual([400, "InvalidDigest"])
      const wrongMd5 = yield* request("PUT", "/sturdy/precious", {
        headers: { "content-md5": createHash("md5").update("y").digest("base64") },
        body: "x"
      })
      expect([wrongMd5.status, errorCode(wrongMd5)]).toEqual([400, "BadDigest"])
      const longKey = yield* request("PUT", `/sturdy/${"k".repeat(1025)}`, { body: "x" })
      expect([longKey.status, errorCode(longKey)]).toEqual([400, "KeyTooLongError"])
      const method = yield* request("PATCH", "/sturdy/precious", { body: "x" })
      expect([method.status, errorCode(method)]).toEqual([405, "MethodNotAllowed"])
      const copy = yield* request("PUT", "/sturdy/copy", { headers: { "x-amz-copy-source": "/sturdy/precious" } })
      expect([copy.status, errorCode(copy)]).toEqual([501, "NotImplemented"])
      const garbage = "\u0000\u0001<<<>>>"
      const garbageXml = yield* request("POST", "/sturdy?delete", { body: garbage, headers: { "content-md5": md5(garbage) } })
      expect([garbageXml.status, errorCode(garbageXml)]).toEqual([400, "MalformedXML"])
      const huge = "<Delete>" + " ".repeat(1024 * 1024 + 1)
      const hugeXml = yield* request("POST", "/sturdy?delete", { body: huge, headers: { "content-md5": md5(huge) } })
      expect([hugeXml.status, errorCode(hugeXml)]).toEqual([400, "MalformedXML"])

      // Still up, and the object is what it was.
      const after = yield* request("GET", "/sturdy/precious")
      expect([after.status, after.text]).toEqual([200, "precious bytes"])
      expect(Fs.readdirSync(Path.join(dataDir, "s3", "tmp"))).toEqual([])
    }))
})

describe("S3Routes.handle", () => {
  it.effect("is transport-neutral: a request record in, a response record out", () =>
    Effect.gen(function*() {
      const call = (method: string, path: string, body = "") =>
        S3Routes.handle({
          method,
          path,
          query: new URLSearchParams(),
          headers: { "content-length": String(body.length) },
          body: Stream.make(new TextEncoder().encode(body))
        })
      expect((yield* call("PUT", "/direct")).status).toBe(200)
      expect((yield* call("PUT", "/direct/k%2Fv", "direct body")).status).toBe(200)
      const got = yield* call("GET", "/direct/k%2Fv")
      expect(got.status).toBe(200)
      const bytes = got.body instanceof Uint8Array ? got.body : yield* Stream.runCollect(got.body).pipe(
        Effect.map((chunks) => Buffer.concat([...chunks]))
      )
      expect(Buffer.from(bytes).toString()).toBe("direct body")
      const missing = yield* call("GET", "/direct/none")
      expect(missing.status).toBe(404)
      expect(missing.headers["x-amz-request-id"]).toBeDefined()
    }).pipe(
      Effect.provide(S3Store.layer({ dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-s3handle-")), fsync: false }))
    ))
})
