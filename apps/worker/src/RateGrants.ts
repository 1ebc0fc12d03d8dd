/**
 * The request-rate window shared by every instance on one ledger: a log of recent call grants per
 * operation, kept in the ledger's database and stamped with the database's clock (so the
 * instances' own clocks do not matter). A grant is taken just before a request leaves and
 * finished when its answer is back; it holds a place in the window from the grant until `window`
 * after it finished (so however late the request arrived, the service cannot see more than `rate`
 * in any window), or until `hold` after the grant when nobody finishes it (a crashed instance's
 * grants age out on their own). `RateLimiter` asks for a grant after its in-process limit let a
 * call through. Adapters: `internal/sqlRateGrants` (PostgreSQL: one function call per grant,
 * serialised per operation by an advisory lock; SQLite: one `INSERT … SELECT`, serialised by the
 * file's write lock).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { LedgerError } from "./WorkerError.js"

/** The limit a grant is checked against (each caller passes its own). Durations in ms. */
export interface GrantLimit {
  /** Calls in any window. */
  readonly rate: number
  /** Calls in any half window. */
  readonly burst: number
  readonly windowMs: number
  /** How long an unfinished grant holds its place (longer than any call can take). */
  readonly holdMs: number
}

/** The answer to a request for a grant. */
export type Take =
  | { readonly _tag: "Granted"; readonly id: string }
  /** Full: try again in `ms` (undefined: the window is full of calls still in flight; poll). */
  | { readonly _tag: "Wait"; readonly ms: number | undefined }

/** The shared window. */
export interface RateGrantsService {
  /** A place in `operation`'s window now, or how long until one frees. */
  readonly take: (operation: string, limit: GrantLimit) => Effect.Effect<Take, LedgerError>
  /** The call of grant `id` has its answer: its place frees `windowMs` from now. */
  readonly finish: (id: string) => Effect.Effect<void, LedgerError>
}

/** The shared window's tag (provided by the ledger layers). */
export class RateGrants extends Context.Tag("@geojobs/worker/RateGrants")<RateGrants, RateGrantsService>() {}
