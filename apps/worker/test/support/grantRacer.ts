/**
 * One process racing for rate grants (used by RateGrants.test.ts): connects, prints `ready`, waits
 * for a line on stdin (so all racers start together), then asks for grants of `operation` (5 in
 * any window) as fast as it can for `forMs`, never finishing them (each frees `holdMs` after it
 * was granted), and prints how many it got, with their grant times as the database stamped them.
 * Usage: tsx grantRacer.ts sqlite|pg FILE|URL OPERATION FOR_MS HOLD_MS
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as SqlClientTag from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as SqlRateGrants from "../../src/internal/sqlRateGrants.js"

const [dialect, where, operation, forMs, holdMs] = process.argv.slice(2) as ["sqlite" | "pg", string, string, string, string]
const client: Layer.Layer<SqlClient.SqlClient, unknown> = dialect === "pg"
  ? PgClient.layer({ url: Redacted.make(where), maxConnections: 1, onnotice: undefined } as PgClient.PgClientConfig)
  : SqliteClient.layer({ filename: where })

const race = Effect.gen(function*() {
  const ctx = yield* Layer.build(client)
  const sql = Context.get(ctx, SqlClientTag.SqlClient)
  const grants = yield* Effect.provide(SqlRateGrants.make(dialect), ctx)
  const limit = { rate: 5, burst: 5, windowMs: 1000, holdMs: Number(holdMs) }
  // warm: the connection is open and the statements prepared before the start
  yield* grants.take(`${operation}-warm-up`, limit)
  console.log("ready")
  yield* Effect.async<void>((resume) => void process.stdin.once("data", () => resume(Effect.void)))
  const end = Date.now() + Number(forMs)
  const times: Array<number> = []
  let asked = 0
  while (Date.now() < end) {
    asked++
    const t = yield* grants.take(operation, limit)
    if (t._tag === "Granted") {
      const rows = yield* sql<{ granted_at: number }>`SELECT granted_at FROM geojobs_rate_grants WHERE id = ${t.id}`
      times.push(rows[0] === undefined ? Number.NaN : Number(rows[0].granted_at))
    }
  }
  console.log(JSON.stringify({ granted: times.length, asked, times }))
})

Effect.runPromise(Effect.scoped(race)).then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
