/**
 * One behavioural contract for every implementation of `LocationJobs` that sits on the
 * service semantics of `@geojobs/service`: the in-memory double, the HTTP double behind the
 * real client, and (later, unchanged) the local service. It needs only `LocationJobs` and a
 * `JobsControl`, and it tolerates jobs it did not create (it recognises its own by name), so
 * it can run against a long-lived server.
 *
 * Covers: lifecycle, idempotency, pagination over 250 jobs with several page sizes, status
 * filters, NextToken refusal, cancellation in every state, not-found, and validation of every
 * request constraint.
 *
 * @since 0.1.0
 */
import { describe, expect, layer } from "@effect/vitest"
import type { JobStatus, ListJobsResponseEntry, StartJobRequest } from "@geojobs/core/Job"
import { LocationJobs } from "@geojobs/core/LocationJobs"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import { JobsControl } from "./JobsControl.js"

/** Options of the suite. */
export interface ContractOptions {
  /**
   * Whether the implementation's time follows `TestClock` (in-memory doubles: yes). When false
   * the NextToken-expiry test is skipped.
   */
  readonly testClock?: boolean
  /** Time limit of each test and of building the layer (default 60 s). */
  readonly timeout?: Duration.DurationInput
}

const omit = <A extends object>(a: A, key: keyof A): Partial<A> => {
  const { [key]: _dropped, ...rest } = a
  return rest as Partial<A>
}

const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

/** Name + message of any failure, for compact assertions. */
const describeError = (e: unknown): { tag: string; reason?: string; fields?: ReadonlyArray<string>; code?: string } => {
  const x = e as { _tag: string; reason?: string; fieldList?: ReadonlyArray<{ name: string }>; code?: string }
  return {
    tag: x._tag,
    ...(x.reason !== undefined ? { reason: x.reason } : {}),
    ...(x.fieldList !== undefined ? { fields: x.fieldList.map((f) => f.name) } : {}),
    ...(x.code !== undefined ? { code: x.code } : {})
  }
}

/**
 * Registers the contract tests for `implementation` under `name` (call it at the top level of
 * a test file). The layer is built once for the whole suite, like a running server.
 */
export const contractSuite = <E>(
  name: string,
  implementation: Layer.Layer<LocationJobs | JobsControl, E>,
  options: ContractOptions = {}
): void => {
  const run = Math.random().toString(36).slice(2, 8)
  let counter = 0
  const uniqueName = (label: string) => `ct-${run}-${label}-${++counter}`
  const request = (overrides: Partial<StartJobRequest> = {}): StartJobRequest => ({
    Action: "ValidateAddress",
    ExecutionRoleArn: "arn:aws:iam::111122223333:role/LocationJobsExecution",
    InputOptions: { Location: "s3://contract-input/addresses/", Format: "Parquet" },
    OutputOptions: { Location: "s3://contract-output/results/", Format: "Parquet" },
    Name: uniqueName("job"),
    ...overrides
  })

  /** Every page of a listing, checking the page invariants on the way. */
  const listAll = (status: JobStatus | undefined, pageSize: number | undefined) =>
    Effect.gen(function*() {
      const jobs = yield* LocationJobs
      const entries: Array<ListJobsResponseEntry> = []
      let token: string | undefined
      let pages = 0
      do {
        const page = yield* jobs.listJobs({
          ...(status !== undefined ? { Filter: { JobStatus: status } } : {}),
          ...(pageSize !== undefined ? { MaxResults: pageSize } : {}),
          ...(token !== undefined ? { NextToken: token } : {})
        })
        pages++
        const limit = pageSize ?? 100
        expect(page.Entries.length).toBeLessThanOrEqual(limit)
        if (page.NextToken !== undefined) {
          expect(page.NextToken.length).toBeGreaterThan(0)
          expect(page.Entries.length).toBe(limit)
        }
        for (const e of page.Entries) expect(e).not.toHaveProperty("Tags")
        entries.push(...page.Entries)
        token = page.NextToken
        expect(pages).toBeLessThan(100_000)
      } while (token !== undefined)
      const ids = entries.map((e) => e.JobId)
      expect(new Set(ids).size).toBe(ids.length)
      return { entries, pages }
    })

  const timeout = options.timeout ?? "60 seconds"
  const timeoutMs = Duration.toMillis(timeout)

  describe(name, () => {
    layer(implementation, { timeout })((it) => {
      const effect = (testName: string, self: Parameters<typeof it.effect>[1]) => it.effect(testName, self, timeoutMs)
      effect("StartJob answers a Pending job: <Name>-<uuid> id, geo ARN, RFC 3339 time", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const req = request()
          const started = yield* jobs.startJob(req)
          expect(started.Status).toBe("Pending")
          expect(started.JobId).toMatch(new RegExp(`^${req.Name}-${uuid}$`))
          expect(started.JobArn).toMatch(/^arn:aws[a-z-]*:geo:[a-z0-9-]+:\d{12}:job\//)
          expect(started.JobArn.endsWith(`:job/${started.JobId}`)).toBe(true)
          expect(Number.isNaN(started.CreatedAt.getTime())).toBe(false)
          const { Name: _name, ...unnamedReq } = req
          const unnamed = yield* jobs.startJob(unnamedReq)
          expect(unnamed.JobId).toMatch(new RegExp(`^${uuid}$`))
        }))

      effect("GetJob echoes the request; active jobs have no EndedAt and no Error", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const req = request({
            ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "CountrySpecificAttributes"] } },
            Tags: { team: "geo", "cost center": "42" }
          })
          const { CreatedAt, JobArn, JobId } = yield* jobs.startJob(req)
          const job = yield* jobs.getJob({ JobId })
          expect(job).toEqual({
            Action: "ValidateAddress",
            ActionOptions: req.ActionOptions,
            CreatedAt,
            ExecutionRoleArn: req.ExecutionRoleArn,
            InputOptions: req.InputOptions,
            JobArn,
            JobId,
            Name: req.Name,
            OutputOptions: req.OutputOptions,
            Status: "Pending",
            Tags: req.Tags,
            UpdatedAt: CreatedAt
          })
        }))

      effect("lifecycle Pending → Running → Completed sets EndedAt only at the end", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const { JobId } = yield* jobs.startJob(request())
          yield* control.advance(JobId, "Running")
          const running = yield* jobs.getJob({ JobId })
          expect(running.Status).toBe("Running")
          expect(running.EndedAt).toBeUndefined()
          expect(running.UpdatedAt.getTime()).toBeGreaterThanOrEqual(running.CreatedAt.getTime())
          yield* control.advance(JobId, "Completed")
          const done = yield* jobs.getJob({ JobId })
          expect(done.Status).toBe("Completed")
          expect(done.EndedAt).toBeInstanceOf(Date)
          expect(done.EndedAt!.getTime()).toBeGreaterThanOrEqual(running.UpdatedAt.getTime())
          expect(done.Error).toBeUndefined()
          const illegal = yield* Effect.flip(control.advance(JobId, "Running"))
          expect(illegal.reason).toBe("IllegalTransition")
        }))

      effect("a failed job carries its Error and EndedAt; Pending can fail too", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const error = { Code: "ValidationError", Messages: ["Input bucket versioning is disabled"] } as const
          const a = yield* jobs.startJob(request())
          yield* control.advance(a.JobId, "Running")
          yield* control.fail(a.JobId, error)
          const failed = yield* jobs.getJob({ JobId: a.JobId })
          expect(failed.Status).toBe("Failed")
          expect(failed.Error).toEqual(error)
          expect(failed.EndedAt).toBeInstanceOf(Date)
          const b = yield* jobs.startJob(request())
          yield* control.fail(b.JobId)
          const early = yield* jobs.getJob({ JobId: b.JobId })
          expect(early.Status).toBe("Failed")
          expect(early.Error?.Code).toBe("InternalServerError")
        }))

      effect("idempotency: same ClientToken and request → the same job, once", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const req = request({ ClientToken: `tok-${run}-same`, Tags: { a: "1" } })
          const first = yield* jobs.startJob(req)
          const second = yield* jobs.startJob({ ...req })
          expect(second).toEqual(first)
          yield* control.advance(first.JobId, "Running")
          const third = yield* jobs.startJob(req)
          expect(third.JobId).toBe(first.JobId)
          expect(third.CreatedAt).toEqual(first.CreatedAt)
          expect(third.Status).toBe("Running")
          const mine = (yield* listAll(undefined, 100)).entries.filter((e) => e.Name === req.Name)
          expect(mine.map((e) => e.JobId)).toEqual([first.JobId])
        }))

      effect("idempotency: same ClientToken, different request → ValidationException on ClientToken", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const token = `tok-${run}-conflict`
          const req = request({ ClientToken: token })
          const first = yield* jobs.startJob(req)
          const conflict = yield* Effect.flip(jobs.startJob({ ...req, Tags: { changed: "yes" } }))
          expect(describeError(conflict)).toEqual({ tag: "ValidationException", reason: "Other", fields: ["ClientToken"] })
          const unchanged = yield* jobs.getJob({ JobId: first.JobId })
          expect(unchanged.Tags).toBeUndefined()
          const distinct = yield* jobs.startJob(request({ ClientToken: `${token}-2` }))
          expect(distinct.JobId).not.toBe(first.JobId)
        }))

      effect("idempotency: 20 concurrent StartJobs with one ClientToken create one job", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const req = request({ ClientToken: `tok-${run}-race` })
          const answers = yield* Effect.all(Array.from({ length: 20 }, () => jobs.startJob(req)), { concurrency: "unbounded" })
          expect(new Set(answers.map((a) => a.JobId)).size).toBe(1)
          const mine = (yield* control.jobs).filter((j) => j.clientToken === req.ClientToken)
          expect(mine.map((j) => j.jobId)).toEqual([answers[0]!.JobId])
        }))

      effect("pagination over 250 jobs: newest first, page sizes 1, 7, 50, 100 and the default", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const prefix = uniqueName("page")
          const created: Array<string> = []
          for (let i = 0; i < 250; i++) {
            created.push((yield* jobs.startJob(request({ Name: `${prefix}-${i}` }))).JobId)
          }
          const newestFirst = [...created].reverse()
          for (const size of [1, 7, 50, 100, undefined]) {
            const { entries, pages } = yield* listAll(undefined, size)
            const mine = entries.filter((e) => e.Name?.startsWith(`${prefix}-`)).map((e) => e.JobId)
            expect(mine, `page size ${size}`).toEqual(newestFirst)
            expect(pages).toBe(Math.max(1, Math.ceil(entries.length / (size ?? 100))))
            for (let i = 1; i < entries.length; i++) {
              expect(entries[i - 1]!.CreatedAt.getTime()).toBeGreaterThanOrEqual(entries[i]!.CreatedAt.getTime())
            }
          }
          const first = yield* jobs.listJobs()
          expect(first.Entries.length).toBe(100)
        }))

      effect("filters: each status lists exactly the jobs in it", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const byStatus: Partial<Record<JobStatus, string>> = {}
          const start = () => Effect.map(jobs.startJob(request()), (r) => r.JobId)
          byStatus.Pending = yield* start()
          byStatus.Running = yield* start()
          yield* control.advance(byStatus.Running, "Running")
          byStatus.Completed = yield* start()
          yield* control.advance(byStatus.Completed, "Completed")
          byStatus.Failed = yield* start()
          yield* control.fail(byStatus.Failed)
          byStatus.Cancelling = yield* start()
          yield* jobs.cancelJob({ JobId: byStatus.Cancelling })
          byStatus.Cancelled = yield* start()
          yield* jobs.cancelJob({ JobId: byStatus.Cancelled })
          yield* control.advance(byStatus.Cancelled, "Cancelled")
          const mineIds = new Set(Object.values(byStatus))
          for (const status of ["Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled"] as const) {
            const { entries } = yield* listAll(status, 25)
            for (const e of entries) expect(e.Status).toBe(status)
            expect(entries.filter((e) => mineIds.has(e.JobId)).map((e) => e.JobId), status).toEqual([byStatus[status]])
          }
        }))

      effect("NextToken: forged or reused with another filter → FieldValidationFailed on NextToken", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          for (let i = 0; i < 3; i++) yield* jobs.startJob(request())
          const page = yield* jobs.listJobs({ MaxResults: 1 })
          const token = page.NextToken!
          expect(token).toBeDefined()
          const expected = { tag: "ValidationException", reason: "FieldValidationFailed", fields: ["NextToken"] }
          const flipped = token.slice(0, -3) + (token.endsWith("AAA") ? "BBB" : "AAA")
          expect(describeError(yield* Effect.flip(jobs.listJobs({ MaxResults: 1, NextToken: flipped })))).toEqual(expected)
          expect(describeError(yield* Effect.flip(jobs.listJobs({ MaxResults: 1, NextToken: "not-a-token" }))))
            .toEqual(expected)
          expect(
            describeError(
              yield* Effect.flip(jobs.listJobs({ MaxResults: 1, NextToken: token, Filter: { JobStatus: "Pending" } }))
            )
          ).toEqual(expected)
          const next = yield* jobs.listJobs({ MaxResults: 1, NextToken: token })
          expect(next.Entries.length).toBe(1)
          expect(next.Entries[0]!.JobId).not.toBe(page.Entries[0]!.JobId)
        }))

      if (options.testClock !== false) {
        effect("NextToken: refused once older than its time to live", () =>
          Effect.gen(function*() {
            const jobs = yield* LocationJobs
            for (let i = 0; i < 2; i++) yield* jobs.startJob(request())
            const page = yield* jobs.listJobs({ MaxResults: 1 })
            yield* TestClock.adjust("25 hours")
            const stale = yield* Effect.flip(jobs.listJobs({ MaxResults: 1, NextToken: page.NextToken! }))
            expect(describeError(stale)).toEqual({ tag: "ValidationException", reason: "FieldValidationFailed", fields: ["NextToken"] })
          }))
      }

      effect("cancellation in every state", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const start = () => Effect.map(jobs.startJob(request()), (r) => r.JobId)

          const pending = yield* start()
          const c1 = yield* jobs.cancelJob({ JobId: pending })
          expect(c1.Status).toBe("Cancelling")
          expect(c1.JobId).toBe(pending)
          expect(c1.JobArn.endsWith(`:job/${pending}`)).toBe(true)
          expect((yield* jobs.getJob({ JobId: pending })).EndedAt).toBeUndefined()
          expect((yield* jobs.cancelJob({ JobId: pending })).Status).toBe("Cancelling")
          yield* control.advance(pending, "Cancelled")
          const cancelled = yield* jobs.getJob({ JobId: pending })
          expect(cancelled.Status).toBe("Cancelled")
          expect(cancelled.EndedAt).toBeInstanceOf(Date)
          expect(cancelled.Error).toBeUndefined()
          expect((yield* jobs.cancelJob({ JobId: pending })).Status).toBe("Cancelled")

          const running = yield* start()
          yield* control.advance(running, "Running")
          expect((yield* jobs.cancelJob({ JobId: running })).Status).toBe("Cancelling")
          expect((yield* Effect.flip(control.advance(running, "Completed"))).reason).toBe("IllegalTransition")

          const completed = yield* start()
          yield* control.advance(completed, "Completed")
          const before = yield* jobs.getJob({ JobId: completed })
          expect((yield* jobs.cancelJob({ JobId: completed })).Status).toBe("Completed")
          expect(yield* jobs.getJob({ JobId: completed })).toEqual(before)

          const failed = yield* start()
          yield* control.fail(failed)
          expect((yield* jobs.cancelJob({ JobId: failed })).Status).toBe("Failed")
          expect((yield* jobs.getJob({ JobId: failed })).Status).toBe("Failed")

          const notCancelling = yield* start()
          expect((yield* Effect.flip(control.advance(notCancelling, "Cancelled"))).reason).toBe("IllegalTransition")
        }))

      effect("unknown job ids: GetJob and CancelJob answer ResourceNotFoundException", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const missing = `ct-${run}-missing-00000000-0000-4000-8000-000000000000`
          expect(describeError(yield* Effect.flip(jobs.getJob({ JobId: missing })))).toEqual({ tag: "ResourceNotFoundException" })
          // CancelJob's model lists no ResourceNotFoundException, but clients decode every error the
          // service defines on every operation, as the official SDK does.
          expect(describeError(yield* Effect.flip(jobs.cancelJob({ JobId: missing })))).toEqual({ tag: "ResourceNotFoundException" })
          const control = yield* JobsControl
          expect((yield* Effect.flip(control.advance(missing, "Running"))).reason).toBe("NotFound")
        }))

      effect("validation: every constraint, every bad field named, nothing created", () =>
        Effect.gen(function*() {
          const jobs = yield* LocationJobs
          const control = yield* JobsControl
          const countBefore = (yield* control.jobs).length
          const base = request()
          const fvf = "FieldValidationFailed"
          const startCases: ReadonlyArray<readonly [string, unknown, string, ReadonlyArray<string>]> = [
            ["no Action", omit(base, "Action"), "Missing", ["Action"]],
            ["everything missing", {}, "Missing", ["Action", "ExecutionRoleArn", "InputOptions", "OutputOptions"]],
            ["no InputOptions.Location", { ...base, InputOptions: { Format: "Parquet" } }, "Missing", ["InputOptions.Location"]],
            ["no OutputOptions.Format", { ...base, OutputOptions: { Location: "s3://b-ok/" } }, "Missing", ["OutputOptions.Format"]],
            ["Action not in enum", { ...base, Action: "Geocode" }, fvf, ["Action"]],
            ["ClientToken empty", { ...base, ClientToken: "" }, fvf, ["ClientToken"]],
            ["ClientToken 65 chars", { ...base, ClientToken: "t".repeat(65) }, fvf, ["ClientToken"]],
            ["ClientToken with a space", { ...base, ClientToken: "a b" }, fvf, ["ClientToken"]],
            ["Name empty", { ...base, Name: "" }, fvf, ["Name"]],
            ["Name 101 chars", { ...base, Name: "n".repeat(101) }, fvf, ["Name"]],
            ["Name with a slash", { ...base, Name: "a/b" }, fvf, ["Name"]],
            ["ExecutionRoleArn empty", { ...base, ExecutionRoleArn: "" }, fvf, ["ExecutionRoleArn"]],
            ["input location not S3", { ...base, InputOptions: { Location: "https://x", Format: "Parquet" } }, fvf, [
              "InputOptions.Location"
            ]],
            ["input bucket uppercase", { ...base, InputOptions: { Location: "s3://My-bucket/", Format: "Parquet" } }, fvf, [
              "InputOptions.Location"
            ]],
            [
              "input location 301 chars",
              { ...base, InputOptions: { Location: `s3://bucket/${"p".repeat(289)}`, Format: "Parquet" } },
              fvf,
              ["InputOptions.Location"]
            ],
            ["input format CSV", { ...base, InputOptions: { Location: "s3://bucket/", Format: "CSV" } }, fvf, [
              "InputOptions.Format"
            ]],
            ["output s3 without trailing /", { ...base, OutputOptions: { Location: "s3://bucket/out", Format: "Parquet" } }, fvf, [
              "OutputOptions.Location"
            ]],
            ["output format CSV", { ...base, OutputOptions: { Location: "s3://bucket/", Format: "CSV" } }, fvf, [
              "OutputOptions.Format"
            ]],
            ["no additional features", { ...base, ActionOptions: { ValidateAddress: { AdditionalFeatures: [] } } }, fvf, [
              "ActionOptions.ValidateAddress.AdditionalFeatures"
            ]],
            [
              "three additional features",
              { ...base, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "Position", "Position"] } } },
              fvf,
              ["ActionOptions.ValidateAddress.AdditionalFeatures"]
            ],
            [
              "repeated additional feature",
              { ...base, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position", "Position"] } } },
              fvf,
              ["ActionOptions.ValidateAddress.AdditionalFeatures"]
            ],
            [
              "unknown additional feature",
              { ...base, ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Speed"] } } },
              fvf,
              ["ActionOptions.ValidateAddress.AdditionalFeatures.0"]
            ],
            ["51 tags", { ...base, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }, fvf, [
              "Tags"
            ]],
            ["tag key 129 chars", { ...base, Tags: { ["k".repeat(129)]: "v" } }, fvf, [`Tags.${"k".repeat(129)}`]],
            ["tag key empty", { ...base, Tags: { "": "v" } }, fvf, [`Tags[""]`]],
            ["tag value 257 chars", { ...base, Tags: { k: "v".repeat(257) } }, fvf, ["Tags.k"]],
            ["tag value with !", { ...base, Tags: { k: "v!" } }, fvf, ["Tags.k"]],
            [
              "several bad fields at once",
              { ...base, Name: "bad name", ClientToken: "", OutputOptions: { Location: "s3://b/x", Format: "Parquet" } },
              fvf,
              ["ClientToken", "Name", "OutputOptions.Location"]
            ]
          ]
          for (const [label, input, reason, fields] of startCases) {
            const e = yield* Effect.flip(jobs.startJob(input as StartJobRequest))
            expect(describeError(e), label).toEqual({ tag: "ValidationException", reason, fields })
          }
          const idCases: ReadonlyArray<readonly [string, string]> = [
            ["empty", ""],
            ["201 chars", "j".repeat(201)],
            ["space", "a b"],
            ["slash", "a/b"],
            ["colon", "a:b"]
          ]
          for (const [label, JobId] of idCases) {
            for (const op of ["getJob", "cancelJob"] as const) {
              const e = yield* Effect.flip(jobs[op]({ JobId }))
              expect(describeError(e), `${op} ${label}`).toEqual({ tag: "ValidationException", reason: fvf, fields: ["JobId"] })
            }
          }
          expect(describeError(yield* Effect.flip(jobs.cancelJob({} as never)))).toEqual({
            tag: "ValidationException",
            reason: "Missing",
            fields: ["JobId"]
          })
          const listCases: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
            ["MaxResults 0", { MaxResults: 0 }, ["MaxResults"]],
            ["MaxResults 101", { MaxResults: 101 }, ["MaxResults"]],
            ["MaxResults 2.5", { MaxResults: 2.5 }, ["MaxResults"]],
            ["unknown status", { Filter: { JobStatus: "Done" } }, ["Filter.JobStatus"]],
            ["empty NextToken", { NextToken: "" }, ["NextToken"]],
            ["all at once", { MaxResults: -1, Filter: { JobStatus: "pending" }, NextToken: "" }, [
              "Filter.JobStatus",
              "MaxResults",
              "NextToken"
            ]]
          ]
          for (const [label, input, fields] of listCases) {
            const e = yield* Effect.flip(jobs.listJobs(input as never))
            expect({ ...describeError(e), fields: [...(describeError(e).fields ?? [])].sort() }, label).toEqual({
              tag: "ValidationException",
              reason: fvf,
              fields
            })
          }
          expect((yield* control.jobs).length).toBe(countBefore)
        }))
    })
  })
}
