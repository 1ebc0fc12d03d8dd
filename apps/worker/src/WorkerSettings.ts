/**
 * The worker's tuning and naming, resolved (by `bin.ts` from flags and environment, or by a
 * test). Every field has a default in `defaults`.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import * as Os from "node:os"

/** Settings. Durations are in milliseconds. */
export interface WorkerSettings {
  /** This instance's name in leases and events. Default `<host>-<pid>-<random>`. */
  readonly owner: string
  /** Bucket for inputs and outputs. */
  readonly bucket: string
  /** Key prefix: inputs under `<prefix>inputs/<batch id>/`, outputs under `<prefix>outputs/<JobId>/`. */
  readonly prefix: string
  /** The jobs' ExecutionRoleArn. */
  readonly roleArn: string
  /** Jobs started and not finished, across all instances. */
  readonly maxInFlight: number
  readonly uploadConcurrency: number
  readonly startConcurrency: number
  readonly collectConcurrency: number
  /** Lease length; renewed every third of it. */
  readonly leaseMs: number
  /** How often stages look for work when not woken. */
  readonly pollMs: number
  /** Least time between tracking rounds. */
  readonly trackIntervalMs: number
  /** How long shutdown waits for running stage tasks before releasing them. */
  readonly shutdownGraceMs: number
  /** Read output footers for row counts (`Collecting`); off = straight to Completed. */
  readonly collect: boolean
  /** Scratch space (conversions) and the spool for uploaded files. */
  readonly workDir: string
  /** Claims of one batch by one stage before it is failed. */
  readonly maxAttempts: number
  /** Rounds a tracked job may be missing from every page before GetJob is asked. */
  readonly getJobAfterMisses: number
  /** GetJob calls per round at most. */
  readonly maxGetJobsPerRound: number
}

/** A fresh owner id. */
export const makeOwner = (): string => `${Os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`

/** The defaults (owner freshly made). */
export const defaults = (workDir: string): WorkerSettings => ({
  owner: makeOwner(),
  bucket: "geojobs-worker",
  prefix: "batches/",
  roleArn: "arn:aws:iam::000000000000:role/geojobs-worker",
  maxInFlight: 100,
  uploadConcurrency: 4,
  startConcurrency: 4,
  collectConcurrency: 4,
  leaseMs: 30_000,
  pollMs: 1_000,
  trackIntervalMs: 2_000,
  shutdownGraceMs: 10_000,
  collect: true,
  workDir,
  maxAttempts: 20,
  getJobAfterMisses: 2,
  maxGetJobsPerRound: 20
})
