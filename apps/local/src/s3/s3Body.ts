/**
 * Turns an upload's wire body into the object's bytes: de-chunks `aws-chunked` bodies, checks the
 * announced size (`x-amz-decoded-content-length` or `Content-Length`) and any flexible checksum
 * (`x-amz-checksum-*` header or trailer), failing the stream — so the store never publishes — when
 * something does not match.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as AwsChunked from "./awsChunked.js"
import { S3Error, S3Errors } from "./S3Error.js"
import { CHECKSUM_ALGORITHMS, checksummer } from "./s3Checksum.js"

/** An upload body, ready for the store. */
export interface UploadBody {
  readonly body: Stream.Stream<Uint8Array, S3Error>
  /** The size the client announced for the object bytes, if it did. */
  readonly contentLength: number | undefined
  /** The checksum response header (name, value), known once `body` has been fully read. */
  readonly checksum: () => readonly [string, string] | undefined
  /** `Content-Encoding` to store: the client's, without `aws-chunked`. */
  readonly contentEncoding: string | undefined
}

const parseLength = (name: string, value: string | undefined): Effect.Effect<number | undefined, S3Error> => {
  if (value === undefined) return Effect.succeed(undefined)
  return /^\d{1,16}$/.test(value.trim())
    ? Effect.succeed(Number(value.trim()))
    : Effect.fail(S3Errors.invalidArgument(`${name} must be a non-negative integer`))
}

/** Reads the body of a PUT (PutObject or UploadPart). */
export const uploadBody = (
  headers: Readonly<Record<string, string>>,
  raw: Stream.Stream<Uint8Array, unknown>,
  about: { readonly bucket: string; readonly key: string }
): Effect.Effect<UploadBody, S3Error> =>
  Effect.gen(function*() {
    const encodings = (headers["content-encoding"] ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "")
    const chunked = encodings.includes("aws-chunked") || (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-")
    const contentEncoding = encodings.filter((e) => e !== "aws-chunked").join(", ")
    const contentLength = yield* parseLength(
      chunked ? "x-amz-decoded-content-length" : "Content-Length",
      chunked ? headers["x-amz-decoded-content-length"] : headers["content-length"]
    )

    // Which checksum, and where its expected value comes from.
    const fromHeader = CHECKSUM_ALGORITHMS.find((a) => headers[`x-amz-checksum-${a}`] !== undefined)
    const trailerName = (headers["x-amz-trailer"] ?? "").trim().toLowerCase()
    const fromTrailer = CHECKSUM_ALGORITHMS.find((a) => trailerName === `x-amz-checksum-${a}`)
    if (trailerName !== "" && fromTrailer === undefined) {
      return yield* Effect.fail(S3Errors.invalidRequest(`The trailer ${trailerName} is not supported`, about))
    }
    if (fromTrailer !== undefined && !chunked) {
      return yield* Effect.fail(S3Errors.invalidRequest("A trailing checksum needs an aws-chunked body", about))
    }
    const algorithm = fromHeader ?? fromTrailer
    const summer = algorithm === undefined ? undefined : checksummer(algorithm)
    let expected = fromHeader === undefined ? undefined : headers[`x-amz-checksum-${fromHeader}`]
    let computed: string | undefined

    const source: Stream.Stream<Uint8Array, S3Error> = Stream.mapError(
      raw,
      (cause) => (cause instanceof S3Error ? cause : S3Errors.incompleteBody(about.bucket, about.key))
    )
    const bytes = chunked
      ? AwsChunked.decode(source, (decoded) => {
        if (fromTrailer !== undefined) expected = decoded.trailers[`x-amz-checksum-${fromTrailer}`]
        return contentLength !== undefined && decoded.length !== contentLength
          ? Effect.fail(S3Errors.incompleteBody(about.bucket, about.key))
          : Effect.void
      })
      : source
    const body = summer === undefined ? bytes : bytes.pipe(
      Stream.tap((chunk) => Effect.sync(() => summer.update(chunk))),
      Stream.concat(
        Stream.fromEffect(Effect.suspend(() => {
          computed = summer.digest()
          if (expected === undefined) {
            return Effect.fail(S3Errors.invalidRequest(`The x-amz-checksum-${algorithm} trailer is missing`, about))
          }
          return expected === computed
            ? Effect.void
            : Effect.fail(S3Errors.badDigest(about.bucket, about.key, `${algorithm!.toUpperCase()} checksum`))
        })).pipe(Stream.drain)
      )
    )
    return {
      body,
      contentLength,
      checksum: () =>
        algorithm === undefined
          ? undefined
          : [`x-amz-checksum-${algorithm}`, computed ?? expected ?? ""] as const,
      contentEncoding: contentEncoding === "" ? undefined : contentEncoding
    }
  })
