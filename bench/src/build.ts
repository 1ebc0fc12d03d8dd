/**
 * Bundles the child programs of the benchmarks with esbuild (Node platform, ESM, not minified) into
 * `bench/build/`, so each child runs as plain `node file.mjs`: no TypeScript loader in the measured
 * process, the same way for our clients and the SDK's.
 */
import * as esbuild from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The bench package folder. */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** Where bundles go. */
export const buildDir = path.join(benchDir, "build", "bundles")

/** Child programs: name → entry (relative to `src/`). */
export const programs = {
  server: "server.ts",
  "percall-geojobs-node": "percall/geojobs-node.ts",
  "percall-geojobs-node-micro": "percall/geojobs-node-micro.ts",
  "percall-geojobs-fetch": "percall/geojobs-fetch.ts",
  "percall-sdk": "percall/sdk.ts",
  "percall-floor": "percall/floor.ts",
  "coldstart-geojobs-node": "coldstart/geojobs-node.ts",
  "coldstart-geojobs-node-micro": "coldstart/geojobs-node-micro.ts",
  "coldstart-sdk": "coldstart/sdk.ts"
} as const

/** The path of a built program. */
export const built = (name: keyof typeof programs): string => path.join(buildDir, `${name}.mjs`)

/** Bundles every program (one esbuild call). */
export const buildAll = async (): Promise<void> => {
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(programs).map(([name, entry]) => [name, path.join(benchDir, "src", entry)])),
    outdir: buildDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "error",
    // CommonJS dependencies bundled into ESM need `require` for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll()
  console.log(`built into ${buildDir}`)
}
