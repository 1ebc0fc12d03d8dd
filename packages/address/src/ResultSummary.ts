/**
 * The summary of a validated file, counted from its output columns (spec §7) with the result
 * categories of `@geojobs/address/Outcome` (defined there once, for every reader of result files):
 * rows per category, the most frequent reasons, rows per match confidence and per validation
 * granularity, and the first rows that need attention (every row that is not Validated), each
 * with its row number, its input address and the reason.
 *
 * Counted by whoever has the rows: the CLI over a job's output file, or the validation threads
 * over the rows they have just validated (`SliceTask.summary`), each a part that `absorb` adds up.
 *
 * @since 0.4.0
 */
import * as Outcome from "./Outcome.js"

/** A row that needs attention. */
export interface AttentionRow {
  /** 1-based row number in the input (and the output: rows keep their order). */
  readonly row: number
  readonly category: Outcome.Category
  readonly reason: Outcome.Reason
  readonly message: string
  /** The input address as one line (its `Input_*` address columns joined). */
  readonly input: string
}

/** A row with a position, for maps. */
export interface Point {
  readonly row: number
  readonly category: Outcome.Category
  readonly latitude: number
  readonly longitude: number
}

/** The counts. */
export interface Summary {
  readonly rows: number
  readonly validated: number
  readonly corrected: number
  readonly unconfirmed: number
  readonly failed: number
  /** Reason code → rows, most frequent first (Validated rows' reason included). */
  readonly reasons: ReadonlyArray<readonly [Outcome.Reason, number]>
  /** `Output_ValidationResults_MatchConfidence` → rows (`None` when absent), best first. */
  readonly confidence: ReadonlyArray<readonly [string, number]>
  /** `Output_ValidationResults_ValidationGranularity` → rows (`None` when absent), finest first. */
  readonly granularity: ReadonlyArray<readonly [string, number]>
  /** The first rows that need attention, in row order. */
  readonly attention: ReadonlyArray<AttentionRow>
  /** The first positioned rows (`pointLimit`), in row order. */
  readonly points: ReadonlyArray<Point>
  /** Rows with a position (all of them, also past `pointLimit`). */
  readonly positioned: number
}

/** What a row is (lower case, as the summary's counters). */
export type Category = "validated" | "corrected" | "unconfirmed" | "failed"

const confidenceOrder = ["High", "MediumHigh", "Medium", "MediumLow", "Low", "None"]
const granularityOrder = ["Premise", "Street", "LocalityAndPostalCode", "Locality", "None"]

/**
 * Input address columns in the order a person reads an address: read only for the rows that
 * need attention and are kept (see `SummaryBuilder.wantsInputs`).
 */
export const inputColumns: ReadonlyArray<string> = [
  "Input_AddressLines_1",
  "Input_AddressLines_2",
  "Input_AddressComponents_Locality",
  "Input_AddressComponents_Region",
  "Input_AddressComponents_PostalCode",
  "Input_AddressComponents_Country"
]

/** Every output column a summary's `add` reads: a file only summarised need not decode the rest. */
export const columnsRead: ReadonlyArray<string> = [
  ...Outcome.columnsRead,
  "Output_ValidationResults_MatchConfidence",
  "Output_ValidationResults_ValidationGranularity",
  "Output_Position_Latitude",
  "Output_Position_Longitude",
  ...inputColumns
]

/** The count of each category. */
const countOf: Readonly<Record<Outcome.Category, Category>> = {
  Validated: "validated",
  Corrected: "corrected",
  Unconfirmed: "unconfirmed",
  Failed: "failed"
}

const present = (v: unknown) => v !== null && v !== undefined && v !== ""

const ordered = (counts: Map<string, number>, order: ReadonlyArray<string>) =>
  [...counts].sort((a, b) => {
    const ia = order.indexOf(a[0])
    const ib = order.indexOf(b[0])
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || b[1] - a[1]
  })

/** How many rows that need attention the printed summary lists. */
export const printedAttention = 10

/**
 * What a summary counted over some consecutive rows, as plain data (it can be posted between
 * threads): `SummaryBuilder.part` gives it, `absorb` adds it to a summary of the rows before.
 * Its row numbers count from 1 at its first row.
 */
export interface Part extends Pick<Summary, "reasons" | "confidence" | "granularity" | "attention" | "points" | "positioned"> {
  readonly counts: Pick<Summary, "rows" | "validated" | "corrected" | "unconfirmed" | "failed">
}

/** A running summary (see {@link make}). */
export interface SummaryBuilder {
  /** Adds a columnar chunk of the output; returns each row's outcome (for the result's layouts). */
  readonly add: (
    chunk: {
      readonly columns: ReadonlyArray<string>
      readonly data: Readonly<Record<string, ReadonlyArray<unknown> | undefined>>
      readonly length: number
    }
  ) => ReadonlyArray<Outcome.Outcome>
  /**
   * Adds what another summary counted over the rows that come next (a worker thread's
   * {@link Part}): its row numbers move past the rows counted here; the limits still hold.
   */
  readonly absorb: (part: Part) => void
  /** What was counted, as a {@link Part}. */
  readonly part: () => Part
  /**
   * Whether rows added from now on may still be kept as rows that need attention (the list is
   * not full), and so need their {@link inputColumns}; once false, it stays false.
   */
  readonly wantsInputs: () => boolean
  readonly result: () => Summary
}

/** The limits of a summary. */
export interface Limits {
  readonly attentionLimit?: number
  readonly pointLimit?: number
}

/**
 * A running count; the first `attentionLimit` rows that need attention (default
 * `printedAttention`) and the first `pointLimit` positions (default 0) are kept.
 */
export const make = (options: Limits = {}): SummaryBuilder => {
  const limit = options.attentionLimit ?? printedAttention
  const pointLimit = options.pointLimit ?? 0
  const points: Array<Point> = []
  let positioned = 0
  const counts = { rows: 0, validated: 0, corrected: 0, unconfirmed: 0, failed: 0 }
  const reasons = new Map<Outcome.Reason, number>()
  const confidence = new Map<string, number>()
  const granularity = new Map<string, number>()
  const attention: Array<AttentionRow> = []
  const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1)
  return {
    add: (chunk) => {
      const outcomes = new Array<Outcome.Outcome>(chunk.length)
      const column = (name: string) => chunk.data[name]
      const match = column("Output_ValidationResults_MatchConfidence")
      const grain = column("Output_ValidationResults_ValidationGranularity")
      const inputs = inputColumns.map(column).filter((c) => c !== undefined)
      const latitudes = column("Output_Position_Latitude")
      const longitudes = column("Output_Position_Longitude")
      const classify = Outcome.classifier(column)
      for (let i = 0; i < chunk.length; i++) {
        const outcome = classify(i)
        outcomes[i] = outcome
        counts.rows++
        counts[countOf[outcome.category]]++
        bump(reasons, outcome.reason)
        bump(confidence, present(match?.[i]) ? String(match![i]) : "None")
        bump(granularity, present(grain?.[i]) ? String(grain![i]) : "None")
        const latitude = Number(latitudes?.[i] ?? NaN)
        const longitude = Number(longitudes?.[i] ?? NaN)
        if (present(latitudes?.[i]) && present(longitudes?.[i]) && Number.isFinite(latitude) && Number.isFinite(longitude)) {
          positioned++
          if (points.length < pointLimit) points.push({ row: counts.rows, category: outcome.category, latitude, longitude })
        }
        if (outcome.category !== "Validated" && attention.length < limit) {
          attention.push({
            row: counts.rows,
            category: outcome.category,
            reason: outcome.reason,
            message: outcome.message,
            input: inputs.map((c) => c[i]).filter(present).map(String).join(", ")
          })
        }
      }
      return outcomes
    },
    absorb: (part) => {
      const offset = counts.rows
      counts.rows += part.counts.rows
      counts.validated += part.counts.validated
      counts.corrected += part.counts.corrected
      counts.unconfirmed += part.counts.unconfirmed
      counts.failed += part.counts.failed
      for (const [key, n] of part.reasons) reasons.set(key, (reasons.get(key) ?? 0) + n)
      for (const [key, n] of part.confidence) confidence.set(key, (confidence.get(key) ?? 0) + n)
      for (const [key, n] of part.granularity) granularity.set(key, (granularity.get(key) ?? 0) + n)
      for (const a of part.attention) if (attention.length < limit) attention.push({ ...a, row: a.row + offset })
      for (const p of part.points) if (points.length < pointLimit) points.push({ ...p, row: p.row + offset })
      positioned += part.positioned
    },
    wantsInputs: () => attention.length < limit,
    part: () => ({
      counts: { ...counts },
      reasons: [...reasons],
      confidence: [...confidence],
      granularity: [...granularity],
      attention: [...attention],
      points: [...points],
      positioned
    }),
    result: (): Summary => ({
      ...counts,
      reasons: [...reasons].sort((a, b) => b[1] - a[1]),
      confidence: ordered(confidence, confidenceOrder),
      granularity: ordered(granularity, granularityOrder),
      attention: [...attention],
      points: [...points],
      positioned
    })
  }
}
