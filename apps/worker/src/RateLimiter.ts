/**
 * Request rate limits per operation, shared by every call an instance makes. A sliding window:
 * at most `rate` calls in any `window` (1 s, so the
 * service, which stamps arrivals, never sees more than `rate` in a second), and at most `burst`
 * (default 80% of `rate`, as the quota page allows) in any half window. Callers wait in order.
 * With `shared` (the ledger's `RateGrants`), a call let through here also takes a grant in the
 * window every instance on the ledger shares, so the limit holds for all of them together.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type { RateGrantsService } from "./RateGrants.js"

/** One operation's limit. */
export interface Limit {
  /** Calls per window. */
  readonly rate: number
  /** Calls in any half window. Default max(1, floor(0.8 · rate)). */
  readonly burst?: number | undefined
}

/** Settings. */
export interface RateLimiterOptions {
  /** Limits by operation name; operations not listed use `defaultLimit`. */
  readonly limits?: Readonly<Record<string, Limit>> | undefined
  /** Default 5 per window. */
  readonly defaultLimit?: Limit | undefined
  /** The window. Default 1 s + 2% (a call holds its place until it completes, so no more slack is needed). */
  readonly window?: Duration.DurationInput | undefined
  /**
   * The window shared with the other instances on the same ledger. When given, a call the
   * in-process limit lets through also needs a grant there (one database round trip), so all
   * instances together keep the limit. Without it the limit is this instance's alone.
   */
  readonly shared?: RateGrantsService | undefined
  /**
   * How long a shared grant not stamped finished holds its place (its instance died, or the call
   * is still waiting for its answer). Default 10 s: far longer than a request takes to reach the
   * service (its place matters only until it has arrived, plus the window), short enough that a
   * killed instance's grants free soon. (A call still in flight keeps its place in process.)
   */
  readonly hold?: Duration.DurationInput | undefined
  /** How often to ask again while the shared window is full of calls in flight. Default 20 ms. */
  readonly sharedPoll?: Duration.DurationInput | undefined
}

/** A limiter. */
export interface RateLimiter {
  /**
   * Runs `effect` as one call of `operation` once the limit allows it. The call holds its place
   * in the window from the moment it is let through until `window` after it completes, so
   * however late the request actually leaves (a busy event loop, a slow connection), the
   * service can never see more than `rate` arrivals in any window.
   * Reports the milliseconds waited to `onWait`.
   */
  readonly run: <A, E, R>(operation: string, effect: Effect.Effect<A, E, R>, onWait?: (ms: number) => void) => Effect.Effect<A, E, R>
  /** The limit in force for an operation. */
  readonly limitOf: (operation: string) => { readonly rate: number; readonly burst: number; readonly windowMs: number }
  /** Whether the window is shared with other instances. */
  readonly shared: boolean
}

interface Lane {
  readonly rate: number
  readonly burst: number
  /** Calls let through and not yet finished. */
  inFlight: number
  /** Completion times of finished calls still inside the window, oldest first. */
  readonly done: Array<number>
  readonly lock: Effect.Semaphore
}

/** Makes a limiter. */
export const make = (options: RateLimiterOptions = {}): Effect.Effect<RateLimiter> =>
  Effect.sync(() => {
    const windowMs = Duration.toMillis(options.window ?? Duration.millis(1020))
    const holdMs = Duration.toMillis(options.hold ?? Duration.seconds(10))
    const pollMs = Duration.toMillis(options.sharedPoll ?? Duration.millis(20))
    const shared = options.shared
    const half = windowMs / 2
    const lanes = new Map<string, Lane>()
    const limitFor = (operation: string) => {
      const l = options.limits?.[operation] ?? options.defaultLimit ?? { rate: 5 }
      const rate = Math.max(1, Math.floor(l.rate))
      return { rate, burst: Math.max(1, Math.min(rate, Math.floor(l.burst ?? rate * 0.8))), windowMs }
    }
    const lane = (operation: string): Lane => {
      let l = lanes.get(operation)
      if (l === undefined) {
        const { burst, rate } = limitFor(operation)
        l = { rate, burst, inFlight: 0, done: [], lock: Effect.unsafeMakeSemaphore(1) }
        lanes.set(operation, l)
      }
      return l
    }
    /** How long until a call is allowed (0 = now); undefined = wait for a call to finish. */
    const delay = (l: Lane, now: number): number | undefined => {
      while (l.done.length > 0 && l.done[0]! <= now - windowMs) l.done.shift()
      if (l.inFlight + l.done.length >= l.rate) {
        const k = l.done.length - (l.rate - l.inFlight)
        return k < 0 ? undefined : l.done[k]! + windowMs - now
      }
      const recent = l.done.filter((t) => t > now - half)
      if (l.inFlight + recent.length >= l.burst) {
        const k = recent.length - (l.burst - l.inFlight)
        return k < 0 ? undefined : recent[k]! + half - now
      }
      return 0
    }
    const sleep = (ms: number) => Effect.sleep(Duration.millis(Math.max(1, Math.ceil(ms))))
    /**
     * Waits (interruptibly, holding the lane's lock) until the in-process limit and then the
     * shared window allow a call; returns the shared grant, if any. Changes no local state.
     */
    const turn = (operation: string, l: Lane): Effect.Effect<string | undefined> =>
      Effect.gen(function*() {
        let failing = false
        for (;;) {
          const wait = delay(l, yield* Clock.currentTimeMillis)
          if (wait === undefined || wait > 0) {
            yield* sleep(wait === undefined ? 5 : wait + 1)
            continue
          }
          if (shared === undefined) return undefined
          const grant = yield* Effect.either(shared.take(operation, { rate: l.rate, burst: l.burst, windowMs, holdMs }))
          if (grant._tag === "Left") {
            // The quota must hold: without the shared window, no call goes (and the ledger, in the
            // same database, is out of reach anyway).
            if (!failing) yield* Effect.logWarning(`cannot take a ${operation} rate grant; retrying: ${grant.left.message}`)
            failing = true
            yield* sleep(1000)
            continue
          }
          if (failing) yield* Effect.logInfo(`${operation} rate grants work again`)
          failing = false
          if (grant.right._tag === "Granted") return grant.right.id
          yield* sleep(grant.right.ms ?? pollMs)
        }
      })
    const run = <A, E, R>(operation: string, effect: Effect.Effect<A, E, R>, onWait?: (ms: number) => void) => {
      const l = lane(operation)
      /**
       * Frees the local place, then stamps the shared grant finished. The stamp runs in its own
       * fiber (waited for unless the caller is interrupted), so it is made even on interruption;
       * a stamp that fails leaves the grant holding its place until it expires: slower, never over.
       */
      const finish = (grant: string | undefined) =>
        Effect.flatMap(Clock.currentTimeMillis, (t) =>
          Effect.zipRight(
            Effect.sync(() => {
              l.inFlight--
              l.done.push(t)
            }),
            grant === undefined || shared === undefined ? Effect.void : Effect.flatMap(
              Effect.forkDaemon(shared.finish(grant).pipe(
                Effect.timeout(Duration.seconds(5)),
                Effect.catchAll((e) => Effect.logWarning(`cannot finish a ${operation} rate grant: ${e.message}`))
              )),
              (fiber) => Effect.ignore(Effect.interruptible(Fiber.await(fiber)))
            )
          ))
      return Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const start = yield* Clock.currentTimeMillis
          yield* restore(l.lock.take(1))
          // the local count is taken before the lane is let go, so the next caller sees this call
          const grant = yield* restore(turn(operation, l)).pipe(
            Effect.tap(() => Effect.sync(() => l.inFlight++)),
            Effect.ensuring(l.lock.release(1))
          )
          const waited = (yield* Clock.currentTimeMillis) - start
          if (waited > 0) onWait?.(waited)
          return yield* restore(effect).pipe(Effect.ensuring(finish(grant)))
        })
      )
    }
    return { run, limitOf: limitFor, shared: shared !== undefined }
  })
