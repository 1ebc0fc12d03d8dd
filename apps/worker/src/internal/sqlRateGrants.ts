/**
 * The shared rate window over `@effect/sql` (see `RateGrants`). One table of grants (times in ms
 * since the epoch, from the database's clock):
 *
 * - PostgreSQL: `geojobs_rate_take(...)`, a PL/pgSQL function, does a grant in one round trip:
 *   it takes a transaction-scoped advisory lock for the operation (so grants of one operation
 *   are decided one at a time across every instance; each statement after the lock sees every
 *   grant committed before it, as READ COMMITTED takes a snapshot per statement), drops grants
 *   that left the window, counts the rest and inserts the new grant or returns the wait.
 * - SQLite: one `INSERT … SELECT … WHERE (count) < rate` statement. A writing statement takes the
 *   file's write lock before it reads, so the count and the insert are one step for every
 *   process on the file. The wait, when refused, is read afterwards (advice only).
 *
 * A grant holds its place while in flight (`done_at` NULL) until `expires_at` (grant + hold), and
 * once finished until `done_at + window`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import type { GrantLimit, RateGrantsService, Take } from "../RateGrants.js"
import { LedgerError } from "../WorkerError.js"
import type { Dialect } from "./sqlLedger.js"

const table = `CREATE TABLE IF NOT EXISTS geojobs_rate_grants (
  id TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  granted_at DOUBLE PRECISION NOT NULL,
  done_at DOUBLE PRECISION,
  expires_at DOUBLE PRECISION NOT NULL
)`
const index = `CREATE INDEX IF NOT EXISTS geojobs_rate_grants_operation ON geojobs_rate_grants (operation, done_at)`

/** Lock keys: 7420315 guards the schema (as in sqlLedger), 7420317 one operation's grants. */
const pgTake = `CREATE OR REPLACE FUNCTION geojobs_rate_take(
  p_operation TEXT, p_id TEXT, p_rate DOUBLE PRECISION, p_burst DOUBLE PRECISION,
  p_window DOUBLE PRECISION, p_hold DOUBLE PRECISION,
  OUT granted BOOLEAN, OUT wait_ms DOUBLE PRECISION)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  t DOUBLE PRECISION;
  n INTEGER;
  m INTEGER;
  w_full DOUBLE PRECISION;
  w_half DOUBLE PRECISION;
BEGIN
  PERFORM pg_advisory_xact_lock(7420317, hashtext(p_operation));
  t := extract(epoch FROM clock_timestamp()) * 1000;
  DELETE FROM geojobs_rate_grants
    WHERE operation = p_operation AND ((done_at IS NULL AND expires_at <= t) OR done_at <= t - p_window);
  SELECT count(*), count(*) FILTER (WHERE done_at IS NULL OR done_at > t - p_window / 2) INTO n, m
    FROM geojobs_rate_grants WHERE operation = p_operation;
  IF n < p_rate AND m < p_burst THEN
    INSERT INTO geojobs_rate_grants (id, operation, granted_at, expires_at) VALUES (p_id, p_operation, t, t + p_hold);
    granted := true;
    RETURN;
  END IF;
  granted := false;
  -- the place that frees first enough of them; NULL when it is held by a call in flight
  IF n >= p_rate THEN
    SELECT done_at + p_window - t INTO w_full FROM geojobs_rate_grants WHERE operation = p_operation
      ORDER BY done_at ASC NULLS LAST OFFSET n - p_rate::INTEGER LIMIT 1;
  END IF;
  IF m >= p_burst THEN
    SELECT done_at + p_window / 2 - t INTO w_half FROM geojobs_rate_grants
      WHERE operation = p_operation AND (done_at IS NULL OR done_at > t - p_window / 2)
      ORDER BY done_at ASC NULLS LAST OFFSET m - p_burst::INTEGER LIMIT 1;
  END IF;
  wait_ms := GREATEST(w_full, w_half);
END
$fn$`

type Row = Record<string, unknown>

/**
 * How long until a call is allowed, from the grants holding a place at `t` (undefined when the
 * place that frees first is held by a call in flight). Mirrors the PostgreSQL function.
 */
export const waitOf = (
  rows: ReadonlyArray<{ readonly doneAt: number | undefined }>,
  t: number,
  limit: Pick<GrantLimit, "rate" | "burst" | "windowMs">
): number | undefined => {
  const nth = (xs: ReadonlyArray<number | undefined>, k: number, span: number) => {
    const sorted = [...xs].sort((a, b) => (a === undefined ? 1 : b === undefined ? -1 : a - b))
    const d = sorted[k]
    return d === undefined ? undefined : d + span - t
  }
  const full = rows.map((r) => r.doneAt)
  const half = full.filter((d) => d === undefined || d > t - limit.windowMs / 2)
  const waits = [
    full.length >= limit.rate ? nth(full, full.length - limit.rate, limit.windowMs) : undefined,
    half.length >= limit.burst ? nth(half, half.length - limit.burst, limit.windowMs / 2) : undefined
  ].filter((w) => w !== undefined)
  return waits.length === 0 ? undefined : Math.max(...waits)
}

const fail = (what: string) => (cause: SqlError) => new LedgerError({ message: `${what}: ${cause.message}`, cause })

/** Sets up the table (and, on PostgreSQL, the function) and returns the shared window. */
export const make = (dialect: Dialect): Effect.Effect<RateGrantsService, LedgerError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (dialect === "pg") {
      yield* sql.withTransaction(
        Effect.gen(function*() {
          yield* sql`SELECT pg_advisory_xact_lock(7420315)`
          yield* sql.unsafe(table)
          yield* sql.unsafe(index)
          yield* sql.unsafe(pgTake)
        })
      ).pipe(Effect.mapError(fail("cannot create the rate grants table")))
    } else {
      yield* sql.unsafe("PRAGMA busy_timeout = 10000").pipe(Effect.mapError(fail("cannot configure SQLite")))
      yield* sql.unsafe(table).pipe(Effect.mapError(fail("cannot create the rate grants table")))
      yield* sql.unsafe(index).pipe(Effect.mapError(fail("cannot create the rate grants table")))
    }

    const take = (operation: string, limit: GrantLimit): Effect.Effect<Take, LedgerError> => {
      const id = randomUUID()
      if (dialect === "pg") {
        return Effect.map(
          sql<Row>`SELECT granted, wait_ms FROM geojobs_rate_take(${operation}::text, ${id}::text, ${limit.rate}::float8,
                   ${limit.burst}::float8, ${limit.windowMs}::float8, ${limit.holdMs}::float8)`,
          (rows): Take =>
            rows[0]?.granted === true
              ? { _tag: "Granted", id }
              : { _tag: "Wait", ms: rows[0]?.wait_ms === null || rows[0]?.wait_ms === undefined ? undefined : Number(rows[0].wait_ms) }
        ).pipe(Effect.mapError(fail(`cannot take a ${operation} grant`)))
      }
      const now = sql.literal("((julianday('now') - 2440587.5) * 86400000.0)")
      const half = limit.windowMs / 2
      return Effect.gen(function*() {
        yield* sql`DELETE FROM geojobs_rate_grants
                   WHERE operation = ${operation} AND ((done_at IS NULL AND expires_at <= ${now}) OR done_at <= ${now} - ${limit.windowMs})`
        const inserted = yield* sql<Row>`
          INSERT INTO geojobs_rate_grants (id, operation, granted_at, expires_at)
          SELECT ${id}, ${operation}, n.t, n.t + ${limit.holdMs} FROM (SELECT ${now} AS t) AS n
          WHERE (SELECT count(*) FROM geojobs_rate_grants g WHERE g.operation = ${operation}
                   AND ((g.done_at IS NULL AND g.expires_at > n.t) OR g.done_at > n.t - ${limit.windowMs})) < ${limit.rate}
            AND (SELECT count(*) FROM geojobs_rate_grants g WHERE g.operation = ${operation}
                   AND ((g.done_at IS NULL AND g.expires_at > n.t) OR g.done_at > n.t - ${half})) < ${limit.burst}
          RETURNING id`
        if (inserted.length > 0) return { _tag: "Granted", id } as const
        const rows = yield* sql<Row>`
          SELECT done_at, ${now} AS t FROM geojobs_rate_grants g WHERE g.operation = ${operation}
            AND ((g.done_at IS NULL AND g.expires_at > ${now}) OR g.done_at > ${now} - ${limit.windowMs})`
        const t = rows.length > 0 ? Number(rows[0]!.t) : 0
        return {
          _tag: "Wait",
          ms: rows.length === 0 ? 0 : waitOf(rows.map((r) => ({ doneAt: r.done_at === null ? undefined : Number(r.done_at) })), t, limit)
        } as const
      }).pipe(Effect.mapError(fail(`cannot take a ${operation} grant`)))
    }

    const finishNow = dialect === "pg"
      ? sql.literal("extract(epoch FROM clock_timestamp()) * 1000")
      : sql.literal("((julianday('now') - 2440587.5) * 86400000.0)")
    const finish = (id: string): Effect.Effect<void, LedgerError> =>
      sql`UPDATE geojobs_rate_grants SET done_at = ${finishNow} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        Effect.mapError(fail("cannot finish a grant"))
      )

    return { take, finish } satisfies RateGrantsService
  })
