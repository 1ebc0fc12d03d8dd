/**
 * The Jobs API client on `effect/Micro`, for bundles that must stay small (browsers): the same
 * wire behaviour as `LocationJobsClient` — constraints checked before anything is sent (a
 * `ValidationException` naming every bad field, as `RequestValidation` names them), `ClientToken`
 * made once before the retry loop, the SDK's REST-JSON bytes, the `metadata.` host prefix, the
 * endpoint rules, errors decoded by status and error code into the same tagged errors, outputs
 * decoded as the Schemas decode them, AWS standard retry and an attempt timeout — without
 * `effect/Effect`'s runtime, Schema or `@effect/platform`. Held equal to the full client by
 * property and conformance tests.
 *
 * It sends through a `Transport` (a function of a request to a `Micro` of the response); signing
 * belongs to the transport (`@geojobs/fetch/FetchMicroLocationJobs` signs with SigV4 over fetch).
 * Pagination (`listJobsPages`, `listAllJobs`) and `MicroWaiter.waitForJob` are functions of a
 * client. No tracing, no `Config`: options are passed in. `Micro` values are `Effect`s too, so the operations
 * can be yielded in `Effect.gen` as well.
 *
 * @since 0.1.0
 */
import * as Micro from "effect/Micro"
import type { EndpointOptions, ResolvedEndpoint } from "./Endpoint.js"
import type * as Job from "./Job.js"
import * as codec from "./internal/microCodec.js"
import { resolveEndpoint } from "./internal/microEndpoint.js"
import { validators } from "./internal/microJob.js"
import * as pagination from "./internal/paginationRules.js"
import * as Retry from "./internal/microRetry.js"
import { formatMillis } from "./internal/microTime.js"
import { originOf, unreachableMessage } from "./internal/unreachable.js"
import * as responseMetadata from "./internal/responseMetadata.js"
import * as sdkHeaders from "./internal/sdkHeaders.js"
import * as Wire from "./internal/wire.js"
import {
  type CancelJobError,
  type GetJobError,
  type ListJobsError,
  LocationJobsClientError,
  type LocationJobsError,
  type OperationName,
  type StartJobError,
  ValidationException
} from "./MicroLocationJobsError.js"

export type { RetryEvent, StandardRetryOptions } from "./internal/microRetry.js"

export {
  /**
   * A `Transport` from a signer (`MicroSigV4.make`) and a function that sends one signed request:
   * signing failures become `Credentials` / `Transport` errors, and a 401/403 showing clock skew
   * corrects the signing clock and is sent once more. What the adapters share.
   */
  signedTransport,
  /** A `Transport` error for a thrown value (the request could not be sent, the connection failed). */
  transportError
} from "./internal/microTransport.js"
export type { RequestSigner, SignedSend } from "./internal/microTransport.js"

export {
  /**
   * The endpoint `make` uses for these options: the base URL (host prefix applied) and the signing
   * Region, or the `Configuration` error (as `Endpoint.resolve` decides).
   */
  resolveEndpoint
} from "./internal/microEndpoint.js"

/** A request as the client hands it to the transport: absolute URL, headers, UTF-8 body bytes. */
export interface HttpRequest {
  readonly method: "GET" | "POST"
  readonly url: string
  /** `content-type` and `content-length` for POST; signing headers are the transport's to add. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

/** A response as the transport hands it back: status, headers by lower-case name, body text. */
export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/**
 * Sends one request and reads the whole answer. Fails with a `LocationJobsClientError` of reason
 * `Transport` (not sent, connection lost) or `Credentials` (could not sign); the client prefixes
 * the operation to its message. Interruption (the attempt timeout) must abort the request.
 */
export type Transport = (request: HttpRequest) => Micro.Micro<HttpResponse, LocationJobsClientError>

/** Options of the client. Endpoint options decide where requests go. */
export interface MicroLocationJobsOptions extends EndpointOptions {
  readonly transport: Transport
  /** Standard retry (AWS standard mode) with these settings, or `false` for one attempt. */
  readonly retry?: Retry.StandardRetryOptions | false | undefined
  /** Time limit of one attempt (send + read the answer), ms. Default 30,000; `Infinity` for none. */
  readonly attemptTimeoutMs?: number | undefined
  /** How a missing `ClientToken` is made. Default `crypto.randomUUID()` (UUID v4). */
  readonly generateClientToken?: (() => string) | undefined
  /** Called before each retry's delay (logging, metrics). */
  readonly onRetry?: ((event: Retry.RetryEvent) => void) | undefined
  /** Uniform [0, 1) numbers for the backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined
  /**
   * An id of your application, sent in the user agent as `app/<appId>` (the AWS SDK's
   * `userAgentAppId`). Every request carries the SDK's headers with our identity, as
   * `LocationJobsClient`'s do: `User-Agent`/`x-amz-user-agent`, `amz-sdk-invocation-id` (one per
   * call) and `amz-sdk-request: attempt=N; max=M`.
   */
  readonly appId?: string | undefined
  /** `name/value` tokens an adapter adds to the user agent, e.g. `md/nodejs#20.19.0`. */
  readonly userAgentPlatform?: ReadonlyArray<string> | undefined
}

/** The four operations, each a `Micro` failing with the operation's error union (waiting: `MicroWaiter`). */
export interface MicroLocationJobs {
  /** Where requests go, or the `Configuration` error every call fails with. */
  readonly endpoint: ResolvedEndpoint | LocationJobsClientError
  readonly startJob: (input: Job.StartJobRequest) => Micro.Micro<Job.StartJobResponse, StartJobError>
  readonly getJob: (input: Job.GetJobRequest) => Micro.Micro<Job.GetJobResponse, GetJobError>
  readonly listJobs: (input?: Job.ListJobsRequest) => Micro.Micro<Job.ListJobsResponse, ListJobsError>
  readonly cancelJob: (input: Job.CancelJobRequest) => Micro.Micro<Job.CancelJobResponse, CancelJobError>
}

/** Longest delay `setTimeout` takes; longer limits would fire at once. */
const maxTimerMillis = 2 ** 31 - 1

const encoder = new TextEncoder()

/**
 * Gives a transport failure the operation's name, and a connection failure the host and what went
 * wrong there, as `LocationJobsClient` words it (timeouts and other reasons pass as they are).
 */
const fromTransport = (operation: OperationName, e: LocationJobsClientError, url: string): LocationJobsClientError =>
  e.reason === "Transport" || e.reason === "Credentials"
    ? new LocationJobsClientError({
      reason: e.reason,
      message: `${operation}: ${
        e.reason === "Transport"
          ? `could not reach the service: ${unreachableMessage(e.cause, url, e.message)}`
          : `no usable credentials: ${e.message}`
      }`,
      ...(e.cause === undefined ? {} : { cause: e.cause })
    })
    : e

/** Makes the client. Nothing is sent until an operation runs. */
export const make = (options: MicroLocationJobsOptions): MicroLocationJobs => {
  const endpoint = resolveEndpoint(options)
  const transport = options.transport
  const timeoutMs = options.attemptTimeoutMs ?? 30_000
  const generateToken = options.generateClientToken ?? (() => globalThis.crypto.randomUUID())
  const policy = Retry.standard(options.retry === false ? { maxAttempts: 1 } : options.retry)
  const random = options.random ?? Math.random
  const agent = sdkHeaders.userAgent({ appId: options.appId, platform: options.userAgentPlatform })

  const run = <A, E extends LocationJobsError>(operation: OperationName, wire: Wire.WireRequest): Micro.Micro<A, E> => {
    if (endpoint instanceof LocationJobsClientError) return Micro.fail(endpoint as E)
    const body = wire.body === undefined ? undefined : encoder.encode(wire.body)
    const contentHeaders: Record<string, string> = body === undefined
      ? {}
      : { "content-type": "application/json", "content-length": String(body.length) }
    const url = endpoint.url + wire.path
    const requestOf = (invocationId: string, n: number): HttpRequest => ({
      method: wire.method,
      url,
      headers: { ...sdkHeaders.attemptHeaders(agent, invocationId, n, policy.maxAttempts), ...contentHeaders },
      body
    })
    const timeout = () =>
      Micro.fail(
        new LocationJobsClientError({
          reason: "Timeout",
          message: `${operation}: no answer from ${originOf(url)} within ${formatMillis(timeoutMs)} (attemptTimeoutMs)`
        })
      )
    const attempt = (invocationId: string) => (n: number): Micro.Micro<A, Retry.AttemptFailure<E>> => {
      const sent = timeoutMs <= maxTimerMillis
        ? Micro.timeoutOrElse(Micro.suspend(() => transport(requestOf(invocationId, n))), {
          duration: timeoutMs,
          onTimeout: timeout
        })
        : Micro.suspend(() => transport(requestOf(invocationId, n)))
      return Micro.matchEffect(sent, {
        onFailure: (e) => Micro.fail({ error: fromTransport(operation, e, url) as E, retryAfterMs: undefined }),
        onSuccess: (response) => {
          if (response.status >= 200 && response.status < 300) {
            const out = codec.decodeOutput(operation, response)
            return out instanceof LocationJobsClientError
              ? Micro.fail({ error: out as E, retryAfterMs: undefined })
              : Micro.succeed(responseMetadata.attach(out as A, response, n))
          }
          return Micro.fail(Wire.decodeError(operation, response, Date.now()) as Retry.AttemptFailure<E>)
        }
      })
    }
    // One id per call, made when it runs, outside the retry loop: every attempt carries it.
    return Micro.suspend(() =>
      Retry.run(operation, policy, attempt(globalThis.crypto.randomUUID()), random, options.onRetry)
    )
  }

  const checked = <I, V, A, E extends LocationJobsError>(
    validate: (input: unknown) => V | ValidationException,
    input: I,
    send: (valid: V) => Micro.Micro<A, E>
  ): Micro.Micro<A, E | ValidationException> => {
    if (endpoint instanceof LocationJobsClientError) return Micro.fail(endpoint as E)
    const valid = validate(input)
    return valid instanceof ValidationException ? Micro.fail(valid) : send(valid)
  }

  return {
    endpoint,
    startJob: (input) =>
      checked(validators.StartJob, input, (valid) =>
        Micro.suspend(() =>
          // The token is made once, here, outside the retry loop: every attempt reuses it.
          run("StartJob", Wire.encodeStartJob(valid, valid.ClientToken ?? generateToken()))
        )),
    getJob: (input) => checked(validators.GetJob, input, (valid) => run("GetJob", Wire.encodeGetJob(valid))),
    listJobs: (input) => checked(validators.ListJobs, input ?? {}, (valid) => run("ListJobs", Wire.encodeListJobs(valid))),
    cancelJob: (input) => checked(validators.CancelJob, input, (valid) => run("CancelJob", Wire.encodeCancelJob(valid)))
  }
}

/** Where to start and how big the pages are. */
export type PaginationOptions = pagination.PaginationOptions

/**
 * Every page of ListJobs, in order, as an async iterable (`for await`): follows `NextToken` while
 * it is present and new. A failed page rejects with the operation's error.
 */
export const listJobsPages = (
  client: MicroLocationJobs,
  input: Job.ListJobsRequest = {},
  options: PaginationOptions = {}
): AsyncIterable<Job.ListJobsResponse> => ({
  async *[Symbol.asyncIterator]() {
    let request: Job.ListJobsRequest | undefined = pagination.firstPage(input, options)
    while (request !== undefined) {
      const page: Job.ListJobsResponse = await Micro.runPromise(client.listJobs(request))
      yield page
      request = pagination.nextPage(page, request)
    }
  }
})

/** Every job of every page, in order, collected (as `Paginator.listJobsStream`, in one array). */
export const listAllJobs = (
  client: MicroLocationJobs,
  input: Job.ListJobsRequest = {},
  options: PaginationOptions = {}
): Micro.Micro<ReadonlyArray<Job.ListJobsResponseEntry>, ListJobsError> => {
  const loop = (
    request: Job.ListJobsRequest,
    acc: Array<Job.ListJobsResponseEntry>
  ): Micro.Micro<ReadonlyArray<Job.ListJobsResponseEntry>, ListJobsError> =>
    Micro.flatMap(client.listJobs(request), (page) => {
      acc.push(...page.Entries)
      const next = pagination.nextPage(page, request)
      return next === undefined ? Micro.succeed(acc) : loop(next, acc)
    })
  return Micro.suspend(() => loop(pagination.firstPage(input, options), []))
}
