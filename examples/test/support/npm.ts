/**
 * Running programs and npm outside the monorepo, for the tests that install what we publish
 * (`OutsideProject.test.ts`: the libraries; `InstallApps.test.ts`: the apps).
 */
import { execFile, execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Os from "node:os"
import * as Path from "node:path"

const root = Path.resolve(import.meta.dirname, "..", "..", "..")

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a program to its end; never rejects (the exit code and output are the result). */
export const run = (
  file: string,
  args: ReadonlyArray<string>,
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }
) =>
  new Promise<Run>((resolve) => {
    execFile(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 180_000,
      maxBuffer: 64 * 1024 * 1024
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      resolve({ code, stdout, stderr: error !== null && stderr === "" ? String(error) : stderr })
    })
  })

export const show = (what: string, r: Run) => `${what} exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`

export const mustRun = async (what: string, file: string, args: ReadonlyArray<string>, options: Parameters<typeof run>[2]) => {
  const r = await run(file, args, options)
  if (r.code !== 0) throw new Error(show(what, r))
  return r
}

/** npm outside the monorepo: none of pnpm's npm_config_* settings leak into it. */
export const npmEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_)/i.test(k) && k !== "INIT_CWD") env[k] = v
  }
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" }
}

export const npm = process.platform === "win32" ? "npm.cmd" : "npm"
export const pnpm = process.platform === "win32" ? "pnpm.cmd" : "pnpm"

/** Why npm's registry cannot be used here, or undefined when it answers. */
export const registryReachable = async (): Promise<string | undefined> => {
  const configured = await run(npm, ["config", "get", "registry"], { cwd: Os.tmpdir(), env: npmEnv(), timeoutMs: 30_000 })
  const registry = configured.code === 0 && configured.stdout.trim() !== "" ? configured.stdout.trim() : "https://registry.npmjs.org/"
  try {
    const res = await fetch(new URL("typescript", registry.endsWith("/") ? registry : `${registry}/`), {
      method: "HEAD",
      signal: AbortSignal.timeout(15_000)
    })
    return res.ok ? undefined : `the npm registry ${registry} answered ${res.status}`
  } catch (e) {
    return `the npm registry ${registry} is unreachable (${String(e)})`
  }
}

/**
 * npm settings that offer the better-sqlite3 addon this checkout already compiled as a local
 * prebuild: its install script (prebuild-install) looks for a prebuilt addon before compiling
 * one, none can be downloaded here, and compiling it took most of the install tests' time. The
 * file is named as prebuild-install names a download (`better-sqlite3-v<version>-node-v<abi>-
 * <platform>-<arch>.tar.gz`, `build/Release/better_sqlite3.node` inside), the way a company's
 * binary mirror serves them; for another version npm compiles as usual. Empty when the checkout
 * has no compiled addon.
 */
export const localPrebuildsEnv = (dir: string): NodeJS.ProcessEnv => {
  const manifest = createRequire(Path.join(root, "apps", "local", "package.json")).resolve("better-sqlite3/package.json")
  const pkgDir = Path.dirname(manifest)
  const { version } = JSON.parse(Fs.readFileSync(manifest, "utf8")) as { version: string }
  if (!Fs.existsSync(Path.join(pkgDir, "build", "Release", "better_sqlite3.node"))) return {}
  Fs.mkdirSync(dir, { recursive: true })
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  execFileSync("tar", ["-czf", Path.join(dir, name), "-C", pkgDir, "build/Release/better_sqlite3.node"])
  return { npm_config_better_sqlite3_local_prebuilds: dir }
}
