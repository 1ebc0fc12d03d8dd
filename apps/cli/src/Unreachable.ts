/**
 * What to tell a person whose service could not be reached, for the Jobs API and S3 calls alike:
 * where (the endpoint), what happened (refused, no such host, timed out, reset), and what to do —
 * for a refused connection, whether geojobs-local is running there. Read from the error codes
 * Node and undici put on an error or its causes.
 *
 * @since 0.1.0
 */

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined

const known = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_NONAME",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN"
])

/** The first network error code we can explain in `cause`'s chain (`cause`, `errors`, `$response`…). */
export const codeOf = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 8 || typeof cause !== "object" || cause === null) return undefined
  const code = field(cause, "code")
  if (typeof code === "string" && known.has(code)) return code
  const errno = field(cause, "errno")
  if (typeof errno === "string" && known.has(errno)) return errno
  const errors = field(cause, "errors")
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const found = codeOf(e, depth + 1)
      if (found !== undefined) return found
    }
  }
  const message = field(cause, "message")
  if (typeof message === "string") {
    const match = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/.exec(message)
    if (match !== null) return match[1]
  }
  return codeOf(field(cause, "cause"), depth + 1)
}

/** The request URL carried by an error's chain (an HTTP client's `request.url`), if any. */
export const urlOf = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 8 || typeof cause !== "object" || cause === null) return undefined
  const url = field(field(cause, "request"), "url")
  if (typeof url === "string") return url
  return urlOf(field(cause, "cause"), depth + 1)
}

const originOf = (url: string): { readonly origin: string; readonly host: string } => {
  try {
    const u = new URL(url)
    return { origin: u.origin, host: u.hostname }
  } catch {
    return { origin: url, host: url }
  }
}

/**
 * One line for a service that could not be reached at `url` (an endpoint or request URL), or
 * undefined when `cause` carries no network error code we know.
 */
export const describe = (cause: unknown, url: string | undefined): string | undefined => {
  const code = codeOf(cause)
  if (code === undefined) return undefined
  const where = url === undefined ? undefined : originOf(url)
  const at = where === undefined ? "" : ` at ${where.origin}`
  const host = where === undefined ? "the service's host" : `host ${where.host}`
  switch (code) {
    case "ECONNREFUSED":
      return where !== undefined && /\.amazonaws\.com(\.cn)?$/.test(where.host)
        ? `connection refused${at} — check the network, a proxy or a firewall`
        : `connection refused${at} — is geojobs-local running there? (start it with geojobs local, ` +
          `or leave out --endpoint-url to use the embedded service)`
    case "ENOTFOUND":
    case "EAI_NONAME":
      return `${host} not found (DNS lookup failed) — check the endpoint URL or the Region`
    case "EAI_AGAIN":
      return `the DNS lookup of ${host} failed for now — check the network and the DNS resolver`
    case "ETIMEDOUT":
    case "ESOCKETTIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return `no answer${at} (the connection timed out) — check the address, the network, a proxy or a firewall`
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return `the connection${at} was closed by the other end — is that an HTTP endpoint of geojobs-local or AWS?`
    default:
      return `${host} is unreachable (${code}) — check the network`
  }
}
