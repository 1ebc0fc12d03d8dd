/**
 * The pure part of SigV4: `@smithy/signature-v4`'s canonicalisation rules (headers, query, path,
 * payload hash), the day's signing key and the clock-skew rule, with no Effect import, so that
 * the `HttpClient` middleware (`SigV4`), the runtime-free signer (`MicroSigV4`) and the server-side
 * verifier (`SigV4Verify`) share one implementation. Hashing is an input (`Sha256Constructor`).
 *
 * @internal
 */

/** A SHA-256 (or, constructed with a secret, HMAC-SHA-256) computation, smithy's `Checksum` shape. */
export interface Sha256 {
  update(data: Uint8Array): void
  digest(): Promise<Uint8Array>
}

/**
 * A SHA-256 constructor: `new Sha256()` hashes, `new Sha256(secret)` computes an HMAC. Both
 * `Hash.bind(null, "sha256")` (`@smithy/hash-node`) and `Sha256` (`@aws-crypto/sha256-js`) fit.
 */
export interface Sha256Constructor {
  new(secret?: string | ArrayBuffer | ArrayBufferView): Sha256
  /**
   * Optional synchronous one-shot SHA-256. When both this and `hmacSync` are there (the Node
   * adapter's node:crypto constructor has them), requests are signed without awaiting anything.
   */
  readonly sha256Sync?: ((data: Uint8Array) => Uint8Array) | undefined
  /** Optional synchronous one-shot HMAC-SHA-256 (see `sha256Sync`). */
  readonly hmacSync?: ((key: Uint8Array, data: Uint8Array) => Uint8Array) | undefined
  /**
   * Optional hex forms of the two above, taking strings as UTF-8 (node:crypto digests to hex and
   * reads strings natively: no `TextEncoder`, no JS hex loop). Used instead of them when both are there.
   */
  readonly sha256HexSync?: ((data: string | Uint8Array) => string) | undefined
  /** Optional hex HMAC-SHA-256 of a UTF-8 string (see `sha256HexSync`). */
  readonly hmacHexSync?: ((key: Uint8Array, data: string) => string) | undefined
}

/** A 401/403 whose `Date` differs from ours by more than this is taken as clock skew. */
export const skewThresholdMs = 4 * 60 * 1000

/**
 * With an `x-amzn-errortype` naming a time problem, a `Date` that differs by more than this
 * is enough (the `Date` header has a resolution of one second; latency adds a little).
 */
export const skewCodeThresholdMs = 30 * 1000

/** Error types (`x-amzn-errortype`, before any `:`) that may mean the signing time was off. */
export const clockSkewErrorTypes: ReadonlySet<string> = new Set([
  "RequestTimeTooSkewed",
  "RequestExpired",
  "RequestInTheFuture",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure"
])

/** The parsed query of a URL, repeated keys as arrays (`emptyQuery` when there is none). */
export const emptyQuery: Record<string, string | Array<string>> = {}

export const queryOf = (url: URL): Record<string, string | Array<string>> => {
  if (url.search.length <= 1) return emptyQuery
  const query: Record<string, string | Array<string>> = {}
  for (const [key, value] of url.searchParams) {
    const existing = query[key]
    if (existing === undefined) query[key] = value
    else if (typeof existing === "string") query[key] = [existing, value]
    else existing.push(value)
  }
  return query
}

/** The SHA-256 of an empty payload, hex. */
export const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

const textEncoder = new TextEncoder()
const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

export const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += hexDigits[bytes[i]!]
  return out
}

const toBytes = (data: string | Uint8Array | ArrayBuffer): Uint8Array =>
  typeof data === "string" ? textEncoder.encode(data) : data instanceof Uint8Array ? data : new Uint8Array(data)

/** The SHA-256 of `data` (strings as UTF-8), or its HMAC with `secret`. */
export const digest = (sha256: Sha256Constructor, data: string | Uint8Array | ArrayBuffer, secret?: Uint8Array | string) => {
  const hash = secret === undefined ? new sha256() : new sha256(secret)
  hash.update(toBytes(data))
  return hash.digest()
}

/** `@smithy/core`'s `escapeUri`: `encodeURIComponent` plus `!'()*`. */
export const escapeUri = (uri: string): string =>
  encodeURIComponent(uri).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Headers `@smithy/signature-v4` never signs (`ALWAYS_UNSIGNABLE_HEADERS`, `proxy-*`, `sec-*`). */
const unsignable: ReadonlySet<string> = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id"
])

/** A header value needs smithy's clean-up only when it has CR, LF, tab, two spaces, or an edge space. */
const needsCleanup = /[\r\n\t]| {2}|^ | $/

/** A header value as it is signed: line breaks as spaces, runs of spaces and tabs as one, no edge spaces. */
export const canonicalHeaderValue = (value: string): string =>
  needsCleanup.test(value)
    ? value.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "")
    : value

/** smithy's `getCanonicalHeaders` (without the signable/unsignable options): lower-case name → value. */
const canonicalHeadersOf = (headers: Record<string, string | undefined>): Record<string, string> => {
  const canonical: Record<string, string> = Object.create(null)
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name]
    if (value == undefined) continue
    const lower = name.toLowerCase()
    if (unsignable.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) continue
    canonical[lower] = canonicalHeaderValue(value)
  }
  return canonical
}

/** smithy's `getCanonicalQuery`: escaped keys sorted, repeated keys' pairs sorted, `X-Amz-Signature` left out. */
export const canonicalQueryOf = (query: Record<string, string | Array<string>>): string => {
  const keys: Array<string> = []
  const serialized: Record<string, string> = Object.create(null)
  for (const key in query) {
    if (!Object.prototype.hasOwnProperty.call(query, key)) continue
    if (key.toLowerCase() === "x-amz-signature") continue
    const encodedKey = escapeUri(key)
    keys.push(encodedKey)
    const value = query[key]
    if (typeof value === "string") serialized[encodedKey] = `${encodedKey}=${escapeUri(value)}`
    else if (Array.isArray(value)) serialized[encodedKey] = value.map((v) => `${encodedKey}=${escapeUri(v)}`).sort().join("&")
  }
  return keys.sort().map((key) => serialized[key]).filter((part) => part).join("&")
}

/** The canonical path as `@smithy/signature-v4` makes it (dot segments resolved, escaped twice when asked). */
export const canonicalPath = (path: string, uriEscapePath: boolean): string => {
  if (!uriEscapePath) return path
  const segments: Array<string> = []
  for (const segment of path.split("/")) {
    if (segment.length === 0 || segment === ".") continue
    if (segment === "..") segments.pop()
    else segments.push(segment)
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`
  return escapeUri(normalized).replace(/%2F/g, "/")
}

/** The canonical request: `headerLines` is each signed header's `name:value\n`. */
export const canonicalRequestOf = (
  method: string,
  path: string,
  query: string,
  headerLines: string,
  signedHeaders: string,
  payloadHash: string
): string => `${method}\n${path}\n${query}\n${headerLines}\n${signedHeaders}\n${payloadHash}`

/** The string to sign, for the hex SHA-256 of the canonical request. */
export const stringToSignOf = (longDate: string, scope: string, canonicalRequestHash: string): string =>
  `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${canonicalRequestHash}`

/** The day's signing key: the secret HMAC'd with the date, region, service and `aws4_request`. */
export const deriveSigningKey = async (
  sha256: Sha256Constructor,
  secretAccessKey: string,
  shortDate: string,
  region: string,
  service: string
): Promise<Uint8Array> => {
  let key: Uint8Array | string = `AWS4${secretAccessKey}`
  for (const part of [shortDate, region, service, "aws4_request"]) key = await digest(sha256, part, key)
  return key as Uint8Array
}

let lastSecond = NaN
let lastLongDate = ""

/** `YYYYMMDDTHHMMSSZ` of a time in ms (the last one kept: calls within a second share it). */
const longDateOf = (time: number): string => {
  const second = Math.floor(time / 1000)
  if (second !== lastSecond) {
    lastLongDate = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "")
    lastSecond = second
  }
  return lastLongDate
}

/** Credentials with their secrets as plain strings (unwrapped only here, to sign). */
export interface PlainCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/** What to sign. */
export interface ToSign {
  readonly method: string
  readonly path: string
  readonly query: Record<string, string | Array<string>>
  /** Request headers (lower-case names), `host` included. */
  readonly headers: Record<string, string>
  readonly body: unknown
}

/** The headers signing adds. */
export interface SignedHeaders {
  readonly "x-amz-date": string
  readonly authorization: string
  readonly "x-amz-content-sha256"?: string
  readonly "x-amz-security-token"?: string
}

/**
 * A SigV4 header signer for one set of credentials, byte-for-byte what `@smithy/signature-v4`'s
 * `sign` produces (same canonical headers, query and path, same payload hash rules), built from its
 * canonicalisation rules. It keeps the day's signing key instead of deriving a cache
 * key with an HMAC on every call, hashes three times per request (payload, canonical request,
 * signature) and awaits nothing else.
 */
export class RequestSigner {
  private readonly paths = new Map<string, string>()
  private keyDate = ""
  private key: Promise<Uint8Array> | undefined
  private readonly accessKeyId: string
  private readonly secretAccessKey: string
  private readonly sessionToken: string | undefined

  constructor(
    credentials: PlainCredentials,
    private readonly region: string,
    private readonly service: string,
    private readonly sha256: Sha256Constructor,
    private readonly uriEscapePath: boolean,
    private readonly applyChecksum: boolean
  ) {
    this.accessKeyId = credentials.accessKeyId
    this.secretAccessKey = credentials.secretAccessKey
    this.sessionToken = credentials.sessionToken
  }

  private signingKey(shortDate: string): Promise<Uint8Array> {
    if (this.key === undefined || this.keyDate !== shortDate) {
      const sha256 = this.sha256
      const { region, service, secretAccessKey } = this
      this.keyDate = shortDate
      this.key = deriveSigningKey(sha256, secretAccessKey, shortDate, region, service)
      this.key.catch(() => {
        this.key = undefined
      })
    }
    return this.key
  }

  /** Canonical paths of recent requests (a client calls the same few paths again and again). */
  private canonicalPath(path: string): string {
    let canonical = this.paths.get(path)
    if (canonical === undefined) {
      if (this.paths.size >= 256) this.paths.clear()
      canonical = canonicalPath(path, this.uriEscapePath)
      this.paths.set(path, canonical)
    }
    return canonical
  }

  /** Whether `signSync` can be used (the hash constructor has synchronous one-shot forms). */
  get isSync(): boolean {
    return this.sha256.sha256Sync !== undefined && this.sha256.hmacSync !== undefined
  }

  /** Everything before hashing: dates, scope, the headers to sign, a payload hash given by the request. */
  private prepare(request: ToSign, time: number) {
    const longDate = longDateOf(time)
    const shortDate = longDate.slice(0, 8)
    const scope = `${shortDate}/${this.region}/${this.service}/aws4_request`
    // As smithy's prepareRequest: headers it generates are not taken from the request.
    const headers: Record<string, string> = {}
    let presetHash: string | undefined
    for (const name in request.headers) {
      const lower = name.toLowerCase()
      if (lower === "authorization" || lower === "x-amz-date" || lower === "date") continue
      headers[name] = request.headers[name]!
      if (lower === "x-amz-content-sha256") presetHash = request.headers[name]
    }
    headers["x-amz-date"] = longDate
    if (this.sessionToken) headers["x-amz-security-token"] = this.sessionToken
    const body = request.body
    const hashable = typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer
      ? body
      : undefined
    const fixedHash = presetHash ?? (body == undefined ? emptyPayloadHash : hashable === undefined ? "UNSIGNED-PAYLOAD" : undefined)
    return { longDate, shortDate, scope, headers, presetHash, hashable, fixedHash }
  }

  /** The canonical request for a payload hash (added as `x-amz-content-sha256` when computed and asked for). */
  private canonical(request: ToSign, p: ReturnType<RequestSigner["prepare"]>, payloadHash: string) {
    const addChecksum = p.presetHash === undefined && this.applyChecksum
    if (addChecksum) p.headers["x-amz-content-sha256"] = payloadHash
    const canonicalHeaders = canonicalHeadersOf(p.headers)
    const names = Object.keys(canonicalHeaders).sort()
    let headerLines = ""
    for (const name of names) headerLines += `${name}:${canonicalHeaders[name]}\n`
    const signedHeaders = names.join(";")
    const canonicalRequest = canonicalRequestOf(
      request.method,
      this.canonicalPath(request.path),
      request.query === emptyQuery ? "" : canonicalQueryOf(request.query),
      headerLines,
      signedHeaders,
      payloadHash
    )
    return { canonicalRequest, signedHeaders, addChecksum }
  }

  private result(
    p: ReturnType<RequestSigner["prepare"]>,
    signedHeaders: string,
    signature: string,
    payloadHash: string,
    addChecksum: boolean
  ): SignedHeaders {
    const out: {
      "x-amz-date": string
      authorization: string
      "x-amz-content-sha256"?: string
      "x-amz-security-token"?: string
    } = {
      "x-amz-date": p.longDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${p.scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
    }
    if (addChecksum) out["x-amz-content-sha256"] = payloadHash
    if (this.sessionToken) out["x-amz-security-token"] = this.sessionToken
    return out
  }

  async sign(request: ToSign, time: number): Promise<SignedHeaders> {
    const p = this.prepare(request, time)
    const payloadHash = p.fixedHash ?? toHex(await digest(this.sha256, p.hashable!))
    const { addChecksum, canonicalRequest, signedHeaders } = this.canonical(request, p, payloadHash)
    const stringToSign = stringToSignOf(p.longDate, p.scope, toHex(await digest(this.sha256, canonicalRequest)))
    const signature = toHex(await digest(this.sha256, stringToSign, await this.signingKey(p.shortDate)))
    return this.result(p, signedHeaders, signature, payloadHash, addChecksum)
  }

  private syncKeyDate = ""
  private syncKey: Uint8Array | undefined

  /** `sign` with the constructor's synchronous one-shot forms (only when `isSync`). */
  signSync(request: ToSign, time: number): SignedHeaders {
    const sha256 = this.sha256.sha256Sync!
    const hmac = this.sha256.hmacSync!
    const hexHash = this.sha256.sha256HexSync
    const hexHmac = this.sha256.hmacHexSync
    const hex = hexHash !== undefined && hexHmac !== undefined
    const p = this.prepare(request, time)
    const payloadHash = p.fixedHash ??
      (hex
        ? hexHash(p.hashable instanceof ArrayBuffer ? new Uint8Array(p.hashable) : p.hashable!)
        : toHex(sha256(toBytes(p.hashable!))))
    const { addChecksum, canonicalRequest, signedHeaders } = this.canonical(request, p, payloadHash)
    const stringToSign = stringToSignOf(
      p.longDate,
      p.scope,
      hex ? hexHash(canonicalRequest) : toHex(sha256(textEncoder.encode(canonicalRequest)))
    )
    if (this.syncKey === undefined || this.syncKeyDate !== p.shortDate) {
      let key: Uint8Array = textEncoder.encode(`AWS4${this.secretAccessKey}`)
      for (const part of [p.shortDate, this.region, this.service, "aws4_request"]) key = hmac(key, textEncoder.encode(part))
      this.syncKey = key
      this.syncKeyDate = p.shortDate
    }
    const signature = hex ? hexHmac(this.syncKey, stringToSign) : toHex(hmac(this.syncKey, textEncoder.encode(stringToSign)))
    return this.result(p, signedHeaders, signature, payloadHash, addChecksum)
  }
}


/**
 * The clock offset an answer calls for, or undefined when it shows no skew: only a 401/403 with a
 * `Date` far from our time (`now` + the offset applied), or a time-related error type with a `Date`
 * off by more than `skewCodeThresholdMs`. `errorType` is `x-amzn-errortype` (anything after `:` is ignored).
 */
export const skewCorrectionOf = (
  status: number,
  date: string | undefined,
  errorType: string | undefined,
  now: number,
  offsetMs: number
): number | undefined => {
  if (status !== 401 && status !== 403) return undefined
  if (date === undefined) return undefined
  const serverTime = Date.parse(date)
  if (Number.isNaN(serverTime)) return undefined
  const difference = Math.abs(serverTime - (now + offsetMs))
  if (difference > skewThresholdMs) return serverTime - now
  const colon = errorType === undefined ? -1 : errorType.indexOf(":")
  const type = colon === -1 ? errorType : errorType!.slice(0, colon)
  if (type !== undefined && clockSkewErrorTypes.has(type) && difference > skewCodeThresholdMs) {
    return serverTime - now
  }
  return undefined
}
