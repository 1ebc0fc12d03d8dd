/**
 * The one error of the S3 subset: an S3 error code (as S3 names it), the HTTP status it is answered
 * with, a message, and the resource it is about. The HTTP face renders it as S3's `<Error>` XML.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** An S3 failure, as S3 reports it (`NoSuchKey`, `NoSuchBucket`, `InvalidRange`, …). */
export class S3Error extends Schema.TaggedError<S3Error>()("S3Error", {
  /** The S3 error code, e.g. `NoSuchKey`. */
  code: Schema.String,
  /** The HTTP status S3 answers this code with. */
  status: Schema.Number,
  message: Schema.String,
  bucket: Schema.optional(Schema.String),
  key: Schema.optional(Schema.String),
  uploadId: Schema.optional(Schema.String),
  /** The region S3 expected, on a credential scoped to another one (SDKs read it to redirect). */
  region: Schema.optional(Schema.String),
  /** The object's size, on `InvalidRange` (answered as `Content-Range: bytes *\/size`). */
  objectSize: Schema.optional(Schema.Number)
}) {}

interface About {
  readonly bucket?: string | undefined
  readonly key?: string | undefined
  readonly uploadId?: string | undefined
}

const make = (code: string, status: number, message: string, about: About = {}): S3Error =>
  new S3Error({
    code,
    status,
    message,
    ...(about.bucket === undefined ? {} : { bucket: about.bucket }),
    ...(about.key === undefined ? {} : { key: about.key }),
    ...(about.uploadId === undefined ? {} : { uploadId: about.uploadId })
  })

/** Constructors for the S3 errors this subset answers with, each with S3's status. */
export const S3Errors = {
  noSuchBucket: (bucket: string) => make("NoSuchBucket", 404, "The specified bucket does not exist", { bucket }),
  noSuchKey: (bucket: string, key: string) => make("NoSuchKey", 404, "The specified key does not exist.", { bucket, key }),
  noSuchUpload: (bucket: string, key: string, uploadId: string) =>
    make(
      "NoSuchUpload",
      404,
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      { bucket, key, uploadId }
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    make(
      "BucketAlreadyOwnedByYou",
      409,
      "Your previous request to create the named bucket succeeded and you already own it.",
      { bucket }
    ),
  bucketNotEmpty: (bucket: string) =>
    make("BucketNotEmpty", 409, "The bucket you tried to delete is not empty", { bucket }),
  invalidBucketName: (bucket: string, why: string) =>
    make("InvalidBucketName", 400, `The specified bucket is not valid: ${why}`, { bucket }),
  keyTooLong: (bucket: string) => make("KeyTooLongError", 400, "Your key is too long", { bucket }),
  invalidKey: (bucket: string, why: string) => make("InvalidArgument", 400, `The object key is not valid: ${why}`, { bucket }),
  invalidArgument: (message: string, about?: About) => make("InvalidArgument", 400, message, about),
  invalidRequest: (message: string, about?: About) => make("InvalidRequest", 400, message, about),
  invalidRange: (bucket: string, key: string, size: number) =>
    new S3Error({
      code: "InvalidRange",
      status: 416,
      message: `The requested range is not satisfiable (object size ${size})`,
      bucket,
      key,
      objectSize: size
    }),
  badDigest: (bucket: string, key: string, what = "Content-MD5") =>
    make("BadDigest", 400, `The ${what} you specified did not match what we received.`, { bucket, key }),
  invalidDigest: (bucket: string, key: string) =>
    make("InvalidDigest", 400, "The Content-MD5 you specified is not valid.", { bucket, key }),
  entityTooLarge: (bucket: string, key: string, max: number) =>
    make("EntityTooLarge", 400, `Your proposed upload exceeds the maximum allowed size (${max} bytes)`, { bucket, key }),
  entityTooSmall: (bucket: string, key: string, min: number) =>
    make("EntityTooSmall", 400, `Your proposed upload is smaller than the minimum allowed size (${min} bytes)`, {
      bucket,
      key
    }),
  incompleteBody: (bucket: string, key: string) =>
    make("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header", {
      bucket,
      key
    }),
  invalidPart: (bucket: string, key: string, uploadId: string, partNumber: number) =>
    make(
      "InvalidPart",
      400,
      `Part ${partNumber} could not be found, or its ETag does not match the one given. Parts must be uploaded and their ETags given exactly.`,
      { bucket, key, uploadId }
    ),
  invalidPartOrder: (bucket: string, key: string, uploadId: string) =>
    make("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number.", {
      bucket,
      key,
      uploadId
    }),
  malformedXML: (message = "The XML you provided was not well-formed or did not validate against our published schema.") =>
    make("MalformedXML", 400, message),
  methodNotAllowed: (method: string) =>
    make("MethodNotAllowed", 405, `The specified method (${method}) is not allowed against this resource.`),
  notImplemented: (what: string) =>
    make("NotImplemented", 501, `A header or query you provided implies functionality that is not implemented: ${what}`),
  missingContentLength: () => make("MissingContentLength", 411, "You must provide the Content-Length HTTP header."),
  internal: (message: string) => make("InternalError", 500, `We encountered an internal error: ${message}`)
} as const
