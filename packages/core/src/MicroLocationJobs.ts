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
 * Pagination (`listJobsPages`, `listAllJobs`) and `waitForJob` are functions of a client. No
 * tracing, no `Config`: options are passed in. `Micro` values are `Effect`s too, so the operations
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
import * as Retry from "./internal/microRetry.js"
import {
  type CancelJobError,
  type GetJobError,
  isRetryable,
  JobCancelled,
  JobFailed,
  type ListJobsError,
  LocationJobsClientError,
  type LocationJobsError,
  type OperationName,
  type StartJobError,
  ValidationException,
  type WaitError,
  WaitTimeout
} from "./MicroLocationJobsError.js"

export type { RetryEvent, StandardRetryOptions } from "./internal/microRetry.js"

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
}

/** The four operations, each a `Micro` failing with the operation's error union. */
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

/** `Duration.format`'s text for a whole number of ms (`30s`, `1m 30s`, `250ms`). */
const formatMillis = (ms: number): string => {
  const parts: Array<string> = []
  let rest = Math.floor(ms)
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0) parts.push(`${n}${unit}`)
  }
  return parts.length === 0 ? "0" : parts.join(" ")
}

const encoder = new TextEncoder()

/** Gives a transport failure the operation's name (timeouts and other reasons pass as they are). */
const fromTransport = (operation: OperationName, e: LocationJobsClientError): LocationJobsClientError =>
  e.reason === "Transport" || e.reason === "Credentials"
    ? new LocationJobsClientError({
      reason: e.reason,
      message: `${operation}: ${e.reason === "Transport" ? "could not reach the service" : "no usable credentials"}: ${e.message}`,
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

  const run = <A, E extends LocationJobsError>(operation: OperationName, wire: codec.WireRequest): Micro.Micro<A, E> => {
    if (endpoint instanceof LocationJobsClientError) return Micro.fail(endpoint as E)
    const body = wire.body === undefined ? undefined : encoder.encode(wire.body)
    const request: HttpRequest = {
      method: wire.method,
      url: endpoint.url + wire.path,
      headers: body === undefined ? {} : { "content-type": "application/json", "content-length": String(body.length) },
      body
    }
    const timeout = () =>
      Micro.fail(
        new LocationJobsClientError({
          reason: "Timeout",
          message: `${operation}: no answer within ${formatMillis(timeoutMs)}`
        })
      )
    const sent = timeoutMs <= maxTimerMillis
      ? Micro.timeoutOrElse(Micro.suspend(() => transport(request)), { duration: timeoutMs, onTimeout: timeout })
      : Micro.suspend(() => transport(request))
    const attempt: Micro.Micro<A, Retry.AttemptFailure<E>> = Micro.matchEffect(sent, {
      onFailure: (e) => Micro.fail({ error: fromTransport(operation, e) as E, retryAfterMs: undefined }),
      onSuccess: (response) => {
        if (response.status >= 200 && response.status < 300) {
          const out = codec.decodeOutput(operation, response)
          return out instanceof LocationJobsClientError
            ? Micro.fail({ error: out as E, retryAfterMs: undefined })
            : Micro.succeed(out as A)
        }
        return Micro.fail(codec.decodeError(operation, response, Date.now()) as Retry.AttemptFailure<E>)
      }
    })
    return Retry.run(operation, policy, () => attempt, random, options.onRetry)
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
          run("StartJob", codec.encodeStartJob(valid, valid.ClientToken ?? generateToken()))
        )),
    getJob: (input) => checked(validators.GetJob, input, (valid) => run("GetJob", codec.encodeGetJob(valid))),
    listJobs: (input) => checked(validators.ListJobs, input ?? {}, (valid) => run("ListJobs", codec.encodeListJobs(valid))),
    cancelJob: (input) => checked(validators.CancelJob, input, (valid) => run("CancelJob", codec.encodeCancelJob(valid)))
  }
}

/** Where to start and how big the pages are. */
export interface PaginationOptions {
  /** Page size (sent as `MaxResults`) unless the request sets one. */
  readonly pageSize?: number | undefined
  /** Token to resume from (overrides the request's `NextToken`). */
  readonly startingToken?: string | undefined
}

const firstPage = (input: Job.ListJobsRequest, options: PaginationOptions): Job.ListJobsRequest => ({
  ...input,
  ...(input.MaxResults === undefined && options.pageSize !== undefined ? { MaxResults: options.pageSize } : {}),
  ...(options.startingToken !== undefined ? { NextToken: options.startingToken } : {})
})

/** The token of the next page, if any: present, non-empty, and not the one just sent. */
const nextToken = (page: Job.ListJobsResponse, sent: Job.ListJobsRequest): string | undefined =>
  page.NextToken !== undefined && page.NextToken !== "" && page.NextToken !== sent.NextToken ? page.NextToken : undefined

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
    let request: Job.ListJobsRequest | undefined = firstPage(input, options)
    while (request !== undefined) {
      const page: Job.ListJobsResponse = await Micro.runPromise(client.listJobs(request))
      yield page
      const next = nextToken(page, request)
      request = next === undefined ? undefined : { ...request, NextToken: next }
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
      const next = nextToken(page, request)
      return next === undefined ? Micro.succeed(acc) : loop({ ...request, NextToken: next }, acc)
    })
  return Micro.suspend(() => loop(firstPage(input, options), []))
}

/** Cadence and limits of `waitForJob`, in ms (defaults: the official waiter's 60 s and 120 s; 30 minutes). */
export interface WaitOptions {
  /** Shortest delay between polls. Default 60,000. */
  readonly minDelayMs?: number | undefined
  /** Longest delay between polls. Default 120,000. */
  readonly maxDelayMs?: number | undefined
  /** Give up after this long. Default 1,800,000. */
  readonly timeoutMs?: number | undefined
  /** Called with every GetJob answer (progress display, logging). */
  readonly onPoll?: ((job: Job.GetJobResponse) => void) | undefined
  /** Uniform [0, 1) numbers for the delays. Default `Math.random`. */
  readonly random?: (() => number) | undefined
}

/** The delay before poll `n + 1` (n ≥ 1), as the official waiter (and `Waiter.pollDelay`) computes it. */
export const pollDelay = (n: number, minMs: number, maxMs: number, u: number): number => {
  const ceiling = Math.min(maxMs, minMs * 2 ** (n - 1))
  return ceiling <= minMs ? Math.min(minMs, maxMs) : Math.floor(minMs + (ceiling - minMs) * u)
}

/**
 * Polls GetJob until the job ends, as `Waiter.waitForJob` does: first poll at once, then the
 * official waiter's cadence; Completed → the job; Failed → `JobFailed`; Cancelled → `JobCancelled`;
 * the time limit → `WaitTimeout`. Errors the client would retry keep the wait going; others end it.
 */
export const waitForJob = (
  client: MicroLocationJobs,
  jobId: string,
  options: WaitOptions = {}
): Micro.Micro<Job.GetJobResponse, WaitError> =>
  Micro.suspend(() => {
    const minMs = options.minDelayMs ?? 60_000
    const maxMs = Math.max(minMs, options.maxDelayMs ?? 120_000)
    const limitMs = options.timeoutMs ?? 1_800_000
    const random = options.random ?? Math.random
    const started = Date.now()
    let lastStatus: Job.JobStatus | undefined
    const loop = (n: number): Micro.Micro<Job.GetJobResponse, WaitError> =>
      Micro.flatMap(Micro.either(client.getJob({ JobId: jobId })), (polled): Micro.Micro<Job.GetJobResponse, WaitError> => {
        if (polled._tag === "Right") {
          const job = polled.right
          lastStatus = job.Status
          options.onPoll?.(job)
          if (job.Status === "Completed") return Micro.succeed(job)
          if (job.Status === "Failed") {
            return Micro.fail(
              new JobFailed({
                jobId,
                ...(job.Error === undefined ? {} : { error: job.Error }),
                message: `Job ${jobId} failed` +
                  (job.Error ? `: ${job.Error.Code}${job.Error.Messages ? ` — ${job.Error.Messages.join("; ")}` : ""}` : "")
              })
            )
          }
          if (job.Status === "Cancelled") return Micro.fail(new JobCancelled({ jobId, message: `Job ${jobId} was cancelled` }))
        } else if (!isRetryable(polled.left)) {
          return Micro.fail(polled.left)
        }
        const waited = Date.now() - started
        const delay = pollDelay(n, minMs, maxMs, random())
        if (waited + delay > limitMs) {
          // Sleep out the remainder so the limit is honoured, then give up.
          return Micro.flatMap(Micro.sleep(Math.max(0, limitMs - waited)), () =>
            Micro.fail(
              new WaitTimeout({
                jobId,
                ...(lastStatus === undefined ? {} : { lastStatus }),
                waitedMillis: limitMs,
                message: `Job ${jobId} did not finish within ${formatMillis(limitMs)}` +
                  (lastStatus ? ` (last status: ${lastStatus})` : "")
              })
            ))
        }
        return Micro.flatMap(Micro.sleep(delay), () => loop(n + 1))
      })
    return loop(1)
  })
