/**
 * The body of `SigV4Verify`: reading a request's auth parts (header or presigned query), its
 * canonical request by the signer's rules (`./signer.ts`), the signing-key cache, and the
 * constant-time signature check.
 *
 * @internal
 */
import type { IncomingRequest } from "../SigV4Verify.js"
import { SignatureError } from "../SignatureError.js"
import {
  canonicalHeaderValue,
  canonicalPath,
  canonicalQueryOf,
  canonicalRequestOf,
  deriveSigningKey,
  digest,
  emptyPayloadHash,
  type Sha256Constructor,
  stringToSignOf,
  toHex
} from "./signer.js"

const ALGORITHM = "AWS4-HMAC-SHA256"
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000
const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 60 * 60
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
/** Payload hash values signed as is, without hashing the body. */
export const literalPayloadHashes: ReadonlySet<string> = new Set([
  UNSIGNED_PAYLOAD,
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
])

/** Stands for "the SHA-256 of the body" in a list of payload hashes to try. */
export const BODY_HASH: unique symbol = Symbol("BODY_HASH")

export const HEX_SHA256 = /^[0-9a-f]{64}$/
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const DIGITS = /^\d+$/
const PLUS = /\+/g

/** Compares two strings in time that depends on their lengths only. */
const constantTimeEqual = (a: string, b: string): boolean => {
  let diff = a.length ^ b.length
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

const decodeQueryPart = (value: string): string =>
  decodeURIComponent(value.indexOf("+") === -1 ? value : value.replace(PLUS, " "))

export const malformed = (message: string) => new SignatureError({ reason: "Malformed", message })

/**
 * The canonical path: the signer's, escaped once more and dot-segment normalized (all services but
 * S3), or as received (`/` for an empty path).
 */
const canonicalPathOf = (path: string, uriEscapePath: boolean): string =>
  !uriEscapePath && path === "" ? "/" : canonicalPath(path, uriEscapePath)

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

/**
 * The canonical query of the decoded parameters, by the signer's rule (every parameter but
 * X-Amz-Signature, escaped, sorted by key and then by pair): repeated keys gathered as it expects.
 */
const canonicalQuery = (params: ReadonlyArray<readonly [string, string]>): string => {
  if (params.length === 0) return ""
  // no prototype: a parameter may be called `__proto__`
  const query: Record<string, string | Array<string>> = Object.create(null)
  for (const [key, value] of params) {
    const existing = query[key]
    if (existing === undefined) query[key] = value
    else if (typeof existing === "string") query[key] = [existing, value]
    else existing.push(value)
  }
  return canonicalQueryOf(query)
}

const parseAmzDate = (value: string): number | undefined => {
  const m = AMZ_DATE.exec(value)
  if (m === null) return undefined
  const time = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  return Number.isNaN(time) ? undefined : time
}

export interface Parsed {
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
export const parse = (request: IncomingRequest): Omit<Parsed, "payloadHashes" | "bodyHash"> & {
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
    canonicalPathValue = canonicalPathOf(path, service !== "s3")
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
  const key = deriveSigningKey(sha256, secret, shortDate, region, service)
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
  const canonicalRequest = canonicalRequestOf(
    method,
    parsed.canonicalPath,
    parsed.canonicalQuery,
    parsed.canonicalHeaders,
    parsed.signedHeaders.join(";"),
    payloadHash
  )
  const scope = `${parsed.shortDate}/${parsed.region}/${parsed.service}/aws4_request`
  const stringToSign = stringToSignOf(parsed.amzDate, scope, toHex(await digest(sha256, canonicalRequest)))
  return toHex(await digest(sha256, stringToSign, key))
}

const bodyHashOf = (sha256: Sha256Constructor, body: Uint8Array | undefined): Promise<string> =>
  body === undefined || body.length === 0 ? Promise.resolve(emptyPayloadHash) : digest(sha256, body).then(toHex)

/** The signature check proper, once the request has been read. Resolves to the failure, if any. */
export const check = async (
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
