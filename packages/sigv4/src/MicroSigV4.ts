/**
 * SigV4 without the Effect runtime: the same signer as `SigV4` (the shared canonicalisation of
 * `@smithy/signature-v4`'s rules, byte-for-byte its signatures), over plain requests, returning
 * `Micro` values, with WebCrypto (`crypto.subtle`) as the default SHA-256/HMAC. For clients whose
 * bundle size matters (browsers); nothing here imports `effect/Effect`, `Schema` or
 * `@effect/platform`.
 *
 * ```ts
 * const signer = MicroSigV4.make({ region: "us-east-1", service: "geo", credentials: { accessKeyId, secretAccessKey } })
 * const headers = await Micro.runPromise(signer.sign({ method: "GET", url, headers: {}, body: undefined }))
 * ```
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"
import {
  queryOf,
  RequestSigner,
  type Sha256,
  type Sha256Constructor,
  type SignedHeaders,
  skewCorrectionOf
} from "./internal/signer.js"

/** One set of credentials, secrets as plain strings (keep them short-lived in a browser). */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  /** When they stop working; a provider's credentials are fetched again 5 minutes before. */
  readonly expiration?: Date | undefined
}

/**
 * Where credentials come from: fixed ones, or a function that fetches them (Cognito, your backend).
 * A function's answer is kept until 5 minutes before its `expiration` (for ever without one), and
 * concurrent calls share one fetch.
 */
export type CredentialsSource = Credentials | (() => PromiseLike<Credentials>)

/** Signing failed: no usable credentials (`Credentials`), or hashing failed (`Signing`). */
export class SigningError extends Micro.TaggedError("SigningError")<{
  readonly reason: "Credentials" | "Signing"
  readonly message: string
  readonly cause?: unknown
}> {}

/** A request to sign: absolute URL, headers (any case), the body as sent. */
export interface SignableRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | undefined
}

/** The headers signing adds: `x-amz-date`, `authorization`, and `x-amz-content-sha256`, `x-amz-security-token` when they apply. */
export type SignatureHeaders = SignedHeaders

/** How to sign. */
export interface MicroSignerOptions {
  /** The signing region, e.g. `us-east-1`. */
  readonly region: string
  /** The signing name, e.g. `geo`. */
  readonly service: string
  readonly credentials: CredentialsSource
  /** SHA-256/HMAC implementation. Default `WebCryptoSha256` (`crypto.subtle`). */
  readonly sha256?: Sha256Constructor | undefined
  /** Escape the path once more in the canonical request: true for every service but S3. Default true. */
  readonly uriEscapePath?: boolean | undefined
  /** Send `x-amz-content-sha256`. Default true. */
  readonly applyChecksum?: boolean | undefined
}

/** A signer for one region, service and credentials source, with its clock offset. */
export interface MicroSigner {
  /**
   * The headers to add to `request`, signed at `Date.now()` plus the clock offset. `host` is
   * signed as the URL's host (the transport sends that one; browsers set it themselves).
   */
  readonly sign: (request: SignableRequest) => Micro.Micro<SignatureHeaders, SigningError>
  /**
   * Reads an answer for clock skew (a 401/403 whose `Date` is far from ours): corrects the offset
   * and returns true when the request should be signed again and resent once.
   */
  readonly correctClockSkew: (status: number, headers: Readonly<Record<string, string | undefined>>) => boolean
  /** The clock offset in ms applied to signing times (0 until a skew was seen). */
  readonly offsetMs: () => number
}

const toBytes = (data: string | ArrayBuffer | ArrayBufferView): Uint8Array =>
  typeof data === "string"
    ? new TextEncoder().encode(data)
    : data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

class WebCryptoHash implements Sha256 {
  private readonly chunks: Array<Uint8Array> = []
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {}
  update(data: Uint8Array): void {
    this.chunks.push(data)
  }
  async digest(): Promise<Uint8Array> {
    let data: Uint8Array
    if (this.chunks.length === 1) data = this.chunks[0]!
    else {
      data = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0))
      let at = 0
      for (const c of this.chunks) {
        data.set(c, at)
        at += c.length
      }
    }
    const subtle = globalThis.crypto.subtle
    if (this.secret === undefined) return new Uint8Array(await subtle.digest("SHA-256", data as BufferSource))
    const key = await subtle.importKey(
      "raw",
      toBytes(this.secret) as BufferSource,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"]
    )
    return new Uint8Array(await subtle.sign("HMAC", key, data as BufferSource))
  }
}

/**
 * SHA-256 and HMAC-SHA-256 over WebCrypto (`crypto.subtle`: browsers in secure contexts, workers,
 * Deno, Bun, Node ≥ 20): no hashing code in the bundle. Fits any `Sha256Constructor` slot.
 */
export const WebCryptoSha256: Sha256Constructor = WebCryptoHash

const refreshMarginMs = 5 * 60 * 1000

const credentialsError = (message: string, cause?: unknown) =>
  new SigningError(cause === undefined ? { reason: "Credentials", message } : { reason: "Credentials", message, cause })

const checked = (c: Credentials): Credentials | SigningError =>
  typeof c !== "object" || c === null || typeof c.accessKeyId !== "string" || c.accessKeyId.length === 0
    ? credentialsError("the access key id is empty")
    : typeof c.secretAccessKey !== "string" || c.secretAccessKey.length === 0
    ? credentialsError("the secret access key is empty")
    : c

/** Credentials of a source as a `Micro`, memoised as `CredentialsSource` says. */
const credentialsOf = (source: CredentialsSource): Micro.Micro<Credentials, SigningError> => {
  if (typeof source !== "function") {
    const fixed = checked(source)
    return fixed instanceof SigningError ? Micro.fail(fixed) : Micro.succeed(fixed)
  }
  let current: Credentials | undefined
  let pending: Promise<Credentials> | undefined
  const fresh = (c: Credentials) => c.expiration === undefined || c.expiration.getTime() - refreshMarginMs > Date.now()
  return Micro.suspend(() => {
    if (current !== undefined && fresh(current)) return Micro.succeed(current)
    if (pending === undefined) {
      pending = Promise.resolve(source()).then(
        (c) => {
          pending = undefined
          const ok = checked(c)
          if (ok instanceof SigningError) throw ok
          current = ok
          return ok
        },
        (cause) => {
          pending = undefined
          throw cause
        }
      )
    }
    const promise = pending
    return Micro.tryPromise({
      try: () => promise,
      catch: (cause) =>
        cause instanceof SigningError
          ? cause
          : credentialsError(
            `the credentials provider failed: ${cause instanceof Error ? cause.message : String(cause)}`,
            cause
          )
    })
  })
}

/** Makes a signer. One `RequestSigner` (and its day's key) is kept per credentials object. */
export const make = (options: MicroSignerOptions): MicroSigner => {
  const sha256 = options.sha256 ?? WebCryptoSha256
  const uriEscapePath = options.uriEscapePath ?? true
  const applyChecksum = options.applyChecksum ?? true
  const credentials = credentialsOf(options.credentials)
  let offsetMs = 0
  let lastCredentials: Credentials | undefined
  let lastSigner: RequestSigner | undefined

  const signerFor = (c: Credentials): RequestSigner => {
    if (c !== lastCredentials || lastSigner === undefined) {
      lastSigner = new RequestSigner(c, options.region, options.service, sha256, uriEscapePath, applyChecksum)
      lastCredentials = c
    }
    return lastSigner
  }

  const sign = (request: SignableRequest): Micro.Micro<SignatureHeaders, SigningError> =>
    Micro.flatMap(credentials, (c) =>
      Micro.tryPromise({
        try: () => {
          const url = new URL(request.url)
          const headers: Record<string, string> = {}
          let hasHost = false
          for (const name in request.headers) {
            headers[name] = request.headers[name]!
            if (name.toLowerCase() === "host") hasHost = true
          }
          if (!hasHost) headers.host = url.host
          const signer = signerFor(c)
          const toSign = { method: request.method, path: url.pathname, query: queryOf(url), headers, body: request.body }
          const time = Date.now() + offsetMs
          return signer.isSync ? Promise.resolve(signer.signSync(toSign, time)) : signer.sign(toSign, time)
        },
        catch: (cause) =>
          new SigningError({
            reason: "Signing",
            message: `SigV4 signing failed: ${cause instanceof Error ? cause.message : String(cause)}`,
            cause
          })
      }))

  const correctClockSkew = (status: number, headers: Readonly<Record<string, string | undefined>>): boolean => {
    const corrected = skewCorrectionOf(status, headers["date"], headers["x-amzn-errortype"], Date.now(), offsetMs)
    if (corrected === undefined) return false
    offsetMs = corrected
    return true
  }

  return { sign, correctClockSkew, offsetMs: () => offsetMs }
}
