/**
 * aws-chunked request bodies as S3 streams: `@geojobs/sigv4/AwsChunked`'s decoder over an Effect
 * stream, its framing errors as S3's answers.
 *
 * @since 0.1.0
 */
import { AwsChunkedError, makeDecoder } from "@geojobs/sigv4/AwsChunked"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { S3Errors, type S3Error } from "./S3Error.js"

/** What a decoded body reports when it ends. */
export interface Decoded {
  readonly length: number
  readonly trailers: Readonly<Record<string, string>>
}

/**
 * Decodes an aws-chunked body stream into its data bytes. Bad framing fails with `IncompleteBody`
 * or `InvalidRequest`; `onEnd` sees the decoded length and the trailers once the final chunk is read
 * (and may fail, e.g. on a checksum mismatch or a length other than `x-amz-decoded-content-length`).
 */
export const decode = <E>(
  body: Stream.Stream<Uint8Array, E>,
  onEnd: (decoded: Decoded) => Effect.Effect<void, S3Error> = () => Effect.void
): Stream.Stream<Uint8Array, E | S3Error> =>
  Stream.suspend(() => {
    const decoder = makeDecoder()
    const framing = (cause: unknown): S3Error =>
      cause instanceof AwsChunkedError
        ? S3Errors.invalidRequest(`Malformed aws-chunked body: ${cause.message}`)
        : S3Errors.internal(String(cause))
    return body.pipe(
      Stream.mapConcatChunkEffect((bytes) =>
        Effect.try({ try: () => Chunk.unsafeFromArray(decoder.push(bytes) as Array<Uint8Array>), catch: framing })
      ),
      Stream.concat(
        Stream.fromEffect(
          Effect.try({ try: () => decoder.finish(), catch: framing }).pipe(
            Effect.flatMap((trailers) => onEnd({ length: decoder.decodedLength(), trailers }))
          )
        ).pipe(Stream.drain)
      )
    )
  })
