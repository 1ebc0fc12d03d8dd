/**
 * `--columns`: the layout of the result file `geojobs validate` writes.
 *
 * - `aws` (default): the columns of Amazon Location's output, as the job wrote them: every input
 *   column as `Input_<name>` (address columns under the spec's names), then `Output_*`.
 * - `original`: the input's own column names, in its order, then every result column of `aws`.
 * - `compact`: the input's own columns, then only what a person reads first: the result category
 *   and reason (`@geojobs/address/Outcome`), the match confidence, the standardized address (its
 *   one-line label) and the position.
 *
 * A name that is taken already (an input column called `Latitude`, say) gets a `_2` suffix: no
 * value is dropped or overwritten.
 *
 * @since 0.1.0
 */
import * as Outcome from "@geojobs/address/Outcome"
import * as Chunk from "@geojobs/dataset/Chunk"
import type { ColumnarChunk } from "@geojobs/dataset/Chunk"

/** The layouts. */
export const layouts = ["aws", "original", "compact"] as const

/** A layout. */
export type Layout = (typeof layouts)[number]

/** The columns `compact` adds, and the output column each one comes from (or the outcome). */
const compactColumns: ReadonlyArray<readonly [name: string, from: string]> = [
  ["Validation_Category", "category"],
  ["Validation_Reason", "reason"],
  ["Validation_Confidence", "Output_ValidationResults_MatchConfidence"],
  ["Standardized_Address", "Output_Address_Label"],
  ["Latitude", "Output_Position_Latitude"],
  ["Longitude", "Output_Position_Longitude"]
]

/** How to turn the job's output chunks into the chosen layout. */
export interface Plan {
  /** The result file's columns. */
  readonly columns: ReadonlyArray<string>
  /**
   * One output chunk (aws layout) in the chosen layout; `outcomes`, each row's outcome when the
   * caller has classified the rows already (else they are classified here, when needed).
   */
  readonly apply: (chunk: ColumnarChunk, outcomes?: ReadonlyArray<Outcome.Outcome>) => ColumnarChunk
}

/**
 * The plan for `layout`, given the output's columns and the input's columns as pairs of the name
 * the job saw (after header aliases) and the name in the user's file. With `message`, a last
 * column `Validation_Message` holds each row's outcome text (what `--review` writes).
 */
export const plan = (
  layout: Layout,
  outputColumns: ReadonlyArray<string>,
  inputNames: ReadonlyArray<readonly [job: string, original: string]>,
  options: { readonly message?: boolean } = {}
): Plan => {
  if (layout === "aws") return { columns: outputColumns, apply: (chunk) => chunk }
  // the input's columns, by the output column that holds each
  const inputs = inputNames
    .map(([job, original]): readonly [string, string] => [`Input_${job}`, original])
    .filter(([column]) => outputColumns.includes(column))
  const inputSet = new Set<string>(inputs.map(([column]) => column))
  const results: ReadonlyArray<readonly [string, string]> = [
    ...(layout === "original" ? outputColumns.filter((c) => !inputSet.has(c)).map((c) => [c, c] as const) : compactColumns),
    ...(options.message === true ? [["Validation_Message", "message"] as const] : [])
  ]
  const names = Chunk.uniqueNames([...inputs.map(([, original]) => original), ...results.map(([name]) => name)])
  const sources: ReadonlyArray<string> = [...inputs.map(([column]) => column), ...results.map(([, from]) => from)]
  return {
    columns: names,
    apply: (chunk, given) => {
      const data: Record<string, ReadonlyArray<string | null>> = {}
      const plain: Record<string, Uint8Array> = {}
      let outcomes = given
      // computed columns: "category", "reason", "message" (no output column has these names)
      const outcomeOf = (): ReadonlyArray<Outcome.Outcome> => {
        if (outcomes === undefined) {
          const classified = new Array<Outcome.Outcome>(chunk.length)
          const classify = Outcome.classifier((c) => chunk.data[c])
          for (let i = 0; i < chunk.length; i++) classified[i] = classify(i)
          outcomes = classified
        }
        return outcomes
      }
      names.forEach((name, k) => {
        const from = sources[k]!
        if (from === "category") data[name] = outcomeOf().map((o) => o.category)
        else if (from === "reason") data[name] = outcomeOf().map((o) => o.reason)
        else if (from === "message") data[name] = outcomeOf().map((o) => o.message)
        else {
          data[name] = chunk.data[from] ?? new Array<null>(chunk.length).fill(null)
          const bytes = chunk.plain?.[from]
          if (bytes !== undefined) plain[name] = bytes
        }
      })
      return {
        columns: names,
        data,
        length: chunk.length,
        ...(chunk.rowErrors !== undefined ? { rowErrors: chunk.rowErrors } : {}),
        ...(Object.keys(plain).length > 0 ? { plain } : {})
      }
    }
  }
}
