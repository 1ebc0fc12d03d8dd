/**
 * The four operations of the Jobs API as the service performs them, over a `JobStore`, the
 * `Clock` and `JobsConfig`. Inputs are untrusted (`unknown`: a parsed body or a caller's
 * object) and are validated exactly as the spec's constraints say. Pure Effect: no I/O of its
 * own, time from `Clock` (so `TestClock` drives it), ids from `JobsConfig.newId`.
 *
 * Documented choices for the spec's UNKNOWNs:
 * - Job ids are `<Name>-<uuid>` when the job is named, a bare `<uuid>` otherwise; ARNs are
 *   `arn:<partition>:geo:<region>:<account>:job/<JobId>`.
 * - StartJob with a known `ClientToken` and the same request (same members, any order, token
 *   excluded) answers the existing job with its **current** status. With a different request
 *   it fails with {@link ClientTokenConflict} (rendered on the wire as a 400
 *   `ValidationException`, reason `Other`, field `ClientToken`, since StartJob models no
 *   ConflictException). Tokens are remembered for `JobsConfig.clientTokenTtl`.
 * - A StartJob without `ClientToken` always creates a job.
 * - ListJobs is newest first (by creation order), `MaxResults` defaults to
 *   `JobsConfig.defaultMaxResults` (100), `NextToken` is omitted on the last page and is
 *   refused (`FieldValidationFailed` on `NextToken`) when forged, expired or reused with
 *   another filter. A page size may change between pages.
 * - CancelJob on an unknown id fails with `ResourceNotFoundException` (404), as GetJob does;
 *   the model lists no such error for CancelJob. CancelJob on a `Cancelling` job answers
 *   `Cancelling`; on a terminal job it answers the job's status and changes nothing.
 *
 * @since 0.1.0
 */
import * as Job from "@geojobs/core/Job"
import type { ResourceNotFoundException, ValidationException } from "@geojobs/core/LocationJobsError"
import { ValidationException as ValidationExceptionClass } from "@geojobs/core/LocationJobsError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { canonicalJson } from "./internal/canonicalJson.js"
import { makeRequestDecoder } from "./internal/requestDecoder.js"
import { sha256 } from "./internal/sha256.js"
import { getOrNotFound, move } from "./internal/transitions.js"
import { JobsConfig, type JobsConfigInput, type JobsConfigService, layer as configLayer } from "./JobsConfig.js"
import * as JobRecord from "./JobRecord.js"
import { JobStore, JobStoreError, type JobStoreService, layerMemory as memoryStoreLayer } from "./JobStore.js"
import * as PageToken from "./PageToken.js"

/**
 * StartJob reused a `ClientToken` with a different request. The spec leaves this UNKNOWN; we
 * refuse it (no second job, the first one untouched). On the wire and through `LocationJobs`
 * it is a `ValidationException` with reason `Other` naming `ClientToken` (see {@link toValidationException}).
 */
export class ClientTokenConflict extends Schema.TaggedError<ClientTokenConflict>()("ClientTokenConflict", {
  clientToken: Schema.String,
  existingJobId: Schema.String,
  message: Schema.String
}) {
  /** The client-visible form: 400 ValidationException, reason `Other`, field `ClientToken`. */
  toValidationException(): ValidationException {
    return new ValidationExceptionClass({
      message: this.message,
      reason: "Other",
      fieldList: [{ name: "ClientToken", message: this.message }],
      status: 400
    })
  }
}

/** StartJob's failures inside the service. */
export type StartJobFailure = ValidationException | ClientTokenConflict | JobStoreError
/** GetJob's failures inside the service. */
export type GetJobFailure = ValidationException | ResourceNotFoundException | JobStoreError
/** ListJobs' failures inside the service. */
export type ListJobsFailure = ValidationException | JobStoreError
/** CancelJob's failures inside the service. */
export type CancelJobFailure = ValidationException | ResourceNotFoundException | JobStoreError

/** The operations. Each validates its input first and never dies on a bad request. */
export interface JobsApiService {
  readonly startJob: (input: unknown) => Effect.Effect<Job.StartJobResponse, StartJobFailure>
  readonly getJob: (input: unknown) => Effect.Effect<Job.GetJobResponse, GetJobFailure>
  readonly listJobs: (input: unknown) => Effect.Effect<Job.ListJobsResponse, ListJobsFailure>
  readonly cancelJob: (input: unknown) => Effect.Effect<Job.CancelJobResponse, CancelJobFailure>
  /** The settings in force (for ids of answers and for adapters). */
  readonly config: JobsConfigService
}

/** The service tag. */
export class JobsApi extends Context.Tag("@geojobs/service/JobsApi")<JobsApi, JobsApiService>() {}

/** Hooks a host may give to learn about new work (the test double's auto-progress uses them). */
export interface JobsApiHooks {
  /** After a StartJob created a job (not on a replay). */
  readonly onJobCreated?: (job: JobRecord.JobRecord) => Effect.Effect<void>
  /** After CancelJob moved a job to Cancelling. */
  readonly onCancelRequested?: (job: JobRecord.JobRecord) => Effect.Effect<void>
}

const encoder = new TextEncoder()

/** Fingerprint of a StartJob request without its token: SHA-256 of canonical JSON. */
export const requestHash = (request: Job.StartJobRequest): string => {
  const { ClientToken: _token, ...rest } = request
  return Encoding.encodeHex(sha256(encoder.encode(canonicalJson(rest))))
}

/** Builds the operations over explicit dependencies. */
export const makeWith = (
  store: JobStoreService,
  config: JobsConfigService,
  hooks: JobsApiHooks = {}
): JobsApiService => {
  const options = { rejectUnknownFields: config.rejectUnknownFields }
  const decodeStart = makeRequestDecoder("StartJob", Job.StartJobRequest, options)
  const decodeGet = makeRequestDecoder("GetJob", Job.GetJobRequest, options)
  const decodeList = makeRequestDecoder("ListJobs", Job.ListJobsRequest, options)
  const decodeCancel = makeRequestDecoder("CancelJob", Job.CancelJobRequest, options)
  const tokenTtl = Duration.toMillis(config.clientTokenTtl)
  const pageTtl = Duration.toMillis(config.nextTokenTtl)
  let startsSincePurge = 0

  const newJobId = (name: string | undefined) =>
    Effect.map(config.newId, (uuid) => (name === undefined ? uuid : `${name}-${uuid}`))

  const startJob = (input: unknown) =>
    Effect.gen(function*() {
      const request = yield* decodeStart(input)
      const now = yield* Clock.currentTimeMillis
      const hash = requestHash(request)
      if (++startsSincePurge >= 256) {
        startsSincePurge = 0
        yield* store.purgeExpiredTokens(now)
      }
      const jobId = yield* newJobId(request.Name)
      const record: JobRecord.NewJobRecord = {
        jobId,
        jobArn: `arn:${config.partition}:geo:${config.region}:${config.accountId}:job/${jobId}`,
        action: request.Action,
        executionRoleArn: request.ExecutionRoleArn,
        inputOptions: request.InputOptions,
        outputOptions: request.OutputOptions,
        status: "Pending",
        createdAt: now,
        updatedAt: now,
        version: 1,
        requestHash: hash,
        ...(request.Name !== undefined ? { name: request.Name } : {}),
        ...(request.ActionOptions !== undefined ? { actionOptions: request.ActionOptions } : {}),
        ...(request.Tags !== undefined ? { tags: request.Tags } : {}),
        ...(request.ClientToken !== undefined ? { clientToken: request.ClientToken } : {})
      }
      const claim = request.ClientToken === undefined
        ? undefined
        : { token: request.ClientToken, requestHash: hash, expiresAt: now + tokenTtl, now }
      const result = yield* store.insert(record, claim)
      if (result._tag === "Inserted") {
        if (hooks.onJobCreated) yield* hooks.onJobCreated(result.job)
        return JobRecord.toStartJobResponse(result.job)
      }
      if (result.token.requestHash !== hash) {
        return yield* new ClientTokenConflict({
          clientToken: result.token.token,
          existingJobId: result.token.jobId,
          message:
            `ClientToken ${result.token.token} was already used with a different request (job ${result.token.jobId})`
        })
      }
      return yield* Option.match(result.job, {
        onNone: () =>
          Effect.fail(
            new JobStoreError({ reason: "Unavailable", message: `job ${result.token.jobId} of a known token is missing` })
          ),
        onSome: (job) => Effect.succeed(JobRecord.toStartJobResponse(job))
      })
    }).pipe(
      Effect.retry({ while: (e) => e._tag === "JobStoreError" && e.reason === "DuplicateJobId", times: 3 })
    )

  const getJob = (input: unknown) =>
    Effect.gen(function*() {
      const request = yield* decodeGet(input)
      const job = yield* getOrNotFound(store, request.JobId)
      return JobRecord.toGetJobResponse(job)
    })

  const badToken = (message: string) =>
    new ValidationExceptionClass({
      message: `ListJobs: invalid request: ${message}`,
      reason: "FieldValidationFailed",
      fieldList: [{ name: "NextToken", message }],
      status: 400
    })

  const listJobs = (input: unknown) =>
    Effect.gen(function*() {
      const request = yield* decodeList(input === undefined ? {} : input)
      const now = yield* Clock.currentTimeMillis
      const status = request.Filter?.JobStatus
      const limit = request.MaxResults ?? config.defaultMaxResults
      let beforeSeq: number | undefined
      if (request.NextToken !== undefined) {
        const cursor = PageToken.decode(config.nextTokenSecret, request.NextToken, { now, ttlMillis: pageTtl, status })
        if (Either.isLeft(cursor)) {
          return yield* badToken(
            cursor.left === "Forged"
              ? "NextToken is not a token this service issued"
              : cursor.left === "Expired"
              ? "NextToken has expired; start the listing again"
              : "NextToken was issued for a different Filter"
          )
        }
        beforeSeq = cursor.right.beforeSeq
      }
      const page = yield* store.list({ limit, ...(status !== undefined ? { status } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}) })
      const last = page.jobs[page.jobs.length - 1]
      const response: Job.ListJobsResponse = {
        Entries: page.jobs.map(JobRecord.toListJobsEntry),
        ...(page.hasMore && last !== undefined
          ? { NextToken: PageToken.encode(config.nextTokenSecret, { beforeSeq: last.seq, status, issuedAt: now }) }
          : {})
      }
      return response
    })

  const cancelJob = (input: unknown) =>
    Effect.gen(function*() {
      const request = yield* decodeCancel(input)
      const job = yield* getOrNotFound(store, request.JobId)
      if (job.status !== "Pending" && job.status !== "Running") return JobRecord.toCancelJobResponse(job)
      const moved = yield* move(store, request.JobId, "cancel").pipe(
        // Lost a race with a runner that finished or failed the job meanwhile: answer what it is now.
        Effect.catchTag("IllegalTransition", () => getOrNotFound(store, request.JobId))
      )
      if (moved.status === "Cancelling" && hooks.onCancelRequested) yield* hooks.onCancelRequested(moved)
      return JobRecord.toCancelJobResponse(moved)
    })

  return JobsApi.of({ startJob, getJob, listJobs, cancelJob, config })
}

/** Builds the operations from the context. */
export const make = (hooks: JobsApiHooks = {}): Effect.Effect<JobsApiService, never, JobStore | JobsConfig> =>
  Effect.map(Effect.all([JobStore, JobsConfig]), ([store, config]) => makeWith(store, config, hooks))

/** The operations as a layer (needs a `JobStore` and `JobsConfig`). */
export const layer: Layer.Layer<JobsApi, never, JobStore | JobsConfig> = Layer.effect(JobsApi, make())

/** The operations with an in-memory store and the given settings: a self-contained service. */
export const layerMemory = (config: JobsConfigInput = {}): Layer.Layer<JobsApi | JobStore | JobsConfig> =>
  Layer.provideMerge(layer, Layer.merge(memoryStoreLayer, configLayer(config)))
