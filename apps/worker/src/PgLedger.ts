/**
 * The ledger in PostgreSQL (`@effect/sql-pg`), for several worker instances sharing the work:
 * claims use `FOR UPDATE SKIP LOCKED`, so two instances never lease the same batch.
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as SqlLedger from "./internal/sqlLedger.js"
import { Ledger } from "./Ledger.js"
import { LedgerError } from "./WorkerError.js"

/** The ledger in the database at `url` (`postgres://user@host:port/db`). */
export const layer = (url: string, options: { readonly maxConnections?: number } = {}): Layer.Layer<Ledger, LedgerError> =>
  Layer.effect(Ledger, SqlLedger.make("pg")).pipe(
    Layer.provide(
      PgClient.layer({
        url: Redacted.make(url),
        maxConnections: options.maxConnections ?? 8,
        applicationName: "geojobs-worker",
        // notices such as "relation already exists, skipping" are noise here
        onnotice: undefined
      } as PgClient.PgClientConfig).pipe(
        Layer.mapError((e) => new LedgerError({ message: `cannot connect to PostgreSQL: ${e.message}`, cause: e }))
      )
    )
  )
