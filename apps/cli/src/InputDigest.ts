/**
 * What makes a `validate` run idempotent: a SHA-256 of the input file's bytes (the input object
 * key is derived from it, so the same data is uploaded once), and a ClientToken derived from it
 * plus every option that shapes the job (features, locations, role), so a rerun reaches the
 * job the first run started instead of starting another.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import * as FsP from "node:fs/promises"
import { UsageError } from "./CliError.js"

/**
 * Hex SHA-256 of a file's bytes, read in 4 MiB pieces into one buffer: a stream's 64 KiB reads
 * made a 20 MB file ~300 round trips to the file-system threads, slow when the cores are busy
 * (the embedded service's workers start meanwhile).
 */
export const fileSha256 = (file: string): Effect.Effect<string, UsageError> =>
  Effect.tryPromise({
    try: async () => {
      const hash = createHash("sha256")
      const handle = await FsP.open(file, "r")
      try {
        const buffer = Buffer.allocUnsafe(4 << 20)
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
          if (bytesRead === 0) break
          hash.update(buffer.subarray(0, bytesRead))
        }
      } finally {
        await handle.close()
      }
      return hash.digest("hex")
    },
    catch: (e) => new UsageError({ message: `${file}: cannot read: ${(e as Error).message}` })
  })

/** The parts of a job that must match for a rerun to reuse it. */
export interface TokenParts {
  readonly fileSha256: string
  readonly features: ReadonlyArray<string>
  readonly inputLocation: string
  readonly outputLocation: string
  readonly roleArn: string
}

/** A ClientToken (≤ 64 printable characters): `geojobs-v1-` + 48 hex digits of the parts' hash. */
export const clientToken = (parts: TokenParts): string => {
  const canonical = JSON.stringify([
    "geojobs-validate-v1",
    parts.fileSha256,
    [...parts.features].sort(),
    parts.inputLocation,
    parts.outputLocation,
    parts.roleArn
  ])
  return `geojobs-v1-${createHash("sha256").update(canonical).digest("hex").slice(0, 48)}`
}
