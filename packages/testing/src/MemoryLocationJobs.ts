/**
 * `LocationJobs` answered in memory by `@geojobs/service`: the same validation, idempotency,
 * state machine and paging as the local service, with no HTTP. Requests are first checked the
 * way the real client checks them (`@geojobs/core` validators: a bad request fails with a
 * client-side `ValidationException` naming every bad field, and unknown members are dropped),
 * and a missing `ClientToken` is filled once, so user code sees what it would see over the wire.
 *
 * Errors are those the real client would surface: service `ValidationException`s (a reused
 * `ClientToken` with another request is reason `Other` on `ClientToken`) and
 * `ResourceNotFoundException` for an unknown id, from GetJob and CancelJob alike (the client
 * decodes every error the service defines on every operation; see `@geojobs/core/LocationJobsError`).
 *
 * @since 0.1.0
 */
import * as Job from "@geojobs/core/Job"
import { LocationJobs, type LocationJobsService } from "@geojobs/core/LocationJobs"
import {
  InternalServerException,
  type LocationJobsError,
  type OperationName,
  type ValidationException
} from "@geojobs/core/LocationJobsError"
import { makeValidator } from "@geojobs/core/RequestValidation"
import type { ClientTokenConflict, JobsApiService } from "@geojobs/service/JobsApi"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Backend from "./internal/backend.js"
import { JobsControl, type JobsControlService } from "./JobsControl.js"

/** Options: service settings and initial auto-progress (see `JobsControl.AutoProgress`). */
export type Options = Backend.BackendOptions

const validators = {
  StartJob: makeValidator("StartJob", Job.StartJobRequest, { side: "client" }),
  GetJob: makeValidator("GetJob", Job.GetJobRequest, { side: "client" }),
  ListJobs: makeValidator("ListJobs", Job.ListJobsRequest, { side: "client" }),
  CancelJob: makeValidator("CancelJob", Job.CancelJobRequest, { side: "client" })
}

/**
 * Maps a service-side failure to what the real client would report. The same for every
 * operation, since the client decodes each service error on every one; `operation` is kept for
 * callers of the earlier signature.
 */
export const toClientError = (
  _operation: OperationName,
  error: { readonly _tag: string; readonly message: string }
): LocationJobsError => {
  switch (error._tag) {
    case "ValidationException":
    case "AccessDeniedException":
    case "ThrottlingException":
    case "InternalServerException":
    case "ResourceNotFoundException":
      return error as LocationJobsError
    case "ClientTokenConflict":
      return (error as ClientTokenConflict).toValidationException()
    default:
      return new InternalServerException({ message: "The service failed to process the request", status: 500 })
  }
}

/** `LocationJobs` over a `JobsApi` (client-side checks, token filling, client-visible errors). */
export const fromApi = (api: JobsApiService): LocationJobsService => {
  const call = <A, I, O>(
    operation: OperationName,
    validate: (input: unknown) => Either.Either<I, ValidationException>,
    prepare: (valid: I) => Effect.Effect<unknown>,
    run: (input: unknown) => Effect.Effect<O, { readonly _tag: string; readonly message: string }>
  ) =>
  (input: A): Effect.Effect<O, any> =>
    Either.match(validate(input), {
      onLeft: Effect.fail,
      onRight: (valid) =>
        Effect.flatMap(prepare(valid), (prepared) =>
          Effect.mapError(run(prepared), (e) => toClientError(operation, e)))
    })
  return {
    startJob: call(
      "StartJob",
      validators.StartJob,
      (valid) =>
        valid.ClientToken !== undefined
          ? Effect.succeed(valid)
          : Effect.map(api.config.newId, (ClientToken) => ({ ...valid, ClientToken })),
      api.startJob
    ),
    getJob: call("GetJob", validators.GetJob, Effect.succeed, api.getJob),
    listJobs: (input) => call("ListJobs", validators.ListJobs, Effect.succeed, api.listJobs)(input ?? {}),
    cancelJob: call("CancelJob", validators.CancelJob, Effect.succeed, api.cancelJob)
  }
}

/** Builds the service and its control; timers (auto-progress) live as long as the scope. */
export const make = (
  options: Options = {}
): Effect.Effect<{ readonly jobs: LocationJobsService; readonly control: JobsControlService }, never, Scope.Scope> =>
  Effect.map(Backend.make(options), (backend) => ({ jobs: fromApi(backend.api), control: backend.control }))

/** `LocationJobs` in memory plus its `JobsControl`. Each build is a fresh, empty service. */
export const layer = (options: Options = {}): Layer.Layer<LocationJobs | JobsControl> =>
  Layer.scopedContext(
    Effect.map(make(options), ({ control, jobs }) =>
      Context.make(LocationJobs, jobs).pipe(Context.add(JobsControl, control)))
  )
