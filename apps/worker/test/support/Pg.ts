/**
 * PostgreSQL for tests: the server from GEOJOBS_TEST_PG_URL (`eval "$(scripts/postgres.sh start)"`),
 * a fresh database per test so test files running side by side never see each other's tables.
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { randomBytes } from "node:crypto"

/** The server's URL, when one is given. */
export const pgUrl: string | undefined = process.env.GEOJOBS_TEST_PG_URL === "" ? undefined : process.env.GEOJOBS_TEST_PG_URL

/** Skip PostgreSQL tests only outside CI: in CI a missing server is a failure, not a skip. */
export const skipPg: boolean = pgUrl === undefined && (process.env.CI === undefined || process.env.CI === "" || process.env.CI === "false")

/** Why the tests are skipped (for the suite's name). */
export const skipReason = skipPg ? " (skipped: GEOJOBS_TEST_PG_URL is not set; run `eval \"$(scripts/postgres.sh start)\"`)" : ""

/** A fresh database on the test server for the scope (dropped at its end); its URL. */
export const freshDatabase = (prefix: string): Effect.Effect<string, never, Scope.Scope> =>
  Effect.gen(function*() {
    if (pgUrl === undefined) return yield* Effect.dieMessage("GEOJOBS_TEST_PG_URL is not set (CI needs PostgreSQL: scripts/postgres.sh start)")
    const name = `${prefix}_${randomBytes(4).toString("hex")}`
    const admin = (statement: string) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement)).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(pgUrl), onnotice: undefined } as PgClient.PgClientConfig)),
        Effect.scoped,
        Effect.orDie
      )
    yield* Effect.acquireRelease(admin(`CREATE DATABASE ${name}`), () => Effect.ignore(admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
    const url = new URL(pgUrl)
    url.pathname = `/${name}`
    return url.toString()
  })
