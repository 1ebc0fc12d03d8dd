/**
 * The one error type of `@geojobs/dataset`: which file, why, and a message a person can act on.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** Why a file could not be read or written. */
export const DatasetErrorReason = Schema.Literal(
  /** The file (or object) does not exist. */
  "NotFound",
  /** The file exists but could not be read (permissions, I/O error, a directory…). */
  "ReadFailed",
  /** Not a Parquet file (no `PAR1` magic), or a corrupt/truncated one, or an unsupported feature. */
  "UnreadableParquet",
  /** Not CSV: binary content, an unclosed quote, invalid UTF-8… */
  "NotCsv",
  /** Not JSON Lines: a line that is not a JSON object. */
  "NotJsonLines",
  /** None of the 14 address columns is present (the message lists the headers found). */
  "NoAddressColumns",
  /** A value does not fit the column type it is written as (e.g. text into a DOUBLE column). */
  "WrongType",
  /** The output could not be written (I/O error, encoder failure). */
  "WriteFailed",
  /** The format could not be told from the name or the content. */
  "UnknownFormat"
)
/** @since 0.1.0 */
export type DatasetErrorReason = typeof DatasetErrorReason.Type

/**
 * A file that is not what it claims, or that could not be read or written.
 *
 * `message` always starts with the file name: `"input/a.parquet: not a Parquet file (…)"`.
 */
export class DatasetError extends Schema.TaggedError<DatasetError>()("DatasetError", {
  /** The file, object key or name the caller gave for it. */
  file: Schema.String,
  reason: DatasetErrorReason,
  /** What is wrong, for a person. */
  detail: Schema.String,
  /** For NoAddressColumns: the headers/columns that were found. */
  headers: Schema.optional(Schema.Array(Schema.String)),
  /** The underlying exception, if any (not serialised). */
  cause: Schema.optional(Schema.Unknown)
}) {
  override get message(): string {
    return `${this.file}: ${this.detail}`
  }
}

/** Builds a DatasetError; `detail` is the "why" part of the message. */
export const make = (
  file: string,
  reason: DatasetErrorReason,
  detail: string,
  extra?: { readonly headers?: ReadonlyArray<string>; readonly cause?: unknown }
): DatasetError =>
  new DatasetError({
    file,
    reason,
    detail,
    ...(extra?.headers !== undefined ? { headers: extra.headers } : {}),
    ...(extra?.cause !== undefined ? { cause: extra.cause } : {})
  })

/**
 * A value from a file as a message shows it: quoted, and cut to `max` characters with "…" (a
 * header of a file with no line break can be the whole file).
 */
export const shown = (value: string, max = 60): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value)

/** Values from a file as a message lists them: each {@link shown}, at most `max` of them, then how many more. */
export const shownList = (values: ReadonlyArray<string>, max = 20): string =>
  values.slice(0, max).map((v) => shown(v)).join(", ") + (values.length > max ? ` and ${values.length - max} more` : "")

/** The text of an unknown thrown value. */
export const describe = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : String(cause)

/** Wraps anything thrown into a DatasetError, keeping a DatasetError as it is. */
export const fromUnknown = (file: string, reason: DatasetErrorReason, what: string) => (cause: unknown): DatasetError =>
  cause instanceof DatasetError ? cause : make(file, reason, `${what}: ${describe(cause)}`, { cause })
