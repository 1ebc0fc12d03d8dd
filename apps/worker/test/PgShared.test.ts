/**
 * Two worker instances on one PostgreSQL ledger share the work without double-claiming: every
 * batch ends Completed with one job, each stage transition was made by exactly one instance,
 * and both instances did some of it. Needs GEOJOBS_TEST_PG_URL (`scripts/postgres.sh start`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Redacted from "effect/Redacted"
import * as Program from "../src/Program.js"
import { allJobs, jobsByName, writeCsvFiles } from "./support/Fixtures.js"

const url = process.env.GEOJOBS_TEST_PG_URL
const N = 60

describe.skipIf(url === undefined || url === "")(
  `two workers on one PostgreSQL${url ? "" : " (skipped: GEOJOBS_TEST_PG_URL is not set; run `eval \"$(scripts/postgres.sh start)\"`)"}`,
  () => {
    it.live(`${N} batches shared by two instances, none claimed twice`, () =>
      Effect.scoped(Effect.gen(function*() {
        yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe("DROP TABLE IF EXISTS geojobs_batches, geojobs_events, geojobs_roles")).pipe(
          Effect.provide(PgClient.layer({ url: Redacted.make(url!) })),
          Effect.orDie
        )
        const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-pg-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
        const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
        const target: Program.Target = { _tag: "Endpoint", url: local.url, region: local.region, credentials: local.credentials }
        const settings = { pollMs: 100, trackIntervalMs: 300, leaseMs: 5000, uploadConcurrency: 2, startConcurrency: 2 }
        const a = yield* Program.make({ target, db: url, workDir: Path.join(dir, "a"), settings: { ...settings, owner: "instance-a" } })
        const b = yield* Program.make({ target, db: url, workDir: Path.join(dir, "b"), settings: { ...settings, owner: "instance-b" } })
        const files = writeCsvFiles(Path.join(dir, "files"), N, 2)
        const ids = yield* Effect.forEach(files, (file, i) => Effect.map((i % 2 === 0 ? a : b).ledger.submit({ source: file, key: `k-${i}` }), (r) => r.batch.id))
        for (let i = 0; i < 300; i++) {
          const c = yield* a.ledger.counts()
          if (c.Completed + c.Failed + c.Cancelled >= N) break
          yield* Effect.sleep("1 second")
        }
        expect((yield* a.ledger.counts()).Completed).toBe(N)
        const perName = jobsByName(yield* allJobs(local.store))
        const owners = new Map<string, number>()
        for (const id of ids) {
          expect(perName.get(id)).toBe(1)
          const events = yield* a.ledger.events(id)
          for (const to of ["Uploaded", "Submitted", "Completed"]) {
            const made = events.filter((e) => e.to === to)
            expect(made).toHaveLength(1)
            owners.set(made[0]!.owner!, (owners.get(made[0]!.owner!) ?? 0) + 1)
          }
        }
        console.log(`stage transitions by instance: ${JSON.stringify(Object.fromEntries(owners))}`)
        expect(owners.get("instance-a") ?? 0).toBeGreaterThan(0)
        expect(owners.get("instance-b") ?? 0).toBeGreaterThan(0)
      })), { timeout: 600_000 })
  }
)
