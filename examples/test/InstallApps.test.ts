/**
 * The apps as a user gets them: build them (`scripts/build-apps.mjs`), `pnpm pack` `@geojobs/cli`,
 * `@geojobs/local` and `@geojobs/worker`, install the three tarballs with plain
 * `npm install -g --prefix <temp>` outside the monorepo, then run the installed bins with plain
 * node, from a directory outside the repository, with only the prefix's bin/ and node on PATH:
 * `geojobs --version`; `geojobs validate` of a CSV on the embedded local service; `geojobs-local
 * --port P` answering health, driven by `geojobs start-job/get-job --endpoint-url`;
 * `geojobs-worker` answering `/health`. No installed file of ours may load tsx or a `.ts` file.
 *
 * The apps bundle the workspace libraries (and effect), so the library tarballs are not installed
 * here: `OutsideProject.test.ts` installs those. npm fetches the apps' native dependency,
 * better-sqlite3, from the registry and runs its install script, offered the addon this checkout
 * compiled as a local prebuild (`localPrebuildsEnv`) instead of compiling it once per app.
 * Needs the npm registry: without it the test is skipped (loudly) outside CI; in CI it fails.
 */
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { spawn, type ChildProcess } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { localPrebuildsEnv, mustRun, npm, npmEnv, pnpm, registryReachable, run, show } from "./support/npm.js"

const root = Path.resolve(import.meta.dirname, "..", "..")
const apps = { cli: "geojobs", local: "geojobs-local", worker: "geojobs-worker" } as const

const unreachable = await registryReachable()
const skip = unreachable !== undefined && process.env.CI === undefined
if (skip) {
  console.warn(`\n*** SKIPPED examples/test/InstallApps.test.ts: ${unreachable}. In CI (CI set) this test runs and fails instead. ***\n`)
}

/** A free TCP port on the loopback interface. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** Every file under `dir`. */
const walk = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(Path.join(dir, e.name)) : [Path.join(dir, e.name)]
  )

/** Starts a long-running bin and resolves with the first match of `ready` in its output. */
const serve = (file: string, args: ReadonlyArray<string>, options: { cwd: string; env: NodeJS.ProcessEnv }, ready: RegExp) =>
  new Promise<{ child: ChildProcess; match: RegExpExecArray }>((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${Path.basename(file)} was not ready within 60 s:\n${out}`))
    }, 60_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const match = ready.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolve({ child, match })
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${Path.basename(file)} exited with ${code} before it was ready:\n${out}`))
    })
  })

const stop = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

/** GET `url` until it answers 200 (or 30 s pass); returns the last status. */
const healthy = async (url: string) => {
  const until = Date.now() + 30_000
  let status = 0
  while (Date.now() < until) {
    status = await fetch(url).then((r) => r.status, () => 0)
    if (status === 200) return status
    await new Promise((r) => setTimeout(r, 200))
  }
  return status
}

describe.skipIf(skip)("the apps installed with npm install -g outside the monorepo", () => {
  let work = ""
  let prefix = ""
  let home = ""
  const children: Array<ChildProcess> = []

  /** Plain node and the installed bins only: no repository, no tsx, no NODE_OPTIONS. */
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: [Path.join(prefix, "bin"), Path.dirname(process.execPath), "/usr/bin", "/bin"].join(Path.delimiter),
    HOME: home,
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
    ...extra
  })
  const bin = (name: string) => Path.join(prefix, "bin", name)

  beforeAll(async () => {
    work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-apps-"))
    prefix = Path.join(work, "prefix")
    home = Path.join(work, "home")
    const packs = Path.join(work, "tarballs")
    for (const dir of [prefix, home, packs]) Fs.mkdirSync(dir)
    await mustRun("build-apps", process.execPath, [Path.join(root, "scripts", "build-apps.mjs")], { cwd: root })
    for (const app of Object.keys(apps)) {
      // without the prepack freshness check: dist/ was built just now, and a source saved since
      // by someone working in the checkout would only make this test flaky
      await mustRun(`pnpm pack (apps/${app})`, pnpm, ["pack", "--pack-destination", packs], {
        cwd: Path.join(root, "apps", app),
        env: { ...process.env, npm_config_ignore_scripts: "true" }
      })
    }
    const tarballs = Object.keys(apps).map((app) => Path.join(packs, `geojobs-${app}-0.1.0.tgz`))
    for (const file of tarballs) expect(Fs.existsSync(file), `pnpm pack did not write ${file}`).toBe(true)
    await mustRun("npm install -g", npm, ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", ...tarballs], {
      cwd: work,
      env: { ...npmEnv(), ...localPrebuildsEnv(Path.join(work, "prebuilds")) },
      timeoutMs: 900_000
    })
  }, 960_000)

  afterAll(async () => {
    await Promise.all(children.map(stop))
    if (work !== "") Fs.rmSync(work, { recursive: true, force: true })
  }, 60_000)

  it("installs real bins outside the repository, with versions instead of workspace: ranges", () => {
    expect(Path.relative(root, prefix).startsWith("..")).toBe(true)
    for (const [app, name] of Object.entries(apps)) {
      const dir = Path.join(prefix, "lib", "node_modules", "@geojobs", app)
      const manifest = JSON.parse(Fs.readFileSync(Path.join(dir, "package.json"), "utf8"))
      expect(manifest.private).toBeUndefined()
      expect(manifest.bin[name]).toMatch(/^\.\/dist\/.+\.js$/)
      expect(Fs.readFileSync(Path.join(dir, manifest.bin[name]), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/)
      expect(JSON.stringify(manifest)).not.toMatch(/workspace:|catalog:/)
      expect(Fs.existsSync(bin(name))).toBe(true)
      expect(Fs.readFileSync(Path.join(dir, "LICENSE"), "utf8")).toMatch(/^MIT License\n/)
    }
  })

  it("no installed file of ours imports tsx or a .ts file, and none ships TypeScript", () => {
    const scope = Path.join(prefix, "lib", "node_modules", "@geojobs")
    // our packages' own files; their node_modules/ hold the third-party native dependencies
    const ours = walk(scope).filter((f) => !Path.relative(scope, f).split(Path.sep).includes("node_modules"))
    expect(ours.length).toBeGreaterThan(3)
    expect(ours.filter((f) => /\.(c|m)?tsx?$/.test(f) && !f.endsWith(".d.ts"))).toEqual([])
    const loadsTs = /(?:from|import)\s*\(?\s*["'][^"']*\.(?:c|m)?ts["']|["']tsx(?:\/[^"']*)?["']|tsImport|--import[ =]tsx/
    const offenders = ours.filter((f) => /\.(c|m)?js$/.test(f) && loadsTs.test(Fs.readFileSync(f, "utf8")))
    expect(offenders).toEqual([])
  })

  it("geojobs --version", async () => {
    const r = await run(bin("geojobs"), ["--version"], { cwd: home, env: env() })
    expect(r.code, show("geojobs --version", r)).toBe(0)
    expect(r.stdout.trim()).toBe(JSON.parse(Fs.readFileSync(Path.join(root, "apps/cli/package.json"), "utf8")).version)
  }, 60_000)

  it("geojobs validate: a CSV through the embedded local service, every row written", async () => {
    const dir = Path.join(work, "validate")
    Fs.mkdirSync(dir)
    Fs.copyFileSync(Path.join(root, "examples", "addresses.csv"), Path.join(dir, "addresses.csv"))
    const r = await run(bin("geojobs"), ["validate", "addresses.csv"], { cwd: dir, env: env(), timeoutMs: 120_000 })
    expect(r.code, show("geojobs validate", r)).toBe(0)
    const lines = (file: string) => Fs.readFileSync(Path.join(dir, file), "utf8").trim().split("\n").length
    expect(lines("addresses.validated.csv")).toBe(lines("addresses.csv"))
    expect(Fs.readFileSync(Path.join(dir, "addresses.validated.csv"), "utf8").split("\n")[0]).toMatch(/Output_/)
  }, 180_000)

  it("geojobs-local --port P answers health; geojobs start-job and get-job drive it with --endpoint-url", async () => {
    const port = await freePort()
    const data = Path.join(work, "local-data")
    const local = await serve(bin("geojobs-local"), ["--port", String(port), "--data-dir", data], { cwd: home, env: env() }, /ready at (http:\/\/[\d.]+:\d+)/)
    children.push(local.child)
    const url = `http://127.0.0.1:${port}`
    expect(local.match[1]).toBe(url)
    expect(await healthy(`${url}/_geojobs/health`)).toBe(200)
    const keys = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1" }
    const started = await run(bin("geojobs"), [
      "start-job",
      "--endpoint-url", url,
      "--action", "ValidateAddress",
      "--execution-role-arn", "arn:aws:iam::123456789012:role/LocationJobs",
      "--input-options", "Location=s3://installed-in/addresses/,Format=Parquet",
      "--output-options", "Location=s3://installed-out/results/,Format=Parquet"
    ], { cwd: home, env: env(keys), timeoutMs: 60_000 })
    expect(started.code, show("geojobs start-job", started)).toBe(0)
    const { JobId } = JSON.parse(started.stdout) as { JobId: string }
    expect(JobId).toMatch(/\S/)
    const got = await run(bin("geojobs"), ["get-job", "--endpoint-url", url, "--job-id", JobId], { cwd: home, env: env(keys), timeoutMs: 60_000 })
    expect(got.code, show("geojobs get-job", got)).toBe(0)
    expect(JSON.parse(got.stdout).JobId).toBe(JobId)
  }, 120_000)

  it("geojobs-worker answers /health", async () => {
    const dir = Path.join(work, "worker")
    Fs.mkdirSync(dir)
    const worker = await serve(
      bin("geojobs-worker"),
      ["--port", "0", "--work-dir", Path.join(dir, "work")],
      { cwd: dir, env: env({ GEOJOBS_DATA_DIR: Path.join(dir, "data") }) },
      /ready at (http:\/\/[\d.]+:\d+)/
    )
    children.push(worker.child)
    expect(await healthy(`${worker.match[1]}/health`)).toBe(200)
  }, 120_000)
})
