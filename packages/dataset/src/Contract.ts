/**
 * The input contract: a file must have at least one of the 14 address columns (spec §7.2);
 * every column is an optional string and extra columns pass through.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { AddressColumns, presentAddressColumns } from "./AddressColumns.js"
import * as DatasetError from "./DatasetError.js"

/**
 * Succeeds with the address columns present (in spec order), or fails with
 * `NoAddressColumns` naming the file and listing the headers that were found.
 */
export const requireAddressColumns = (
  file: string,
  headers: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<string>, DatasetError.DatasetError> => {
  const problem = checkAddressColumns(file, headers)
  return problem === undefined ? Effect.succeed(presentAddressColumns(headers)) : Effect.fail(problem)
}

/** The `NoAddressColumns` error for `headers`, or undefined when an address column is present. */
export const checkAddressColumns = (file: string, headers: ReadonlyArray<string>): DatasetError.DatasetError | undefined => {
  if (presentAddressColumns(headers).length > 0) return undefined
  const found = headers.length === 0 ? "no columns at all" : `only ${DatasetError.shownList(headers)}`
  return DatasetError.make(
    file,
    "NoAddressColumns",
    `none of the address columns is present (found ${found}); expected at least one of ${AddressColumns.join(", ")} ` +
      `(CSV and JSON Lines headers may also use common spellings such as address, city, state, zip, country)` +
      (headers.length === 1 && headers[0]!.length > 200 ? "; the header is one long field: is the file really CSV, with line breaks?" : ""),
    { headers }
  )
}
