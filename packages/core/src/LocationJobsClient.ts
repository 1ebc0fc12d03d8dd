/**
 * The REST-JSON client of the Jobs API over an abstract `HttpClient`: requests checked
 * against the API's constraints (nothing is sent when they fail), `ClientToken` filled once
 * before the retry loop, the standard retry policy around send + decode, and responses
 * decoded into the output Schemas or the operation's typed errors.
 *
 * Signing is not done here: adapters (`@geojobs/node`, `@geojobs/fetch`) give the client an
 * `HttpClient` that signs (SigV4 middleware) and sends.
 *
 * @since 0.1.0
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Endpoint from "./Endpoint.js"
import * as codec from "./internal/codec.js"
import * as Job from "./Job.js"
import { LocationJobs, type LocationJobsService } from "./LocationJobs.js"
import { LocationJobsClientError, type LocationJobsError, type OperationName } from "./LocationJobsError.js"
import { makeValidator } from "./RequestValidation.js"
import * as Retry from "./Retry.js"

/** Options of the client. Endpoint options decide where requests go. */
export interface ClientOptions extends Endpoint.EndpointOptions {
  /** Retry policy: standard mode by default, a Schedule of your own, or `false`. */
  readonly retry?: Retry.RetryOption | undefined
  /** Time limit of one attempt (send + read the answer). Default 30 s. */
  readonly attemptTimeout?: Duration.DurationInput | undefined
  /** How a missing `ClientToken` is made. Default: `crypto.randomUUID()` (UUID v4). */
  readonly generateClientToken?: (() => string) | undefined
  /** Keep the HTTP client's own per-request span (off by default: it costs ~45 µs a call). */
  readonly transportSpans?: boolean | undefined
}

const encoder = new TextEncoder()

const randomUuid = (): string => globalThis.crypto.randomUUID()

/** Validators and output decoders, compiled once for all clients. */
const validators = {
  StartJob: makeValidator("StartJob", Job.StartJobRequest, { side: "client" }),
  GetJob: makeValidator("GetJob", Job.GetJobRequest, { side: "client" }),
  ListJobs: makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" }),
  CancelJob: makeValidator("CancelJob", Job.CancelJobRequest, { side: "client" })
}
const decoders = {
  StartJob: codec.makeOutputDecoder("StartJob", Job.StartJobResponse),
  GetJob: codec.makeOutputDecoder("GetJob", Job.GetJobResponse),
  ListJobs: codec.makeOutputDecoder("ListJobs", Job.ListJobsResponse),
  CancelJob: codec.makeOutputDecoder("CancelJob", Job.CancelJobResponse)
}

/** The `_tag` of a request error's cause, e.g. `CredentialsError` from the signing middleware. */
const causeTag = (error: unknown): string | undefined => {
  const cause = typeof error === "object" && error !== null && "cause" in error ? error.cause : undefined
  return typeof cause === "object" && cause !== null && "_tag" in cause && typeof cause._tag === "string"
    ? cause._tag
    : undefined
}

const transportError = (operation: OperationName, cause: unknown) =>
  causeTag(cause) === "CredentialsError"
    ? new LocationJobsClientError({
      reason: "Credentials",
      message: `${operation}: no usable credentials: ${(cause as { cause: { message: string } }).cause.message}`,
      cause
    })
    : new LocationJobsClientError({
    reason: "Transport",
    message: `${operation}: could not reach the service: ${
      typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)
    }`,
    cause
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
    const baseClient = yield* HttpClient.HttpClient
    const http = options.transportSpans ? baseClient : HttpClient.withTracerDisabledWhen(baseClient, () => true)
    const attemptTimeout = Duration.decode(options.attemptTimeout ?? "30 seconds")
    const generateToken = options.generateClientToken ?? randomUuid
    const retry = options.retry ?? {}
    const policy = retry === false ? Retry.standard({ maxAttempts: 1 }) : "schedule" in retry ? undefined : Retry.standard(retry)

    const sendOnce = <A>(
      operation: OperationName,
      wire: codec.WireRequest,
      decode: (r: codec.WireResponse) => Either.Either<A, LocationJobsClientError>
    ): Effect.Effect<A, Retry.AttemptFailure<LocationJobsError>> => {
      const url = endpoint.url + wire.path
      const request = wire.body === undefined
        ? HttpClientRequest.get(url)
        : HttpClientRequest.post(url, {
          headers: { "content-type": "application/json" },
          body: HttpBody.uint8Array(encoder.encode(wire.body), "application/json")
        })
      return http.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.map(response.text, (body): codec.WireResponse => ({
            status: response.status,
            headers: response.headers,
            body
          }))
        ),
        Effect.mapError((cause) => transportError(operation, cause)),
        (attempt) =>
          Retry.timeoutFail(attempt, attemptTimeout, () =>
            new LocationJobsClientError({
              reason: "Timeout",
              message: `${operation}: no answer within ${Duration.format(attemptTimeout)}`
            })),
        Effect.mapError((error): Retry.AttemptFailure<LocationJobsError> => ({ error, retryAfterMs: undefined })),
        Effect.flatMap((response) => {
          if (response.status >= 200 && response.status < 300) {
            return Either.match(decode(response), {
              onLeft: (error) => Effect.fail({ error, retryAfterMs: undefined }),
              onRight: Effect.succeed
            })
          }
          return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(codec.decodeError(operation, response, now)))
        })
      )
    }

    const run = <A, E extends LocationJobsError>(
      operation: OperationName,
      wire: codec.WireRequest,
      decode: (r: codec.WireResponse) => Either.Either<A, LocationJobsClientError>
    ): Effect.Effect<A, E> => {
      const once = sendOnce(operation, wire, decode) as Effect.Effect<A, Retry.AttemptFailure<E>>
      const withRetry: Effect.Effect<A, E> = policy !== undefined
        ? Retry.runStandard(policy, () => once)
        : Effect.retry(
          Effect.mapError(once, (f) => f.error),
          (retry as { readonly schedule: import("effect/Schedule").Schedule<unknown, E> }).schedule
        )
      return Effect.withSpan(withRetry, `LocationJobs.${operation}`, {
        kind: "client",
        captureStackTrace: false,
        attributes: { "rpc.system": "aws-api", "rpc.service": "Location", "rpc.method": operation, "aws.region": endpoint.signingRegion }
      })
    }

    const service: LocationJobsService = {
      startJob: (input) =>
        Either.match(validators.StartJob(input), {
          onLeft: Effect.fail,
          onRight: (valid) =>
            Effect.suspend(() => {
              // The token is made once, here, outside the retry loop: every attempt reuses it.
              const token = valid.ClientToken ?? generateToken()
              return run("StartJob", codec.encodeStartJob(valid, token), decoders.StartJob)
            })
        }),
      getJob: (input) =>
        Either.match(validators.GetJob(input), {
          onLeft: Effect.fail,
          onRight: (valid) => run("GetJob", codec.encodeGetJob(valid), decoders.GetJob)
        }),
      listJobs: (input) =>
        Either.match(validators.ListJobs(input ?? {}), {
          onLeft: Effect.fail,
          onRight: (valid) => run("ListJobs", codec.encodeListJobs(valid), decoders.ListJobs)
        }),
      cancelJob: (input) =>
        Either.match(validators.CancelJob(input), {
          onLeft: Effect.fail,
          onRight: (valid) => run("CancelJob", codec.encodeCancelJob(valid), decoders.CancelJob)
        })
    }
    return service
  })

/** `LocationJobs` over the `HttpClient` in context, with the given options. */
export const layer = (
  options: ClientOptions
): Layer.Layer<LocationJobs, LocationJobsClientError, HttpClient.HttpClient> => Layer.effect(LocationJobs, make(options))

/**
 * `LocationJobs` with endpoint settings read from `Config` (the AWS environment variables),
 * overridden by `options` where given.
 */
export const layerConfig = (
  options: ClientOptions = {}
): Layer.Layer<LocationJobs, LocationJobsClientError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(LocationJobs, Effect.flatMap(Endpoint.withConfig(options), make))
