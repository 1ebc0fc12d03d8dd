/**
 * `MicroLocationJobs` over `fetch`, signed with SigV4 (service `geo`) by `MicroSigV4` over
 * WebCrypto: the Jobs API client for bundles that must stay small (browsers, edge). No
 * `effect/Effect` runtime, no Schema, no `@effect/platform`, no hashing library; nothing reaches a
 * Node built-in.
 *
 * ```ts
 * const jobs = FetchMicroLocationJobs.make({ region: "us-east-1", credentials: { accessKeyId, secretAccessKey, sessionToken } })
 * const { JobId } = await Micro.runPromise(jobs.startJob({ ... }))
 * ```
 *
 * @since 0.1.0
 */
import * as MicroLocationJobs from "@geojobs/core/MicroLocationJobs"
import { LocationJobsClientError } from "@geojobs/core/MicroLocationJobsError"
import * as MicroSigV4 from "@geojobs/sigv4/MicroSigV4"
import type { Sha256Constructor } from "@geojobs/sigv4/SigV4"
import * as Micro from "effect/Micro"

/** Options of the fetch client: the client's (without `transport`), credentials, and the fetch to use. */
export interface FetchMicroLocationJobsOptions extends Omit<MicroLocationJobs.MicroLocationJobsOptions, "transport"> {
  /** Fixed credentials, or a function fetching them (kept until 5 minutes before they expire). */
  readonly credentials: MicroSigV4.CredentialsSource
  /** The `fetch` to call. Default `globalThis.fetch`, looked up on each request. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** SHA-256/HMAC for signing. Default WebCrypto (`crypto.subtle`). */
  readonly sha256?: Sha256Constructor | undefined
}

/** What a fetch transport needs: where to sign for, with what, and which fetch. */
export interface FetchTransportOptions {
  /** The signing Region (the endpoint's `signingRegion`). */
  readonly region: string
  readonly credentials: MicroSigV4.CredentialsSource
  readonly fetch?: typeof globalThis.fetch | undefined
  readonly sha256?: Sha256Constructor | undefined
}

/**
 * A `Transport` that signs each request (SigV4, service `geo`) and sends it with `fetch`, aborting
 * it when interrupted. On a 401/403 whose `Date` shows clock skew it corrects the signing clock and
 * resends once (later requests use the corrected time).
 */
export const transport = (options: FetchTransportOptions): MicroLocationJobs.Transport => {
  const signer = MicroSigV4.make({
    region: options.region,
    service: "geo",
    credentials: options.credentials,
    sha256: options.sha256
  })
  const userFetch = options.fetch
  return MicroLocationJobs.signedTransport(signer, (request, signature) =>
    Micro.tryPromise({
      try: async (signal): Promise<MicroLocationJobs.HttpResponse> => {
        // `content-length` is signed but left to fetch to send (browsers refuse to be told it;
        // undici would send it twice): it sends the same value, the body's byte length.
        const { "content-length": _, ...headers } = request.headers
        const init: RequestInit = {
          method: request.method,
          headers: { ...headers, ...signature },
          signal,
          ...(request.body === undefined ? {} : { body: request.body as BodyInit })
        }
        const response = await (userFetch === undefined ? globalThis.fetch(request.url, init) : userFetch(request.url, init))
        const received: Record<string, string> = {}
        response.headers.forEach((value, name) => {
          received[name.toLowerCase()] = value
        })
        return { status: response.status, headers: received, body: await response.text() }
      },
      catch: MicroLocationJobs.transportError
    }))
}

/**
 * The client over fetch. A bad endpoint setting (no Region and no endpoint, a malformed Region or
 * URL, FIPS with a custom endpoint) makes every call fail with that `Configuration` error; check
 * `client.endpoint` to know at once.
 */
export const make = (options: FetchMicroLocationJobsOptions): MicroLocationJobs.MicroLocationJobs => {
  const endpoint = MicroLocationJobs.resolveEndpoint(options)
  return MicroLocationJobs.make({
    ...options,
    transport: transport({
      region: endpoint instanceof LocationJobsClientError ? "us-east-1" : endpoint.signingRegion,
      credentials: options.credentials,
      fetch: options.fetch,
      sha256: options.sha256
    })
  })
}
