#!/usr/bin/env node
// Builds every library package (packages/*/tsconfig.build.json) to ESM JavaScript + .d.ts (+ maps)
// in its dist/, which is what `pnpm pack` / `pnpm publish` ship (see each package.json's
// publishConfig). Inside the monorepo nothing reads dist/: tests, tsx and esbuild use src/.
//
//   node scripts/build-packages.mjs            incremental (tsc -b)
//   node scripts/build-packages.mjs --clean    from scratch
//   node ../../scripts/build-packages.mjs --check   (a package's prepack) fails when the package in
//                                              the current directory has no dist/ or one older than src/
//
// After tsc: hand-written declaration files under src/ (e.g. node's internal/undici-agent.d.ts) are
// copied to dist/, and `/// <reference path>` directives that tsc drops from declaration output are
// put back, so the shipped .d.ts files type-check on their own.
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

const walk = (dir) =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

// `pnpm pack` / `pnpm publish` run this in a package (prepack). It does not build (packing several
// packages at once would run several builds over the same files); it refuses a missing or stale dist/.
if (process.argv.includes("--check")) {
  const pkg = process.cwd()
  const buildInfo = join(pkg, "build", "dist.tsbuildinfo")
  const name = relative(root, pkg)
  if (!existsSync(join(pkg, "dist", "index.js")) || !existsSync(buildInfo)) {
    console.error(`${name}: no dist/ — run \`pnpm build\` at the repository root first`)
    process.exit(1)
  }
  const built = statSync(buildInfo).mtimeMs
  const stale = walk(join(pkg, "src")).filter((file) => statSync(file).mtimeMs > built)
  if (stale.length > 0) {
    console.error(`${name}: dist/ is older than ${relative(pkg, stale[0])} — run \`pnpm build\` at the repository root first`)
    process.exit(1)
  }
  process.exit(0)
}

const clean = process.argv.includes("--clean")
const packagesDir = join(root, "packages")
const packages = readdirSync(packagesDir)
  .filter((name) => existsSync(join(packagesDir, name, "tsconfig.build.json")))
  .sort()

for (const name of packages) {
  const pkg = join(packagesDir, name)
  const buildInfo = join(pkg, "build", "dist.tsbuildinfo")
  // tsc -b trusts its build info even when the outputs are gone: start over when dist/ is missing.
  if (clean || !existsSync(join(pkg, "dist", "index.js"))) {
    rmSync(join(pkg, "dist"), { recursive: true, force: true })
    rmSync(buildInfo, { force: true })
  }
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const started = Date.now()
const result = spawnSync(
  process.execPath,
  [tsc, "-b", ...packages.map((name) => join("packages", name, "tsconfig.build.json"))],
  { cwd: root, stdio: "inherit" }
)
if (result.status !== 0) {
  console.error(`build-packages: tsc -b failed (exit ${result.status ?? result.signal})`)
  process.exit(1)
}

const referenceRe = /^\/\/\/\s*<reference\s+path="[^"]+"\s*\/>\s*$/gm
for (const name of packages) {
  const src = join(packagesDir, name, "src")
  const dist = join(packagesDir, name, "dist")
  for (const file of walk(src)) {
    const rel = relative(src, file)
    if (file.endsWith(".d.ts")) {
      mkdirSync(dirname(join(dist, rel)), { recursive: true })
      copyFileSync(file, join(dist, rel))
      continue
    }
    if (!/\.(ts|mts)$/.test(file)) continue
    const references = readFileSync(file, "utf8").match(referenceRe)
    if (references === null) continue
    const declaration = join(dist, rel.replace(/\.ts$/, ".d.ts").replace(/\.mts$/, ".d.mts"))
    if (!existsSync(declaration)) continue
    const text = readFileSync(declaration, "utf8")
    const missing = references.filter((line) => !text.includes(line.trim()))
    if (missing.length > 0) writeFileSync(declaration, `${missing.map((l) => l.trim()).join("\n")}\n${text}`)
  }
}
console.log(`build-packages: ${packages.map((n) => `@geojobs/${n}`).join(", ")} → dist/ (${Date.now() - started} ms)`)
