/**
 * `MicroLocationJobs` for Node: the `effect/Micro` Jobs client (no Effect runtime, no Schema, no
 * `@effect/platform`), signed with SigV4 (service `geo`) by `MicroSigV4` over node:crypto
 * (synchronous one-shot hashes) and sent over keep-alive `node:http` / `node:https` agents, whose
 * parser is native: nothing to compile on the first answer and nothing to wait for at exit. Made for
 * short-lived programs (CLIs, Lambda functions, scripts), where start-up is most of the run.
 *
 * Credentials are fixed or a provider function; the AWS credential chain is not imported (it is
 * most of a bundle's start-up): opt into it with `@geojobs/sigv4/NodeMicroCredentials`.
 *
 * Kept-alive connections do not hold a process open (Node unrefs idle agent sockets), so a program
 * may simply end; `close()` drops them at once (a long-running process, tests).
 *
 * ```ts
 * const jobs = NodeMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId, secretAccessKey } })
 * const { JobId } = await Micro.runPromise(jobs.startJob({ ... }))
 * jobs.close()
 * ```
 *
 * @since 0.1.0
 */
import * as MicroLocationJobs from "@geojobs/core/MicroLocationJobs"
import { LocationJobsClientError } from "@geojobs/core/MicroLocationJobsError"
import * as SharedConfig from "@geojobs/core/MicroSharedConfig"
import * as MicroSigV4 from "@geojobs/sigv4/MicroSigV4"
import * as Either from "effect/Either"
import * as Micro from "effect/Micro"
import * as http from "node:http"
import * as https from "node:https"
import type * as tls from "node:tls"
import { NodeSha256 } from "./internal/nodeSha256.js"
import * as sharedConfigFile from "./internal/sharedConfigFile.js"
import { type SocketTimeouts, watchSocket } from "./internal/socketTimeouts.js"

/** Settings of the keep-alive agents. */
export interface AgentOptions {
  /** Idle time before a kept-alive connection is closed, ms. Default 4,000. */
  readonly keepAliveTimeoutMs?: number | undefined
  /** Most connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** TLS settings of the `https` agent (`ca` for a private CA, client certificates). Default Node's. */
  readonly tls?: tls.ConnectionOptions | undefined
  /**
   * Time to open a connection, ms: a `Transport` failure whose cause is a `SocketTimeout`
   * (`NodeHttpTransport`'s). Default: none (the attempt timeout still applies).
   *
   * @since 0.4.0
   */
  readonly connectTimeoutMs?: number | undefined
  /**
   * Time the socket may stay silent while a request waits for its answer, ms; failing as
   * `connectTimeoutMs` does. Default: none.
   *
   * @since 0.4.0
   */
  readonly readTimeoutMs?: number | undefined
}

/** Options of the Node Micro client: the client's (without `transport`), credentials, agent settings. */
export interface NodeMicroLocationJobsOptions
  extends Omit<MicroLocationJobs.MicroLocationJobsOptions, "transport">, AgentOptions
{
  /**
   * Fixed credentials, or a function fetching them (kept until 5 minutes before they expire;
   * `NodeMicroCredentials.fromEnv()` / `providerChain()` for the environment or the AWS chain).
   */
  readonly credentials: MicroSigV4.CredentialsSource
}

/** The client, with `close` for its connections. */
export interface NodeMicroLocationJobs extends MicroLocationJobs.MicroLocationJobs {
  /**
   * Destroys the agents' connections (idle and in flight). Optional before a process ends (idle
   * connections do not keep it alive); calls made afterwards open new connections.
   */
  readonly close: () => void
}

/** What the transport needs: where to sign for, with what, and its agents' settings. */
export interface NodeTransportOptions extends AgentOptions {
  /** The signing Region (the endpoint's `signingRegion`). */
  readonly region: string
  readonly credentials: MicroSigV4.CredentialsSource
}

/** A `Transport` over its own keep-alive agents, and how to close them. */
export interface NodeTransport {
  readonly transport: MicroLocationJobs.Transport
  readonly close: () => void
}

const transportError = MicroLocationJobs.transportError

/** Hostname as `node:http` takes it: IPv6 literals without their brackets. */
const hostnameOf = (url: URL): string => (url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname)

/** Node's parsed headers (lower-case names) as single strings, repeated ones joined by `, `. */
const headersOf = (incoming: http.IncomingMessage): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {}
  const headers = incoming.headers
  for (const name in headers) {
    const value = headers[name]
    out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const lostAnswer = "the connection closed before the whole answer came"

/** Sends one signed request over `agent` and reads the whole answer; interruption destroys the request. */
const send = (
  agent: http.Agent,
  secure: boolean,
  url: URL,
  request: MicroLocationJobs.HttpRequest,
  signature: MicroSigV4.SignatureHeaders,
  timeouts: SocketTimeouts | undefined
): Micro.Micro<MicroLocationJobs.HttpResponse, LocationJobsClientError> =>
  Micro.async<MicroLocationJobs.HttpResponse, LocationJobsClientError>((resume) => {
    let done = false
    let outgoing: http.ClientRequest | undefined
    const fail = (cause: unknown) => {
      if (done) return
      done = true
      resume(Micro.fail(transportError(cause)))
    }
    try {
      outgoing = (secure ? https : http).request({
        hostname: hostnameOf(url),
        port: url.port === "" ? undefined : url.port,
        path: url.pathname + url.search,
        method: request.method,
        // `host` as signed (the URL's host, the port only when not the scheme's default).
        headers: { ...request.headers, host: url.host, ...signature },
        agent,
        ...(timeouts?.read !== undefined ? { timeout: timeouts.read } : {})
      }, (incoming) => {
        const chunks: Array<Buffer> = []
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
        incoming.on("error", fail)
        incoming.on("aborted", () => fail(new Error(lostAnswer)))
        incoming.on("end", () => {
          if (done) return
          if (!incoming.complete) return fail(new Error(lostAnswer))
          done = true
          const body = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")
          resume(Micro.succeed({ status: incoming.statusCode ?? 0, headers: headersOf(incoming), body }))
        })
      })
      outgoing.on("error", fail)
      if (timeouts !== undefined) watchSocket(outgoing, timeouts, url, fail)
      outgoing.end(request.body)
    } catch (cause) {
      fail(cause)
    }
    return Micro.sync(() => {
      done = true
      outgoing?.destroy(new Error("interrupted"))
    })
  })

/**
 * A `Transport` that signs each request (SigV4, service `geo`, node:crypto) and sends it over
 * keep-alive agents (made on first use, one per scheme), reading the whole answer; interruption
 * (the attempt timeout) destroys the request. On a 401/403 whose `Date` shows clock skew it
 * corrects the signing clock and resends once (later requests use the corrected time).
 */
export const transport = (options: NodeTransportOptions): NodeTransport => {
  const signer = MicroSigV4.make({
    region: options.region,
    service: "geo",
    credentials: options.credentials,
    sha256: NodeSha256
  })
  const settings: http.AgentOptions = {
    keepAlive: true,
    timeout: options.keepAliveTimeoutMs ?? 4_000,
    maxSockets: options.connections ?? Infinity,
    scheduling: "lifo"
  }
  const timeouts = options.connectTimeoutMs !== undefined || options.readTimeoutMs !== undefined
    ? { connect: options.connectTimeoutMs, read: options.readTimeoutMs }
    : undefined
  let httpAgent: http.Agent | undefined
  let httpsAgent: https.Agent | undefined
  const agentFor = (secure: boolean): http.Agent =>
    secure ? (httpsAgent ??= new https.Agent({ ...options.tls, ...settings })) : (httpAgent ??= new http.Agent(settings))

  return {
    transport: MicroLocationJobs.signedTransport(signer, (request, signature) => {
      let url: URL
      try {
        url = new URL(request.url)
      } catch (cause) {
        return Micro.fail(transportError(cause))
      }
      const secure = url.protocol === "https:"
      return send(agentFor(secure), secure, url, request, signature, timeouts)
    }),
    close: () => {
      httpAgent?.destroy()
      httpsAgent?.destroy()
      httpAgent = undefined
      httpsAgent = undefined
    }
  }
}

/**
 * The client over keep-alive `node:http`/`node:https`. A bad endpoint setting (no Region and no
 * endpoint, a malformed Region or URL, FIPS with a custom endpoint) makes every call fail with that
 * `Configuration` error; check `client.endpoint` to know at once.
 */
export const make = (options: NodeMicroLocationJobsOptions): NodeMicroLocationJobs => {
  const endpoint = MicroLocationJobs.resolveEndpoint(options)
  const { close, transport: send } = transport({
    region: endpoint instanceof LocationJobsClientError ? "us-east-1" : endpoint.signingRegion,
    credentials: options.credentials,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs,
    connections: options.connections,
    tls: options.tls,
    connectTimeoutMs: options.connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs
  })
  return { ...MicroLocationJobs.make({ ...options, transport: send }), close }
}

/**
 * The client configured as the AWS SDK v3 configures one (see `SharedConfig` in `@geojobs/core`):
 * `options` first, then the environment (`AWS_REGION`, `AWS_ENDPOINT_URL_LOCATION`,
 * `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS`,
 * `AWS_RETRY_MODE`), then the shared config file's profile (`AWS_CONFIG_FILE` or `~/.aws/config`;
 * `options.profile`, `AWS_PROFILE` or `default`). Fails with a `Configuration` error when the file
 * cannot be read or a setting is unusable.
 *
 * @since 0.3.0
 */
export const fromConfig = (
  options: NodeMicroLocationJobsOptions & { readonly profile?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env
): Micro.Micro<NodeMicroLocationJobs, LocationJobsClientError> =>
  Micro.flatMap(
    Micro.tryPromise({
      try: () => sharedConfigFile.readProfile(options.profile, env),
      catch: (cause) =>
        new LocationJobsClientError({
          reason: "Configuration",
          message: `could not read the AWS shared config file: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        })
    }),
    (profile) =>
      Either.match(SharedConfig.fromEnvironment(env, profile), {
        onLeft: (message) => Micro.fail(new LocationJobsClientError({ reason: "Configuration", message })),
        onRight: (settings) => Micro.sync(() => make(SharedConfig.apply(options, settings)))
      })
  )
