/**
 * The ledger: the durable record of every batch, and the only coordination between worker
 * instances. Stages claim batches with a lease (owner + expiry, renewed by a heartbeat); a lease
 * that expires (its owner died) can be claimed by anyone. Every change of state is a
 * compare-and-set on the expected state (and on the lease owner when a stage holds one), and is
 * written to an event log. Adapters: `SqliteLedger` (default, one instance) and `PgLedger`
 * (several instances; `FOR UPDATE SKIP LOCKED` claims).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { Batch, BatchState, NewBatch } from "./Batch.js"
import type { LedgerError } from "./WorkerError.js"

/** The claimable stages and the state each one takes batches from. */
export type Stage = "upload" | "start" | "collect"

/** The state a stage claims from. */
export const stageState: Record<Stage, BatchState> = {
  upload: "Received",
  start: "Uploaded",
  collect: "Collecting"
}

/** A change of a batch, as written by `transition`. */
export interface Patch {
  readonly state: BatchState
  readonly inputLocation?: string | undefined
  readonly outputLocation?: string | undefined
  readonly jobId?: string | undefined
  readonly jobStatus?: string | undefined
  readonly submittedAt?: number | undefined
  readonly endedAt?: number | undefined
  readonly errorCode?: string | undefined
  readonly errorMessages?: ReadonlyArray<string> | undefined
  readonly inputRows?: number | undefined
  readonly outputRows?: number | undefined
  readonly outputFiles?: number | undefined
  readonly lastError?: string | undefined
  /** Drop the lease (the stage is done with the batch). Default true. */
  readonly release?: boolean | undefined
}

/** A recorded change. */
export interface BatchEvent {
  readonly seq: number
  readonly batchId: string
  readonly at: number
  readonly owner: string | undefined
  readonly from: string | undefined
  readonly to: string
  readonly detail: string | undefined
}

/** What a tracker needs of a followed batch (kept small: thousands are loaded per round). */
export interface TrackedBatch {
  readonly id: string
  readonly jobId: string
  readonly state: BatchState
  readonly jobStatus: string | undefined
  readonly submittedAt: number
  readonly cancelRequested: boolean
}

/** The ledger operations. */
export interface LedgerService {
  /** Records a batch unless one with the same key exists (then returns that one, `created: false`). */
  readonly submit: (input: NewBatch & { readonly id?: string }) => Effect.Effect<{ readonly batch: Batch; readonly created: boolean }, LedgerError>
  readonly get: (id: string) => Effect.Effect<Option.Option<Batch>, LedgerError>
  readonly getByKey: (key: string) => Effect.Effect<Option.Option<Batch>, LedgerError>
  /** Batches, newest first, optionally in some states. */
  readonly list: (options: { readonly states?: ReadonlyArray<BatchState>; readonly limit: number }) => Effect.Effect<ReadonlyArray<Batch>, LedgerError>
  /**
   * Asks for a batch to stop: a batch with no job yet becomes `Cancelled` at once; one with a job
   * is flagged (the tracker calls CancelJob); a terminal batch is left as it is.
   */
  readonly requestCancel: (id: string, owner: string) => Effect.Effect<Option.Option<Batch>, LedgerError>
  /**
   * Leases up to `limit` batches waiting for `stage` (not leased, or lease expired) to `owner`.
   * For `start`, never so many that more than `maxInFlight` jobs would be in flight.
   */
  readonly claim: (options: {
    readonly stage: Stage
    readonly owner: string
    readonly leaseMs: number
    readonly limit: number
    readonly maxInFlight?: number | undefined
  }) => Effect.Effect<ReadonlyArray<Batch>, LedgerError>
  /** Extends every lease `owner` holds. Returns how many. */
  readonly heartbeat: (owner: string, leaseMs: number) => Effect.Effect<number, LedgerError>
  /** Gives up `owner`'s leases (all, or the given batches), so others may claim them at once. */
  readonly release: (owner: string, ids?: ReadonlyArray<string>) => Effect.Effect<number, LedgerError>
  /**
   * Moves a batch from one of `from` to `patch.state`, only if it is still in one of `from` (and,
   * with `owner`, still leased to `owner`). False when the batch moved on or the lease was lost.
   */
  readonly transition: (
    id: string,
    from: ReadonlyArray<BatchState>,
    patch: Patch,
    owner?: string | undefined
  ) => Effect.Effect<boolean, LedgerError>
  /** Records a stage failure that will be retried (keeps the state, drops the lease). */
  readonly noteFailure: (id: string, owner: string, message: string, retryAfterMs: number) => Effect.Effect<void, LedgerError>
  /** Updates the last job status seen (no state change). */
  readonly noteJobStatus: (id: string, jobStatus: string) => Effect.Effect<void, LedgerError>
  /** Batches with a job in flight (`Submitted`, `Running`). */
  readonly tracked: () => Effect.Effect<ReadonlyArray<TrackedBatch>, LedgerError>
  /** Batch counts by state (all states present). */
  readonly counts: () => Effect.Effect<Record<BatchState, number>, LedgerError>
  /** A batch's recorded changes, oldest first. */
  readonly events: (id: string) => Effect.Effect<ReadonlyArray<BatchEvent>, LedgerError>
  /**
   * Takes or renews a singleton role (e.g. the tracker) for `leaseMs`. True when `owner` holds it.
   */
  readonly acquireRole: (role: string, owner: string, leaseMs: number) => Effect.Effect<boolean, LedgerError>
  /** Gives a role up. */
  readonly releaseRole: (role: string, owner: string) => Effect.Effect<void, LedgerError>
}

/** The ledger tag. */
export class Ledger extends Context.Tag("@geojobs/worker/Ledger")<Ledger, LedgerService>() {}
