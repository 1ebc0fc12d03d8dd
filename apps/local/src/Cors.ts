/**
 * CORS for browsers calling the local service (the fetch client in a page): preflights are
 * answered before authentication (browsers never sign them), and every answer to an allowed
 * origin carries `Access-Control-Allow-Origin` and exposes the headers AWS clients read.
 *
 * Closed by default outside localhost: with no configuration only pages served from
 * `http(s)://localhost[:port]`, `127.0.0.1` or `[::1]` may call; `--cors-origin` adds origins
 * (or `*` for any).
 *
 * CORS alone only stops a page from reading answers: a "simple" request (a POST with
 * `content-type: text/plain`, say) is sent without a preflight, and the default key is well known.
 * So a state-changing request whose `Origin` is not allowed is refused outright, before it is
 * carried out (`refusesWrite`).
 *
 * @since 0.1.0
 */

/** Which origins may call. */
export type CorsPolicy = { readonly _tag: "Localhost" } | { readonly _tag: "Origins"; readonly origins: ReadonlyArray<string> }

/** The default: localhost pages only. */
export const localhostOnly: CorsPolicy = { _tag: "Localhost" }

const localhostOrigin = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/

/** True when a page from `origin` may call the service. */
export const allows = (policy: CorsPolicy, origin: string): boolean =>
  localhostOrigin.test(origin) ||
  (policy._tag === "Origins" && (policy.origins.includes("*") || policy.origins.includes(origin)))

/** Methods that change state; reads are harmless to answer (CORS keeps the page from reading them). */
const stateChanging: ReadonlySet<string> = new Set(["POST", "PUT", "DELETE", "PATCH"])

/**
 * True when a request must be refused as a cross-site write: it changes state and carries an
 * `Origin` (browsers send one on every such request) that may not call. Requests without an
 * `Origin` come from programs, not pages, and are left to authentication.
 */
export const refusesWrite = (policy: CorsPolicy, method: string, origin: string | undefined): boolean =>
  origin !== undefined && stateChanging.has(method.toUpperCase()) && !allows(policy, origin)

/** Headers the AWS SDKs and our clients read from responses. */
export const exposedHeaders = [
  "x-amzn-requestid",
  "x-amzn-errortype",
  "x-amz-request-id",
  "x-amz-id-2",
  "etag",
  "content-range",
  "content-length",
  "last-modified",
  "x-amz-version-id",
  "date"
].join(", ")

/** Headers of an answer to an allowed origin. */
export const responseHeaders = (origin: string): Record<string, string> => ({
  "access-control-allow-origin": origin,
  "access-control-expose-headers": exposedHeaders,
  vary: "Origin"
})

/** Headers of a preflight answer to an allowed origin. */
export const preflightHeaders = (
  origin: string,
  requestedMethod: string | undefined,
  requestedHeaders: string | undefined
): Record<string, string> => ({
  ...responseHeaders(origin),
  "access-control-allow-methods": requestedMethod ?? "GET, PUT, POST, DELETE, HEAD",
  "access-control-allow-headers": requestedHeaders ?? "authorization, content-type, x-amz-date, x-amz-content-sha256, x-amz-security-token, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request",
  "access-control-max-age": "600"
})
