import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type { S3Error } from "../src/s3/S3Error.js"
import * as Blob from "../src/s3/blobFiles.js"
import * as S3Store from "../src/s3/S3Store.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const tempRoot = () => Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-s3store-"))

const bodyOf = (data: string | Uint8Array, chunkSize = 7): Stream.Stream<Uint8Array, S3Error> => {
  const bytes = typeof data === "string" ? encoder.encode(data) : data
  const chunks: Array<Uint8Array> = []
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize))
  return Stream.fromIterable(chunks)
}

const collect = (stream: Stream.Stream<Uint8Array, S3Error>) =>
  Stream.runCollect(stream).pipe(Effect.map((chunks) => Buffer.concat(Chunk.toReadonlyArray(chunks))))

const withStore = <A, E>(
  options: S3Store.S3StoreOptions,
  f: (store: S3Store.S3Store) => Effect.Effect<A, E, Scope.Scope>
): Effect.Effect<A, E | S3Error> => Effect.scoped(Effect.flatMap(S3Store.make(options), f))

const md5Hex = (data: string | Uint8Array) => createHash("md5").update(data).digest("hex")

const errorCode = <A, R>(effect: Effect.Effect<A, S3Error, R>) =>
  Effect.map(Effect.flip(effect), (error) => error.code)

/** Every file under `dir`, relative to it. */
const walk = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => Path.relative(dir, Path.join(entry.parentPath, entry.name)))

const blobCount = (dataDir: string) => Fs.readdirSync(Path.join(dataDir, "s3", "blobs")).length
const tmpCount = (dataDir: string) => Fs.readdirSync(Path.join(dataDir, "s3", "tmp")).length

/** Keys that would be dangerous as paths, unicode, and ones that stress byte ordering. */
const trickyKeys = [
  "../../etc/passwd",
  "../x",
  "/abs",
  "/etc/passwd",
  "a/../b",
  "a/./b",
  "%2e%2e%2f",
  "a%2F..%2Fb",
  "..",
  ".",
  "./",
  "a//b",
  "C:\\Windows\\system32",
  "..\\..\\x",
  "with space",
  "plus+sign",
  "a+b c/d e",
  "tab\tkey",
  "newline\nkey",
  "nul\u0000byte",
  "über/straße",
  "日本語/ファイル.parquet",
  "emoji/😀.txt",
  "z\u00ff",
  "z\u0100",
  "z\uffff",
  "z\u{10000}",
  "?query=1&x#frag",
  "trailing/",
  "x".repeat(1024)
]

/** ~1,000 keys: directories of files, unicode names and the tricky ones. */
const manyKeys = (): Array<string> => {
  const keys = new Set<string>(trickyKeys)
  for (let d = 0; d < 12; d++) {
    for (let f = 0; f < 40; f++) keys.add(`dir${d}/sub${f % 4}/file-${f}.csv`)
    keys.add(`dir${d}/`)
  }
  const words = ["alpha", "Beta", "gamma", "δέλτα", "ЭХО", "ñandú", "café", "a", "a-b", "a.b", "a_b"]
  for (let i = 0; keys.size < 1000; i++) {
    keys.add(`${words[i % words.length]}/${i % 7 === 0 ? "deep/er/" : ""}${i.toString(36)}${i % 5 === 0 ? " +x" : ""}`)
  }
  return [...keys]
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))

/** What a listing should return, computed the obvious way. */
const referenceListing = (keys: ReadonlyArray<string>, prefix: string, delimiter: string) => {
  const entries: Array<{ key?: string; prefix?: string }> = []
  const seen = new Set<string>()
  for (const key of [...keys].sort(byteOrder)) {
    if (!key.startsWith(prefix)) continue
    const at = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length)
    if (at >= 0) {
      const group = key.slice(0, at + delimiter.length)
      if (!seen.has(group)) {
        seen.add(group)
        entries.push({ prefix: group })
      }
    } else entries.push({ key })
  }
  return entries
}

describe("S3Store", () => {
  it.effect("buckets: create, head, list, delete, and the naming rules", () =>
    withStore({ dataDir: tempRoot() }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("alpha")
        yield* store.createBucket("beta.bucket-1")
        expect(yield* errorCode(store.createBucket("alpha"))).toBe("BucketAlreadyOwnedByYou")
        yield* store.headBucket("alpha")
        expect(yield* errorCode(store.headBucket("missing"))).toBe("NoSuchBucket")
        expect((yield* store.listBuckets).map((b) => b.name)).toEqual(["alpha", "beta.bucket-1"])
        for (const bad of ["ab", "A-bucket", "-start", "end-", "a..b", "192.168.1.1", "has_underscore", "x".repeat(64)]) {
          expect(yield* errorCode(store.createBucket(bad))).toBe("InvalidBucketName")
        }
        yield* store.putObject("alpha", "k", bodyOf("v"))
        expect(yield* errorCode(store.deleteBucket("alpha"))).toBe("BucketNotEmpty")
        yield* store.deleteObject("alpha", "k")
        yield* store.deleteBucket("alpha")
        expect(yield* errorCode(store.headBucket("alpha"))).toBe("NoSuchBucket")
        expect(yield* errorCode(store.deleteBucket("alpha"))).toBe("NoSuchBucket")
      })))

  it.effect("objects: put, get, range, head, delete; ETag is the quoted MD5; metadata kept", () =>
    withStore({ dataDir: tempRoot() }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("data")
        const text = "hello, geojobs local S3"
        const put = yield* store.putObject("data", "greeting.txt", bodyOf(text), {
          contentType: "text/plain",
          metadata: { owner: "ops" },
          headers: { "cache-control": "no-cache" },
          contentMd5: createHash("md5").update(text).digest("base64"),
          contentLength: text.length
        })
        expect(put.etag).toBe(`"${md5Hex(text)}"`)
        const head = yield* store.headObject("data", "greeting.txt")
        expect(head).toMatchObject({
          size: text.length,
          etag: put.etag,
          contentType: "text/plain",
          metadata: { owner: "ops" },
          headers: { "cache-control": "no-cache" }
        })
        const whole = yield* Effect.scoped(Effect.flatMap(store.getObject("data", "greeting.txt"), (r) => collect(r.body)))
        expect(decoder.decode(whole)).toBe(text)

        const ranged = (spec: Parameters<typeof store.getObject>[2]) =>
          Effect.scoped(
            Effect.flatMap(store.getObject("data", "greeting.txt", spec), (r) =>
              Effect.map(collect(r.body), (bytes) => ({ range: r.range, text: decoder.decode(bytes) })))
          )
        expect(yield* ranged({ _tag: "FromTo", start: 0, end: 4 })).toEqual({ range: { start: 0, end: 4 }, text: "hello" })
        expect(yield* ranged({ _tag: "FromTo", start: 7, end: undefined })).toEqual({
          range: { start: 7, end: text.length - 1 },
          text: text.slice(7)
        })
        expect((yield* ranged({ _tag: "Suffix", length: 2 })).text).toBe("S3")
        expect((yield* ranged({ _tag: "Suffix", length: 999 })).text).toBe(text)
        expect((yield* ranged({ _tag: "FromTo", start: 20, end: 999 })).text).toBe(text.slice(20))
        expect(yield* errorCode(ranged({ _tag: "FromTo", start: text.length, end: undefined }))).toBe("InvalidRange")
        expect(yield* errorCode(ranged({ _tag: "Suffix", length: 0 }))).toBe("InvalidRange")

        expect(decoder.decode(yield* store.readRange("data", "greeting.txt", 7, 14))).toBe("geojobs")
        const access = yield* Effect.scoped(
          Effect.flatMap(store.randomAccess("data", "greeting.txt"), (a) =>
            Effect.promise(async () => {
              // into the caller's memory (shared, as the job runner's raw row groups are); past the end fails
              const into = new Uint8Array(new SharedArrayBuffer(7))
              await a.readInto(7, into)
              const beyond = await a.readInto(text.length - 1, new Uint8Array(2)).then(() => "read", (e: Error) => e.message)
              return { length: a.byteLength, tail: decoder.decode(await a.slice(text.length - 2)), into: decoder.decode(into.slice()), beyond }
            }))
        )
        expect(access).toMatchObject({ length: text.length, tail: "S3", into: "geojobs" })
        expect(access.beyond).toMatch(/outside the object/)

        yield* store.deleteObject("data", "greeting.txt")
        yield* store.deleteObject("data", "greeting.txt")
        expect(yield* errorCode(store.headObject("data", "greeting.txt"))).toBe("NoSuchKey")
        expect(yield* errorCode(Effect.scoped(store.getObject("data", "greeting.txt")))).toBe("NoSuchKey")
        expect(yield* errorCode(store.putObject("nobucket", "k", bodyOf("x")))).toBe("NoSuchBucket")
        expect(yield* errorCode(store.deleteObject("nobucket", "k"))).toBe("NoSuchBucket")

        // The empty object, and keys at the limits.
        const empty = yield* store.putObject("data", "empty", Stream.empty)
        expect(empty).toMatchObject({ size: 0, etag: `"${md5Hex("")}"` })
        expect(yield* Effect.scoped(Effect.flatMap(store.getObject("data", "empty"), (r) => collect(r.body)))).toHaveLength(0)
        expect(yield* errorCode(store.putObject("data", "", bodyOf("x")))).toBe("InvalidArgument")
        expect(yield* errorCode(store.putObject("data", "é".repeat(513), bodyOf("x")))).toBe("KeyTooLongError")
        expect(yield* errorCode(store.putObject("data", "bad\uD800surrogate", bodyOf("x")))).toBe("InvalidArgument")
      })))

  it.effect("digests and limits: BadDigest, InvalidDigest, IncompleteBody, EntityTooLarge leave nothing behind", () => {
    const dataDir = tempRoot()
    return withStore({ dataDir, maxObjectSize: 1000 }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("data")
        yield* store.putObject("data", "kept", bodyOf("original"))
        const wrongMd5 = createHash("md5").update("other").digest("base64")
        expect(yield* errorCode(store.putObject("data", "kept", bodyOf("changed"), { contentMd5: wrongMd5 }))).toBe(
          "BadDigest"
        )
        expect(yield* errorCode(store.putObject("data", "kept", bodyOf("changed"), { contentMd5: "not-base64!" }))).toBe(
          "InvalidDigest"
        )
        expect(yield* errorCode(store.putObject("data", "kept", bodyOf("changed"), { contentLength: 99 }))).toBe(
          "IncompleteBody"
        )
        expect(yield* errorCode(store.putObject("data", "kept", bodyOf(new Uint8Array(1001), 100)))).toBe(
          "EntityTooLarge"
        )
        expect(yield* errorCode(store.putObject("data", "kept", bodyOf("x"), { contentLength: 5000 }))).toBe(
          "EntityTooLarge"
        )
        yield* store.putObject("data", "limit", bodyOf(new Uint8Array(1000), 100))
        const kept = yield* Effect.scoped(Effect.flatMap(store.getObject("data", "kept"), (r) => collect(r.body)))
        expect(decoder.decode(kept)).toBe("original")
        expect(tmpCount(dataDir)).toBe(0)
        expect(blobCount(dataDir)).toBe(2)
      }))
  })

  it.effect("putFiles publishes several files at once, replacing old objects; a failure publishes none", () => {
    const dataDir = tempRoot()
    return withStore({ dataDir }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("batch-out")
        yield* store.putObject("batch-out", "r/0.parquet", Stream.make(new TextEncoder().encode("old")))
        const write = (text: string) =>
          Effect.flatMap(store.tempFile, (path) => Effect.as(Effect.sync(() => Fs.writeFileSync(path, text)), path))
        const a = yield* write("first")
        const b = yield* write("second")
        const infos = yield* store.putFiles("batch-out", [{ key: "r/0.parquet", path: a }, { key: "r/1.parquet", path: b, contentType: "x/y" }])
        expect(infos.map((i) => [i.key, i.size, i.etag])).toEqual([
          ["r/0.parquet", 5, `"${md5Hex("first")}"`],
          ["r/1.parquet", 6, `"${md5Hex("second")}"`]
        ])
        expect(yield* store.listKeys("batch-out")).toEqual(["r/0.parquet", "r/1.parquet"])
        expect(decoder.decode(yield* store.readRange("batch-out", "r/0.parquet", 0, 100))).toBe("first")
        expect((yield* store.headObject("batch-out", "r/1.parquet")).contentType).toBe("x/y")
        const blobsBefore = blobCount(dataDir)
        // One bad entry (a missing file): nothing of the batch appears, no blob is left behind.
        const c = yield* write("third")
        const failed = yield* Effect.flip(store.putFiles("batch-out", [
          { key: "r/2.parquet", path: c },
          { key: "r/3.parquet", path: Path.join(dataDir, "no-such-file") }
        ]))
        expect(failed._tag).toBe("S3Error")
        expect(yield* store.listKeys("batch-out")).toEqual(["r/0.parquet", "r/1.parquet"])
        expect(blobCount(dataDir)).toBe(blobsBefore)
        expect(yield* errorCode(store.putFiles("no-such-bucket", []))).toBe("NoSuchBucket")
        // a file hashed by its writer is not hashed again (its MD5 is the ETag) when its size agrees;
        // one whose size does not agree is hashed here
        const d = yield* write("fourth")
        const e = yield* write("fifth")
        const given = createHash("md5").update("given").digest()
        const published = yield* store.putFiles("batch-out", [
          { key: "r/4.parquet", path: d, written: { md5: given, size: 6 } },
          { key: "r/5.parquet", path: e, written: { md5: given, size: 99 } }
        ])
        expect(published.map((i) => [i.key, i.size, i.etag])).toEqual([
          ["r/4.parquet", 6, `"${given.toString("hex")}"`],
          ["r/5.parquet", 5, `"${md5Hex("fifth")}"`]
        ])
      }))
  })

  it.effect("~1,000 tricky and unicode keys: each reads back its own bytes, and no file leaves <dataDir>/s3", () => {
    const root = tempRoot()
    const dataDir = Path.join(root, "data")
    const keys = manyKeys()
    return withStore({ dataDir, fsync: false }, (store) =>
      Effect.gen(function*() {
        expect(keys.length).toBe(1000)
        yield* store.createBucket("tricky")
        yield* Effect.forEach(keys, (key) => store.putObject("tricky", key, bodyOf(`body of ${JSON.stringify(key)}`)), {
          concurrency: 8,
          discard: true
        })
        yield* Effect.forEach(keys, (key) =>
          Effect.scoped(Effect.flatMap(store.getObject("tricky", key), (r) => collect(r.body))).pipe(
            Effect.map((bytes) => expect(decoder.decode(bytes)).toBe(`body of ${JSON.stringify(key)}`))
          ), { concurrency: 8, discard: true })

        // Everything written lives under <dataDir>/s3: blobs named by the store, the SQLite files.
        const files = walk(root)
        expect(files.every((file) => file.startsWith(Path.join("data", "s3") + Path.sep))).toBe(true)
        const blobs = files.filter((file) => file.startsWith(Path.join("data", "s3", "blobs") + Path.sep))
        expect(blobs).toHaveLength(keys.length)
        expect(blobs.every((file) => /^[0-9a-f-]{36}$/.test(Path.basename(file)))).toBe(true)
        expect(files.filter((file) => !blobs.includes(file)).every((file) => /(meta\.sqlite(-wal|-shm)?|LOCK(\.sqlite)?)$/.test(file)))
          .toBe(true)
        expect(Fs.existsSync(Path.join(root, "etc"))).toBe(false)

        expect(yield* store.listKeys("tricky")).toEqual([...keys].sort(byteOrder))
        expect(yield* store.listKeys("tricky", "dir1/")).toEqual(keys.filter((k) => k.startsWith("dir1/")).sort(byteOrder))
      }))
  })

  it.effect("ListObjects: prefix, delimiter, max-keys, continuation and start-after agree with a reference", () => {
    const keys = manyKeys()
    return withStore({ dataDir: tempRoot(), fsync: false }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("list")
        yield* Effect.forEach(keys, (key) => store.putObject("list", key, bodyOf("x")), { concurrency: 8, discard: true })
        const cases: Array<[string, string, number]> = [
          ["", "", 1000],
          ["", "", 37],
          ["", "/", 5],
          ["dir3/", "/", 3],
          ["dir3/", "", 17],
          ["dir", "/", 4],
          ["alpha/", "/", 10],
          ["z", "", 2],
          ["日本語/", "/", 1],
          ["", "a", 50],
          ["nothing-here", "/", 10],
          ["..", "/", 3]
        ]
        for (const [prefix, delimiter, maxKeys] of cases) {
          const got: Array<{ key?: string; prefix?: string }> = []
          let token: string | undefined
          let pages = 0
          do {
            const page = yield* store.listObjects("list", { prefix, delimiter, maxKeys, continuationToken: token })
            pages++
            const entries: Array<{ key?: string; prefix?: string }> = [
              ...page.contents.map((c) => ({ key: c.key })),
              ...page.commonPrefixes.map((p) => ({ prefix: p }))
            ]
            entries.sort((a, b) => byteOrder(a.key ?? a.prefix!, b.key ?? b.prefix!))
            expect(entries.length).toBeLessThanOrEqual(maxKeys)
            if (page.isTruncated) expect(entries.length).toBe(maxKeys)
            got.push(...entries)
            token = page.nextContinuationToken
            expect(token === undefined).toBe(!page.isTruncated)
          } while (token !== undefined && pages < 2000)
          expect(got).toEqual(referenceListing(keys, prefix, delimiter))
        }

        // start-after: everything after a key, in order; a start-after inside a group skips it.
        const sorted = [...keys].sort(byteOrder)
        const page = yield* store.listObjects("list", { startAfter: sorted[499], maxKeys: 10 })
        expect(page.contents.map((c) => c.key)).toEqual(sorted.slice(500, 510))
        const grouped = yield* store.listObjects("list", { delimiter: "/", startAfter: "dir3/sub1/x", maxKeys: 1 })
        expect(grouped.commonPrefixes).toEqual(["dir4/"])

        const zero = yield* store.listObjects("list", { maxKeys: 0 })
        expect(zero.contents).toHaveLength(0)
        expect(yield* errorCode(store.listObjects("list", { continuationToken: "garbage" }))).toBe("InvalidArgument")
        expect(yield* errorCode(store.listObjects("nolist"))).toBe("NoSuchBucket")
      }))
  })

  it.effect("multipart: parts assembled in order, ETag of part MD5s, part replacement, and the errors", () => {
    const dataDir = tempRoot()
    return withStore({ dataDir, minPartSize: 100 }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("mpu")
        const part = (n: number, size: number) => new Uint8Array(size).fill(n)
        const uploadId = yield* store.createMultipartUpload("mpu", "big.bin", {
          contentType: "application/octet-stream",
          metadata: { source: "test" }
        })
        const e1 = yield* store.uploadPart("mpu", "big.bin", uploadId, 1, bodyOf(part(9, 150), 64))
        const e2 = yield* store.uploadPart("mpu", "big.bin", uploadId, 2, bodyOf(part(2, 120), 64))
        const e3 = yield* store.uploadPart("mpu", "big.bin", uploadId, 3, bodyOf(part(3, 10), 64))
        // Part 1 uploaded again: the later one counts, the earlier blob is gone.
        const e1b = yield* store.uploadPart("mpu", "big.bin", uploadId, 1, bodyOf(part(1, 100), 64))
        expect(e1).not.toBe(e1b)
        expect(blobCount(dataDir)).toBe(3)
        expect(yield* errorCode(store.headObject("mpu", "big.bin"))).toBe("NoSuchKey")

        const complete = (parts: ReadonlyArray<S3Store.CompletedPart>) =>
          store.completeMultipartUpload("mpu", "big.bin", uploadId, parts)
        expect(yield* errorCode(complete([]))).toBe("MalformedXML")
        expect(yield* errorCode(complete([{ partNumber: 2, etag: e2 }, { partNumber: 1, etag: e1b }]))).toBe(
          "InvalidPartOrder"
        )
        expect(yield* errorCode(complete([{ partNumber: 1, etag: e1 }, { partNumber: 2, etag: e2 }]))).toBe(
          "InvalidPart"
        )
        expect(yield* errorCode(complete([{ partNumber: 1, etag: e1b }, { partNumber: 4, etag: e2 }]))).toBe(
          "InvalidPart"
        )
        expect(yield* errorCode(complete([{ partNumber: 3, etag: e3 }, { partNumber: 2, etag: e2 }]))).toBe(
          "InvalidPartOrder"
        )
        expect(
          yield* errorCode(
            complete([{ partNumber: 1, etag: e1b }, { partNumber: 3, etag: e3 }, { partNumber: 4, etag: e3 }])
          )
        ).toBe("InvalidPart")
        const e4 = yield* store.uploadPart("mpu", "big.bin", uploadId, 4, bodyOf(part(4, 50), 64))
        expect(
          yield* errorCode(
            complete([{ partNumber: 1, etag: e1b }, { partNumber: 3, etag: e3 }, { partNumber: 4, etag: e4 }])
          )
        ).toBe("EntityTooSmall")
        expect(yield* errorCode(store.uploadPart("mpu", "big.bin", uploadId, 0, bodyOf("x")))).toBe("InvalidArgument")
        expect(yield* errorCode(store.uploadPart("mpu", "big.bin", uploadId, 10001, bodyOf("x")))).toBe("InvalidArgument")
        expect(yield* errorCode(store.uploadPart("mpu", "other.bin", uploadId, 1, bodyOf("x")))).toBe("NoSuchUpload")
        expect(yield* errorCode(store.uploadPart("mpu", "big.bin", "nope", 1, bodyOf("x")))).toBe("NoSuchUpload")

        // Quotes and case in the given ETags do not matter; unlisted part 4 is dropped.
        const done = yield* complete([
          { partNumber: 1, etag: e1b.toUpperCase() },
          { partNumber: 2, etag: e2.replaceAll("\"", "") },
          { partNumber: 3, etag: e3 }
        ])
        const md5s = [part(1, 100), part(2, 120), part(3, 10)].map((p) => createHash("md5").update(p).digest())
        expect(done.etag).toBe(`"${createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-3"`)
        expect(done).toMatchObject({ size: 230, contentType: "application/octet-stream", metadata: { source: "test" } })
        const bytes = yield* Effect.scoped(Effect.flatMap(store.getObject("mpu", "big.bin"), (r) => collect(r.body)))
        expect(Buffer.compare(bytes, Buffer.concat([part(1, 100), part(2, 120), part(3, 10)]))).toBe(0)
        expect(blobCount(dataDir)).toBe(1)
        expect(tmpCount(dataDir)).toBe(0)
        expect(yield* errorCode(complete([{ partNumber: 1, etag: e1b }]))).toBe("NoSuchUpload")
        expect(yield* errorCode(store.uploadPart("mpu", "big.bin", uploadId, 5, bodyOf("x")))).toBe("NoSuchUpload")

        // Abort drops the parts; a second abort is NoSuchUpload; the object is untouched.
        const second = yield* store.createMultipartUpload("mpu", "big.bin")
        yield* store.uploadPart("mpu", "big.bin", second, 1, bodyOf(part(7, 300), 64))
        expect(blobCount(dataDir)).toBe(2)
        yield* store.abortMultipartUpload("mpu", "big.bin", second)
        expect(blobCount(dataDir)).toBe(1)
        expect(yield* errorCode(store.abortMultipartUpload("mpu", "big.bin", second))).toBe("NoSuchUpload")
        expect((yield* store.headObject("mpu", "big.bin")).etag).toBe(done.etag)
        expect(yield* errorCode(store.createMultipartUpload("nompu", "k"))).toBe("NoSuchBucket")

        // Deleting a bucket drops its pending uploads.
        yield* store.createBucket("mpu2")
        const pending = yield* store.createMultipartUpload("mpu2", "k")
        yield* store.uploadPart("mpu2", "k", pending, 1, bodyOf("abc"))
        yield* store.deleteBucket("mpu2")
        expect(blobCount(dataDir)).toBe(1)
      }))
  })

  it.effect("replacing an object is atomic: an open reader keeps the old bytes, the old blob goes", () => {
    const dataDir = tempRoot()
    return withStore({ dataDir }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("swap")
        const v1 = new Uint8Array(1024 * 1024).fill(1)
        const v2 = new Uint8Array(300 * 1024).fill(2)
        yield* store.putObject("swap", "obj", bodyOf(v1, 65536))
        const scope = yield* Scope.make()
        const reading = yield* store.getObject("swap", "obj").pipe(Scope.extend(scope))
        const replaced = yield* store.putObject("swap", "obj", bodyOf(v2, 65536))
        expect(blobCount(dataDir)).toBe(1)
        const old = yield* collect(reading.body)
        yield* Scope.close(scope, Exit.void)
        expect(old.length).toBe(v1.length)
        expect(old.every((b) => b === 1)).toBe(true)
        expect(reading.info.etag).toBe(`"${md5Hex(v1)}"`)
        const now = yield* Effect.scoped(Effect.flatMap(store.getObject("swap", "obj"), (r) => collect(r.body)))
        expect(now.length).toBe(v2.length)
        expect(replaced.etag).toBe(`"${md5Hex(v2)}"`)

        // Concurrent writers to one key: one wins whole, no blob leaks.
        yield* Effect.forEach([3, 4, 5, 6], (n) => store.putObject("swap", "obj", bodyOf(new Uint8Array(5000).fill(n), 512)), {
          concurrency: "unbounded",
          discard: true
        })
        const last = yield* Effect.scoped(Effect.flatMap(store.getObject("swap", "obj"), (r) => collect(r.body)))
        expect(last.length).toBe(5000)
        expect(new Set(last).size).toBe(1)
        expect(blobCount(dataDir)).toBe(1)
      }))
  })

  it.effect("copyToFile: an object's bytes into a local file (replacing it); a missing key is NoSuchKey", () => {
    const dataDir = tempRoot()
    const out = Path.join(tempRoot(), "copy.bin")
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 7) % 251)
    return withStore({ dataDir }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("data")
        yield* store.putObject("data", "big.bin", bodyOf(big, 1 << 20))
        yield* store.putObject("data", "empty.bin", bodyOf(""))
        Fs.writeFileSync(out, "something longer that was there before")
        expect(yield* store.copyToFile("data", "big.bin", out)).toBe(big.length)
        expect(Buffer.compare(Fs.readFileSync(out), big)).toBe(0)
        expect(yield* store.copyToFile("data", "empty.bin", out)).toBe(0)
        expect(Fs.readFileSync(out).length).toBe(0)
        expect(yield* errorCode(store.copyToFile("data", "missing.bin", out))).toBe("NoSuchKey")
        expect(yield* errorCode(store.copyToFile("nobucket", "big.bin", out))).toBe("NoSuchBucket")
      }))
  })

  it.effect("copyBlobTo copies an open blob's bytes even once its file is gone (the object replaced meanwhile)", () =>
    Effect.promise(async () => {
      const dirs = Blob.blobDirs(tempRoot(), false)
      Fs.mkdirSync(dirs.blobs, { recursive: true })
      const bytes = new Uint8Array((9 << 20) + 5).map((_, i) => i % 253)
      Fs.writeFileSync(Blob.blobPath(dirs, "b1"), bytes)
      const handle = await Fs.promises.open(Blob.blobPath(dirs, "b1"), "r")
      try {
        Fs.rmSync(Blob.blobPath(dirs, "b1"))
        const out = Path.join(tempRoot(), "out.bin")
        expect(await Blob.copyBlobTo(dirs, "b1", handle, bytes.length, out)).toBe(bytes.length)
        expect(Buffer.compare(Fs.readFileSync(out), bytes)).toBe(0)
      } finally {
        await handle.close()
      }
    }))

  it.effect("putFile publishes a file written elsewhere; tempFile paths are cleaned with their scope", () => {
    const dataDir = tempRoot()
    return withStore({ dataDir, maxObjectSize: 64 }, (store) =>
      Effect.gen(function*() {
        yield* store.createBucket("out")
        const outside = Path.join(tempRoot(), "result.parquet")
        Fs.writeFileSync(outside, "PAR1 pretend")
        const info = yield* store.putFile("out", "results/part-0.parquet", outside, { contentType: "application/vnd.apache.parquet" })
        expect(info).toMatchObject({ size: 12, etag: `"${md5Hex("PAR1 pretend")}"` })
        expect(Fs.existsSync(outside)).toBe(false)
        const scoped = yield* Effect.scoped(
          Effect.gen(function*() {
            const path = yield* store.tempFile
            Fs.writeFileSync(path, "written in place")
            yield* store.putFile("out", "results/part-1.parquet", path)
            const unused = yield* store.tempFile
            Fs.writeFileSync(unused, "abandoned")
            return unused
          })
        )
        expect(Fs.existsSync(scoped)).toBe(false)
        expect(tmpCount(dataDir)).toBe(0)
        expect(decoder.decode(yield* store.readRange("out", "results/part-1.parquet", 0, 100))).toBe("written in place")
        const big = Path.join(tempRoot(), "big")
        Fs.writeFileSync(big, new Uint8Array(65))
        expect(yield* errorCode(store.putFile("out", "big", big))).toBe("EntityTooLarge")
        expect(yield* store.listKeys("out", "results/")).toEqual(["results/part-0.parquet", "results/part-1.parquet"])
      }))
  })

  it.effect("restart on the same data directory keeps buckets, objects and pending uploads", () => {
    const dataDir = tempRoot()
    return Effect.gen(function*() {
      const uploadId = yield* withStore({ dataDir, minPartSize: 1 }, (store) =>
        Effect.gen(function*() {
          yield* store.createBucket("keep")
          yield* store.putObject("keep", "a/1", bodyOf("one"), { metadata: { n: "1" } })
          yield* store.putObject("keep", "a/2", bodyOf("two"))
          const id = yield* store.createMultipartUpload("keep", "mpu")
          yield* store.uploadPart("keep", "mpu", id, 1, bodyOf("first,"))
          return id
        }))
      yield* withStore({ dataDir, minPartSize: 1 }, (store) =>
        Effect.gen(function*() {
          expect((yield* store.listBuckets).map((b) => b.name)).toEqual(["keep"])
          expect(yield* store.listKeys("keep")).toEqual(["a/1", "a/2"])
          expect((yield* store.headObject("keep", "a/1")).metadata).toEqual({ n: "1" })
          expect(decoder.decode(yield* store.readRange("keep", "a/2", 0, 3))).toBe("two")
          const e2 = yield* store.uploadPart("keep", "mpu", uploadId, 2, bodyOf("second"))
          const e1 = `"${md5Hex("first,")}"`
          yield* store.completeMultipartUpload("keep", "mpu", uploadId, [{ partNumber: 1, etag: e1 }, {
            partNumber: 2,
            etag: e2
          }])
          expect(decoder.decode(yield* store.readRange("keep", "mpu", 0, 100))).toBe("first,second")
        }))
    })
  })

  it.effect("a simulated crash (temp files, orphan blobs) is cleaned at start and never visible", () => {
    const dataDir = tempRoot()
    return Effect.gen(function*() {
      yield* withStore({ dataDir }, (store) =>
        Effect.gen(function*() {
          yield* store.createBucket("crash")
          yield* store.putObject("crash", "stable", bodyOf("stable bytes"))
        }))
      // What a kill -9 can leave: a half-written temp body, and a published blob whose row swap
      // never committed (or whose replaced predecessor was never removed).
      Fs.writeFileSync(Path.join(dataDir, "s3", "tmp", "0000-half.part"), "half a bo")
      Fs.writeFileSync(Path.join(dataDir, "s3", "blobs", "11111111-2222-3333-4444-555555555555"), "orphan")
      expect(blobCount(dataDir)).toBe(2)
      yield* withStore({ dataDir }, (store) =>
        Effect.gen(function*() {
          expect(tmpCount(dataDir)).toBe(0)
          expect(blobCount(dataDir)).toBe(1)
          const page = yield* store.listObjects("crash")
          expect(page.contents.map((c) => c.key)).toEqual(["stable"])
          expect(decoder.decode(yield* store.readRange("crash", "stable", 0, 100))).toBe("stable bytes")
        }))
    })
  })

  it.effect("one store per data directory: a second store is refused; a note naming a live pid does not block", () => {
    const dataDir = tempRoot()
    const note = Path.join(dataDir, "s3", "LOCK")
    return Effect.gen(function*() {
      yield* withStore({ dataDir }, () =>
        Effect.gen(function*() {
          expect(JSON.parse(Fs.readFileSync(note, "utf8")).pid).toBe(process.pid)
          const second = yield* Effect.flip(withStore({ dataDir }, () => Effect.void))
          expect(second.message).toMatch(/already open in this process/)
        }))
      expect(Fs.existsSync(note)).toBe(false)
      // What the pid rule used to obey: a note naming a live process (our parent) that holds no lock.
      Fs.writeFileSync(note, String(process.ppid))
      yield* withStore({ dataDir }, (store) => store.createBucket("after-note"))
    })
  })

  it("kill -9 in the middle of uploads: every acknowledged object survives whole, nothing partial shows", async () => {
    const dataDir = tempRoot()
    const repo = Path.resolve(import.meta.dirname, "..", "..", "..")
    const storeModule = Path.join(repo, "apps", "local", "src", "s3", "S3Store.ts")
    // The child writes ~100 KiB-1 MiB objects (and replacements, and multipart uploads) as fast as
    // it can, printing each one once it is acknowledged.
    const child = `
      import * as Effect from "effect/Effect"
      import * as Stream from "effect/Stream"
      import * as S3Store from ${JSON.stringify(storeModule)}
      const body = (n) => { const b = new Uint8Array(100 * 1024 + (n * 7919) % (900 * 1024)); b.fill(n % 251); return b }
      const chunks = (b) => Stream.fromIterable(Array.from({ length: Math.ceil(b.length / 65536) }, (_, i) => b.subarray(i * 65536, (i + 1) * 65536)))
      await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const store = yield* S3Store.make({ dataDir: ${JSON.stringify(dataDir)}, minPartSize: 1 })
        yield* store.createBucket("crash")
        for (let n = 0; ; n++) {
          const key = "obj-" + (n % 40)
          if (n % 5 === 4) {
            const id = yield* store.createMultipartUpload("crash", key)
            const e1 = yield* store.uploadPart("crash", key, id, 1, chunks(body(n)))
            const e2 = yield* store.uploadPart("crash", key, id, 2, chunks(body(n + 1)))
            yield* store.completeMultipartUpload("crash", key, id, [{ partNumber: 1, etag: e1 }, { partNumber: 2, etag: e2 }])
          } else {
            yield* store.putObject("crash", key, chunks(body(n)))
          }
          process.stdout.write("acked " + key + "\\n")
        }
      })))
    `
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], {
      cwd: Path.join(repo, "apps", "local"),
      stdio: ["ignore", "pipe", "pipe"]
    })
    const acked = new Set<string>()
    let output = ""
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer did not get going:\n${output}`)), 90_000)
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        for (const m of output.matchAll(/acked (\S+)\n/g)) acked.add(m[1]!)
        // Kill it mid-stream, once it has acknowledged enough to be worth checking.
        if ((output.match(/acked /g) ?? []).length >= 60) {
          clearTimeout(timer)
          proc.kill("SIGKILL")
          resolve()
        }
      }
      proc.stdout.on("data", onData)
      proc.stderr.on("data", onData)
      proc.on("exit", () => {
        clearTimeout(timer)
        resolve()
      })
    })
    await new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once("exit", () => resolve())))
    expect(proc.signalCode).toBe("SIGKILL")
    expect(acked.size).toBeGreaterThan(10)

    const check = withStore({ dataDir }, (store) =>
      Effect.gen(function*() {
        const keys = yield* store.listKeys("crash")
        for (const key of acked) expect(keys).toContain(key)
        for (const key of keys) {
          const { bytes, info } = yield* Effect.scoped(
            Effect.flatMap(store.getObject("crash", key), (r) => Effect.map(collect(r.body), (bytes) => ({ bytes, info: r.info })))
          )
          expect(bytes.length).toBe(info.size)
          if (!info.etag.includes("-")) expect(info.etag).toBe(`"${md5Hex(bytes)}"`)
          // Every object is one writer's bytes, whole: a single fill value per part.
          expect(new Set(bytes.subarray(0, 100 * 1024)).size).toBe(1)
        }
        expect(tmpCount(dataDir)).toBe(0)
        const uploads = keys.length
        expect(blobCount(dataDir)).toBeGreaterThanOrEqual(uploads)
        return keys.length
      }))
    const count = await Effect.runPromise(check)
    expect(count).toBeGreaterThan(10)
  }, 120_000)
})
