/**
 * AWS Signature Version 4 as `HttpClient` middleware, on `@smithy/signature-v4`.
 *
 * Every request is signed just before it is sent (after the client's own request mapping):
 * `host`, `x-amz-date`, `x-amz-content-sha256` (SHA-256 of the body, which is kept as is),
 * `x-amz-security-token` when the credentials have one, and `authorization`. The middleware keeps
 * a clock offset: when the service answers 401/403 with a `Date` far from ours, it corrects the
 * offset, signs the request again and resends it once; later requests use the corrected time.
 *
 * Browser-safe: no `node:*`. The SHA-256 implementation is passed in (`Hash.bind(null, "sha256")`
 * from `@smithy/hash-node` on Node, `Sha256` from `@aws-crypto/sha256-js` elsewhere).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { AwsCredentials, CredentialsError } from "./AwsCredentials.js"
import type { Credentials } from "./AwsCredentials.js"

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
}

/** How to sign. */
export interface SignerOptions {
  /** The signing region, e.g. `us-east-1`. */
  readonly region: string
  /** The signing name, e.g. `geo` or `s3`. */
  readonly service: string
  readonly sha256: Sha256Constructor
  /** Escape the path once more in the canonical request: true for every service but S3. Default true. */
  readonly uriEscapePath?: boolean | undefined
  /** Send `x-amz-content-sha256`. Default true. */
  readonly applyChecksum?: boolean | undefined
  /** Correct the clock from 401/403 answers and resend once. Default true. */
  readonly correctClockSkew?: boolean | undefined
}

/** The middleware: applies to any client and adds signing. Failures to sign are `RequestError`s. */
export type Signer = <E, R>(
  client: HttpClient.HttpClient.With<E, R>
) => HttpClient.HttpClient.With<E | HttpClientError.RequestError, R>

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

/**
 * The `CredentialsError` behind a signing failure, if that is what it was: the middleware
 * reports it as a `RequestError` (reason "Encode") whose `cause` is the `CredentialsError`.
 */
export const credentialsErrorOf = (error: unknown): CredentialsError | undefined =>
  HttpClientError.isHttpClientError(error) && error._tag === "RequestError" && error.cause instanceof CredentialsError
    ? error.cause
    : undefined

/** Smithy hashes strings and bytes; any other body value makes it sign `UNSIGNED-PAYLOAD`. */
const unsignedBody = {}

const bodyToSign = (body: HttpBody.HttpBody): unknown => {
  switch (body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      return body.body
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array || body.body instanceof ArrayBuffer
        ? body.body
        : unsignedBody
    default:
      return unsignedBody
  }
}

/** Bodies that can be sent a second time (for the clock-skew resend). */
const isReplayable = (body: HttpBody.HttpBody): boolean =>
  body._tag === "Empty" || body._tag === "Uint8Array" || (body._tag === "Raw" && typeof body.body === "string")

const emptyQuery: Record<string, string | Array<string>> = {}

const queryOf = (url: URL): Record<string, string | Array<string>> => {
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

const smithyCredentials = (credentials: Credentials) =>
  credentials.sessionToken === undefined
    ? { accessKeyId: credentials.accessKeyId, secretAccessKey: Redacted.value(credentials.secretAccessKey) }
    : {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: Redacted.value(credentials.secretAccessKey),
      sessionToken: Redacted.value(credentials.sessionToken)
    }

const errorTypeOf = (response: HttpClientResponse.HttpClientResponse): string | undefined => {
  const header = response.headers["x-amzn-errortype"]
  if (header === undefined) return undefined
  const colon = header.indexOf(":")
  return colon === -1 ? header : header.slice(0, colon)
}

/**
 * The clock offset a 401/403 answer calls for, or undefined when it shows no skew.
 * `now` is our local time and `offsetMs` the correction currently applied.
 */
export const skewCorrection = (
  response: HttpClientResponse.HttpClientResponse,
  now: number,
  offsetMs: number
): number | undefined => {
  if (response.status !== 401 && response.status !== 403) return undefined
  const date = response.headers["date"]
  if (date === undefined) return undefined
  const serverTime = Date.parse(date)
  if (Number.isNaN(serverTime)) return undefined
  const difference = Math.abs(serverTime - (now + offsetMs))
  if (difference > skewThresholdMs) return serverTime - now
  const errorType = errorTypeOf(response)
  if (errorType !== undefined && clockSkewErrorTypes.has(errorType) && difference > skewCodeThresholdMs) {
    return serverTime - now
  }
  return undefined
}

/**
 * The signing middleware for fixed options and a credentials effect. One `SignatureV4` is kept per
 * credentials object (a refreshing provider yields a new object, and gets a new signer); the clock
 * offset is shared by every client the returned function is applied to.
 */
export const make = (
  options: SignerOptions & { readonly credentials: Effect.Effect<Credentials, CredentialsError> }
): Signer => {
  const { credentials, region, service, sha256 } = options
  const uriEscapePath = options.uriEscapePath ?? true
  const applyChecksum = options.applyChecksum ?? true
  let offsetMs = 0
  let lastCredentials: Credentials | undefined
  let lastSigner: SignatureV4 | undefined

  const signerFor = (current: Credentials): SignatureV4 => {
    if (current !== lastCredentials || lastSigner === undefined) {
      lastSigner = new SignatureV4({
        credentials: smithyCredentials(current),
        region,
        service,
        sha256,
        uriEscapePath,
        applyChecksum
      })
      lastCredentials = current
    }
    return lastSigner
  }

  const signWith = (
    request: HttpClientRequest.HttpClientRequest,
    signer: SignatureV4,
    time: number
  ): Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.RequestError> => {
    const urlResult = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    if (urlResult._tag === "Left") {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: urlResult.left }))
    }
    const url = urlResult.right
    const headers: Record<string, string> = request.headers["host"] === undefined
      ? { ...request.headers, host: url.host }
      : request.headers
    return Effect.tryPromise({
      try: () =>
        signer.sign({
          method: request.method,
          protocol: url.protocol,
          hostname: url.hostname,
          path: url.pathname,
          query: queryOf(url),
          headers,
          body: bodyToSign(request.body)
        }, { signingDate: new Date(time) }),
      catch: (cause) =>
        new HttpClientError.RequestError({ request, reason: "Encode", cause, description: "SigV4 signing failed" })
    }).pipe(Effect.map((signed) => {
      const out: Record<string, string> = {
        "x-amz-date": signed.headers["x-amz-date"]!,
        authorization: signed.headers["authorization"]!
      }
      const payloadHash = signed.headers["x-amz-content-sha256"]
      if (payloadHash !== undefined) out["x-amz-content-sha256"] = payloadHash
      const token = signed.headers["x-amz-security-token"]
      if (token !== undefined) out["x-amz-security-token"] = token
      return HttpClientRequest.setHeaders(request, out)
    }))
  }

  const credentialsFailed = (request: HttpClientRequest.HttpClientRequest) => (cause: CredentialsError) =>
    new HttpClientError.RequestError({ request, reason: "Encode", cause, description: cause.message })

  const sign = (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.RequestError> =>
    Effect.flatMap(
      Effect.mapError(credentials, credentialsFailed(request)),
      (current) => Effect.flatMap(Clock.currentTimeMillis, (now) => signWith(request, signerFor(current), now + offsetMs))
    )

  const correctSkew = <E, R>(
    send: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> =>
    Effect.flatMap(send, (response) => {
      if ((response.status !== 401 && response.status !== 403) || !isReplayable(response.request.body)) {
        return Effect.succeed(response)
      }
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const corrected = skewCorrection(response, now, offsetMs)
        if (corrected === undefined) return Effect.succeed(response)
        offsetMs = corrected
        // Drain the rejected answer, then run the whole send again: it signs anew with the corrected time.
        return Effect.zipRight(Effect.ignore(response.arrayBuffer), send)
      })
    })

  const skew = options.correctClockSkew === false
    ? <A>(send: A): A => send
    : correctSkew

  // Sign in the send step (the client's postprocess), so request mapping added before or after the
  // signer (`HttpClient.mapRequest`) runs first, and the clock-skew resend signs again.
  return <E, R>(client: HttpClient.HttpClient.With<E, R>) => {
    const { postprocess, preprocess } = client as unknown as ClientParts<E, R>
    return HttpClient.makeWith(
      (request: Effect.Effect<HttpClientRequest.HttpClientRequest, E, R>) =>
        skew(postprocess(Effect.flatMap(request, sign) as Effect.Effect<HttpClientRequest.HttpClientRequest, E, R>)),
      preprocess
    ) as HttpClient.HttpClient.With<E | HttpClientError.RequestError, R>
  }
}

/**
 * What every client carries: all are built by `HttpClient.makeWith`, and the platform's own
 * combinators (`mapRequest`, `transformResponse`, …) rely on these two as well.
 */
interface ClientParts<E, R> {
  readonly preprocess: HttpClient.HttpClient.Preprocess<E, R>
  readonly postprocess: HttpClient.HttpClient.Postprocess<E, R>
}

/**
 * The signing middleware. Given `credentials` (an effect yielding the current credentials) it
 * returns the middleware directly; otherwise it returns an effect that takes them from the
 * `AwsCredentials` service.
 *
 * ```ts
 * const sign = yield* SigV4.makeSigner({ region: "us-east-1", service: "geo", sha256: Hash.bind(null, "sha256") })
 * const client = (yield* HttpClient.HttpClient).pipe(sign)
 * ```
 */
export const makeSigner: {
  (options: SignerOptions & { readonly credentials: Effect.Effect<Credentials, CredentialsError> }): Signer
  (options: SignerOptions): Effect.Effect<Signer, never, AwsCredentials>
} = ((options: SignerOptions & { readonly credentials?: Effect.Effect<Credentials, CredentialsError> }) =>
  options.credentials !== undefined
    ? make({ ...options, credentials: options.credentials })
    : Effect.map(AwsCredentials, (provider) => make({ ...options, credentials: provider.get }))) as any

/**
 * Adds `x-amz-security-token` to the header names Effect redacts when it prints requests
 * (errors, spans, logs), next to `authorization`. Part of `layer`.
 */
export const layerRedactSessionToken: Layer.Layer<never> = Layer.fiberRefLocallyScopedWith(
  Headers.currentRedactedNames,
  (names) => names.includes("x-amz-security-token") ? names : [...names, "x-amz-security-token"]
)

/**
 * Replaces the `HttpClient` with a signing one (credentials from `AwsCredentials`), and redacts
 * the session token header in printed requests.
 */
export const layer = (
  options: SignerOptions
): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient | AwsCredentials> =>
  Layer.merge(
    Layer.effect(
      HttpClient.HttpClient,
      Effect.zipWith(makeSigner(options), HttpClient.HttpClient, (sign, client) => sign(client))
    ),
    layerRedactSessionToken
  )
