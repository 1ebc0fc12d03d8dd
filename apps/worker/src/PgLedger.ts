/**
 * The ledger in PostgreSQL (`@effect/sql-pg`), for several worker instances sharing the work:
 * claims use `FOR UPDATE SKIP LOCKED`, so two instances never lease the same batch, and the
 * request-rate window (`RateGrants`) is shared, so together they keep the account's quotas.
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as SqlLedger from "./internal/sqlLedger.js"
import * as SqlRateGrants from "./internal/sqlRateGrants.js"
import { Ledger } from "./Ledger.js"
import { RateGrants } from "./RateGrants.js"
import { LedgerError } from "./WorkerError.js"

/** The ledger and the shared rate window in the database at `url` (`postgres://user@host:port/db`). */
export const layer = (url: string, options: { readonly maxConnections?: number } = {}): Layer.Layer<Ledger | RateGrants, LedgerError> =>
  Layer.merge(Layer.effect(Ledger, SqlLedger.make("pg")), Layer.effect(RateGrants, SqlRateGrants.make("pg"))).pipe(
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
