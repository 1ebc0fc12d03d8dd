/**
 * Server-side SigV4 verification, for the local service: rebuilds the canonical request exactly as
 * the signer built it (the signed headers it named, its canonical query, its path escaping) and
 * compares signatures in constant time.
 *
 * Supports header auth (`Authorization: AWS4-HMAC-SHA256 …`) and presigned URLs (`X-Amz-*` query
 * parameters); `x-amz-content-sha256` as a hex hash (checked against the body), `UNSIGNED-PAYLOAD`
 * and the streaming forms (seed signature checked, body not hashed). Paths are escaped once more
 * for every service but `s3`, as the AWS SDKs sign them.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Sha256Constructor } from "./SigV4.js"

/** Why a request was refused. Each becomes a 403 answer. */
export const SignatureErrorReason = Schema.Literal(
  /** No Authorization header and no presigned query. */
  "Missing",
  /** Auth present but unreadable: unknown algorithm, bad credential scope, bad date, missing signed header. */
  "Malformed",
  /** The access key id is not known. */
  "UnknownAccessKey",
  /** Signed too long ago (or too far ahead), or a presigned URL past its expiry. */
  "Expired",
  /** The signature does not match the request. */
  "Mismatch",
  /** The signature matches, but the body is not the one whose hash was signed. */
  "BodyHashMismatch",
  /** The credential scope names another region than the one the server serves. */
  "WrongRegion",
  /** The credential scope names another signing name than the server's (e.g. `s3` at a `geo` endpoint). */
  "WrongService"
)
/** @since 0.1.0 */
export type SignatureErrorReason = typeof SignatureErrorReason.Type

/** A request failed SigV4 verification. The message says why, and never contains a secret. */
export class SignatureError extends Schema.TaggedError<SignatureError>()("SignatureError", {
  reason: SignatureErrorReason,
  message: Schema.String,
  /** For `WrongRegion`/`WrongService`: what the request was signed for, so the caller can word AWS's answer. */
  signedRegion: Schema.optional(Schema.String),
  signedService: Schema.optional(Schema.String),
  /** True when the signature came in the query (a presigned URL) rather than the Authorization header. */
  presigned: Schema.optional(Schema.Boolean)
}) {}

/** A request as the server received it. */
export interface IncomingRequest {
  readonly method: string
  /** The raw request target: path and query as received (an absolute URL is accepted too). */
  readonly url: string
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: Uint8Array | undefined
}

/** How to verify. */
export interface VerifyOptions {
  /** The secret of an access key id, or undefined when the key is unknown. */
  readonly lookupSecret: (accessKeyId: string) => string | undefined
  /** The server's time. */
  readonly now: Date
  /** How far the signing time may be from `now` (header auth) or ahead of it (presigned). Default 15 minutes. */
  readonly maxSkewMs?: number | undefined
  readonly sha256: Sha256Constructor
  /**
   * The credential scope the server accepts. AWS refuses a signature made for another region or
   * another signing name even when it is otherwise right, so a key cannot be replayed across
   * services; leave it out to accept any scope.
   */
  readonly scope?: { readonly region: string; readonly service: string } | undefined
}

/** What a verified request was signed with. */
export interface VerifiedRequest {
  readonly accessKeyId: string
  readonly region: string
  readonly service: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signedAt: Date
  readonly presigned: boolean
  /** The payload hash that was signed: a hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-…` value. */
  readonly payloadHash: string
}

const ALGORITHM = "AWS4-HMAC-SHA256"
const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000
const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 60 * 60
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/** Payload hash values signed as is, without hashing the body. */
const literalPayloadHashes: ReadonlySet<string> = new Set([
  UNSIGNED_PAYLOAD,
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
])

/** Stands for "the SHA-256 of the body" in a list of payload hashes to try. */
const BODY_HASH: unique symbol = Symbol("BODY_HASH")

const HEX_SHA256 = /^[0-9a-f]{64}$/
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const DIGITS = /^\d+$/
const PLUS = /\+/g
const URI_RESERVED = /[!'()*]/g
const ENCODED_SLASH = /%2F/g
const HEADER_NEEDS_TRIM = /[\t\r\n]| {2}|^ | $/
const CR_LF = /[\r\n]/g
const SPACES_TABS = /[ \t]+/g
const EDGE_SPACE = /^ | $/g

const encoder = new TextEncoder()

const hexTable: ReadonlyArray<string> = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))
const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += hexTable[bytes[i]!]
  return out
}

/** Compares two strings in time that depends on their lengths only. */
const constantTimeEqual = (a: string, b: string): boolean => {
  let diff = a.length ^ b.length
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

const hexEncode = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
/** RFC 3986 escaping, as the SDKs do it. */
const escapeUri = (value: string): string => encodeURIComponent(value).replace(URI_RESERVED, hexEncode)

const decodeQueryPart = (value: string): string =>
  decodeURIComponent(value.indexOf("+") === -1 ? value : value.replace(PLUS, " "))

const malformed = (message: string) => new SignatureError({ reason: "Malformed", message })

/** The canonical path: escaped once more and dot-segment normalized (all services but S3), or as received. */
const canonicalPath = (path: string, uriEscapePath: boolean): string => {
  if (!uriEscapePath) return path === "" ? "/" : path
  const segments: Array<string> = []
  for (const segment of path.split("/")) {
    if (segment.length === 0 || segment === ".") continue
    if (segment === "..") segments.pop()
    else segments.push(segment)
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${
    segments.length > 0 && path.endsWith("/") ? "/" : ""
  }`
  return escapeUri(normalized).replace(ENCODED_SLASH, "/")
}

/** Decoded query parameters, in order. Throws `SignatureError` on bad percent-encoding. */
const parseQuery = (raw: string): Array<readonly [string, string]> => {
  const params: Array<readonly [string, string]> = []
  if (raw.length === 0) return params
  for (const piece of raw.split("&")) {
    if (piece.length === 0) continue
    const eq = piece.indexOf("=")
    try {
      params.push(
        eq === -1
          ? [decodeQueryPart(piece), ""]
          : [decodeQueryPart(piece.slice(0, eq)), decodeQueryPart(piece.slice(eq + 1))]
      )
    } catch {
      throw malformed(`the query parameter '${piece}' is not valid percent-encoding`)
    }
  }
  return params
}

/** The canonical query: every parameter but X-Amz-Signature, escaped, sorted by key and then by pair. */
const canonicalQuery = (params: ReadonlyArray<readonly [string, string]>): string => {
  if (params.length === 0) return ""
  const pairs: Array<{ readonly key: string; readonly pair: string }> = []
  for (const [key, value] of params) {
    if (key.toLowerCase() === "x-amz-signature") continue
    const encodedKey = escapeUri(key)
    pairs.push({ key: encodedKey, pair: `${encodedKey}=${escapeUri(value)}` })
  }
  pairs.sort((x, y) =>
    x.key < y.key ? -1 : x.key > y.key ? 1 : x.pair < y.pair ? -1 : x.pair > y.pair ? 1 : 0
  )
  let out = ""
  for (let i = 0; i < pairs.length; i++) out += i === 0 ? pairs[i]!.pair : `&${pairs[i]!.pair}`
  return out
}

const canonicalHeaderValue = (value: string): string =>
  HEADER_NEEDS_TRIM.test(value)
    ? value.replace(CR_LF, " ").replace(SPACES_TABS, " ").replace(EDGE_SPACE, "")
    : value

const parseAmzDate = (value: string): number | undefined => {
  const m = AMZ_DATE.exec(value)
  if (m === null) return undefined
  const time = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  return Number.isNaN(time) ? undefined : time
}

interface Parsed {
  readonly presigned: boolean
  readonly accessKeyId: string
  readonly shortDate: string
  readonly region: string
  readonly service: string
  readonly amzDate: string
  readonly signedAt: number
  readonly signedHeaders: ReadonlyArray<string>
  readonly signature: string
  readonly canonicalHeaders: string
  readonly canonicalPath: string
  readonly canonicalQuery: string
  /** Payload hashes to try, in order (more than one only for presigned URLs that name none). */
  readonly payloadHashes: ReadonlyArray<string | typeof BODY_HASH>
  /** The signed hex hash to check the body against, when one was sent. */
  readonly bodyHash: string | undefined
  readonly expiresS: number | undefined
}

const headerValue = (value: string | ReadonlyArray<string> | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === "string" ? value : value.join(",")

/** Reads the auth parts of a request. Throws `SignatureError` (Missing, Malformed). */
const parse = (request: IncomingRequest): Omit<Parsed, "payloadHashes" | "bodyHash"> & {
  readonly declaredHash: string | undefined
} => {
  const headers: Record<string, string> = {}
  for (const name in request.headers) {
    const value = headerValue(request.headers[name])
    if (value !== undefined) headers[name.toLowerCase()] = value
  }

  let target = request.url
  if (!target.startsWith("/")) {
    const scheme = target.indexOf("://")
    if (scheme !== -1) {
      const slash = target.indexOf("/", scheme + 3)
      target = slash === -1 ? "/" : target.slice(slash)
    }
  }
  const hashAt = target.indexOf("#")
  if (hashAt !== -1) target = target.slice(0, hashAt)
  const queryAt = target.indexOf("?")
  const path = queryAt === -1 ? target : target.slice(0, queryAt)
  const params = parseQuery(queryAt === -1 ? "" : target.slice(queryAt + 1))

  let credential: string
  let signedHeadersText: string
  let signature: string
  let amzDate: string
  let expiresS: number | undefined
  let declaredHash = headers["x-amz-content-sha256"]
  const presigned = headers["authorization"] === undefined

  if (!presigned) {
    const authorization = headers["authorization"]!.trim()
    const space = authorization.indexOf(" ")
    const algorithm = space === -1 ? authorization : authorization.slice(0, space)
    if (algorithm !== ALGORITHM) {
      throw malformed(
        algorithm.startsWith("AWS4-")
          ? `the signing algorithm ${algorithm} is not supported (only ${ALGORITHM})`
          : `the Authorization header is not a ${ALGORITHM} signature`
      )
    }
    const fields: Record<string, string> = {}
    for (const part of authorization.slice(space + 1).split(",")) {
      const item = part.trim()
      const eq = item.indexOf("=")
      if (eq > 0) fields[item.slice(0, eq)] = item.slice(eq + 1)
    }
    const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => fields[name] === undefined)
    if (missing.length > 0) throw malformed(`the Authorization header lacks ${missing.join(", ")}`)
    credential = fields["Credential"]!
    signedHeadersText = fields["SignedHeaders"]!
    signature = fields["Signature"]!
    const date = headers["x-amz-date"]
    if (date === undefined) throw malformed("the request has no X-Amz-Date header")
    amzDate = date
  } else {
    const query: Record<string, string> = {}
    for (const [key, value] of params) {
      if (key.startsWith("X-Amz-")) query[key] = value
      // The S3 presigner hoists its x-amz-content-sha256 header into the query under the header's name.
      if (key.toLowerCase() === "x-amz-content-sha256") declaredHash = value
    }
    if (query["X-Amz-Algorithm"] === undefined && query["X-Amz-Signature"] === undefined) {
      throw new SignatureError({
        reason: "Missing",
        message: "the request is not signed: no Authorization header and no X-Amz-Signature query parameter"
      })
    }
    const missing = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]
      .filter((name) => query[name] === undefined)
    if (missing.length > 0) throw malformed(`the presigned URL lacks ${missing.join(", ")}`)
    if (query["X-Amz-Algorithm"] !== ALGORITHM) {
      throw malformed(`the signing algorithm ${query["X-Amz-Algorithm"]} is not supported (only ${ALGORITHM})`)
    }
    credential = query["X-Amz-Credential"]!
    signedHeadersText = query["X-Amz-SignedHeaders"]!
    signature = query["X-Amz-Signature"]!
    amzDate = query["X-Amz-Date"]!
    const expires = query["X-Amz-Expires"]!
    if (!DIGITS.test(expires) || +expires < 1 || +expires > MAX_PRESIGNED_EXPIRES_S) {
      throw malformed(`X-Amz-Expires must be a number of seconds from 1 to ${MAX_PRESIGNED_EXPIRES_S}, not '${expires}'`)
    }
    expiresS = +expires
  }

  const signedAt = parseAmzDate(amzDate)
  if (signedAt === undefined) throw malformed(`the signing date '${amzDate}' is not of the form YYYYMMDDTHHMMSSZ`)

  const scope = credential.split("/")
  if (scope.length < 5 || scope[scope.length - 1] !== "aws4_request") {
    throw malformed(`the credential '${credential}' is not of the form <key id>/<date>/<region>/<service>/aws4_request`)
  }
  const [shortDate, region, service] = scope.slice(-4) as [string, string, string, string]
  const accessKeyId = scope.slice(0, -4).join("/")
  if (accessKeyId.length === 0 || region.length === 0 || service.length === 0) {
    throw malformed(`the credential '${credential}' has an empty part`)
  }
  if (shortDate !== amzDate.slice(0, 8)) {
    throw malformed(`the credential date ${shortDate} is not the signing date ${amzDate.slice(0, 8)}`)
  }
  if (!HEX_SHA256.test(signature)) throw malformed("the signature is not 64 lowercase hex digits")

  const signedHeaders = signedHeadersText.split(";")
  if (!signedHeaders.includes("host")) throw malformed("the signed headers do not include host")
  let canonicalHeaders = ""
  for (const name of signedHeaders) {
    if (name.length === 0 || name !== name.toLowerCase()) {
      throw malformed(`the signed header list '${signedHeadersText}' is not a list of lowercase names`)
    }
    const value = headers[name]
    if (value === undefined) throw malformed(`the signed header '${name}' is not in the request`)
    canonicalHeaders += `${name}:${canonicalHeaderValue(value)}\n`
  }

  let canonicalPathValue: string
  try {
    canonicalPathValue = canonicalPath(path, service !== "s3")
  } catch {
    throw malformed(`the path '${path}' cannot be encoded`)
  }

  return {
    presigned,
    accessKeyId,
    shortDate,
    region,
    service,
    amzDate,
    signedAt,
    signedHeaders,
    signature,
    canonicalHeaders,
    canonicalPath: canonicalPathValue,
    canonicalQuery: canonicalQuery(params),
    expiresS,
    declaredHash
  }
}

const digestHex = async (sha256: Sha256Constructor, data: Uint8Array): Promise<string> => {
  const hash = new sha256()
  hash.update(data)
  return toHex(await hash.digest())
}

const hmac = (sha256: Sha256Constructor, key: string | Uint8Array, data: string): Promise<Uint8Array> => {
  const hash = new sha256(key)
  hash.update(encoder.encode(data))
  return hash.digest()
}

const MAX_KEYS = 64
const signingKeys = new WeakMap<Sha256Constructor, Map<string, { readonly secret: string; readonly key: Promise<Uint8Array> }>>()

/** The derived signing key, cached per hash, key id, date, region and service (re-derived when the secret changes). */
const signingKey = (
  sha256: Sha256Constructor,
  accessKeyId: string,
  secret: string,
  shortDate: string,
  region: string,
  service: string
): Promise<Uint8Array> => {
  let cache = signingKeys.get(sha256)
  if (cache === undefined) {
    cache = new Map()
    signingKeys.set(sha256, cache)
  }
  const id = `${accessKeyId}/${shortDate}/${region}/${service}`
  const cachedKey = cache.get(id)
  if (cachedKey !== undefined && cachedKey.secret === secret) return cachedKey.key
  const key = hmac(sha256, `AWS4${secret}`, shortDate)
    .then((k) => hmac(sha256, k, region))
    .then((k) => hmac(sha256, k, service))
    .then((k) => hmac(sha256, k, "aws4_request"))
  cache.delete(id)
  cache.set(id, { secret, key })
  if (cache.size > MAX_KEYS) cache.delete(cache.keys().next().value!)
  key.catch(() => cache.delete(id))
  return key
}

const signatureFor = async (
  sha256: Sha256Constructor,
  key: Uint8Array,
  method: string,
  parsed: Parsed,
  payloadHash: string
): Promise<string> => {
  const canonicalRequest = `${method}\n${parsed.canonicalPath}\n${parsed.canonicalQuery}\n${parsed.canonicalHeaders}\n${
    parsed.signedHeaders.join(";")
  }\n${payloadHash}`
  const stringToSign = `${ALGORITHM}\n${parsed.amzDate}\n${parsed.shortDate}/${parsed.region}/${parsed.service}/aws4_request\n${await digestHex(
    sha256,
    encoder.encode(canonicalRequest)
  )}`
  return toHex(await hmac(sha256, key, stringToSign))
}

const bodyHashOf = (sha256: Sha256Constructor, body: Uint8Array | undefined): Promise<string> =>
  body === undefined || body.length === 0 ? Promise.resolve(EMPTY_SHA256) : digestHex(sha256, body)

/** The signature check proper, once the request has been read. Resolves to the failure, if any. */
const check = async (
  request: IncomingRequest,
  parsed: Parsed,
  secret: string,
  sha256: Sha256Constructor
): Promise<SignatureError | string> => {
  const key = await signingKey(sha256, parsed.accessKeyId, secret, parsed.shortDate, parsed.region, parsed.service)
  let matched: string | undefined
  for (const candidate of parsed.payloadHashes) {
    const payloadHash = candidate === BODY_HASH ? await bodyHashOf(sha256, request.body) : candidate
    const expected = await signatureFor(sha256, key, request.method, parsed, payloadHash)
    if (constantTimeEqual(expected, parsed.signature)) {
      matched = payloadHash
      break
    }
  }
  if (matched === undefined) {
    return new SignatureError({
      reason: "Mismatch",
      message:
        `the signature does not match: check the secret of ${parsed.accessKeyId} and that the request was not changed after signing`
    })
  }
  if (parsed.bodyHash !== undefined) {
    const actual = await bodyHashOf(sha256, request.body)
    if (actual !== parsed.bodyHash) {
      return new SignatureError({
        reason: "BodyHashMismatch",
        message: `the body's SHA-256 is ${actual}, not the signed x-amz-content-sha256 ${parsed.bodyHash}`
      })
    }
  }
  return matched
}

/**
 * Verifies a SigV4-signed request (header or presigned). Succeeds with what it was signed with;
 * fails with a `SignatureError` naming why.
 */
export const verifyRequest = (
  request: IncomingRequest,
  options: VerifyOptions
): Effect.Effect<VerifiedRequest, SignatureError> =>
  Effect.suspend(() => {
    let read: ReturnType<typeof parse>
    try {
      read = parse(request)
    } catch (error) {
      if (error instanceof SignatureError) return Effect.fail(error)
      return Effect.die(error)
    }

    let payloadHashes: ReadonlyArray<string | typeof BODY_HASH> = [BODY_HASH]
    let bodyHash: string | undefined
    const declared = read.declaredHash
    if (declared !== undefined) {
      if (HEX_SHA256.test(declared)) bodyHash = declared
      else if (!literalPayloadHashes.has(declared)) {
        return Effect.fail(malformed(`x-amz-content-sha256 '${declared}' is neither a hex SHA-256 nor a known payload mode`))
      }
      payloadHashes = [declared]
    } else if (read.presigned) {
      // A presigned URL that names no payload hash: S3 presigners sign UNSIGNED-PAYLOAD, smithy's
      // generic presigner the body's hash (of nothing, for a GET). Try the likely one first.
      payloadHashes = read.service === "s3" ? [UNSIGNED_PAYLOAD, BODY_HASH] : [BODY_HASH, UNSIGNED_PAYLOAD]
    }
    const parsed: Parsed = { ...read, payloadHashes, bodyHash }

    // The scope is part of the credential, checked as it is read (before the key is looked up), as AWS does.
    const scope = options.scope
    if (scope !== undefined && parsed.service !== scope.service) {
      return Effect.fail(
        new SignatureError({
          reason: "WrongService",
          message: `the credential is scoped to service '${parsed.service}', not '${scope.service}'`,
          signedRegion: parsed.region,
          signedService: parsed.service,
          presigned: parsed.presigned
        })
      )
    }
    if (scope !== undefined && parsed.region !== scope.region) {
      return Effect.fail(
        new SignatureError({
          reason: "WrongRegion",
          message: `the credential is scoped to region '${parsed.region}', not '${scope.region}'`,
          signedRegion: parsed.region,
          signedService: parsed.service,
          presigned: parsed.presigned
        })
      )
    }

    const secret = options.lookupSecret(parsed.accessKeyId)
    if (secret === undefined) {
      return Effect.fail(
        new SignatureError({ reason: "UnknownAccessKey", message: `the access key id ${parsed.accessKeyId} is not known` })
      )
    }

    const now = options.now.getTime()
    const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS
    const signedAtText = new Date(parsed.signedAt).toISOString()
    if (parsed.expiresS !== undefined) {
      if (parsed.signedAt - now > maxSkewMs) {
        return Effect.fail(
          new SignatureError({
            reason: "Expired",
            message: `the URL was signed at ${signedAtText}, ahead of the server time ${options.now.toISOString()}`
          })
        )
      }
      if (now > parsed.signedAt + parsed.expiresS * 1000) {
        return Effect.fail(
          new SignatureError({
            reason: "Expired",
            message: `the URL signed at ${signedAtText} expired after ${parsed.expiresS} s (server time ${options.now.toISOString()})`
          })
        )
      }
    } else if (Math.abs(now - parsed.signedAt) > maxSkewMs) {
      return Effect.fail(
        new SignatureError({
          reason: "Expired",
          message: `the request was signed at ${signedAtText}, more than ${
            Math.round(maxSkewMs / 60000)
          } minutes from the server time ${options.now.toISOString()}`
        })
      )
    }

    // A hash implementation that rejects is a defect, not a property of the request.
    return Effect.flatMap(Effect.promise(() => check(request, parsed, secret, options.sha256)), (result) =>
      typeof result === "string"
        ? Effect.succeed<VerifiedRequest>({
          accessKeyId: parsed.accessKeyId,
          region: parsed.region,
          service: parsed.service,
          signedHeaders: parsed.signedHeaders,
          signedAt: new Date(parsed.signedAt),
          presigned: parsed.presigned,
          payloadHash: result
        })
        : Effect.fail(result))
  })

const CR = 13
const LF = 10

const indexOfCrLf = (bytes: Uint8Array, from: number): number => {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF) return i
  }
  return -1
}

const HEX_SIZE = /^[0-9a-fA-F]+$/

/**
 * Decodes a `Content-Encoding: aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n`
 * … up to the 0-size chunk and optional trailers) into its data. Chunk signatures and trailers are
 * not checked. Throws a `SignatureError` ("Malformed") when the framing is broken.
 */
export const decodeAwsChunked = (body: Uint8Array): Uint8Array => {
  const chunks: Array<Uint8Array> = []
  let total = 0
  let pos = 0
  for (;;) {
    const lineEnd = indexOfCrLf(body, pos)
    if (lineEnd === -1) throw malformed(`aws-chunked body: no chunk header at byte ${pos}`)
    const line = String.fromCharCode(...body.subarray(pos, Math.min(lineEnd, pos + 256)))
    const semicolon = line.indexOf(";")
    const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trim()
    if (!HEX_SIZE.test(sizeText)) throw malformed(`aws-chunked body: bad chunk size '${sizeText}' at byte ${pos}`)
    const size = parseInt(sizeText, 16)
    pos = lineEnd + 2
    if (size === 0) break // trailers, if any, follow
    if (pos + size + 2 > body.length || body[pos + size] !== CR || body[pos + size + 1] !== LF) {
      throw malformed(`aws-chunked body: a chunk of ${size} bytes at byte ${pos} is cut short or not followed by CRLF`)
    }
    chunks.push(body.subarray(pos, pos + size))
    total += size
    pos += size + 2
  }
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
