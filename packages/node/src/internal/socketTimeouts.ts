/**
 * Connect and read limits of one `node:http` request, shared by the Effect transport
 * (`NodeHttpTransport`) and the Micro one (`NodeMicroLocationJobs`): a connection that does not
 * open, or a socket that stays silent while the request waits for its answer, fails the request
 * with a `SocketTimeout` naming the endpoint, as the AWS CLI words it.
 *
 * @internal
 */
import type * as http from "node:http"

/** Socket limits of each request, in ms (none when undefined). */
export interface SocketTimeouts {
  /** Time to open the connection (TCP, and TLS for https). */
  readonly connect?: number | undefined
  /** Time the socket may stay silent while a request waits for its answer. */
  readonly read?: number | undefined
}

/**
 * The `cause` of the `Transport` `RequestError` of a request whose connection did not open, or
 * whose socket stayed silent, within the agents' `connectTimeout` / `readTimeout`.
 */
export class SocketTimeout extends Error {
  constructor(readonly phase: "connect" | "read", readonly timeoutMs: number, readonly url: string) {
    super(`${phase === "connect" ? "Connect" : "Read"} timeout on endpoint URL: "${url}"`)
    this.name = "SocketTimeout"
  }
}

/** Fails a request whose connection does not open, or whose socket goes silent, in time. */
export const watchSocket = (
  outgoing: http.ClientRequest,
  timeouts: SocketTimeouts,
  url: URL,
  fail: (cause: unknown) => void
) => {
  const endpoint = url.origin + url.pathname
  if (timeouts.read !== undefined) {
    const ms = timeouts.read
    outgoing.on("timeout", () => {
      const cause = new SocketTimeout("read", ms, endpoint)
      fail(cause)
      outgoing.destroy(cause)
    })
  }
  if (timeouts.connect !== undefined) {
    const ms = timeouts.connect
    outgoing.on("socket", (socket) => {
      // a kept-alive socket is already open
      if (!socket.connecting) return
      const timer = setTimeout(() => {
        const cause = new SocketTimeout("connect", ms, endpoint)
        fail(cause)
        outgoing.destroy(cause)
      }, ms)
      const clear = () => clearTimeout(timer)
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", clear)
      socket.once("close", clear)
    })
  }
}

