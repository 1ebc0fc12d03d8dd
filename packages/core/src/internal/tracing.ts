/**
 * The tracing of `LocationJobsClient`: the operation span and its attempt spans, their attributes,
 * the retry events and debug log lines, and the choice of `HttpClient` by whether a call is traced.
 * The client calls in here around sending and retrying; what it records is described in
 * `LocationJobsClient`'s module comment and named in `SpanAttribute` / `SpanEvent`.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Tracer from "effect/Tracer"
import type * as Retry from "../Retry.js"
import { isThrottling, type LocationJobsError, type OperationName } from "./errors.js"
import * as Wire from "./wire.js"

/**
 * Names of the span attributes and events the client records (OpenTelemetry semantic conventions
 * where one exists, `aws.*`/`geojobs.*` otherwise). Nothing secret is ever recorded: no
 * credentials, no signature, no `Authorization` or `X-Amz-Security-Token` value, no request body.
 */
export const SpanAttribute = {
  /** `"aws-api"` (operation span). */
  rpcSystem: "rpc.system",
  /** `"Location"` (operation span). */
  rpcService: "rpc.service",
  /** The operation, e.g. `"StartJob"` (operation span). */
  rpcMethod: "rpc.method",
  /** The signing Region (operation span). */
  region: "aws.region",
  /** The job's id: from the input (GetJob, CancelJob) or the output (StartJob) (operation span). */
  jobId: "aws.location.job_id",
  /** The `x-amzn-requestid` of the answer (attempt span; the last one on the operation span). */
  requestId: "aws.request_id",
  /** HTTP status of the answer (attempt span; the last one on the operation span). */
  statusCode: "http.response.status_code",
  /** The failure's `_tag`, e.g. `"ThrottlingException"` (attempt span, and the operation span when it fails). */
  errorType: "error.type",
  /** `reason` of a `LocationJobsClientError` (`Transport`, `Timeout`, …). */
  errorReason: "geojobs.error.reason",
  /** Attempts made (operation span). */
  attempts: "geojobs.attempts",
  /** Attempts answered with throttling (operation span, when any). */
  throttles: "geojobs.throttles",
  /** This attempt's number, 1 for the first (attempt span). */
  attempt: "geojobs.attempt",
  /** Attempts before this one, when any (attempt span). */
  resendCount: "http.request.resend_count",
  /** The server's retry hint in ms (attempt span, and `retry` events). */
  retryAfterMs: "geojobs.retry_after_ms",
  /** Delay before the next attempt (`retry` event). */
  retryDelayMs: "geojobs.retry.delay_ms",
  /** `"throttling"` or `"transient"` (`retry` and `retry.budget_exhausted` events). */
  retryReason: "geojobs.retry.reason",
  /** The job's last known status (`LocationJobs.waitForJob` span). */
  jobStatus: "aws.location.job_status",
  /** GetJob polls made (`LocationJobs.waitForJob` span). */
  waitPolls: "geojobs.wait.polls",
  /** How the wait ended: `Completed`, `Failed`, `Cancelled`, `Timeout` or `Error` (`LocationJobs.waitForJob` span). */
  waitOutcome: "geojobs.wait.outcome",
  /** Pages read (`LocationJobs.listJobsPages` span). */
  pages: "geojobs.pages"
} as const

/** Names of the events on the operation span. */
export const SpanEvent = {
  /** An attempt failed and another follows (attributes: attempt, error type, reason, delay, hint). */
  retry: "retry",
  /** An attempt failed with a retryable error but the retry budget refused another. */
  budgetExhausted: "retry.budget_exhausted"
} as const

const A = SpanAttribute

/** Effect's built-in tracer: what runs when no tracer is installed. Its spans reach no exporter. */
const builtInTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * Whether this call makes spans: tracing is enabled and a tracer other than Effect's built-in one
 * is installed. Under the built-in tracer spans would be recorded nowhere, and two of them (with
 * their parent contexts) cost more CPU per call than the whole of decoding the answer.
 */
export const isTraced = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
  Context.get(fiber.getFiberRef(DefaultServices.currentServices), Tracer.Tracer) !== builtInTracer

/**
 * The `HttpClient` for traced calls and the one for untraced calls. The transport's own span is
 * dropped unless `transportSpans` is set; a transport that makes no span while no tracer is
 * installed (`transportUntracedWithoutTracer`) is left alone for untraced calls, which saves
 * disabling its tracing per call.
 */
export const httpClients = (
  client: HttpClient.HttpClient,
  options: { readonly transportSpans: boolean; readonly transportUntracedWithoutTracer: boolean }
): { readonly traced: HttpClient.HttpClient; readonly untraced: HttpClient.HttpClient } => {
  const traced = options.transportSpans ? client : HttpClient.withTracerDisabledWhen(client, () => true)
  return { traced, untraced: options.transportUntracedWithoutTracer ? client : traced }
}

/** The spans one attempt reports to: the operation's and the attempt's own. */
export interface AttemptSpans {
  readonly span: Tracer.Span
  readonly attemptSpan: Tracer.Span
}

/** Status and request id of an answer, on the attempt span and (the latest) on the operation span. */
export const recordResponse = (response: Wire.WireResponse, spans: AttemptSpans): void => {
  spans.attemptSpan.attribute(A.statusCode, response.status)
  spans.span.attribute(A.statusCode, response.status)
  const requestId = Wire.requestIdOf(response.headers)
  if (requestId !== undefined) {
    spans.attemptSpan.attribute(A.requestId, requestId)
    spans.span.attribute(A.requestId, requestId)
  }
}

/** The job id of a decoded output (StartJob's new job), on the operation span. */
export const recordOutput = (output: unknown, spans: AttemptSpans): void => {
  const jobId = (output as { readonly JobId?: unknown }).JobId
  if (typeof jobId === "string") spans.span.attribute(A.jobId, jobId)
}

/** The failure of one attempt, on its span; throttling is also counted on the operation span. */
const recordAttemptFailure = (failure: Retry.AttemptFailure<LocationJobsError>, spans: AttemptSpans): void => {
  const error = failure.error
  spans.attemptSpan.attribute(A.errorType, error._tag)
  if (error._tag === "LocationJobsClientError") spans.attemptSpan.attribute(A.errorReason, error.reason)
  if (failure.retryAfterMs !== undefined) spans.attemptSpan.attribute(A.retryAfterMs, failure.retryAfterMs)
  if (isThrottling(error)) {
    const before = spans.span.attributes.get(A.throttles)
    spans.span.attribute(A.throttles, (typeof before === "number" ? before : 0) + 1)
  }
}

/** A retry decision as an event on the operation span and a debug log line (only on the failure path). */
export const observeRetry = <E extends LocationJobsError>(
  operation: OperationName,
  span: Tracer.Span | undefined,
  decision: Retry.RetryDecision<E>
): Effect.Effect<void> =>
  Effect.flatMap(Clock.currentTimeNanos, (now) => {
    const status = decision.error.status
    const attributes: Record<string, unknown> = {
      [A.attempt]: decision.attempt,
      [A.errorType]: decision.error._tag,
      [A.retryReason]: decision.reason
    }
    if (status !== undefined) attributes[A.statusCode] = status
    if (decision.error.requestId !== undefined) attributes[A.requestId] = decision.error.requestId
    if (decision._tag === "Retry") {
      attributes[A.retryDelayMs] = decision.delayMs
      if (decision.retryAfterMs !== undefined) attributes[A.retryAfterMs] = decision.retryAfterMs
      span?.event(SpanEvent.retry, now, attributes)
    } else {
      span?.event(SpanEvent.budgetExhausted, now, attributes)
    }
    const what = `${operation}: attempt ${decision.attempt} failed with ${decision.error._tag}` +
      (status === undefined ? "" : ` (HTTP ${status})`)
    const log = Effect.annotateLogs(
      Effect.logDebug(
        decision._tag === "Retry"
          ? `${what}; retrying in ${decision.delayMs} ms (${decision.reason})`
          : `${what}; not retried: the retry budget is exhausted`
      ),
      attributes
    )
    return span === undefined ? log : Effect.withParentSpan(log, span)
  })

/**
 * A retry under a user's Schedule as an event on the operation span: the attempt that failed and
 * its error (the schedule's delay is not known here).
 */
export const scheduledRetryEvent = (span: Tracer.Span) => (attempt: number, error: LocationJobsError): Effect.Effect<void> =>
  Effect.map(Clock.currentTimeNanos, (now) =>
    span.event(SpanEvent.retry, now, {
      [A.attempt]: attempt,
      [A.errorType]: error._tag,
      [A.retryReason]: isThrottling(error) ? "throttling" : "transient"
    }))

/** Runs one attempt under its span, given the spans to report to. */
export type TraceAttempt<A, E extends LocationJobsError> = (
  n: number,
  send: (spans: AttemptSpans) => Effect.Effect<A, Retry.AttemptFailure<E>>
) => Effect.Effect<A, Retry.AttemptFailure<E>>

/**
 * The operation spans of one client, their names and options made once: `operation` runs a call
 * (its retry loop) under the operation span, handing it the span and a way to run each attempt
 * under an attempt span.
 */
export const makeOperationSpans = (options: { readonly signingRegion: string; readonly transportSpans: boolean }) => {
  const names = {} as Record<OperationName, {
    readonly operation: string
    readonly attempt: string
    readonly options: Tracer.SpanOptions
  }>
  for (const operation of ["StartJob", "GetJob", "ListJobs", "CancelJob"] as const) {
    names[operation] = {
      operation: `LocationJobs.${operation}`,
      attempt: `LocationJobs.${operation} attempt`,
      options: {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          [A.rpcSystem]: "aws-api",
          [A.rpcService]: "Location",
          [A.rpcMethod]: operation,
          [A.region]: options.signingRegion
        }
      }
    }
  }

  const operation = <A, E extends LocationJobsError>(
    operation: OperationName,
    jobId: string | undefined,
    call: (span: Tracer.Span, traceAttempt: TraceAttempt<A, E>) => Effect.Effect<A, E>
  ): Effect.Effect<A, E> => {
    const name = names[operation]
    return Effect.useSpan(name.operation, name.options, (span) => {
      if (jobId !== undefined) span.attribute(A.jobId, jobId)
      // Attempt spans name their parent; neither span becomes the context's current span (that
      // costs a context copy per span) unless the transport's own span must nest under the attempt's.
      const attemptOptions: Tracer.SpanOptions = { kind: "internal", captureStackTrace: false, parent: span }
      const traceAttempt: TraceAttempt<A, E> = (n, send) => {
        // The attempt span ends with the error itself (what exporters print), its hint kept aside.
        let retryAfterMs: number | undefined
        return Effect.mapError(
          Effect.useSpan(name.attempt, attemptOptions, (attemptSpan) => {
            attemptSpan.attribute(A.attempt, n)
            if (n > 1) attemptSpan.attribute(A.resendCount, n - 1)
            span.attribute(A.attempts, n)
            const spans: AttemptSpans = { span, attemptSpan }
            const sent = Effect.mapError(send(spans), (failure) => {
              recordAttemptFailure(failure, spans)
              retryAfterMs = failure.retryAfterMs
              return failure.error
            })
            return options.transportSpans ? Effect.withParentSpan(sent, attemptSpan) : sent
          }),
          (error): Retry.AttemptFailure<E> => ({ error, retryAfterMs })
        )
      }
      return Effect.mapError(call(span, traceAttempt), (error) => {
        span.attribute(A.errorType, error._tag)
        if (error._tag === "LocationJobsClientError") span.attribute(A.errorReason, error.reason)
        return error
      })
    })
  }
  return { operation }
}
