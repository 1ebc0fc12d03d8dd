/**
 * The `LocationJobs` service: the four operations of the Amazon Location Jobs API as
 * Effects with typed errors. Adapters (`@geojobs/node`, `@geojobs/fetch`, `@geojobs/testing`)
 * provide it; programs use the accessors below.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type {
  CancelJobRequest,
  CancelJobResponse,
  GetJobRequest,
  GetJobResponse,
  ListJobsRequest,
  ListJobsResponse,
  StartJobRequest,
  StartJobResponse
} from "./Job.js"
import type { CancelJobError, GetJobError, ListJobsError, StartJobError } from "./LocationJobsError.js"

/**
 * The operations. Inputs are the wire shapes (plain strings and objects); every
 * implementation checks them against the API's constraints before acting.
 */
export interface LocationJobsService {
  /** Starts a job. A missing `ClientToken` is generated once and reused by every retry. */
  readonly startJob: (input: StartJobRequest) => Effect.Effect<StartJobResponse, StartJobError>
  /** Reads one job. */
  readonly getJob: (input: GetJobRequest) => Effect.Effect<GetJobResponse, GetJobError>
  /** Reads one page of jobs (newest first on the local service). */
  readonly listJobs: (input?: ListJobsRequest) => Effect.Effect<ListJobsResponse, ListJobsError>
  /** Asks a Pending or Running job to stop; a finished job answers its status. */
  readonly cancelJob: (input: CancelJobRequest) => Effect.Effect<CancelJobResponse, CancelJobError>
}

/** The service tag. */
export class LocationJobs extends Context.Tag("@geojobs/core/LocationJobs")<LocationJobs, LocationJobsService>() {}

/** Starts a ValidateAddress job. */
export const startJob = (input: StartJobRequest): Effect.Effect<StartJobResponse, StartJobError, LocationJobs> =>
  Effect.flatMap(LocationJobs, (service) => service.startJob(input))

/** Reads a job by id. */
export const getJob = (input: GetJobRequest): Effect.Effect<GetJobResponse, GetJobError, LocationJobs> =>
  Effect.flatMap(LocationJobs, (service) => service.getJob(input))

/** Reads one page of jobs. See `Paginator` for every page as a Stream. */
export const listJobs = (input?: ListJobsRequest): Effect.Effect<ListJobsResponse, ListJobsError, LocationJobs> =>
  Effect.flatMap(LocationJobs, (service) => service.listJobs(input))

/** Cancels a job. */
export const cancelJob = (input: CancelJobRequest): Effect.Effect<CancelJobResponse, CancelJobError, LocationJobs> =>
  Effect.flatMap(LocationJobs, (service) => service.cancelJob(input))
