/**
 * Recipe: handle every typed error of `startJob`, each with what to do about it.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test \
 *   AWS_SECRET_ACCESS_KEY=test pnpm exec tsx examples/recipes/handle-errors.ts
 *
 * It sends one request that breaks the API's rules (a location that is not an S3 URI), so the
 * ValidationException branch runs: the client checks requests before sending them and names
 * every bad field. `Effect.catchTags` over the whole union makes the compiler check that no
 * error is left unhandled: remove a branch and the program's error type is no longer `never`.
 */
import type { StartJobRequest } from "@geojobs/core/Job"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as NodeMain from "@geojobs/node/NodeMain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

const request: StartJobRequest = {
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::000000000000:role/LocationJobs",
  InputOptions: { Location: "my-bucket/addresses", Format: "Parquet" }, // not s3://…
  OutputOptions: { Location: "s3://geojobs-output/recipes/errors/", Format: "Parquet" }
}

export const start = (input: StartJobRequest) =>
  LocationJobs.startJob(input).pipe(
    Effect.map((started) => `started ${started.JobId}`),
    Effect.catchTags({
      // The request: fix it and send again (no point retrying as is).
      ValidationException: (e) =>
        Effect.succeed(`invalid request (${e.reason}): ${e.fieldList.map((f) => `${f.name}: ${f.message}`).join("; ")}`),
      // Permissions: the caller's policy, or the ExecutionRoleArn's trust and S3 access.
      AccessDeniedException: (e) => Effect.succeed(`access denied: ${e.message} — check the IAM policy and the role`),
      // The same ClientToken was used for a different request.
      ConflictException: (e) => Effect.succeed(`conflict: ${e.message} — use a new ClientToken for a new job`),
      // Too many jobs at once for the account: wait for some to end, or ask for a higher quota.
      ServiceQuotaExceededException: (e) => Effect.succeed(`quota: ${e.message} — wait for running jobs to end`),
      ResourceNotFoundException: (e) => Effect.succeed(`not found: ${e.message}`),
      // Both are retried by the client already (standard retry mode); reaching here means the
      // retries ran out: back off for longer, or queue the work.
      ThrottlingException: (e) => Effect.succeed(`throttled after retries: ${e.message}`),
      InternalServerException: (e) => Effect.succeed(`service error after retries: ${e.message}`),
      // Not an answer of the service: the network, a time-out, credentials, configuration, or a
      // response this client could not read. `reason` says which; the message says what to fix.
      LocationJobsClientError: (e) => Effect.succeed(`client error (${e.reason}): ${e.message}`)
    })
  )

// The error channel is `never`: every case above is handled.
const program: Effect.Effect<void, never, LocationJobs.LocationJobs> = Effect.flatMap(start(request), Console.log)

// A failure ends as one line naming the error (and its cause), with exit code 1.
NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
