/**
 * Which local paths a worker may read: only files under the directories its operator allowed,
 * judged on real paths (symlinks and `..` resolved), so a link inside an allowed directory
 * cannot reach out of it.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"

/** What a path turned out to be. */
export type Verdict =
  | { readonly _tag: "Allowed"; readonly real: string }
  | { readonly _tag: "Missing"; readonly path: string }
  | { readonly _tag: "Refused"; readonly path: string }

const under = (dir: string, file: string) => {
  const rel = Path.relative(dir, file)
  return rel !== "" && !rel.startsWith(`..${Path.sep}`) && rel !== ".." && !Path.isAbsolute(rel)
}

const realOrUndefined = (p: string) => {
  try {
    return Fs.realpathSync(p)
  } catch {
    return undefined
  }
}

/**
 * Judges `file` against `dirs`. A path that does not exist is `Missing` only when it would be
 * under an allowed directory: elsewhere it is `Refused`, so the answer says nothing about which
 * files exist outside them.
 */
export const judge = (file: string, dirs: ReadonlyArray<string>): Verdict => {
  const path = Path.resolve(file)
  const realDirs = dirs.map(realOrUndefined).filter((d): d is string => d !== undefined)
  const real = realOrUndefined(path)
  if (real !== undefined) return realDirs.some((d) => under(d, real)) ? { _tag: "Allowed", real } : { _tag: "Refused", path }
  const parent = realOrUndefined(Path.dirname(path))
  const lexical = parent !== undefined ? Path.join(parent, Path.basename(path)) : path
  return realDirs.some((d) => under(d, lexical)) ? { _tag: "Missing", path } : { _tag: "Refused", path }
}
