/**
 * The rate window shared through the ledger's database: grants as the database decides them
 * (refused with the wait when full, a finished call's place frees a window later, an unfinished
 * grant ages out); three processes racing for grants never hold more than 5 at once (checked
 * from the grant times the database stamped; a check-then-insert in two statements fails it on
 * SQLite); and two limiters on two connections contending for one operation keep the limit
 * together (at most 5 calls in any 1 s, at most 4 in any half second, counted from the calls'
 * start times), where two limiters without the shared window do not. SQLite (one file) always;
 * PostgreSQL (a fresh database) with GEOJOBS_TEST_PG_URL, and in CI without it as a failure.
 */
import { describe, expect, it } from "@effect/vitest"
import * as PgClient from "@effect/sql-pg/PgClient"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SqlRateGrants from "../src/internal/sqlRateGrants.js"
import type { GrantLimit, RateGrantsService } from "../src/RateGrants.js"
import * as RateLimiter from "../src/RateLimiter.js"
import { maxInWindow, root } from "./support/Fixtures.js"
import { freshDatabase, skipPg, skipReason } from "./support/Pg.js"

type Connect = () => Effect.Effect<RateGrantsService, unknown, Scope.Scope>

/** Three processes racing for grants of one operation (never finished; each frees `holdMs` after it was granted). */
const race = (dialect: "sqlite" | "pg", where: string, operation: string, holdMs: number) =>
  Effect.promise(async () => {
    const children = [0, 1, 2].map(() =>
      spawn(process.execPath, ["--import", "tsx", racer, dialect, where, operation, "1500", String(holdMs)], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
    )
    const outputs = children.map((child) => {
      let out = ""
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString()
          if (out.includes("ready")) resolve()
        })
        child.stderr!.on("data", (d: Buffer) => (out += d.toString()))
        child.on("exit", (code) => reject(new Error(`grant racer exited with ${code} before it was ready: ${out}`)))
      })
      const result = new Promise<{ granted: number; asked: number; times: ReadonlyArray<number> }>((resolve, reject) => {
        child.on("exit", (code) => {
          const line = out.split("\n").find((l) => l.startsWith("{"))
          if (code === 0 && line !== undefined) resolve(JSON.parse(line))
          else reject(new Error(`grant racer exited with ${code}: ${out}`))
        })
      })
      return { ready, result }
    })
    await Promise.all(outputs.map((o) => o.ready))
    for (const child of children) child.stdin!.write("go\n")
    return Promise.all(outputs.map((o) => o.result))
  })

const grantsOn = (dialect: "pg" | "sqlite", client: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  Effect.flatMap(Layer.build(client), (ctx) => Effect.provide(SqlRateGrants.make(dialect), ctx))

const racer = Path.join(import.meta.dirname, "support", "grantRacer.ts")

interface Backend {
  readonly dialect: "sqlite" | "pg"
  /** The file or URL. */
  readonly where: string
  /** A new connection's grants. */
  readonly connect: Connect
}

const sqlite = (): Effect.Effect<Backend, never, Scope.Scope> =>
  Effect.gen(function*() {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-grants-"))
    yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
    const filename = Path.join(dir, "ledger.sqlite")
    return { dialect: "sqlite", where: filename, connect: () => grantsOn("sqlite", SqliteClient.layer({ filename })) }
  })

const pg = (): Effect.Effect<Backend, never, Scope.Scope> =>
  Effect.map(freshDatabase("geojobs_grants"), (url) => ({
    dialect: "pg",
    where: url,
    connect: () => grantsOn("pg", PgClient.layer({ url: Redacted.make(url), maxConnections: 4, onnotice: undefined } as PgClient.PgClientConfig))
  }))

const limit: GrantLimit = { rate: 5, burst: 5, windowMs: 1000, holdMs: 60_000 }

/** Two limiters (5/s, burst 4 per half second) each making `calls` calls; the calls' start times. */
const contend = (a: RateGrantsService | undefined, b: RateGrantsService | undefined, calls: number) =>
  Effect.gen(function*() {
    const starts: Array<{ readonly who: "a" | "b"; readonly at: number }> = []
    const la = yield* RateLimiter.make({ defaultLimit: { rate: 5 }, window: "1 second", shared: a })
    const lb = yield* RateLimiter.make({ defaultLimit: { rate: 5 }, window: "1 second", shared: b })
    const call = (who: "a" | "b") =>
      Effect.zipRight(Effect.sync(() => starts.push({ who, at: Date.now() })), Effect.sleep(`${5 + (starts.length % 4) * 5} millis`))
    yield* Effect.all([
      Effect.forEach(Array.from({ length: calls }), () => la.run("StartJob", call("a")), { concurrency: 4, discard: true }),
      Effect.forEach(Array.from({ length: calls }), () => lb.run("StartJob", call("b")), { concurrency: 4, discard: true })
    ], { concurrency: 2 })
    return starts
  })

const suite = (name: string, setup: () => Effect.Effect<Backend, never, Scope.Scope>) => {
  it.live(`${name}: refused with the wait when full; a finished call frees its place a window later`, () =>
    Effect.scoped(Effect.gen(function*() {
      const grants = yield* (yield* setup()).connect()
      const ids: Array<string> = []
      for (let i = 0; i < 5; i++) {
        const t = yield* grants.take("GetJob", limit)
        expect(t._tag).toBe("Granted")
        if (t._tag === "Granted") ids.push(t.id)
      }
      // full of calls in flight: no wait can be told
      expect(yield* grants.take("GetJob", limit)).toEqual({ _tag: "Wait", ms: undefined })
      // another operation has its own window
      expect((yield* grants.take("ListJobs", limit))._tag).toBe("Granted")
      for (const id of ids) yield* grants.finish(id)
      const refused = yield* grants.take("GetJob", limit)
      expect(refused._tag).toBe("Wait")
      const ms = refused._tag === "Wait" ? refused.ms : undefined
      expect(ms).toBeGreaterThan(0)
      expect(ms).toBeLessThanOrEqual(1000)
      yield* Effect.sleep(`${Math.ceil(ms!) + 20} millis`)
      expect((yield* grants.take("GetJob", limit))._tag).toBe("Granted")
    })), { timeout: 30_000 })

  it.live(`${name}: a grant never finished (its instance died) ages out after the hold`, () =>
    Effect.scoped(Effect.gen(function*() {
      const { connect } = yield* setup()
      const dead = yield* connect()
      const alive = yield* connect()
      const held = { ...limit, holdMs: 1500 }
      for (let i = 0; i < 5; i++) expect((yield* dead.take("CancelJob", held))._tag).toBe("Granted")
      expect((yield* alive.take("CancelJob", held))._tag).toBe("Wait")
      yield* Effect.sleep("1600 millis")
      expect((yield* alive.take("CancelJob", held))._tag).toBe("Granted")
    })), { timeout: 30_000 })

  it.live(`${name}: three processes racing for grants never get more than 5 at once`, () =>
    Effect.scoped(Effect.gen(function*() {
      const backend = yield* setup()
      // the table exists before the racers start
      yield* backend.connect()
      // a grant never finished holds its place 100 ms: places free again and again while they race
      const got = yield* race(backend.dialect, backend.where, "StartJob", 100)
      const times = got.flatMap((r) => r.times)
      const peak = maxInWindow(times, 100)
      console.log(`${name} racers: granted ${got.map((r) => r.granted).join("/")} of asked ${got.map((r) => r.asked).join("/")}; peak ${peak} per 100 ms`)
      expect(times.every((t) => Number.isFinite(t))).toBe(true)
      expect(peak).toBeLessThanOrEqual(5)
      // they did race: places freed many times, and each racer asked many times and got some
      expect(times.length).toBeGreaterThan(20)
      for (const r of got) expect(r.asked).toBeGreaterThan(10)
    })), { timeout: 60_000 })

  it.live(`${name}: two limiters on two connections keep 5 per second together`, () =>
    Effect.scoped(Effect.gen(function*() {
      const { connect } = yield* setup()
      const starts = yield* contend(yield* connect(), yield* connect(), 12)
      const times = starts.map((s) => s.at)
      const peak = maxInWindow(times, 1000)
      const halfPeak = maxInWindow(times, 500)
      console.log(`${name}: ${starts.length} calls, peak ${peak} per 1 s, ${halfPeak} per 0.5 s`)
      expect(starts).toHaveLength(24)
      expect(starts.filter((s) => s.who === "a")).toHaveLength(12)
      expect(peak).toBeLessThanOrEqual(5)
      expect(halfPeak).toBeLessThanOrEqual(4)
    })), { timeout: 60_000 })
}

describe("shared rate window", () => {
  it.live("without it, two limiters together go over the limit (the check below can fail)", () =>
    Effect.gen(function*() {
      const starts = yield* contend(undefined, undefined, 8)
      expect(maxInWindow(starts.map((s) => s.at), 1000)).toBeGreaterThan(5)
    }), { timeout: 30_000 })

  it("waitOf: the place that frees first enough of them", () => {
    const l = { rate: 3, burst: 2, windowMs: 1000 }
    expect(SqlRateGrants.waitOf([{ doneAt: 100 }, { doneAt: 400 }, { doneAt: undefined }], 900, l)).toBe(200)
    expect(SqlRateGrants.waitOf([{ doneAt: undefined }, { doneAt: undefined }, { doneAt: 850 }], 900, l)).toBe(950)
    expect(SqlRateGrants.waitOf([{ doneAt: undefined }, { doneAt: undefined }, { doneAt: undefined }], 900, l)).toBeUndefined()
  })

  describe("SQLite (two connections to one file)", () => suite("SQLite", sqlite))
  describe.skipIf(skipPg)(`PostgreSQL (two pools)${skipReason}`, () => suite("PostgreSQL", pg))
})
