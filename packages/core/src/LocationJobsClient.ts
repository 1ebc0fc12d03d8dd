/**
 * The REST-JSON client of the Jobs API over an abstract `HttpClient`: requests checked
 * against the API's constraints (nothing is sent when they fail), `ClientToken` filled once
 * before the retry loop, the standard retry policy around send + decode, and responses
 * decoded into the output Schemas or the operation's typed errors.
 *
 * Signing is not done here: adapters (`@geojobs/node`, `@geojobs/fetch`) give the client an
 * `HttpClient` that signs (SigV4 middleware) and sends.
 *
 * Tracing (with any `Tracer`, e.g. `@effect/opentelemetry`; names in `SpanAttribute`):
 * - one span per operation, `LocationJobs.<Operation>` (kind `client`): `rpc.system` `aws-api`,
 *   `rpc.service` `Location`, `rpc.method`, `aws.region`; then `aws.location.job_id` (from the
 *   input, or StartJob's output), `geojobs.attempts`, the last `http.response.status_code` and
 *   `aws.request_id`, `geojobs.throttles` when throttled, and on failure `error.type` (the error's
 *   `_tag`, plus `geojobs.error.reason` for a `LocationJobsClientError`) and an error status;
 * - under it one span per attempt, `LocationJobs.<Operation> attempt`: `geojobs.attempt`,
 *   `http.request.resend_count` (from the second), `http.response.status_code`,
 *   `aws.request_id`, `error.type`, `geojobs.retry_after_ms` (the server's hint);
 * - on the operation span, a `retry` event per retry (`geojobs.attempt` that failed, `error.type`,
 *   `geojobs.retry.reason` `throttling`|`transient`, `geojobs.retry.delay_ms`, the hint) or
 *   `retry.budget_exhausted`; each also logged at Debug level.
 *
 * Spans are made only when a tracer is installed: under Effect's built-in tracer (nothing installed)
 * or with tracing disabled the client makes none, since they would reach no exporter and cost CPU
 * on every call. The HTTP client's own span (with request headers, `Authorization` and the session
 * token redacted) is off unless `transportSpans` is set; then it nests under the attempt span.
 * No attribute, event or log line holds a credential, a signature, a session token or a request
 * body, and transport errors keep the request as built before signing.
 *
 * @since 0.1.0
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Schedule from "effect/Schedule"
import type * as Tracer from "effect/Tracer"
import * as Endpoint from "./Endpoint.js"
import * as codec from "./internal/codec.js"
import * as responseMetadata from "./internal/responseMetadata.js"
import * as sdkHeaders from "./internal/sdkHeaders.js"
import * as tracing from "./internal/tracing.js"
import { originOf, unreachableMessage } from "./internal/unreachable.js"
import * as Wire from "./internal/wire.js"
import * as Job from "./Job.js"
import { LocationJobs, type LocationJobsService } from "./LocationJobs.js"
import { LocationJobsClientError, type LocationJobsError, type OperationName } from "./LocationJobsError.js"
import { makeValidator } from "./RequestValidation.js"
import * as Retry from "./Retry.js"
import * as SharedConfig from "./SharedConfig.js"

/** Options of the client. Endpoint options decide where requests go. */
export interface ClientOptions extends Endpoint.EndpointOptions {
  /** Retry policy: standard mode by default, a Schedule of your own, or `false`. */
  readonly retry?: Retry.RetryOption | undefined
  /** Time limit of one attempt (send + read the answer). Default 30 s. */
  readonly attemptTimeout?: Duration.DurationInput | undefined
  /** How a missing `ClientToken` is made. Default: `crypto.randomUUID()` (UUID v4). */
  readonly generateClientToken?: (() => string) | undefined
  /**
   * An id of your application, sent in the user agent as `app/<appId>` (the AWS SDK's
   * `userAgentAppId`; up to 50 characters, others than letters, digits and `!#$%&'*+-.^_`|~` become
   * `-`). Every request carries `User-Agent` and `x-amz-user-agent` (`geojobs/<version> ua/2.1 …`),
   * `amz-sdk-invocation-id` (one UUID per call, the same on its retries) and
   * `amz-sdk-request: attempt=N; max=M`, as the SDK's do.
   */
  readonly appId?: string | undefined
  /**
   * `name/value` tokens an adapter adds to the user agent, e.g. `md/nodejs#20.19.0` (the core cannot
   * read the runtime itself).
   */
  readonly userAgentPlatform?: ReadonlyArray<string> | undefined
  /**
   * Keep the HTTP client's own per-request span, under the attempt span (off by default: a third
   * span per attempt, which most traces do not need).
   */
  readonly transportSpans?: boolean | undefined
  /**
   * The `HttpClient` enforces `attemptTimeout` itself: it fails a request that has no whole answer
   * in time with a `RequestError` whose `cause` has `_tag: "AttemptTimeout"` (as
   * `@geojobs/node`'s lean transport does when built with the same limit). The client then adds no
   * timer and no fiber of its own per attempt, and reads that error as a `Timeout`. Default false:
   * the client times each attempt itself, whatever the transport.
   */
  readonly attemptTimeoutByTransport?: boolean | undefined
  /**
   * The `HttpClient` makes no span (and adds no trace headers) of its own while no tracer other than
   * Effect's built-in one is installed, as `@geojobs/node`'s lean transport does (its
   * `spansOnlyWithTracer`). The client then leaves its tracing alone in that case instead of
   * disabling it per call (a `FiberRef` change on every call). Default false.
   */
  readonly transportUntracedWithoutTracer?: boolean | undefined
}

export {
  /**
   * Names of the span attributes and events the client records (OpenTelemetry semantic conventions
   * where one exists, `aws.*`/`geojobs.*` otherwise). Nothing secret is ever recorded: no
   * credentials, no signature, no `Authorization` or `X-Amz-Security-Token` value, no request body.
   */
  SpanAttribute,
  /** Names of the events on the operation span. */
  SpanEvent
} from "./internal/tracing.js"

const encoder = new TextEncoder()

const randomUuid = (): string => globalThis.crypto.randomUUID()

/** `make()` on the first call, then its result: compiles a Schema's parser when an operation is first used. */
const once = <F>(make: () => F): () => F => {
  let made: F | undefined
  return () => made ??= make()
}

/**
 * Validators and output decoders, each compiled once for all clients, on the operation's first
 * call (a program that only starts jobs does not compile the other operations' parsers).
 */
const validators = {
  StartJob: once(() => makeValidator("StartJob", Job.StartJobRequest, { side: "client" })),
  GetJob: once(() => makeValidator("GetJob", Job.GetJobRequest, { side: "client" })),
  ListJobs: once(() => makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" })),
  CancelJob: once(() => makeValidator("CancelJob", Job.CancelJobRequest, { side: "client" }))
}
const decoders = {
  StartJob: once(() => codec.makeOutputDecoder("StartJob", Job.StartJobResponse)),
  GetJob: once(() => codec.makeOutputDecoder("GetJob", Job.GetJobResponse)),
  ListJobs: once(() => codec.makeOutputDecoder("ListJobs", Job.ListJobsResponse)),
  CancelJob: once(() => codec.makeOutputDecoder("CancelJob", Job.CancelJobResponse))
}

/** The `_tag` of a request error's cause, e.g. `CredentialsError` from the signing middleware. */
const causeTag = (error: unknown): string | undefined => {
  const cause = typeof error === "object" && error !== null && "cause" in error ? error.cause : undefined
  return typeof cause === "object" && cause !== null && "_tag" in cause && typeof cause._tag === "string"
    ? cause._tag
    : undefined
}

/**
 * The transport's error with the request as the client built it, before signing: the signed one
 * carries the `Authorization` and `X-Amz-Security-Token` values, and Effect redacts those only when
 * printing inside a fiber (loggers), not when a tracer or a user serializes the error later. A
 * response error keeps its reason, description and cause, not the response (which holds the
 * signed request too).
 */
const unsigned = (cause: unknown, request: HttpClientRequest.HttpClientRequest): unknown => {
  if (!HttpClientError.isHttpClientError(cause)) return cause
  const description = cause._tag === "RequestError" ? cause.description : cause.message
  return new HttpClientError.RequestError({
    request,
    reason: cause._tag === "RequestError" ? cause.reason : "Transport",
    cause: cause.cause,
    ...(description === undefined ? {} : { description })
  })
}

const timeoutError = (operation: OperationName, attemptTimeout: Duration.Duration, url: string) =>
  new LocationJobsClientError({
    reason: "Timeout",
    message: `${operation}: no answer from ${originOf(url)} within ${Duration.format(attemptTimeout)} (attemptTimeout)`
  })

/** The transport's own words for a failure: the request error's description, else its cause's message. */
const transportWords = (cause: unknown): string => {
  if (HttpClientError.isHttpClientError(cause) && cause._tag === "RequestError") {
    if (cause.description !== undefined) return cause.description
    const inner = cause.cause
    if (inner instanceof Error && inner.message !== "") return inner.message
    if (typeof inner === "string" && inner !== "") return inner
  }
  return typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)
}

const transportError = (
  operation: OperationName,
  signed: unknown,
  request: HttpClientRequest.HttpClientRequest,
  attemptTimeout: Duration.Duration
) => {
  const cause = unsigned(signed, request)
  const tag = causeTag(cause)
  return tag === "CredentialsError"
    ? new LocationJobsClientError({
      reason: "Credentials",
      message: `${operation}: no usable credentials: ${(cause as { cause: { message: string } }).cause.message}`,
      cause
    })
    : tag === "AttemptTimeout"
    ? timeoutError(operation, attemptTimeout, request.url)
    : new LocationJobsClientError({
      reason: "Transport",
      message: `${operation}: could not reach the service: ${
        unreachableMessage(cause, request.url, transportWords(cause))
      }`,
      cause
    })
}

/**
 * A user's retry Schedule around the attempts: the attempt number counted here, and `onRetry`
 * told of each retry with the attempt that failed and its error (the schedule's delay is not known
 * here).
 */
const withSchedule = <A, E extends LocationJobsError>(
  attempt: (n: number) => Effect.Effect<A, Retry.AttemptFailure<E>>,
  schedule: Schedule.Schedule<unknown, E>,
  onRetry: ((attempt: number, error: E) => Effect.Effect<void>) | undefined
): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    let n = 0
    let last: E | undefined
    const once = Effect.suspend(() => {
      n++
      const run = Effect.mapError(attempt(n), (failure) => {
        last = failure.error
        return failure.error
      })
      return n === 1 || last === undefined || onRetry === undefined ? run : Effect.zipRight(onRetry(n - 1, last), run)
    })
    return Effect.retry(once, schedule)
  })

/**
 * Builds the `LocationJobs` service over the `HttpClient` in context. Fails with a
 * `Configuration` client error when the endpoint cannot be resolved.
 */
export const make = (
  options: ClientOptions
): Effect.Effect<LocationJobsService, LocationJobsClientError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const endpoint = yield* Endpoint.resolve(options)
    const transportSpans = options.transportSpans === true
    const http = tracing.httpClients(yield* HttpClient.HttpClient, {
      transportSpans,
      transportUntracedWithoutTracer: options.transportUntracedWithoutTracer === true
    })
    const spans = tracing.makeOperationSpans({ signingRegion: endpoint.signingRegion, transportSpans })
    const attemptTimeout = Duration.decode(options.attemptTimeout ?? "30 seconds")
    const timedByTransport = options.attemptTimeoutByTransport === true
    const generateToken = options.generateClientToken ?? randomUuid
    const retry = options.retry ?? {}
    const policy = retry === false ? Retry.standard({ maxAttempts: 1 }) : "schedule" in retry ? undefined : Retry.standard(retry)

    const agent = sdkHeaders.userAgent({ appId: options.appId, platform: options.userAgentPlatform })
    // A user's Schedule decides the attempts itself: `amz-sdk-request` then names no maximum.
    const maxAttempts = policy?.maxAttempts

    /** One attempt: build the request, send it within the time limit, decode the answer. */
    const sendOnce = <A>(
      operation: OperationName,
      wire: Wire.WireRequest,
      decode: (r: Wire.WireResponse) => Either.Either<A, LocationJobsClientError>,
      traced: tracing.AttemptSpans | undefined,
      invocationId: string,
      attempt: number
    ): Effect.Effect<A, Retry.AttemptFailure<LocationJobsError>> => {
      const url = endpoint.url + wire.path
      const headers = sdkHeaders.attemptHeaders(agent, invocationId, attempt, maxAttempts)
      const request = wire.body === undefined
        ? HttpClientRequest.get(url, { headers })
        : HttpClientRequest.post(url, {
          headers: { ...headers, "content-type": "application/json" },
          body: HttpBody.uint8Array(encoder.encode(wire.body), "application/json")
        })
      const sent = Effect.flatMap((traced === undefined ? http.untraced : http.traced).execute(request), (response) =>
        Effect.map(response.text, (body): Wire.WireResponse => ({
          status: response.status,
          headers: response.headers,
          body
        })))
      const timed = timedByTransport
        ? sent
        : Retry.timeoutFail(sent, attemptTimeout, () => timeoutError(operation, attemptTimeout, url))
      // One step for both outcomes: a transport failure (or the client's own timeout) becomes the
      // attempt's failure; an answer is decoded by status.
      return Effect.matchEffect(timed, {
        onFailure: (cause): Effect.Effect<never, Retry.AttemptFailure<LocationJobsError>> =>
          Effect.fail({
            error: cause instanceof LocationJobsClientError ? cause : transportError(operation, cause, request, attemptTimeout),
            retryAfterMs: undefined
          }),
        onSuccess: (response) => {
          if (traced !== undefined) tracing.recordResponse(response, traced)
          if (response.status >= 200 && response.status < 300) {
            const decoded = decode(response)
            if (decoded._tag === "Left") return Effect.fail({ error: decoded.left, retryAfterMs: undefined })
            if (traced !== undefined) tracing.recordOutput(decoded.right, traced)
            return Effect.succeed(responseMetadata.attach(decoded.right, response, attempt))
          }
          return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(Wire.decodeError(operation, response, now)))
        }
      })
    }

    /** The retry loop around `attempt(n)`, reporting retries to `span` (when traced) and the log. */
    const retried = <A, E extends LocationJobsError>(
      operation: OperationName,
      attempt: (n: number) => Effect.Effect<A, Retry.AttemptFailure<E>>,
      span: Tracer.Span | undefined
    ): Effect.Effect<A, E> =>
      policy !== undefined
        ? Retry.runStandard(policy, attempt, (decision) => tracing.observeRetry(operation, span, decision))
        : withSchedule(
          attempt,
          (retry as { readonly schedule: Schedule.Schedule<unknown, E> }).schedule,
          span === undefined ? undefined : tracing.scheduledRetryEvent(span)
        )

    /** A call: its retry loop of attempts, under the operation's spans when a tracer is installed. */
    const run = <A, E extends LocationJobsError>(
      operation: OperationName,
      wire: Wire.WireRequest,
      decode: (r: Wire.WireResponse) => Either.Either<A, LocationJobsClientError>,
      jobId: string | undefined
    ): Effect.Effect<A, E> =>
      Effect.withFiberRuntime((fiber) => {
        // One id per call, made here, outside the retry loop: every attempt carries it.
        const invocationId = randomUuid()
        const send = (n: number, traced?: tracing.AttemptSpans) =>
          sendOnce(operation, wire, decode, traced, invocationId, n) as Effect.Effect<A, Retry.AttemptFailure<E>>
        if (!tracing.isTraced(fiber)) return retried(operation, (n) => send(n), undefined)
        return spans.operation<A, E>(operation, jobId, (span, traceAttempt) =>
          retried(operation, (n) => traceAttempt(n, (traced) => send(n, traced)), span))
      })

    const service: LocationJobsService = {
      startJob: (input) =>
        Either.match(validators.StartJob()(input), {
          onLeft: Effect.fail,
          onRight: (valid) =>
            Effect.suspend(() => {
              // The token is made once, here, outside the retry loop: every attempt reuses it.
              const token = valid.ClientToken ?? generateToken()
              return run("StartJob", Wire.encodeStartJob(valid, token), decoders.StartJob(), undefined)
            })
        }),
      getJob: (input) =>
        Either.match(validators.GetJob()(input), {
          onLeft: Effect.fail,
          onRight: (valid) => run("GetJob", Wire.encodeGetJob(valid), decoders.GetJob(), valid.JobId)
        }),
      listJobs: (input) =>
        Either.match(validators.ListJobs()(input ?? {}), {
          onLeft: Effect.fail,
          onRight: (valid) => run("ListJobs", Wire.encodeListJobs(valid), decoders.ListJobs(), undefined)
        }),
      cancelJob: (input) =>
        Either.match(validators.CancelJob()(input), {
          onLeft: Effect.fail,
          onRight: (valid) => run("CancelJob", Wire.encodeCancelJob(valid), decoders.CancelJob(), valid.JobId)
        })
    }
    return service
  })

/** `LocationJobs` over the `HttpClient` in context, with the given options. */
export const layer = (
  options: ClientOptions
): Layer.Layer<LocationJobs, LocationJobsClientError, HttpClient.HttpClient> => Layer.effect(LocationJobs, make(options))

/**
 * `LocationJobs` with endpoint and retry settings read from `Config` (the AWS environment
 * variables, as `SharedConfig` reads them; `profile` is what an adapter read from the shared
 * config file), overridden by `options` where given.
 */
export const layerConfig = (
  options: ClientOptions = {},
  profile?: SharedConfig.ProfileSettings | undefined
): Layer.Layer<LocationJobs, LocationJobsClientError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(LocationJobs, Effect.flatMap(SharedConfig.withConfig(options, profile), make))
