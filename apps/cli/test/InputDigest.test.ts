/**
 * `InputDigest.fileSha256`: the file's SHA-256 whatever its size (read in pieces), and a
 * missing file is a one-line usage error naming it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { createHash, randomBytes } from "node:crypto"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as InputDigest from "../src/InputDigest.js"
import { tempDir } from "./Harness.js"

describe("InputDigest.fileSha256", () => {
  it.effect("is the SHA-256 of the bytes: empty, small, and over several read pieces", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      for (const size of [0, 1, 4 << 20, (9 << 20) + 17]) {
        const bytes = randomBytes(size)
        const file = Path.join(dir, `f${size}`)
        Fs.writeFileSync(file, bytes)
        expect(yield* InputDigest.fileSha256(file)).toBe(createHash("sha256").update(bytes).digest("hex"))
      }
    }))

  it.effect("a file that cannot be read fails with its name", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(InputDigest.fileSha256(Path.join(tempDir(), "missing.csv")))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) expect(String(exit.cause)).toMatch(/missing\.csv: cannot read: ENOENT/)
    }))
})
