/**
 * A validation pool handed from the party that made it to one that uses it, as an opaque
 * handle: `ValidatePool.handle(pool)` makes one, `ValidatePool.fromHandle` gives the pool back.
 * Options that carry a pool (the local service's `RunnerOptions.pool`) name this type instead of
 * `ValidatePool`, so their declarations do not reach the worker tasks' types (and, through them,
 * the Parquet reader's).
 *
 * @since 0.1.0
 */

/** An opaque reference to a `ValidatePool`. */
export interface PoolHandle {
  readonly _tag: "@geojobs/engine/PoolHandle"
}
