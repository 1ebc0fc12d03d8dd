/**
 * The durable `JobStore` of the local service: SQLite (WAL) through `@effect/sql-sqlite-node`.
 * One row per job (the record as JSON, with `seq`, `status` and `version` as columns for
 * paging, filtering and compare-and-set) and one row per live idempotency token. Every
 * operation is one statement or one transaction, so a crash at any point leaves the store
 * as it was before or after the operation, never between.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type { JobRecord, NewJobRecord } from "@geojobs/service/JobRecord"
import {
  type InsertResult,
  JobStore,
  JobStoreError,
  type JobStoreService,
  type TokenRecord
} from "@geojobs/service/JobStore"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

interface JobRow {
  readonly seq: number
  readonly version: number
  readonly record: string
}

interface TokenRow {
  readonly token: string
  readonly request_hash: string
  readonly job_id: string
  readonly expires_at: number
}

const unavailable = (cause: SqlError | unknown) =>
  new JobStoreError({ reason: "Unavailable", message: "the job database failed", cause })

const fromRow = (row: JobRow): JobRecord => ({ ...(JSON.parse(row.record) as NewJobRecord), seq: row.seq, version: row.version })

/** The record without the columns kept outside the JSON. */
const toJson = (job: NewJobRecord | JobRecord): string => {
  const { seq: _seq, version: _version, ...rest } = job as JobRecord
  return JSON.stringify(rest)
}

const toToken = (row: TokenRow): TokenRecord => ({
  token: row.token,
  requestHash: row.request_hash,
  jobId: row.job_id,
  expiresAt: row.expires_at
})

/** Creates the tables if they are missing. */
export const migrate = (sql: SqlClient.SqlClient) =>
  Effect.all([
    sql`CREATE TABLE IF NOT EXISTS jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      job_id TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      record TEXT NOT NULL
    )`,
    sql`CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq)`,
    sql`CREATE TABLE IF NOT EXISTS tokens (
      token TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      job_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`
  ], { discard: true })

/** The store over a SQL client whose tables exist. */
export const makeWith = (sql: SqlClient.SqlClient): JobStoreService => {
  const getRow = (jobId: string) =>
    Effect.map(sql<JobRow>`SELECT seq, version, record FROM jobs WHERE job_id = ${jobId}`, (rows) => Option.fromNullable(rows[0]))

  const insert: JobStoreService["insert"] = (job, claim) =>
    sql.withTransaction(
      Effect.gen(function*() {
        if (claim !== undefined) {
          const existing = yield* sql<TokenRow>`SELECT * FROM tokens WHERE token = ${claim.token} AND expires_at > ${claim.now}`
          if (existing[0] !== undefined) {
            const token = toToken(existing[0])
            const row = yield* getRow(token.jobId)
            return { _tag: "TokenExists", token, job: Option.map(row, fromRow) } satisfies InsertResult as InsertResult
          }
        }
        const clash = yield* sql<{ n: number }>`SELECT 1 AS n FROM jobs WHERE job_id = ${job.jobId}`
        if (clash.length > 0) {
          return yield* new JobStoreError({ reason: "DuplicateJobId", message: `job ${job.jobId} already exists` })
        }
        const inserted = yield* sql<{ seq: number }>`INSERT INTO jobs (job_id, status, version, record)
          VALUES (${job.jobId}, ${job.status}, ${job.version}, ${toJson(job)}) RETURNING seq`
        if (claim !== undefined) {
          yield* sql`INSERT INTO tokens (token, request_hash, job_id, expires_at)
            VALUES (${claim.token}, ${claim.requestHash}, ${job.jobId}, ${claim.expiresAt})
            ON CONFLICT(token) DO UPDATE SET request_hash = excluded.request_hash, job_id = excluded.job_id,
              expires_at = excluded.expires_at`
        }
        return { _tag: "Inserted", job: { ...job, seq: inserted[0]!.seq } } as InsertResult
      })
    ).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e))))

  const compareAndSet: JobStoreService["compareAndSet"] = (expectedVersion, next) =>
    Effect.gen(function*() {
      const updated = yield* sql<{ seq: number }>`UPDATE jobs SET record = ${toJson(next)}, status = ${next.status},
        version = version + 1 WHERE job_id = ${next.jobId} AND version = ${expectedVersion} RETURNING seq`
      if (updated[0] !== undefined) return { ...next, seq: updated[0].seq, version: expectedVersion + 1 }
      const current = yield* getRow(next.jobId)
      return yield* Option.match(current, {
        onNone: () => new JobStoreError({ reason: "NotFound", message: `job ${next.jobId} does not exist` }),
        onSome: (row) =>
          new JobStoreError({
            reason: "VersionConflict",
            message: `job ${next.jobId} is at version ${row.version}, expected ${expectedVersion}`
          })
      })
    }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e))))

  const list: JobStoreService["list"] = (query) =>
    Effect.map(
      sql<JobRow>`SELECT seq, version, record FROM jobs
        WHERE ${query.status === undefined ? sql`1 = 1` : sql`status = ${query.status}`}
          AND ${query.beforeSeq === undefined ? sql`1 = 1` : sql`seq < ${query.beforeSeq}`}
        ORDER BY seq DESC LIMIT ${query.limit + 1}`,
      (rows) => ({ jobs: rows.slice(0, query.limit).map(fromRow), hasMore: rows.length > query.limit })
    ).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e))))

  return JobStore.of({
    insert,
    get: (jobId) => Effect.map(getRow(jobId), Option.map(fromRow)).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e)))),
    compareAndSet,
    list,
    findToken: (token, now) =>
      Effect.map(
        sql<TokenRow>`SELECT * FROM tokens WHERE token = ${token} AND expires_at > ${now}`,
        (rows) => Option.map(Option.fromNullable(rows[0]), toToken)
      ).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e)))),
    purgeExpiredTokens: (now) =>
      Effect.map(
        sql<{ token: string }>`DELETE FROM tokens WHERE expires_at <= ${now} RETURNING token`,
        (rows) => rows.length
      ).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(unavailable(e))))
  })
}

/** Lists jobs that are not terminal (oldest first): what a restarted runner must pick up. */
export const unfinished = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql<JobRow>`SELECT seq, version, record FROM jobs WHERE status IN ('Pending', 'Running', 'Cancelling') ORDER BY seq ASC`,
    (rows) => rows.map(fromRow)
  )

/** A `JobStore` in the SQLite file `filename` (created with its tables if missing). */
export const layer = (filename: string): Layer.Layer<JobStore, JobStoreError> =>
  Layer.effect(
    JobStore,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* migrate(sql)
      return makeWith(sql)
    }).pipe(Effect.mapError(unavailable))
  ).pipe(Layer.provide(Layer.mapError(SqliteClient.layer({ filename }), unavailable)))
