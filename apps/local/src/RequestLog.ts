/**
 * What the local service answered, newest last: one entry per request (time, API, operation,
 * status). Bounded (oldest entries dropped), kept in memory, served at `/_geojobs/requests` so
 * tests and tools can check request rates (e.g. "no operation above 5 per second").
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** One answered request. */
export interface RequestLogEntry {
  /** Epoch ms when the request arrived. */
  readonly at: number
  readonly api: "jobs" | "s3" | "internal"
  /** `StartJob`, `GetJob`, … for the Jobs API; the HTTP method for S3. */
  readonly operation: string
  readonly status: number
  readonly requestId: string
}

/** The log. */
export interface RequestLogService {
  readonly add: (entry: RequestLogEntry) => void
  /** Entries with `at >= since` (all when omitted), oldest first. */
  readonly entries: (since?: number) => ReadonlyArray<RequestLogEntry>
}

/** The log tag. */
export class RequestLog extends Context.Tag("@geojobs/local/RequestLog")<RequestLog, RequestLogService>() {}

/** A log keeping the newest `capacity` entries. */
export const make = (capacity = 100_000): RequestLogService => {
  const ring: Array<RequestLogEntry> = []
  let start = 0
  return {
    add: (entry) => {
      if (ring.length < capacity) ring.push(entry)
      else {
        ring[start] = entry
        start = (start + 1) % capacity
      }
    },
    entries: (since) => {
      const ordered = start === 0 ? ring.slice() : [...ring.slice(start), ...ring.slice(0, start)]
      return since === undefined ? ordered : ordered.filter((e) => e.at >= since)
    }
  }
}

/** A fresh log as a layer. */
export const layer = (capacity?: number): Layer.Layer<RequestLog> => Layer.sync(RequestLog, () => make(capacity))

/** Adds an entry. */
export const add = (entry: RequestLogEntry) => Effect.map(RequestLog, (log) => log.add(entry))
