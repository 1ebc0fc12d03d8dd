/**
 * The ledger over `@effect/sql`, for SQLite and PostgreSQL. The SQL is the same for both except
 * where marked: PostgreSQL claims with `FOR UPDATE SKIP LOCKED` and serialises in-flight
 * accounting with a transaction-scoped advisory lock; SQLite has one writer at a time anyway.
 * BIGINT columns come back as strings from PostgreSQL, hence the `Number(...)` on reads.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { allStates, type Batch, type BatchState, clientTokenFor, isS3Source, makeId } from "../Batch.js"
import { type BatchEvent, type LedgerService, stageState, type TrackedBatch } from "../Ledger.js"
import { LedgerError } from "../WorkerError.js"

export type Dialect = "sqlite" | "pg"

const schema = (dialect: Dialect): ReadonlyArray<string> => [
  `CREATE TABLE IF NOT EXISTS geojobs_batches (
    id TEXT PRIMARY KEY,
    batch_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    input_location TEXT,
    output_location TEXT,
    job_id TEXT UNIQUE,
    job_status TEXT,
    client_token TEXT NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    ended_at BIGINT,
    error_code TEXT,
    error_messages TEXT,
    input_rows BIGINT,
    output_rows BIGINT,
    output_files INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_owner TEXT,
    lease_expires_at BIGINT
  )`,
  `CREATE INDEX IF NOT EXISTS geojobs_batches_state ON geojobs_batches (state, created_at)`,
  `CREATE INDEX IF NOT EXISTS geojobs_batches_lease ON geojobs_batches (lease_owner)`,
  dialect === "pg"
    ? `CREATE TABLE IF NOT EXISTS geojobs_events (seq BIGSERIAL PRIMARY KEY, batch_id TEXT NOT NULL, at BIGINT NOT NULL, owner TEXT, from_state TEXT, to_state TEXT NOT NULL, detail TEXT)`
    : `CREATE TABLE IF NOT EXISTS geojobs_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL, at BIGINT NOT NULL, owner TEXT, from_state TEXT, to_state TEXT NOT NULL, detail TEXT)`,
  `CREATE INDEX IF NOT EXISTS geojobs_events_batch ON geojobs_events (batch_id, seq)`,
  `CREATE TABLE IF NOT EXISTS geojobs_roles (role TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)`
]

type Row = Record<string, unknown>

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v))
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v))

const toBatch = (r: Row): Batch => ({
  id: String(r.id),
  key: String(r.batch_key),
  state: String(r.state) as BatchState,
  source: String(r.source),
  inputLocation: str(r.input_location),
  outputLocation: str(r.output_location),
  jobId: str(r.job_id),
  jobStatus: str(r.job_status),
  clientToken: String(r.client_token),
  cancelRequested: Number(r.cancel_requested) !== 0,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  submittedAt: num(r.submitted_at),
  endedAt: num(r.ended_at),
  errorCode: str(r.error_code),
  errorMessages: r.error_messages === null || r.error_messages === undefined
    ? undefined
    : (JSON.parse(String(r.error_messages)) as ReadonlyArray<string>),
  inputRows: num(r.input_rows),
  outputRows: num(r.output_rows),
  outputFiles: num(r.output_files),
  attempts: Number(r.attempts),
  lastError: str(r.last_error),
  leaseOwner: str(r.lease_owner),
  leaseExpiresAt: num(r.lease_expires_at)
})

const fail = (what: string) => (cause: SqlError) => new LedgerError({ message: `${what}: ${cause.message}`, cause })

/** Sets up the tables and returns the ledger. */
export const make = (dialect: Dialect): Effect.Effect<LedgerService, LedgerError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (dialect === "pg") {
      // Two instances starting together must not race on CREATE TABLE.
      yield* sql.withTransaction(
        Effect.gen(function*() {
          yield* sql`SELECT pg_advisory_xact_lock(7420315)`
          for (const ddl of schema(dialect)) yield* sql.unsafe(ddl)
        })
      ).pipe(Effect.mapError(fail("cannot create the ledger tables")))
    } else {
      yield* sql.unsafe("PRAGMA busy_timeout = 10000").pipe(Effect.mapError(fail("cannot configure SQLite")))
      yield* sql.unsafe("PRAGMA synchronous = NORMAL").pipe(Effect.mapError(fail("cannot configure SQLite")))
      for (const ddl of schema(dialect)) yield* sql.unsafe(ddl).pipe(Effect.mapError(fail("cannot create the ledger tables")))
    }

    const now = () => Date.now()

    const event = (batchId: string, owner: string | undefined, from: string | undefined, to: string, detail?: string) =>
      sql`INSERT INTO geojobs_events (batch_id, at, owner, from_state, to_state, detail)
          VALUES (${batchId}, ${now()}, ${owner ?? null}, ${from ?? null}, ${to}, ${detail ?? null})`

    const getRow = (id: string) =>
      Effect.map(sql<Row>`SELECT * FROM geojobs_batches WHERE id = ${id}`, (rows) => Option.map(Option.fromNullable(rows[0]), toBatch))

    const submit: LedgerService["submit"] = (input) =>
      sql.withTransaction(
        Effect.gen(function*() {
          const id = input.id ?? makeId()
          const key = input.key ?? id
          const t = now()
          const state: BatchState = isS3Source(input.source) ? "Uploaded" : "Received"
          const inputLocation = isS3Source(input.source)
            ? (input.source.endsWith("/") || /\.parquet$/i.test(input.source) ? input.source : `${input.source}/`)
            : null
          const inserted = yield* sql<Row>`
            INSERT INTO geojobs_batches (id, batch_key, state, source, input_location, client_token, created_at, updated_at)
            VALUES (${id}, ${key}, ${state}, ${input.source}, ${inputLocation}, ${clientTokenFor(id)}, ${t}, ${t})
            ON CONFLICT (batch_key) DO NOTHING
            RETURNING *`
          if (inserted[0] !== undefined) {
            yield* event(id, undefined, undefined, state, `submitted ${input.source}`)
            return { batch: toBatch(inserted[0]), created: true }
          }
          const existing = yield* sql<Row>`SELECT * FROM geojobs_batches WHERE batch_key = ${key}`
          if (existing[0] === undefined) return yield* Effect.fail(new LedgerError({ message: `batch key ${key} conflicted but is not there` }))
          return { batch: toBatch(existing[0]), created: false }
        })
      ).pipe(Effect.mapError((e) => (e._tag === "LedgerError" ? e : fail("cannot record the batch")(e))))

    const get: LedgerService["get"] = (id) => getRow(id).pipe(Effect.mapError(fail("cannot read the batch")))

    const getByKey: LedgerService["getByKey"] = (key) =>
      Effect.map(sql<Row>`SELECT * FROM geojobs_batches WHERE batch_key = ${key}`, (rows) => Option.map(Option.fromNullable(rows[0]), toBatch))
        .pipe(Effect.mapError(fail("cannot read the batch")))

    const list: LedgerService["list"] = ({ limit, states }) =>
      Effect.map(
        states === undefined || states.length === 0
          ? sql<Row>`SELECT * FROM geojobs_batches ORDER BY created_at DESC, id DESC LIMIT ${limit}`
          : sql<Row>`SELECT * FROM geojobs_batches WHERE ${sql.in("state", states)} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
        (rows) => rows.map(toBatch)
      ).pipe(Effect.mapError(fail("cannot list batches")))

    const requestCancel: LedgerService["requestCancel"] = (id, owner) =>
      sql.withTransaction(
        Effect.gen(function*() {
          const t = now()
          const before = yield* sql<Row>`SELECT state FROM geojobs_batches WHERE id = ${id}`
          const early = yield* sql<Row>`
            UPDATE geojobs_batches SET state = 'Cancelled', cancel_requested = 1, ended_at = ${t}, updated_at = ${t},
              lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ${id} AND state IN ('Received', 'Uploaded') RETURNING *`
          if (early[0] !== undefined) {
            yield* event(id, owner, str(before[0]?.state), "Cancelled", "cancelled before a job was started")
            return Option.some(toBatch(early[0]))
          }
          const flagged = yield* sql<Row>`
            UPDATE geojobs_batches SET cancel_requested = 1, updated_at = ${t}
            WHERE id = ${id} AND state IN ('Submitted', 'Running') AND cancel_requested = 0 RETURNING *`
          if (flagged[0] !== undefined) yield* event(id, owner, String(flagged[0].state), String(flagged[0].state), "cancel requested")
          return yield* getRow(id)
        })
      ).pipe(Effect.mapError(fail("cannot cancel the batch")))

    const skipLocked = dialect === "pg" ? sql.literal("FOR UPDATE SKIP LOCKED") : sql.literal("")

    const claim: LedgerService["claim"] = ({ leaseMs, limit, maxInFlight, owner, stage }) =>
      sql.withTransaction(
        Effect.gen(function*() {
          const t = now()
          const state = stageState[stage]
          let n = limit
          if (stage === "start" && maxInFlight !== undefined) {
            if (dialect === "pg") yield* sql`SELECT pg_advisory_xact_lock(7420316)`
            const rows = yield* sql<Row>`
              SELECT count(*) AS n FROM geojobs_batches
              WHERE state IN ('Submitted', 'Running') OR (state = 'Uploaded' AND lease_owner IS NOT NULL AND lease_expires_at >= ${t})`
            n = Math.min(limit, maxInFlight - Number(rows[0]?.n ?? 0))
          }
          if (n <= 0) return []
          const rows = yield* sql<Row>`
            UPDATE geojobs_batches SET lease_owner = ${owner}, lease_expires_at = ${t + leaseMs}, attempts = attempts + 1
            WHERE id IN (
              SELECT id FROM geojobs_batches
              WHERE state = ${state} AND (lease_owner IS NULL OR lease_expires_at < ${t})
              ORDER BY created_at, id LIMIT ${n} ${skipLocked}
            ) RETURNING *`
          return rows.map(toBatch)
        })
      ).pipe(Effect.mapError(fail(`cannot claim batches for ${stage}`)))

    const heartbeat: LedgerService["heartbeat"] = (owner, leaseMs) =>
      Effect.map(
        sql<Row>`UPDATE geojobs_batches SET lease_expires_at = ${now() + leaseMs} WHERE lease_owner = ${owner} RETURNING id`,
        (rows) => rows.length
      ).pipe(Effect.mapError(fail("cannot renew leases")))

    const release: LedgerService["release"] = (owner, ids) =>
      Effect.map(
        ids === undefined
          ? sql<Row>`UPDATE geojobs_batches SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ${owner} RETURNING id`
          : ids.length === 0
          ? Effect.succeed([] as ReadonlyArray<Row>)
          : sql<Row>`UPDATE geojobs_batches SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ${owner} AND ${sql.in("id", ids)} RETURNING id`,
        (rows) => rows.length
      ).pipe(Effect.mapError(fail("cannot release leases")))

    const transition: LedgerService["transition"] = (id, from, patch, owner) =>
      sql.withTransaction(
        Effect.gen(function*() {
          const t = now()
          const set: Record<string, unknown> = { state: patch.state, updated_at: t }
          const put = (column: string, value: unknown) => {
            if (value !== undefined) set[column] = value
          }
          put("input_location", patch.inputLocation)
          put("output_location", patch.outputLocation)
          put("job_id", patch.jobId)
          put("job_status", patch.jobStatus)
          put("submitted_at", patch.submittedAt)
          put("ended_at", patch.endedAt)
          put("error_code", patch.errorCode)
          put("error_messages", patch.errorMessages === undefined ? undefined : JSON.stringify(patch.errorMessages))
          put("input_rows", patch.inputRows)
          put("output_rows", patch.outputRows)
          put("output_files", patch.outputFiles)
          put("last_error", patch.lastError)
          if (patch.release !== false) {
            set.lease_owner = null
            set.lease_expires_at = null
          }
          const before = yield* sql<Row>`SELECT state FROM geojobs_batches WHERE id = ${id}`
          const rows = owner === undefined
            ? yield* sql<Row>`UPDATE geojobs_batches SET ${sql.update(set)} WHERE id = ${id} AND ${sql.in("state", from)} RETURNING id`
            : yield* sql<Row>`UPDATE geojobs_batches SET ${sql.update(set)} WHERE id = ${id} AND ${sql.in("state", from)} AND lease_owner = ${owner} RETURNING id`
          if (rows.length === 0) return false
          const detail = [
            patch.jobId !== undefined ? `job ${patch.jobId}` : undefined,
            patch.jobStatus !== undefined ? `status ${patch.jobStatus}` : undefined,
            patch.errorCode !== undefined ? `error ${patch.errorCode}` : undefined,
            patch.outputRows !== undefined ? `${patch.outputRows} output rows` : undefined
          ].filter((x) => x !== undefined).join(", ")
          yield* event(id, owner, str(before[0]?.state), patch.state, detail === "" ? undefined : detail)
          return true
        })
      ).pipe(Effect.mapError(fail("cannot update the batch")))

    const noteFailure: LedgerService["noteFailure"] = (id, owner, message, retryAfterMs) =>
      sql`UPDATE geojobs_batches SET last_error = ${message.slice(0, 2000)}, updated_at = ${now()},
            lease_owner = '(backoff)', lease_expires_at = ${now() + retryAfterMs}
          WHERE id = ${id} AND lease_owner = ${owner}`.pipe(Effect.asVoid, Effect.mapError(fail("cannot record the failure")))

    const noteJobStatus: LedgerService["noteJobStatus"] = (id, jobStatus) =>
      sql`UPDATE geojobs_batches SET job_status = ${jobStatus}, updated_at = ${now()} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        Effect.mapError(fail("cannot record the job status"))
      )

    const tracked: LedgerService["tracked"] = () =>
      Effect.map(
        sql<Row>`SELECT id, job_id, state, job_status, submitted_at, cancel_requested FROM geojobs_batches
                 WHERE state IN ('Submitted', 'Running') AND job_id IS NOT NULL`,
        (rows) =>
          rows.map((r): TrackedBatch => ({
            id: String(r.id),
            jobId: String(r.job_id),
            state: String(r.state) as BatchState,
            jobStatus: str(r.job_status),
            submittedAt: Number(r.submitted_at ?? 0),
            cancelRequested: Number(r.cancel_requested) !== 0
          }))
      ).pipe(Effect.mapError(fail("cannot read tracked batches")))

    const counts: LedgerService["counts"] = () =>
      Effect.map(sql<Row>`SELECT state, count(*) AS n FROM geojobs_batches GROUP BY state`, (rows) => {
        const out = Object.fromEntries(allStates.map((s) => [s, 0])) as Record<BatchState, number>
        for (const r of rows) out[String(r.state) as BatchState] = Number(r.n)
        return out
      }).pipe(Effect.mapError(fail("cannot count batches")))

    const events: LedgerService["events"] = (id) =>
      Effect.map(
        sql<Row>`SELECT * FROM geojobs_events WHERE batch_id = ${id} ORDER BY seq`,
        (rows) =>
          rows.map((r): BatchEvent => ({
            seq: Number(r.seq),
            batchId: String(r.batch_id),
            at: Number(r.at),
            owner: str(r.owner),
            from: str(r.from_state),
            to: String(r.to_state),
            detail: str(r.detail)
          }))
      ).pipe(Effect.mapError(fail("cannot read events")))

    const acquireRole: LedgerService["acquireRole"] = (role, owner, leaseMs) =>
      Effect.map(
        sql<Row>`INSERT INTO geojobs_roles (role, owner, expires_at) VALUES (${role}, ${owner}, ${now() + leaseMs})
                 ON CONFLICT (role) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                 WHERE geojobs_roles.owner = excluded.owner OR geojobs_roles.expires_at < ${now()}
                 RETURNING owner`,
        (rows) => rows[0] !== undefined && String(rows[0].owner) === owner
      ).pipe(Effect.mapError(fail(`cannot take the ${role} role`)))

    const releaseRole: LedgerService["releaseRole"] = (role, owner) =>
      sql`DELETE FROM geojobs_roles WHERE role = ${role} AND owner = ${owner}`.pipe(
        Effect.asVoid,
        Effect.mapError(fail(`cannot give up the ${role} role`))
      )

    return {
      submit,
      get,
      getByKey,
      list,
      requestCancel,
      claim,
      heartbeat,
      release,
      transition,
      noteFailure,
      noteJobStatus,
      tracked,
      counts,
      events,
      acquireRole,
      releaseRole
    } satisfies LedgerService
  })
