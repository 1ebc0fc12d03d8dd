import { assert, describe, it } from "@effect/vitest"
import { build } from "esbuild"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url))

describe("browser safety", () => {
  it("the package root bundles for the browser without Node built-ins or the credential chain", async () => {
    const result = await build({
      entryPoints: [src("index.ts")],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
      metafile: true
    })
    assert.deepStrictEqual(result.errors, [])
    const inputs = Object.keys(result.metafile!.inputs)
    assert.isFalse(inputs.some((path) => path.includes("credential-providers")), "credential-providers in the bundle")
    assert.isFalse(inputs.some((path) => path.startsWith("node:")), "a node: module in the bundle")
    // the signer is in the bundle (it no longer loads @smithy/signature-v4: its rules are ported)
    assert.isTrue(inputs.some((path) => path.endsWith("src/SigV4.ts")))
  })

  it("the browser-safe modules use no node:*, process or Buffer", () => {
    for (const file of ["index.ts", "AwsCredentials.ts", "SigV4.ts"]) {
      const code = readFileSync(src(file), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line))
        .join("\n")
      assert.notMatch(code, /from\s+["']node:|import\(\s*["']node:/, file)
      assert.notMatch(code, /(^|[^.\w$])process\s*\./, file)
      assert.notMatch(code, /(^|[^.\w$])Buffer\s*[.(]/, file)
      assert.notMatch(code, /from\s+["']@aws-sdk\//, file)
    }
  })
})
