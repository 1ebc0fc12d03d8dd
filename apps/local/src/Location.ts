/**
 * S3 locations of job inputs and outputs: `s3://bucket[/prefix]` or an S3 ARN
 * `arn:aws:s3:::bucket[/prefix]` (the two forms the Jobs API accepts), as bucket + key prefix.
 *
 * @since 0.1.0
 */

/** A bucket and a key prefix ("" for the whole bucket). */
export interface S3Location {
  readonly bucket: string
  readonly prefix: string
}

/** Parses a job location; `undefined` when it is neither an S3 URI nor an S3 ARN. */
export const parse = (location: string): S3Location | undefined => {
  let rest: string
  if (location.startsWith("s3://")) rest = location.slice(5)
  else {
    const arn = /^arn:aws(-[a-z]+)*:s3:::(.+)$/.exec(location)
    if (arn === null) return undefined
    rest = arn[2]!
  }
  const slash = rest.indexOf("/")
  const bucket = slash === -1 ? rest : rest.slice(0, slash)
  const prefix = slash === -1 ? "" : rest.slice(slash + 1)
  return bucket.length === 0 ? undefined : { bucket, prefix }
}

/** `prefix` as a folder: "" stays "", anything else ends with exactly one `/`. */
export const asFolder = (prefix: string): string => (prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`)

/** The file name part of a key. */
export const baseName = (key: string): string => key.slice(key.lastIndexOf("/") + 1)
