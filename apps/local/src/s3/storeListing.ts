/**
 * Listing the objects of a bucket for `S3Store`: ListObjects(V2) pages, keys in UTF-8 byte order
 * with common prefixes rolled up by a delimiter, and every key under a prefix for in-process use.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Order from "./keyOrder.js"
import { S3Errors } from "./S3Error.js"
import type { S3Store } from "./S3Store.js"
import { type ObjectRow, type OpenStore, toInfo } from "./storeMetadata.js"

const MAX_LIST_KEYS = 1000

/** The listing operations over an open store. */
export const make = (store: OpenStore): Pick<S3Store, "listObjects" | "listKeys"> => {
  const { db, requireBucket, sql } = store
  return {
    listObjects: (bucket, list = {}) =>
      Effect.gen(function*() {
        yield* db(requireBucket(bucket))
        const maxKeys = Math.min(Math.max(0, list.maxKeys ?? MAX_LIST_KEYS), MAX_LIST_KEYS)
        const prefix = Order.utf8(list.prefix ?? "")
        const delimiter = Order.utf8(list.delimiter ?? "")
        const end = prefix.length === 0 ? undefined : Order.pastPrefix(prefix)
        /** The common prefix `key` rolls up into, if any. */
        const rollUp = (key: Buffer): Buffer | undefined => {
          if (delimiter.length === 0 || !Order.startsWith(key, prefix)) return undefined
          const at = Order.indexOf(key, delimiter, prefix.length)
          return at < 0 ? undefined : key.subarray(0, at + delimiter.length)
        }
        let cursor = prefix
        if (list.continuationToken !== undefined) {
          const bound = Order.decodeToken(list.continuationToken)
          if (bound === undefined) {
            return yield* Effect.fail(S3Errors.invalidArgument("The continuation token provided is incorrect", { bucket }))
          }
          cursor = Order.max(cursor, bound)
        } else if (list.startAfter !== undefined && list.startAfter !== "") {
          const startAfter = Order.utf8(list.startAfter)
          const group = rollUp(startAfter)
          cursor = Order.max(cursor, group === undefined ? Order.after(startAfter) : Order.pastPrefix(group))
        }

        type Entry = { readonly _tag: "Object"; readonly row: ObjectRow } | { readonly _tag: "Prefix"; readonly prefix: Buffer }
        const entries: Array<Entry> = []
        let exhausted = false
        while (!exhausted && entries.length <= maxKeys) {
          const want = maxKeys + 1 - entries.length
          const rows = yield* db(
            end === undefined
              ? sql<ObjectRow>`SELECT * FROM objects WHERE bucket = ${bucket} AND key >= ${cursor} ORDER BY key LIMIT ${want}`
              : sql<ObjectRow>`SELECT * FROM objects WHERE bucket = ${bucket} AND key >= ${cursor} AND key < ${end} ORDER BY key LIMIT ${want}`
          )
          if (rows.length < want) exhausted = true
          for (const row of rows) {
            const key = Buffer.from(row.key)
            const group = rollUp(key)
            if (group === undefined) {
              entries.push({ _tag: "Object", row })
              cursor = Order.after(key)
            } else {
              entries.push({ _tag: "Prefix", prefix: group })
              cursor = Order.pastPrefix(group)
              exhausted = false
              break // the rest of this batch may belong to the same group: query again past it
            }
            if (entries.length > maxKeys) break
          }
        }
        const isTruncated = entries.length > maxKeys
        const page = entries.slice(0, maxKeys)
        const last = page[page.length - 1]
        const lastBound = last === undefined
          ? undefined
          : last._tag === "Object"
          ? Order.after(last.row.key)
          : Order.pastPrefix(last.prefix)
        return {
          contents: page.flatMap((e) => (e._tag === "Object" ? [toInfo(e.row)] : [])),
          commonPrefixes: page.flatMap((e) => (e._tag === "Prefix" ? [Order.fromUtf8(e.prefix)] : [])),
          isTruncated,
          nextContinuationToken: isTruncated && lastBound !== undefined ? Order.encodeToken(lastBound) : undefined,
          lastEntry: last === undefined
            ? undefined
            : last._tag === "Object"
            ? Order.fromUtf8(last.row.key)
            : Order.fromUtf8(last.prefix)
        }
      }),

    listKeys: (bucket, prefix = "") =>
      Effect.gen(function*() {
        yield* db(requireBucket(bucket))
        const start = Order.utf8(prefix)
        const rows = yield* db(
          prefix === ""
            ? sql<{ key: Uint8Array }>`SELECT key FROM objects WHERE bucket = ${bucket} ORDER BY key`
            : sql<{ key: Uint8Array }>`SELECT key FROM objects WHERE bucket = ${bucket} AND key >= ${start} AND key < ${
              Order.pastPrefix(start)
            } ORDER BY key`
        )
        return rows.map((r) => Order.fromUtf8(r.key))
      })
  }
}
