/**
 * `@geojobs/sigv4`: AWS SigV4 signing as `HttpClient` middleware and the `AwsCredentials` service.
 * Browser-safe. Node's credential chain is `@geojobs/sigv4/NodeAwsCredentials`; request
 * verification (server side) is `@geojobs/sigv4/SigV4Verify`.
 *
 * @since 0.1.0
 */

/** Credentials service, layers (static, Config, SDK-style provider) and the caching combinator. */
export * as AwsCredentials from "./AwsCredentials.js"

/** SigV4 signing middleware with clock-skew correction. */
export * as SigV4 from "./SigV4.js"

/** The same signer over plain requests, as `Micro` values, hashing with WebCrypto (no Effect runtime). */
export * as MicroSigV4 from "./MicroSigV4.js"
