/**
 * What a transport failure says to a person: the host or address that could not be reached, what
 * went wrong there (refused, no such host, timed out, reset, an untrusted certificate) and what to
 * check — read from the error codes Node, undici and fetch put on the error or its causes. Shared
 * by `LocationJobsClient` and `MicroLocationJobs`, so both word it the same.
 *
 * @internal
 */

/** Where a request went: the origin (`http://127.0.0.1:4566`) and the host name alone. */
interface Where {
  readonly origin: string
  readonly host: string
}

const whereOf = (url: string): Where => {
  try {
    const u = new URL(url)
    return { origin: u.origin, host: u.hostname }
  } catch {
    return { origin: url, host: url }
  }
}

type Describe = (where: Where, code: string, message: string) => string

const refused: Describe = (w, code) =>
  `connection refused at ${w.origin} (${code}): is the service running there? Check the endpoint`
const notFound: Describe = (w, code) =>
  `host ${w.host} not found (DNS lookup failed, ${code}): check the endpoint and the Region`
const dnsAgain: Describe = (w, code) =>
  `DNS lookup of ${w.host} failed for now (${code}): check the network and the DNS resolver`
const timedOut: Describe = (w, code) =>
  `connecting to ${w.origin} timed out (${code}): check the network, a proxy or a firewall`
const reset: Describe = (w, code) => `the connection to ${w.origin} was reset (${code})`
const unreachable: Describe = (w, code) => `host ${w.host} is unreachable (${code}): check the network`
const untrusted: Describe = (w, code, message) =>
  `the TLS certificate of ${w.host} is not trusted (${code}: ${message}): check the endpoint, or trust its CA`

const byCode: Readonly<Record<string, Describe>> = {
  ECONNREFUSED: refused,
  ENOTFOUND: notFound,
  EAI_NONAME: notFound,
  EAI_AGAIN: dnsAgain,
  ETIMEDOUT: timedOut,
  ESOCKETTIMEDOUT: timedOut,
  UND_ERR_CONNECT_TIMEOUT: timedOut,
  ECONNRESET: reset,
  EPIPE: reset,
  UND_ERR_SOCKET: reset,
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  ENETDOWN: unreachable,
  CERT_HAS_EXPIRED: untrusted,
  DEPTH_ZERO_SELF_SIGNED_CERT: untrusted,
  SELF_SIGNED_CERT_IN_CHAIN: untrusted,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrusted,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrusted,
  ERR_TLS_CERT_ALTNAME_INVALID: untrusted
}

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined

/**
 * The first error in `cause`'s chain (its `cause`s, and the `errors` of an `AggregateError`, as
 * Node reports a connection tried on several addresses) whose `code` is one we can explain.
 */
const findCoded = (cause: unknown, depth = 0): { readonly code: string; readonly message: string } | undefined => {
  if (depth > 8 || typeof cause !== "object" || cause === null) return undefined
  const code = field(cause, "code")
  if (typeof code === "string" && code in byCode) {
    const message = field(cause, "message")
    return { code, message: typeof message === "string" ? message : code }
  }
  const errors = field(cause, "errors")
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const found = findCoded(e, depth + 1)
      if (found !== undefined) return found
    }
  }
  return findCoded(field(cause, "cause"), depth + 1)
}

/**
 * Why `url` could not be reached, from the transport's error: explained when a known code is in its
 * chain, else `fallback` (the transport's own words) with the origin after it.
 */
export const unreachableMessage = (cause: unknown, url: string, fallback: string): string => {
  const where = whereOf(url)
  const found = findCoded(cause)
  return found === undefined ? `${fallback} (${where.origin})` : byCode[found.code]!(where, found.code, found.message)
}

/** The origin of `url`, for messages that name where a request went. */
export const originOf = (url: string): string => whereOf(url).origin
