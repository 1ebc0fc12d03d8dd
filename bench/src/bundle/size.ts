/**
 * Bundle size: esbuild `--bundle --minify` (ESM, tree-shaken, no source map) of `bundle/geojobs.ts`
 * (the Effect client), `bundle/geojobs-micro.ts` (the Micro client) and `bundle/sdk.ts` for the
 * browser and node platforms; bytes minified and gzipped (node:zlib, level 9).
 */
import * as esbuild from "esbuild"
import * as path from "node:path"
import * as zlib from "node:zlib"

/** The programs measured: ours on Effect, ours on Micro, the SDK's. */
export const bundlePrograms = ["geojobs", "geojobs-micro", "sdk"] as const
/** One of `bundlePrograms`. */
export type BundleProgram = (typeof bundlePrograms)[number]

/** One program's size on one platform. */
export interface BundleSize {
  readonly program: BundleProgram
  readonly platform: "browser" | "node"
  readonly minBytes: number
  readonly gzipBytes: number
}

/** Bundles every program on both platforms. */
export const measureBundles = async (srcDir: string): Promise<Array<BundleSize>> => {
  const out: Array<BundleSize> = []
  for (const platform of ["browser", "node"] as const) {
    for (const program of bundlePrograms) {
      const result = await esbuild.build({
        entryPoints: [path.join(srcDir, "bundle", `${program}.ts`)],
        bundle: true,
        minify: true,
        format: "esm",
        platform,
        target: platform === "node" ? "node20" : "es2022",
        write: false,
        logLevel: "error"
      })
      const code = result.outputFiles[0]!.contents
      out.push({ program, platform, minBytes: code.byteLength, gzipBytes: zlib.gzipSync(code, { level: 9 }).byteLength })
    }
  }
  return out
}
