/**
 * Where `validate` writes its result and in which format, decided and checked before any work:
 * the format is `--format`, else `--out`'s extension (csv, tsv, parquet, jsonl, json), else the
 * input's; a `--format` that contradicts `--out`'s extension, an `--out` whose format cannot be
 * told, a directory that does not exist or cannot be written, and an output that would replace
 * the input are refused before the job starts.
 *
 * @since 0.1.0
 */
import * as Format from "@geojobs/dataset/Format"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FsP from "node:fs/promises"
import * as Path from "node:path"
import { UsageError } from "./CliError.js"

/** The result file: its absolute path, the path as the user gave it (for messages), its format. */
export interface OutputFile {
  readonly path: string
  readonly shown: string
  readonly format: Format.Format
}

const knownExtensions = /\.(csv|tsv|tab|parquet|pq|parq|jsonl|ndjson|jsonlines|json)$/i

/** `<dir>/<name>.validated.<ext>` next to the input. */
export const defaultPath = (input: string, format: Format.Format): string => {
  const base = Path.basename(input).replace(knownExtensions, "")
  return Path.join(Path.dirname(input), `${base}.validated.${Format.extensionOf[format]}`)
}

const names: Readonly<Record<Format.Format, string>> = {
  parquet: "Parquet",
  csv: "CSV",
  tsv: "TSV",
  jsonl: "JSON Lines",
  json: "JSON"
}

/** The result file for the options, or why there is none. Pure: checks nothing on disk. */
export const resolve = (options: {
  readonly cwd: string
  /** The input, absolute. */
  readonly input: string
  readonly inputFormat: Format.Format
  readonly out?: string | undefined
  readonly format?: Format.Format | undefined
}): Either.Either<OutputFile, UsageError> => {
  const { format, out } = options
  if (out === undefined) {
    const chosen = format ?? options.inputFormat
    const path = defaultPath(options.input, chosen)
    return Either.right({ path, shown: Path.relative(options.cwd, path), format: chosen })
  }
  const claimed = Format.fromExtension(out)
  if (format !== undefined && claimed !== undefined && claimed !== format) {
    return Either.left(
      new UsageError({
        message: `--format ${format} does not match --out ${out} (a ${names[claimed]} name): ` +
          `name the file .${Format.extensionOf[format]}, or drop --format to write ${names[claimed]}`
      })
    )
  }
  const chosen = format ?? claimed
  if (chosen === undefined) {
    return Either.left(
      new UsageError({
        message: `cannot tell the format of --out ${out}: name it .csv, .tsv, .parquet, .jsonl or .json, or pass --format`
      })
    )
  }
  return Either.right({ path: Path.resolve(options.cwd, out), shown: out, format: chosen })
}

const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code

/**
 * Checks that the result can be written: its directory exists and is writable, it is not a
 * directory, and it is not the input itself.
 */
export const check = (output: OutputFile, input: string): Effect.Effect<void, UsageError> =>
  Effect.tryPromise({
    try: async () => {
      if (Path.resolve(output.path) === Path.resolve(input)) {
        return `--out ${output.shown} is the input file: choose another name (the input is never overwritten)`
      }
      const dir = Path.dirname(output.path)
      const shownDir = Path.dirname(output.shown) === "." ? "the current directory" : Path.dirname(output.shown)
      try {
        const stat = await FsP.stat(dir)
        if (!stat.isDirectory()) return `${output.shown}: ${shownDir} is not a directory`
      } catch (e) {
        return codeOf(e) === "ENOENT"
          ? `${output.shown}: the directory ${shownDir} does not exist (create it first)`
          : `${output.shown}: cannot use the directory ${shownDir}: ${(e as Error).message}`
      }
      try {
        await FsP.access(dir, FsP.constants.W_OK)
      } catch {
        return `${output.shown}: cannot write in ${shownDir} (permission denied)`
      }
      try {
        if ((await FsP.stat(output.path)).isDirectory()) return `${output.shown} is a directory: give a file name`
      } catch {
        // not there yet: as expected
      }
      return undefined
    },
    catch: (e) => new UsageError({ message: `${output.shown}: ${(e as Error).message}` })
  }).pipe(Effect.flatMap((problem) => (problem === undefined ? Effect.void : Effect.fail(new UsageError({ message: problem })))))
