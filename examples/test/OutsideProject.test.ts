/**
 * The packages as a user gets them: `pnpm build`, `pnpm pack` every library package and
 * `@geojobs/local` (for its `Testing` module), install the tarballs with plain npm into a
 * throwaway project outside the monorepo (in os.tmpdir(), with typescript, @types/node, vitest,
 * @effect/vitest and the S3 client from the registry), type-check its scripts and two recipes
 * copied from examples/recipes/ with `tsc --strict`, then run them: StartJob + GetJob through
 * `@geojobs/node` against a local service, every package's entry point loaded, the S3 input
 * recipe (`put-input-read-output.ts`) against that service, and the integration-test recipe
 * (`local-service.test.ts`, the service in-process through `@geojobs/local/Testing`) with vitest.
 * Exactly one copy of `effect` may be installed.
 *
 * Needs the npm registry. Without it the test is skipped (loudly) outside CI; in CI it fails.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { killHard, type Spawned, spawnLocal } from "@geojobs/test-support/LocalProcess"
import { localPrebuildsEnv, mustRun, npm, npmEnv, pnpm, registryReachable, type Run, run, show } from "./support/npm.js"

const root = Path.resolve(import.meta.dirname, "..", "..")
const libraries = ["core", "sigv4", "node", "fetch", "service", "testing", "address", "dataset", "engine"] as const

const unreachable = await registryReachable()
const skip = unreachable !== undefined && process.env.CI === undefined
if (skip) {
  console.warn(`\n*** SKIPPED examples/test/OutsideProject.test.ts: ${unreachable}. In CI (CI set) this test runs and fails instead. ***\n`)
}

/** The throwaway project's package.json: the tarballs, the peers, and the tools from the registry. */
const projectManifest = (tarballs: Record<string, string>) => ({
  name: "geojobs-outside-project",
  private: true,
  type: "module",
  dependencies: {
    ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
    "effect": "^3.22.4",
    "@effect/platform": "^0.97.2",
    "@effect/platform-node": "^0.108.2",
    "@aws-sdk/client-s3": "^3.1175.0"
  },
  devDependencies: {
    "typescript": "~5.9.3",
    "@types/node": "^20.19.0",
    "vitest": "~3.2.7",
    "@effect/vitest": "~0.30.0"
  }
})

const tsconfig = {
  compilerOptions: {
    strict: true,
    module: "NodeNext",
    moduleResolution: "NodeNext",
    target: "ES2022",
    lib: ["ES2022"],
    types: ["node"],
    outDir: "out",
    rootDir: ".",
    noEmitOnError: true
  },
  include: ["start-job.ts", "all-packages.ts", "recipes/*.ts"]
}

/** The recipes run here, copied as a user copies them. */
const recipes = ["put-input-read-output.ts", "local-service.test.ts"] as const

/** StartJob + GetJob against the service at argv[2], the way the README shows it. Prints one JSON line. */
const startJobScript = `import * as LocationJobs from "@geojobs/core/LocationJobs"
import { NodeLocationJobs } from "@geojobs/node"
import * as Effect from "effect/Effect"

const endpoint = process.argv[2]
if (endpoint === undefined) throw new Error("usage: node out/start-job.js <endpoint>")

const program = Effect.gen(function*() {
  const started = yield* LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationJobs",
    InputOptions: { Location: "s3://outside-input/addresses/", Format: "Parquet" },
    OutputOptions: { Location: "s3://outside-output/results/", Format: "Parquet" }
  })
  const job = yield* LocationJobs.getJob({ JobId: started.JobId })
  return { startedJobId: started.JobId, gotJobId: job.JobId, status: job.Status }
}).pipe(
  Effect.catchTag("ValidationException", (e) => Effect.die(new Error(\`invalid request: \${e.message}\`)))
)

const layer = NodeLocationJobs.layer({
  endpoint,
  region: "us-east-1",
  disableHostPrefix: true,
  credentials: { accessKeyId: "test", secretAccessKey: "test" }
})

let internalHidden = false
try {
  import.meta.resolve("@geojobs/core/internal/codec")
} catch {
  internalHidden = true
}

const result = await Effect.runPromise(Effect.provide(program, layer))
console.log(JSON.stringify({ ...result, resolved: import.meta.resolve("@geojobs/node"), internalHidden }))
`

/** Every package's entry point, typed and loaded; and the memory double answering a StartJob. */
const allPackagesScript = `import * as Address from "@geojobs/address"
import * as Core from "@geojobs/core"
import * as Dataset from "@geojobs/dataset"
import * as Engine from "@geojobs/engine"
import * as Fetch from "@geojobs/fetch"
import * as Node from "@geojobs/node"
import * as Service from "@geojobs/service"
import * as SigV4 from "@geojobs/sigv4"
import * as Testing from "@geojobs/testing"
import * as Effect from "effect/Effect"

const modules: Record<string, object> = {
  "@geojobs/address": Address, "@geojobs/core": Core, "@geojobs/dataset": Dataset, "@geojobs/engine": Engine, "@geojobs/fetch": Fetch,
  "@geojobs/node": Node, "@geojobs/service": Service, "@geojobs/sigv4": SigV4, "@geojobs/testing": Testing
}

const started = await Effect.runPromise(
  Core.LocationJobs.startJob({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationJobs",
    InputOptions: { Location: "s3://outside-input/addresses/", Format: "Parquet" },
    OutputOptions: { Location: "s3://outside-output/results/", Format: "Parquet" }
  }).pipe(Effect.provide(Testing.MemoryLocationJobs.layer()))
)
console.log(JSON.stringify({
  exports: Object.fromEntries(Object.entries(modules).map(([name, m]) => [name, Object.keys(m).sort()])),
  memoryJobId: started.JobId
}))
`

describe.skipIf(skip)("the packages installed outside the monorepo (npm, Node 20)", () => {
  let work = ""
  let project = ""
  let local: Spawned | undefined
  const tarballs: Record<string, string> = {}
  // One tsc run (the registry's typescript, --strict, no skipLibCheck) type-checks and emits out/*.js.
  let compiled: Promise<Run> | undefined
  const compile = () =>
    compiled ??= run(process.execPath, [Path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--strict"], {
      cwd: project
    })
  const compiledOk = async () => {
    const r = await compile()
    if (r.code !== 0) throw new Error(show("tsc --strict", r))
  }

  beforeAll(async () => {
    work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-outside-"))
    project = Path.join(work, "project")
    const packs = Path.join(work, "tarballs")
    Fs.mkdirSync(project)
    Fs.mkdirSync(packs)

    const steps: Array<string> = []
    let last = performance.now()
    const step = (name: string) => {
      const now = performance.now()
      steps.push(`${name} ${((now - last) / 1000).toFixed(1)} s`)
      last = now
    }
    const service = spawnLocal(["--data-dir", Path.join(work, "local-data")], 120_000)
    service.then((s) => (local = s), () => undefined)
    try {
      await mustRun("pnpm build", process.execPath, [Path.join(root, "scripts", "build-packages.mjs")], { cwd: root })
      step("build")
      await mustRun("pnpm pack", pnpm, ["-r", "--filter", "./packages/*", "pack", "--pack-destination", packs], { cwd: root })
      step("pack")
      for (const name of libraries) {
        const { version } = JSON.parse(Fs.readFileSync(Path.join(root, "packages", name, "package.json"), "utf8"))
        const file = Path.join(packs, `geojobs-${name}-${version}.tgz`)
        if (!Fs.existsSync(file)) throw new Error(`pnpm pack did not write ${file} (${Fs.readdirSync(packs).join(", ")})`)
        tarballs[`@geojobs/${name}`] = file
      }
      await mustRun("build-apps local", process.execPath, [Path.join(root, "scripts", "build-apps.mjs"), "local"], { cwd: root })
      await mustRun("pnpm pack (apps/local)", pnpm, ["pack", "--pack-destination", packs], {
        cwd: Path.join(root, "apps", "local"),
        env: { ...process.env, npm_config_ignore_scripts: "true" }
      })
      tarballs["@geojobs/local"] = Path.join(packs, "geojobs-local-0.1.0.tgz")
      step("apps/local")
      Fs.mkdirSync(Path.join(project, "recipes"))
      for (const name of recipes) Fs.copyFileSync(Path.join(root, "examples", "recipes", name), Path.join(project, "recipes", name))

      Fs.writeFileSync(Path.join(project, "package.json"), JSON.stringify(projectManifest(tarballs), null, 2))
      Fs.writeFileSync(Path.join(project, "tsconfig.json"), JSON.stringify(tsconfig, null, 2))
      Fs.writeFileSync(Path.join(project, "start-job.ts"), startJobScript)
      Fs.writeFileSync(Path.join(project, "all-packages.ts"), allPackagesScript)
      await mustRun("npm install", npm, ["install", "--no-audit", "--no-fund"], {
        cwd: project,
        // @geojobs/local's install script builds better-sqlite3 (see InstallApps.test.ts)
        env: { ...npmEnv(), ...localPrebuildsEnv(Path.join(work, "prebuilds")) },
        timeoutMs: 600_000
      })
      step("npm install")
    } finally {
      await service
    }
    console.info(`outside project in ${project}: ${steps.join(", ")}`)
  }, 900_000)

  afterAll(async () => {
    if (local !== undefined) await killHard(local.child)
    if (work !== "") Fs.rmSync(work, { recursive: true, force: true })
  }, 60_000)

  it("is outside the monorepo, installed from the tarballs", () => {
    expect(Path.relative(root, project).startsWith("..")).toBe(true)
    for (const name of libraries) {
      const manifest = JSON.parse(Fs.readFileSync(Path.join(project, "node_modules", "@geojobs", name, "package.json"), "utf8"))
      // publishConfig applied: the installed package points at dist/, and workspace:* became versions.
      expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" })
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain("workspace:")
      expect(Object.keys(manifest.peerDependencies)).toContain("effect")
      expect(manifest.dependencies?.effect).toBeUndefined()
      expect(Fs.existsSync(Path.join(project, "node_modules", "@geojobs", name, "dist", "index.d.ts"))).toBe(true)
      // Every published package carries the MIT licence text.
      expect(Fs.readFileSync(Path.join(project, "node_modules", "@geojobs", name, "LICENSE"), "utf8")).toMatch(/^MIT License\n/)
    }
  })

  it("has exactly one copy of effect and of @effect/platform (npm ls)", async () => {
    for (const dep of ["effect", "@effect/platform"]) {
      const r = await run(npm, ["ls", dep, "--all", "--parseable"], { cwd: project, env: npmEnv() })
      const copies = [...new Set(r.stdout.split("\n").map((l) => l.trim()).filter((l) => l.endsWith(Path.join("node_modules", dep))))]
      expect(copies, show(`npm ls ${dep}`, r)).toEqual([Path.join(project, "node_modules", dep)])
    }
  }, 60_000)

  it("type-checks and compiles with tsc --strict (NodeNext, no skipLibCheck)", async () => {
    const r = await compile()
    expect(r.code, show("tsc --strict", r)).toBe(0)
    expect(Fs.existsSync(Path.join(project, "out", "start-job.js"))).toBe(true)
  }, 180_000)

  it("starts a job against the local service with @geojobs/node and reads it back", async () => {
    await compiledOk()
    expect(local, "the local service did not start").toBeDefined()
    const since = Date.now() - 1
    const r = await mustRun("node out/start-job.js", process.execPath, [Path.join("out", "start-job.js"), local!.url], { cwd: project, timeoutMs: 60_000 })
    const result = JSON.parse(r.stdout.trim().split("\n").at(-1)!)
    expect(result.startedJobId).toMatch(/\S/)
    expect(result.gotJobId).toBe(result.startedJobId)
    expect(["Pending", "Running", "Completed", "Failed"]).toContain(result.status)
    // The installed package's dist/, not the monorepo's sources; internals are not exported.
    expect(result.resolved).toBe(pathToFileURL(Path.join(project, "node_modules", "@geojobs", "node", "dist", "index.js")).href)
    expect(result.internalHidden).toBe(true)
    // And the service saw both calls, signed with the test key.
    const log = await (await fetch(`${local!.url}/_geojobs/requests?since=${since}`)).json() as {
      entries: ReadonlyArray<{ api: string; operation: string; status: number }>
    }
    const answered = log.entries.filter((e) => e.api === "jobs").map((e) => `${e.operation} ${e.status}`)
    expect(answered).toEqual(["StartJob 200", "GetJob 200"])
  }, 120_000)

  it("recipe put-input-read-output.ts: the input into the local S3 from code, the output read back", async () => {
    await compiledOk()
    expect(local, "the local service did not start").toBeDefined()
    const r = await mustRun("node out/recipes/put-input-read-output.js", process.execPath, [Path.join("out", "recipes", "put-input-read-output.js")], {
      cwd: project,
      timeoutMs: 120_000,
      env: {
        PATH: process.env.PATH,
        HOME: work,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: local!.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test"
      }
    })
    expect(r.stdout).toMatch(/^job \S+: Completed$/m)
    expect(r.stdout).toContain("1600 Pennsylvania Ave NW → ")
  }, 180_000)

  it("recipe local-service.test.ts: @geojobs/local/Testing runs the service in-process under vitest", async () => {
    await compiledOk()
    const r = await run(process.execPath, [Path.join(project, "node_modules", "vitest", "vitest.mjs"), "run", "recipes/local-service.test.ts"], {
      cwd: project,
      timeoutMs: 180_000,
      env: { PATH: process.env.PATH, HOME: work, AWS_EC2_METADATA_DISABLED: "true", CI: "true", NO_COLOR: "1" }
    })
    expect(r.code, show("vitest run recipes/local-service.test.ts", r)).toBe(0)
    expect(r.stdout).toMatch(/Tests\s+\d+ passed/)
    // the installed package's bundle, not the monorepo's sources
    const installed = JSON.parse(Fs.readFileSync(Path.join(project, "node_modules", "@geojobs", "local", "package.json"), "utf8"))
    expect(installed.exports["./Testing"]).toEqual({ types: "./dist/lib/Testing.d.ts", default: "./dist/lib/Testing.js" })
  }, 240_000)

  it("loads every package's entry point; the memory double from @geojobs/testing answers", async () => {
    await compiledOk()
    const r = await mustRun("node out/all-packages.js", process.execPath, [Path.join("out", "all-packages.js")], { cwd: project, timeoutMs: 60_000 })
    const result = JSON.parse(r.stdout.trim().split("\n").at(-1)!)
    for (const name of libraries) {
      const built = Fs.readFileSync(Path.join(root, "packages", name, "src", "index.ts"), "utf8")
      const expected = [...built.matchAll(/^export \* as (\w+) from/gm)].map((m) => m[1]).sort()
      expect(result.exports[`@geojobs/${name}`], name).toEqual(expected)
    }
    expect(result.memoryJobId).toMatch(/\S/)
  }, 120_000)
})
