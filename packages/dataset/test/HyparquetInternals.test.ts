/**
 * `@geojobs/dataset` imports modules of hyparquet and hyparquet-writer that are not their public
 * API (`hyparquet/src/*.js`), so the versions are pinned exactly (the workspace catalog). This test
 * is the alarm for an upgrade: every name the sources import from those modules must still be
 * there, hyparquet-writer must share our one hyparquet, and the thrift enum positions the writer
 * takes from hyparquet must still be Parquet's.
 */
import { assert, describe, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const srcDir = fileURLToPath(new URL("../src", import.meta.url))
const require = createRequire(import.meta.url)

const sources = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

/** Every value import of a `hyparquet…/src/…` module in the sources: module → names. */
const internalImports = (): Map<string, Set<string>> => {
  const found = new Map<string, Set<string>>()
  const pattern = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+"((?:hyparquet|hyparquet-writer)\/src\/[^"]+)"/g
  for (const file of sources(srcDir)) {
    for (const match of readFileSync(file, "utf8").matchAll(pattern)) {
      if (match[1] !== undefined) continue // types are checked by the compiler
      const names = found.get(match[3]!) ?? new Set<string>()
      for (const part of match[2]!.split(",")) {
        const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!
        if (name !== "" && !part.trim().startsWith("type ")) names.add(name)
      }
      found.set(match[3]!, names)
    }
  }
  return found
}

/** The exact version the workspace catalog pins a package to. */
const pinned = (name: string): string => {
  const workspace = readFileSync(fileURLToPath(new URL("../../../pnpm-workspace.yaml", import.meta.url)), "utf8")
  const match = new RegExp(`^  ${name}: (\\S+)$`, "m").exec(workspace)
  assert.isNotNull(match, `the catalog pins ${name}`)
  return match![1]!
}

/** The version of the installed package a resolved file belongs to. */
const versionOf = (file: string, name: string): string => {
  let dir = dirname(file)
  while (!dir.endsWith(`/node_modules/${name}`)) dir = dirname(dir)
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version
}

describe("hyparquet internals", () => {
  it("every name imported from hyparquet's and hyparquet-writer's src/ modules is still exported", async () => {
    const imports = internalImports()
    assert.isAtLeast(imports.size, 8, "the scan found the internal imports")
    for (const [module, names] of imports) {
      const loaded = (await import(module)) as Record<string, unknown>
      for (const name of names) {
        assert.isDefined(loaded[name], `${module} no longer exports ${name}`)
      }
    }
  })

  it("hyparquet-writer uses the same single hyparquet as the reader, at the pinned versions", () => {
    const ours = require.resolve("hyparquet/src/constants.js")
    const writer = require.resolve("hyparquet-writer/src/metadata.js")
    const writers = createRequire(writer).resolve("hyparquet/src/constants.js")
    assert.strictEqual(writers, ours, "hyparquet-writer resolves another hyparquet copy")
    assert.strictEqual(versionOf(ours, "hyparquet"), pinned("hyparquet"))
    assert.strictEqual(versionOf(writer, "hyparquet-writer"), pinned("hyparquet-writer"))
  })

  it("the enum positions hyparquet-writer writes are Parquet's", async () => {
    const { CompressionCodecs, Encodings, PageTypes, ParquetTypes } = (await import("hyparquet/src/constants.js")) as Record<
      string,
      ReadonlyArray<string>
    >
    assert.deepStrictEqual(
      ["PLAIN", "PLAIN_DICTIONARY", "RLE", "RLE_DICTIONARY"].map((e) => Encodings!.indexOf(e)),
      [0, 2, 3, 8]
    )
    assert.deepStrictEqual(["DATA_PAGE", "DICTIONARY_PAGE", "DATA_PAGE_V2"].map((t) => PageTypes!.indexOf(t)), [0, 2, 3])
    assert.deepStrictEqual(["UNCOMPRESSED", "SNAPPY"].map((c) => CompressionCodecs!.indexOf(c)), [0, 1])
    assert.deepStrictEqual(
      ["BOOLEAN", "INT64", "DOUBLE", "BYTE_ARRAY"].map((t) => ParquetTypes!.indexOf(t)),
      [0, 2, 5, 6]
    )
  })
})
