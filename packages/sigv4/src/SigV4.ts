/**
 * AWS Signature Version 4 as `HttpClient` middleware, byte-for-byte what `@smithy/signature-v4` signs
 * (its canonicalisation rules, ported; a lean signing path of our own: see `RequestSigner`; a
 * property test holds it to smithy's `sign`).
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
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { AwsCredentials, CredentialsError } from "./AwsCredentials.js"
import type { Credentials } from "./AwsCredentials.js"
import {
  queryOf,
  RequestSigner,
  type SignedHeaders,
  type Sha256Constructor,
  skewCorrectionOf,
  type ToSign
} from "./internal/signer.js"

export {
  /** Error types (`x-amzn-errortype`, before any `:`) that may mean the signing time was off. */
  clockSkewErrorTypes,
  /** With an `x-amzn-errortype` naming a time problem, a `Date` off by more than this is enough. */
  skewCodeThresholdMs,
  /** A 401/403 whose `Date` differs from ours by more than this is taken as clock skew. */
  skewThresholdMs
} from "./internal/signer.js"
export type {
  /** A SHA-256 (or, constructed with a secret, HMAC-SHA-256) computation, smithy's `Checksum` shape. */
  Sha256,
  /** A SHA-256 constructor: `new Sha256()` hashes, `new Sha256(secret)` computes an HMAC. */
  Sha256Constructor
} from "./internal/signer.js"

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

/**
 * The clock offset a 401/403 answer calls for, or undefined when it shows no skew.
 * `now` is our local time and `offsetMs` the correction currently applied.
 */
export const skewCorrection = (
  response: HttpClientResponse.HttpClientResponse,
  now: number,
  offsetMs: number
): number | undefined =>
  skewCorrectionOf(response.status, response.headers["date"], response.headers["x-amzn-errortype"], now, offsetMs)

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
  let lastSigner: RequestSigner | undefined

  const signerFor = (current: Credentials): RequestSigner => {
    if (current !== lastCredentials || lastSigner === undefined) {
      lastSigner = new RequestSigner(
        {
          accessKeyId: current.accessKeyId,
          secretAccessKey: Redacted.value(current.secretAccessKey),
          sessionToken: current.sessionToken === undefined ? undefined : Redacted.value(current.sessionToken)
        },
        region,
        service,
        sha256,
        uriEscapePath,
        applyChecksum
      )
      lastCredentials = current
    }
    return lastSigner
  }

  const signWith = (
    request: HttpClientRequest.HttpClientRequest,
    signer: RequestSigner,
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
    const toSign: ToSign = {
      method: request.method,
      path: url.pathname,
      query: queryOf(url),
      headers,
      body: bodyToSign(request.body)
    }
    const failed = (cause: unknown) =>
      new HttpClientError.RequestError({ request, reason: "Encode", cause, description: "SigV4 signing failed" })
    const signed = (headers: SignedHeaders) => HttpClientRequest.setHeaders(request, headers as unknown as Record<string, string>)
    return signer.isSync
      ? Effect.try({ try: () => signed(signer.signSync(toSign, time)), catch: failed })
      : Effect.map(Effect.tryPromise({ try: () => signer.sign(toSign, time), catch: failed }), signed)
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
