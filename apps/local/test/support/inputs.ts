/** Input files for jobs in tests. */
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

/** The bytes of a Parquet file of `groups` row groups of `rows` US addresses each. */
export const parquetInput = async (groups: number, rows: number): Promise<Uint8Array> => {
  const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-test-in-")), "in.parquet")
  const chunks = Array.from({ length: groups }, (_, g) =>
    Array.from({ length: rows }, (_, r) => ({
      Id: `g${g}-r${r}`,
      AddressLines_1: `${100 + r} Main St`,
      AddressComponents_Locality: "Seattle",
      AddressComponents_Region: "WA",
      AddressComponents_PostalCode: "98101",
      AddressComponents_Country: "USA"
    })))
  await Effect.runPromise(NodeFile.writeAll(file, Object.keys(chunks[0]![0]!), Stream.fromIterable(chunks)))
  return new Uint8Array(Fs.readFileSync(file))
}
