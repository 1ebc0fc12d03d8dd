/**
 * The ledger in an SQLite file (`@effect/sql-sqlite-node`, WAL): embedded, zero set-up, for one
 * worker instance. The request-rate window (`RateGrants`) is kept in the file too, so two
 * processes on one file (an old and a new one during a deploy) keep the quotas together.
 *
 * @since 0.1.0
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as SqlLedger from "./internal/sqlLedger.js"
import * as SqlRateGrants from "./internal/sqlRateGrants.js"
import { Ledger } from "./Ledger.js"
import { RateGrants } from "./RateGrants.js"
import { LedgerError } from "./WorkerError.js"

/** The ledger and the shared rate window in `filename` (its directory is created if missing). */
export const layer = (filename: string): Layer.Layer<Ledger | RateGrants, LedgerError> =>
  Layer.merge(Layer.effect(Ledger, SqlLedger.make("sqlite")), Layer.effect(RateGrants, SqlRateGrants.make("sqlite"))).pipe(
    Layer.provide(
      Layer.unwrapEffect(
        Effect.try({
          try: () => {
            Fs.mkdirSync(Path.dirname(Path.resolve(filename)), { recursive: true })
            return SqliteClient.layer({ filename })
          },
          catch: (cause) => new LedgerError({ message: `cannot create the directory of ${filename}`, cause })
        })
      ).pipe(Layer.mapError((e) => (e._tag === "LedgerError" ? e : new LedgerError({ message: `cannot open ${filename}: ${e.message}`, cause: e }))))
    )
  )
