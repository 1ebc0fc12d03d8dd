/**
 * The service's own thread does not load the address engine while workers validate: the engine's
 * module graph carries ~4 MB of reference data, whose compile and index build delayed every
 * start (the CLI's embedded service included) before any job needed it. The check follows the
 * static imports of the service's entry (esbuild's metafile of a bundle of it, dependencies
 * outside the workspace left out): the engine may only be reached through `import()`.
 */
import { build } from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

/** The workspace files reached from `entry` through static imports only. */
const staticallyReached = async (entry: string): Promise<ReadonlySet<string>> => {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    metafile: true,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: path.join(root, "node_modules", ".cache", "engine-loading"),
    logLevel: "silent",
    plugins: [{
      name: "workspace-only",
      setup: (b) => b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@geojobs/") ? undefined : { path: args.path, external: true }))
    }]
  })
  const inputs = result.metafile.inputs
  const start = Object.keys(inputs).find((k) => k.endsWith(entry))!
  const seen = new Set([start])
  const queue = [start]
  while (queue.length > 0) {
    for (const im of inputs[queue.shift()!]?.imports ?? []) {
      if (im.kind === "import-statement" && im.external !== true && !seen.has(im.path)) {
        seen.add(im.path)
        queue.push(im.path)
      }
    }
  }
  return seen
}

describe("the address engine's loading", () => {
  it("is not statically imported by the service or the file validator", async () => {
    for (const entry of ["apps/local/src/LocalService.ts", "packages/engine/src/ValidateParquet.ts"]) {
      const reached = [...(await staticallyReached(entry))]
      expect(reached.length).toBeGreaterThan(5)
      expect(reached.filter((f) => f.includes("address/src/Engine.ts") || f.includes("referenceData"))).toEqual([])
    }
  }, 60_000)

  it("is statically imported by the validation worker (the check can see it)", async () => {
    const reached = [...(await staticallyReached("packages/engine/src/ValidateWorker.ts"))]
    expect(reached.some((f) => f.includes("address/src/Engine.ts"))).toBe(true)
  }, 60_000)
})
