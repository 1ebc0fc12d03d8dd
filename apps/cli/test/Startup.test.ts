/**
 * What a command loads, on the bundle npm installs (`scripts/build-apps.mjs` → dist/): `get-job`
 * against a local service must not load the engine, Parquet, the local service, the worker or
 * the S3 SDK — nor, run by `Direct`, Effect's runtime, Schema, @effect/cli or @effect/platform —
 * and `--version` none of the sub-commands. The loaded chunks are recorded by a
 * module hook and mapped to their sources with esbuild's metafile.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile, execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { pathToFileURL } from "node:url"
import { geojobs, json, startJobArgs, startLocal, tempDir } from "./Harness.js"

const repo = Path.resolve(import.meta.dirname, "../../..")
const app = Path.join(repo, "apps/cli")

/** The sources inside the dist/ files a command line loads. */
const sourcesLoaded = async (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const hooks = tempDir("geojobs-hooks-")
  Fs.writeFileSync(
    Path.join(hooks, "hooks.mjs"),
    `export async function load(url, context, next) {\n  if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\n")\n  return next(url, context)\n}\n`
  )
  Fs.writeFileSync(Path.join(hooks, "register.mjs"), `import { register } from "node:module"\nregister("./hooks.mjs", import.meta.url)\n`)
  const stderr = await new Promise<string>((resolve) =>
    execFile(process.execPath, ["--import", pathToFileURL(Path.join(hooks, "register.mjs")).href, Path.join(app, "dist/geojobs.js"), ...args], {
      cwd: hooks,
      env: { PATH: process.env.PATH ?? "", HOME: hooks, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1", ...env }
    }, (_error, _stdout, stderr) => resolve(stderr))
  )
  const meta = JSON.parse(Fs.readFileSync(Path.join(app, "build/esbuild-meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>
  }
  const loaded = [...stderr.matchAll(/^LOADED file:\/\/(.+)$/gm)].map((m) => Path.relative(repo, decodeURIComponent(m[1]!)))
  expect(loaded.length, stderr).toBeGreaterThan(0)
  return loaded.flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}))
}

const heavy = [
  /packages\/engine\//,
  /packages\/address\//,
  /hyparquet/,
  /packages\/dataset\//,
  /apps\/local\//,
  /apps\/worker\//,
  /@aws-sdk\/client-s3/,
  /@aws-sdk\/lib-storage/,
  /better-sqlite3/
]

describe("start-up of the built geojobs", () => {
  it("get-job loads neither the engine, Parquet, the local service, the worker nor the S3 SDK; --version no sub-command", async () => {
    execFileSync(process.execPath, [Path.join(repo, "scripts/build-apps.mjs"), "cli"], { cwd: repo, stdio: "ignore" })
    const local = await startLocal({ dataDir: tempDir() })
    try {
      const keys = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1" }
      const started = json(await geojobs([...startJobArgs("startup"), "--endpoint-url", local.info.url], { cwd: tempDir(), env: keys }))
      const sources = await sourcesLoaded(["get-job", "--endpoint-url", local.info.url, "--job-id", started.JobId], keys)
      expect(sources.some((s) => s.includes("apps/cli/src/Direct.ts"))).toBe(true)
      const runtime = [/effect\/dist\/esm\/Effect\.js/, /effect\/dist\/esm\/internal\/fiberRuntime\.js/, /effect\/dist\/esm\/Schema\.js/, /@effect\/cli/, /@effect\/platform/]
      for (const pattern of [...heavy, ...runtime]) expect(sources.filter((s) => pattern.test(s)), String(pattern)).toEqual([])
      // a line Direct leaves to the command-line parser loads the command's module
      const debug = await sourcesLoaded(["get-job", "--endpoint-url", local.info.url, "--job-id", started.JobId, "--debug"], keys)
      expect(debug.some((s) => s.includes("apps/cli/src/commands/GetJob.ts"))).toBe(true)
      for (const pattern of heavy) expect(debug.filter((s) => pattern.test(s)), String(pattern)).toEqual([])
      const version = await sourcesLoaded(["--version"])
      expect(version.filter((s) => s.includes("apps/cli/src/commands/"))).toEqual([])
    } finally {
      await local.close()
    }
  }, 120_000)
})
