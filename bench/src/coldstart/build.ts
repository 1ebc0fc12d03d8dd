/**
 * The cold-start programs bundled a second way: as `build.ts` does (esbuild, Node platform, ESM, not
 * minified) but with code splitting, so each dynamic `import()` becomes a chunk of its own that is
 * read only when that import runs — what Rollup, Vite and webpack do by default. For the geojobs
 * program this keeps out of start-up what a static-credentials StartJob never loads: the AWS SDK's
 * credential provider chain (~1 MB of bundle) and undici (~0.45 MB); the SDK's program has
 * no dynamic import on its path and is nearly unchanged.
 */
import * as esbuild from "esbuild"
import * as path from "node:path"
import { benchDir } from "../build.js"

/** Where the split bundles go. */
export const splitDir = path.join(benchDir, "build", "coldstart-split")

/** The path of a program's split entry chunk. */
export const builtSplit = (name: "coldstart-geojobs-node" | "coldstart-sdk"): string => path.join(splitDir, `${name}.mjs`)

/** Bundles both cold-start programs with splitting. */
export const buildSplit = async (): Promise<void> => {
  await esbuild.build({
    entryPoints: {
      "coldstart-geojobs-node": path.join(benchDir, "src", "coldstart", "geojobs-node.ts"),
      "coldstart-sdk": path.join(benchDir, "src", "coldstart", "sdk.ts")
    },
    outdir: splitDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "error",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
  })
}
