/**
 * The real AWS CLI (v1, `aws`) drives the local S3 without errors: a 100 MiB multipart upload,
 * `ls`, `sync` up and back down, `cp` down with the bytes compared, `rm --recursive`, and the
 * multipart calls of `aws s3api` one by one. Runs in CI (`CI=true`: a missing `aws` fails the
 * test); elsewhere it is skipped, saying why, when `aws` is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { execFile } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import * as AwsCli from "@geojobs/test-support/AwsCli"

const hasAws = await new Promise<boolean>((resolve) => execFile("aws", ["--version"], (e) => resolve(e === null)))
const skip = !hasAws && process.env.CI !== "true"
if (skip) console.warn("AwsCli.test.ts skipped: the AWS CLI (`aws`) is not on PATH and CI is not set")

let scope: Scope.CloseableScope
let service: LocalService.LocalServiceInfo
let work: string
let home: string

beforeAll(async () => {
  if (skip) return
  scope = Effect.runSync(Scope.make())
  work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-awscli-"))
  service = await Effect.runPromise(Scope.extend(
    LocalService.make({ port: 0, dataDir: Path.join(work, "data"), runner: "manual" }),
    scope
  ))
  // A home of its own: no user configuration or credentials leak into the run.
  home = Path.join(work, "home")
  Fs.mkdirSync(home)
  Fs.writeFileSync(Path.join(home, "config"), "[default]\n")
}, 60_000)

afterAll(async () => {
  if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
  if (work) Fs.rmSync(work, { recursive: true, force: true })
})

/** Runs `aws --endpoint-url <service> …`; resolves with its output, rejects (with it) on a non-zero exit. */
const aws = (...args: ReadonlyArray<string>) =>
  new Promise<string>((resolve, reject) => {
    execFile("aws", ["--endpoint-url", service.url, ...args], {
      cwd: work,
      env: AwsCli.environment(home, { AWS_PAGER: "" }),
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024
    }, (error, stdout, stderr) =>
      error === null
        ? resolve(stdout)
        : reject(new Error(`aws ${args.join(" ")} failed (${error.code}):\n${stderr}\n${stdout}`)))
  })

const sha256 = (file: string) => createHash("sha256").update(Fs.readFileSync(file)).digest("hex")

/** Every file under `dir`, relative, with its hash. */
const tree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const entry of Fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = Path.join(entry.parentPath, entry.name)
    out[Path.relative(dir, full)] = sha256(full)
  }
  return out
}

describe.skipIf(skip)("the AWS CLI against the local service", () => {
  it("aws s3: 100 MiB multipart cp, ls, sync up and down, cp down, rm --recursive", async () => {
    const big = Path.join(work, "big.bin")
    Fs.writeFileSync(big, randomBytes(100 * 1024 * 1024))
    await aws("s3", "mb", "s3://roundtrip")
    await aws("s3", "cp", big, "s3://roundtrip/big.bin", "--only-show-errors")

    const listed = await aws("s3", "ls", "s3://roundtrip/")
    expect(listed).toMatch(/\s104857600 big\.bin/)

    const up = Path.join(work, "up")
    Fs.mkdirSync(Path.join(up, "nested", "deeper"), { recursive: true })
    Fs.writeFileSync(Path.join(up, "a.csv"), "id,address\n1,somewhere\n")
    Fs.writeFileSync(Path.join(up, "space name.txt"), "spaces survive")
    Fs.writeFileSync(Path.join(up, "nested", "b.json"), "{\"b\":1}")
    Fs.writeFileSync(Path.join(up, "nested", "deeper", "c.bin"), randomBytes(70_000))
    await aws("s3", "sync", up, "s3://roundtrip/folder/", "--only-show-errors")
    const recursive = await aws("s3", "ls", "s3://roundtrip/folder/", "--recursive")
    expect(recursive.trim().split("\n")).toHaveLength(4)
    const down = Path.join(work, "down")
    await aws("s3", "sync", "s3://roundtrip/folder/", down, "--only-show-errors")
    expect(tree(down)).toEqual(tree(up))
    // A second sync finds nothing to do.
    expect((await aws("s3", "sync", up, "s3://roundtrip/folder/")).trim()).toBe("")

    const back = Path.join(work, "back.bin")
    await aws("s3", "cp", "s3://roundtrip/big.bin", back, "--only-show-errors")
    expect(sha256(back)).toBe(sha256(big))

    await aws("s3", "rm", "s3://roundtrip/", "--recursive", "--only-show-errors")
    expect((await aws("s3", "ls", "s3://roundtrip/", "--recursive")).trim()).toBe("")
    await aws("s3", "rb", "s3://roundtrip")
  }, 300_000)

  it("aws s3api: create-multipart-upload, upload-part, list-parts, list-multipart-uploads, complete-multipart-upload", async () => {
    await aws("s3api", "create-bucket", "--bucket", "parts")
    const created = JSON.parse(await aws("s3api", "create-multipart-upload", "--bucket", "parts", "--key", "joined.bin"))
    const uploadId: string = created.UploadId
    const part1 = Path.join(work, "part1.bin")
    const part2 = Path.join(work, "part2.bin")
    Fs.writeFileSync(part1, randomBytes(5 * 1024 * 1024))
    Fs.writeFileSync(part2, randomBytes(1234))
    const etags: Array<string> = []
    for (const [n, file] of [[1, part1], [2, part2]] as const) {
      const r = JSON.parse(await aws(
        "s3api", "upload-part", "--bucket", "parts", "--key", "joined.bin",
        "--upload-id", uploadId, "--part-number", String(n), "--body", file
      ))
      etags.push(r.ETag)
    }
    const parts = JSON.parse(await aws("s3api", "list-parts", "--bucket", "parts", "--key", "joined.bin", "--upload-id", uploadId))
    expect(parts.Parts.map((p: { PartNumber: number; ETag: string; Size: number }) => [p.PartNumber, p.ETag, p.Size]))
      .toEqual([[1, etags[0], 5 * 1024 * 1024], [2, etags[1], 1234]])
    const uploads = JSON.parse(await aws("s3api", "list-multipart-uploads", "--bucket", "parts"))
    expect(uploads.Uploads.map((u: { Key: string; UploadId: string }) => [u.Key, u.UploadId])).toEqual([["joined.bin", uploadId]])
    const manifest = Path.join(work, "parts.json")
    Fs.writeFileSync(manifest, JSON.stringify({ Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }))
    const done = JSON.parse(await aws(
      "s3api", "complete-multipart-upload", "--bucket", "parts", "--key", "joined.bin",
      "--upload-id", uploadId, "--multipart-upload", `file://${manifest}`
    ))
    expect(done.ETag).toMatch(/-2"$/)
    const head = JSON.parse(await aws("s3api", "head-object", "--bucket", "parts", "--key", "joined.bin"))
    expect(head.ContentLength).toBe(5 * 1024 * 1024 + 1234)
    const after = await aws("s3api", "list-multipart-uploads", "--bucket", "parts")
    expect(after.trim() === "" || JSON.parse(after).Uploads === undefined).toBe(true)
    const joined = Path.join(work, "joined.bin")
    await aws("s3", "cp", "s3://parts/joined.bin", joined, "--only-show-errors")
    expect(Fs.readFileSync(joined)).toEqual(Buffer.concat([Fs.readFileSync(part1), Fs.readFileSync(part2)]))
  }, 240_000)
})
