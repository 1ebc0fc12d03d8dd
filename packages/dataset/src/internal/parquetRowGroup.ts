/**
 * A Parquet file's row groups as the reader sees them: its top-level columns (flat or nested),
 * the byte range of a row group's chunks, and what decoding one yields.
 *
 * @internal
 */
import type { ColumnMetaData, RowGroup, SchemaTree } from "hyparquet"

/** The decoded columns of one row group. */
export interface DecodedGroup {
  readonly data: Record<string, Array<string | null>>
  readonly length: number
  readonly rowErrors: Array<string | null> | undefined
  /**
   * Only from {@link flatBatches} asked for it: per column, the PLAIN encoding (each value's
   * 4-byte little-endian length and its UTF-8 bytes) of the batch's non-null values, in row
   * order, when every one of them was read from PLAIN text pages and is valid UTF-8 (so each
   * string in `data` encodes to exactly its bytes); absent for any other column.
   */
  readonly plain?: Record<string, Uint8Array>
}

/** A column of the file: its top-level schema node and whether it can be decoded flat. */
export interface TopColumn {
  readonly name: string
  readonly node: SchemaTree
  readonly flat: boolean
}

export const topColumns = (schema: SchemaTree): Array<TopColumn> =>
  schema.children.map((node) => ({
    name: node.element.name,
    node,
    flat: node.children.length === 0 && node.element.repetition_type !== "REPEATED"
  }))

/** The byte range `[start, end)` holding every column chunk of a row group. */
export const rowGroupRange = (rowGroup: RowGroup): { start: number; end: number } => {
  let start = Infinity
  let end = 0
  for (const chunk of rowGroup.columns) {
    const meta = chunk.meta_data
    if (meta === undefined) throw new Error("column chunk without metadata")
    if (chunk.file_path) throw new Error(`column chunk stored in another file (${chunk.file_path}) is not supported`)
    const s = chunkStart(meta)
    const e = s + Number(meta.total_compressed_size)
    if (s < start) start = s
    if (e > end) end = e
  }
  return start === Infinity ? { start: 0, end: 0 } : { start, end }
}

export const chunkStart = (meta: ColumnMetaData): number => {
  // some writers set dictionary_page_offset to 0 when there is no dictionary
  const dictionary = meta.dictionary_page_offset !== undefined ? Number(meta.dictionary_page_offset) : 0
  const data = Number(meta.data_page_offset)
  return dictionary > 0 && dictionary < data ? dictionary : data
}
