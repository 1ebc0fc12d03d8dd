#!/usr/bin/env node
// Builds the three apps (apps/cli, apps/local, apps/worker) to plain JavaScript in their dist/:
// esbuild bundles of each bin (with the workspace libraries, effect and every pure-JS dependency
// inside), split in chunks so that a command loads only the modules it imports (`import()` in the
// source becomes a chunk read on demand), plus `ValidateWorker.js`, the validation worker threads'
// entry, which `@geojobs/engine`'s ValidatePool starts from beside its own chunk. This is what
// `pnpm pack` ships (each app's `files`); inside the monorepo `pnpm geojobs…` still runs src/ through tsx.
//
//   node scripts/build-apps.mjs           build every app
//   node scripts/build-apps.mjs cli       build some
//   node ../../scripts/build-apps.mjs --check   (an app's prepack) fails when the app in the current
//                                               directory has no dist/ or one older than a source
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const engineWorker = join(root, "packages/engine/src/ValidateWorker.ts")

/** Other worker threads' entries an app's code starts from beside its chunks (name → source). */
const workers = {
  cli: { ResultWorker: join(root, "apps/cli/src/ResultWorker.ts"), CsvParquetWorker: join(root, "packages/dataset/src/CsvParquetWorker.ts") }
}

/** Each app: its bin (name → entry). Every app can run the local service, so each has the worker entry. */
const apps = {
  cli: { geojobs: "apps/cli/src/bin.ts" },
  local: { "geojobs-local": "apps/local/src/bin.ts" },
  worker: { "geojobs-worker": "apps/worker/src/bin.ts" }
}

/**
 * Library modules an app publishes beside its bins (`@geojobs/local/Testing`): bundled like the
 * bins except for `shared`, the packages a user's program holds itself and must share with the
 * module (one `effect`; the client and its error classes), which the app lists as optional peer
 * dependencies. Their declarations travel with them (see `copyDeclarations`).
 */
const libraries = {
  local: {
    entries: { Testing: "apps/local/src/Testing.ts" },
    shared: ["effect", "@geojobs/core", "@geojobs/node"]
  }
}

/**
 * Left out of the bundles and installed as the apps' own dependencies: native addons (a bundle
 * cannot hold a .node file), and optional native helpers of bundled code, which that code
 * requires inside a try and does without.
 */
export const external = ["better-sqlite3", "snappy", "pg-native", "bufferutil", "utf-8-validate"]

/**
 * Copies the declarations `pnpm check` wrote (each project's build/tsc/) that the library entry
 * reaches into `libdir`: the app's own beside the entry, those of other workspace packages under
 * `libdir/types/<package>/` with their specifiers made relative, so that a user's TypeScript finds
 * every type with only the shared packages (and Node's types) installed. Fails on a declaration
 * that imports anything else.
 */
const copyDeclarations = (app, entry, libdir, shared) => {
  const appTypes = join(root, "apps", app, "build", "tsc", "src")
  const packageTypes = (name) => join(root, "packages", name, "build", "tsc", "src")
  const allowed = (specifier) =>
    specifier.startsWith("node:") || shared.some((p) => specifier === p || specifier.startsWith(`${p}/`)) ||
    specifier.startsWith("@effect/platform/")
  const start = join(appTypes, relative(join(root, "apps", app, "src"), join(root, entry)).replace(/\.ts$/, ".d.ts"))
  const queue = [[start, join(libdir, relative(appTypes, start))]]
  const done = new Set()
  while (queue.length > 0) {
    const [from, to] = queue.pop()
    if (done.has(to)) continue
    done.add(to)
    if (!existsSync(from)) throw new Error(`build-apps: ${relative(root, from)} is missing — run \`pnpm check\` first`)
    // code lines only: doc comments show imports too
    const rewrite = (line) => /^\s*(\*|\/\*|\/\/)/.test(line) ? line : line.replace(/(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)"([^"]+)"/g, (whole, lead, specifier) => {
        if (specifier.startsWith(".")) {
          const target = join(dirname(from), specifier.replace(/\.js$/, ".d.ts"))
          queue.push([target, join(dirname(to), specifier.replace(/\.js$/, ".d.ts"))])
          return whole
        }
        const inlined = /^@geojobs\/([^/]+)\/(.+)$/.exec(specifier)
        if (inlined !== null && !allowed(specifier)) {
          const [, name, module] = inlined
          const target = join(libdir, "types", name, `${module}.d.ts`)
          queue.push([join(packageTypes(name), `${module}.d.ts`), target])
          let path = relative(dirname(to), target).replace(/\.d\.ts$/, ".js")
          if (!path.startsWith(".")) path = `./${path}`
          return `${lead}"${path}"`
        }
        if (!allowed(specifier)) throw new Error(`build-apps: ${relative(root, from)} imports ${specifier}, which a user of ${entry} does not have`)
        return whole
      })
    const text = readFileSync(from, "utf8").replace(/\n\/\/# sourceMappingURL=.*$/m, "").split("\n").map(rewrite).join("\n")
    mkdirSync(dirname(to), { recursive: true })
    writeFileSync(to, text)
  }
}

/** esbuild's options for the bins and the library modules alike. */
const bundleOptions = (entryPoints, outdir, externals) => ({
  entryPoints,
  outdir,
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // chunks beside the entries: ValidatePool finds ValidateWorker.js next to its own chunk
  chunkNames: "chunk-[hash]",
  external: externals,
  // ES module builds first: `await import()` of a CommonJS build gives only `default` in a
  // bundle (the AWS SDK's named exports, used that way, would be missing)
  mainFields: ["module", "main"],
  logLevel: "warning",
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins
  banner: {
    js: "import { createRequire as __geojobsRequire } from \"node:module\"; const require = __geojobsRequire(import.meta.url);"
  }
})

const walk = (dir) =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

if (process.argv.includes("--check")) {
  const app = process.cwd()
  const name = relative(root, app)
  const stamp = join(app, "dist", ".built")
  if (!existsSync(stamp)) {
    console.error(`${name}: no dist/ — run \`pnpm build\` at the repository root first`)
    process.exit(1)
  }
  const built = statSync(stamp).mtimeMs
  const sources = [join(app, "src"), ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "src"))]
    .filter((dir) => existsSync(dir))
    .flatMap(walk)
  const stale = sources.find((file) => statSync(file).mtimeMs > built)
  if (stale !== undefined) {
    console.error(`${name}: dist/ is older than ${relative(root, stale)} — run \`pnpm build\` at the repository root first`)
    process.exit(1)
  }
  process.exit(0)
}

const chosen = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const started = Date.now()
for (const [app, bins] of Object.entries(apps)) {
  if (chosen.length > 0 && !chosen.includes(app)) continue
  const dir = join(root, "apps", app)
  const outdir = join(dir, "dist")
  const begun = new Date()
  rmSync(outdir, { recursive: true, force: true })
  const entryPoints = {
    ...Object.fromEntries(Object.entries(bins).map(([name, entry]) => [name, join(root, entry)])),
    ValidateWorker: engineWorker,
    ...(workers[app] ?? {})
  }
  const result = await build({
    ...bundleOptions(entryPoints, outdir, external),
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    metafile: true
  })
  // which sources each output file holds (not shipped): apps/cli's start-up test reads it
  mkdirSync(join(dir, "build"), { recursive: true })
  writeFileSync(join(dir, "build", "esbuild-meta.json"), JSON.stringify(result.metafile))
  for (const name of Object.keys(bins)) {
    const file = join(outdir, `${name}.js`)
    const text = readFileSync(file, "utf8")
    if (!text.startsWith("#!")) writeFileSync(file, `#!/usr/bin/env node\n${text}`, { mode: 0o755 })
  }
  const library = libraries[app]
  if (library !== undefined) {
    // the declarations copied below: tsc -b is incremental, a no-op after `pnpm check`
    const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b", join(dir, "tsconfig.json")], {
      cwd: root,
      encoding: "utf8"
    })
    if (tsc.status !== 0) {
      console.error(`build-apps: tsc -b apps/${app} failed:\n${tsc.stdout}${tsc.stderr}`)
      process.exit(1)
    }
    const libdir = join(outdir, "lib")
    await build(bundleOptions({
      ...Object.fromEntries(Object.entries(library.entries).map(([name, entry]) => [name, join(root, entry)])),
      ValidateWorker: engineWorker
    }, libdir, [...external, ...library.shared]))
    for (const entry of Object.values(library.entries)) copyDeclarations(app, entry, libdir, library.shared)
  }
  // stamped with the build's start: a source saved while esbuild ran makes the bundle stale
  writeFileSync(join(outdir, ".built"), `${begun.toISOString()}\n`)
  utimesSync(join(outdir, ".built"), begun, begun)
}
console.log(`build-apps: ${(chosen.length > 0 ? chosen : Object.keys(apps)).join(", ")} → dist/ (${Date.now() - started} ms)`)
