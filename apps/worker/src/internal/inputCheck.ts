/**
 * Checks made on a batch file before it is accepted, so a file no job could take is refused at
 * the door rather than failing after upload: the format agrees with the name, and at least one
 * address column is present (the same rule and message as `geojobs validate`, from
 * `@geojobs/dataset`). Reads the header (CSV), the first line (JSON Lines) or the footer
 * (Parquet) only.
 */
import * as Contract from "@geojobs/dataset/Contract"
import * as Dataset from "@geojobs/dataset/Dataset"
import * as Format from "@geojobs/dataset/Format"
import * as JsonLines from "@geojobs/dataset/JsonLines"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { IntakeError } from "../WorkerError.js"

/** Fails with a `BadRequest` naming `label` when `file` is not a batch file a job can take. */
export const checkBatchFile = (file: string, label: string): Effect.Effect<void, IntakeError> =>
  Effect.scoped(Effect.gen(function*() {
    const source = yield* NodeFile.source(file)
    const format = yield* Format.detect(source, label)
    const columns = format === "jsonl"
      ? yield* Stream.runHead(JsonLines.readColumnar(source, label, { requireAddressColumns: true })).pipe(
        Effect.map((first) => (first._tag === "Some" ? first.value.columns : []))
      )
      : yield* Dataset.columnsOf(source, label, { format })
    const problem = Contract.checkAddressColumns(label, columns)
    if (problem !== undefined) return yield* Effect.fail(problem)
  })).pipe(
    Effect.catchTag("DatasetError", (e) => Effect.fail(new IntakeError({ reason: "BadRequest", message: e.message })))
  )
