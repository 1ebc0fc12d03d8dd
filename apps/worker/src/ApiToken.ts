/**
 * The worker API's bearer token: made at a worker's first start (32 random bytes, base64url)
 * and kept in `<work-dir>/api-token`, readable by its owner only (0600), so whoever can read
 * the work directory may drive the worker and nobody else on the machine can. `geojobs submit`
 * and `geojobs batches` read the same file.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as Fs from "node:fs"
import * as Path from "node:path"

/** The token file's name in a work directory. */
export const fileName = "api-token"

/** Where a work directory keeps its token. */
export const fileIn = (workDir: string): string => Path.join(workDir, fileName)

/** A fresh token. */
export const make = (): string => randomBytes(32).toString("base64url")

/** The token in `file`, trimmed; undefined when the file does not exist. Throws on other errors. */
export const read = (file: string): string | undefined => {
  let text: string
  try {
    text = Fs.readFileSync(file, "utf8")
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw e
  }
  const token = text.trim()
  if (token === "") throw new Error(`${file} is empty`)
  return token
}

/**
 * The token in `file`, made and written (0600, atomically) when the file does not exist.
 * `loose` is true when an existing file can be read by others than its owner.
 */
export const ensure = (file: string): { readonly token: string; readonly created: boolean; readonly loose: boolean } => {
  const known = read(file)
  if (known !== undefined) return { token: known, created: false, loose: (Fs.statSync(file).mode & 0o077) !== 0 }
  const token = make()
  Fs.mkdirSync(Path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  // mode applies at creation, before a byte is written: the token is never readable by others
  Fs.writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: "wx" })
  try {
    // link, not rename: a token another process wrote first wins, and both agree on it
    Fs.linkSync(temp, file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
  } finally {
    Fs.rmSync(temp, { force: true })
  }
  return { token: read(file)!, created: true, loose: false }
}

const digest = (s: string) => createHash("sha256").update(s).digest()

/** Compares a presented token with the expected one in constant time. */
export const matches = (expected: string, presented: string): boolean => timingSafeEqual(digest(expected), digest(presented))

/** The token of an `Authorization: Bearer …` header value, if that is what it holds. */
export const fromAuthorization = (value: string | undefined): string | undefined => {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value ?? "")
  return m === null ? undefined : m[1]
}
