/**
 * Shared test data and helpers. `ADDRESSES` is the table the committed Parquet fixtures hold
 * (see fixtures/make-fixtures.mjs, which must stay in sync).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Row } from "../src/AddressColumns.js"
import * as Bytes from "../src/Bytes.js"
import type { DatasetError } from "../src/DatasetError.js"

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures")
export const fixture = (name: string) => path.join(FIXTURES, name)

export const COLUMNS = [
  "Id",
  "AddressLines_1",
  "AddressLines_2",
  "AddressLines_3",
  "AddressLines_4",
  "AddressLines_5",
  "AddressComponents_Country",
  "AddressComponents_Region",
  "AddressComponents_SubRegion",
  "AddressComponents_Locality",
  "AddressComponents_PostalCode",
  "AddressComponents_Street",
  "AddressComponents_AddressNumber",
  "AddressComponents_Unit",
  "AddressComponents_UnitDesignator",
  "customer_ref"
] as const

type Cell = string | null
const table: ReadonlyArray<ReadonlyArray<Cell>> = [
  ["record-001", "Pike Place", "Apartment 4B", null, null, null, "USA", null, null, null, "98101", null, null, null, null, "c-1"],
  ["record-002", "2901 E Madison St", null, null, null, null, "USA", null, null, null, "98112", null, null, null, null, null],
  ["record-003", null, null, null, null, null, "CHE", "ZH", null, "Zürich", "8001", "Bahnhofstrasse", "1", null, null, "c-3"],
  ["record-004", "東京都千代田区丸の内1-1", null, null, null, null, "JPN", null, null, null, "100-0005", null, null, null, null, "🏠 home"],
  ["record-005", "1 Main St, Suite 100", 'Floor "2"', null, null, null, "US", "WA", "King", "Seattle", "98104", "Main St", "1", "100", "Suite", "multi\nline"],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]
]

/** The fixture table as rows. */
export const ADDRESSES: ReadonlyArray<Row> = table.map((cells) => Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!])))

/** All rows of a stream of row chunks. */
export const collect = <E>(stream: Stream.Stream<ReadonlyArray<Row>, E>): Promise<Array<Row>> =>
  Effect.runPromise(Stream.runCollect(stream)).then((chunks) => [...chunks].flat())

/** The typed error a stream/effect fails with (the test fails if it succeeds). */
export const failure = async (effect: Effect.Effect<unknown, DatasetError>): Promise<DatasetError> => {
  const result = await Effect.runPromise(Effect.either(effect))
  if (result._tag === "Right") throw new Error("expected a DatasetError, got success")
  return result.left
}

export const streamFailure = (stream: Stream.Stream<unknown, DatasetError>) => failure(Stream.runDrain(stream))

/** A fresh temp directory (removed by the caller's afterAll if wanted). */
export const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "geojobs-dataset-"))

/** A byte source over a string. */
export const text = (s: string) => Bytes.fromString(s)
