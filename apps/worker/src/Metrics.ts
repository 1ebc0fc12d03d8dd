/**
 * The worker's metrics, rendered in the Prometheus text format at `/metrics`: counters and
 * histograms kept here, and gauges read when scraped (batches by state come from the ledger).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

type Labels = Readonly<Record<string, string>>

const labelText = (labels: Labels): string => {
  const keys = Object.keys(labels)
  if (keys.length === 0) return ""
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

interface Histogram {
  readonly counts: Array<number>
  sum: number
  count: number
}

/** The registry. */
export interface MetricsService {
  /** Adds `by` (default 1) to a counter. */
  readonly inc: (name: string, labels?: Labels, by?: number) => void
  /** Records a latency in seconds. */
  readonly observe: (name: string, labels: Labels, seconds: number) => void
  /** Sets a gauge. */
  readonly set: (name: string, labels: Labels, value: number) => void
  /** A counter's current value (tests, bench). */
  readonly value: (name: string, labels?: Labels) => number
  /** The Prometheus text of everything, plus `extra` lines (gauges computed at scrape). */
  readonly render: (extra?: ReadonlyArray<string>) => string
}

/** The metrics tag. */
export class Metrics extends Context.Tag("@geojobs/worker/Metrics")<Metrics, MetricsService>() {}

const help: Record<string, readonly [type: string, text: string]> = {
  geojobs_worker_api_calls_total: ["counter", "Jobs API calls (attempts) by operation and outcome."],
  geojobs_worker_api_throttles_total: ["counter", "Jobs API calls answered with throttling."],
  geojobs_worker_api_latency_seconds: ["histogram", "Jobs API call latency."],
  geojobs_worker_rate_wait_seconds_total: ["counter", "Time spent waiting for the rate limiter."],
  geojobs_worker_stage_total: ["counter", "Stage runs by stage and outcome."],
  geojobs_worker_tracking_rounds_total: ["counter", "Tracking rounds done."],
  geojobs_worker_tracking_last_round_calls: ["gauge", "Jobs API calls made by the last tracking round."],
  geojobs_worker_tracked_jobs: ["gauge", "Jobs followed by the last tracking round."],
  geojobs_worker_s3_calls_total: ["counter", "S3 calls by operation and outcome."],
  geojobs_worker_batches: ["gauge", "Batches in the ledger by state."],
  geojobs_worker_inflight_tasks: ["gauge", "Stage tasks running in this instance."]
}

/** A fresh registry. */
export const make = (): MetricsService => {
  const counters = new Map<string, Map<string, { labels: Labels; value: number }>>()
  const gauges = new Map<string, Map<string, { labels: Labels; value: number }>>()
  const histograms = new Map<string, Map<string, { labels: Labels; h: Histogram }>>()
  const slot = <V>(m: Map<string, Map<string, V>>, name: string) => {
    let s = m.get(name)
    if (s === undefined) m.set(name, (s = new Map()))
    return s
  }
  return {
    inc: (name, labels = {}, by = 1) => {
      const s = slot(counters, name)
      const k = labelText(labels)
      const e = s.get(k)
      if (e === undefined) s.set(k, { labels, value: by })
      else e.value += by
    },
    set: (name, labels, value) => {
      slot(gauges, name).set(labelText(labels), { labels, value })
    },
    observe: (name, labels, seconds) => {
      const s = slot(histograms, name)
      const k = labelText(labels)
      let e = s.get(k)
      if (e === undefined) s.set(k, (e = { labels, h: { counts: latencyBuckets.map(() => 0), sum: 0, count: 0 } }))
      latencyBuckets.forEach((b, i) => {
        if (seconds <= b) e.h.counts[i]! += 1
      })
      e.h.sum += seconds
      e.h.count += 1
    },
    value: (name, labels = {}) => counters.get(name)?.get(labelText(labels))?.value ?? gauges.get(name)?.get(labelText(labels))?.value ?? 0,
    render: (extra = []) => {
      const out: Array<string> = []
      const head = (name: string) => {
        const h = help[name]
        if (h !== undefined) out.push(`# HELP ${name} ${h[1]}`, `# TYPE ${name} ${h[0]}`)
      }
      for (const [name, s] of counters) {
        head(name)
        for (const e of s.values()) out.push(`${name}${labelText(e.labels)} ${e.value}`)
      }
      for (const [name, s] of gauges) {
        head(name)
        for (const e of s.values()) out.push(`${name}${labelText(e.labels)} ${e.value}`)
      }
      for (const [name, s] of histograms) {
        head(name)
        for (const e of s.values()) {
          latencyBuckets.forEach((b, i) => out.push(`${name}_bucket${labelText({ ...e.labels, le: String(b) })} ${e.h.counts[i]}`))
          out.push(`${name}_bucket${labelText({ ...e.labels, le: "+Inf" })} ${e.h.count}`)
          out.push(`${name}_sum${labelText(e.labels)} ${e.h.sum}`)
          out.push(`${name}_count${labelText(e.labels)} ${e.h.count}`)
        }
      }
      if (extra.length > 0) {
        head("geojobs_worker_batches")
        out.push(...extra)
      }
      return `${out.join("\n")}\n`
    }
  }
}

/** A fresh registry as a layer. */
export const layer: Layer.Layer<Metrics> = Layer.sync(Metrics, make)

/** Lines for the batches-by-state gauge. */
export const batchLines = (counts: Readonly<Record<string, number>>): ReadonlyArray<string> =>
  Object.entries(counts).map(([state, n]) => `geojobs_worker_batches${labelText({ state })} ${n}`)

/** Adds to a counter. */
export const inc = (name: string, labels?: Labels, by?: number) => Effect.map(Metrics, (m) => m.inc(name, labels, by))
