/**
 * Request rate limits per operation, shared by every call an instance makes. A sliding window:
 * at most `rate` calls in any `window` (1 s, so the
 * service, which stamps arrivals, never sees more than `rate` in a second), and at most `burst`
 * (default 80% of `rate`, as the quota page allows) in any half window. Callers wait in order.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

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
    const run = <A, E, R>(operation: string, effect: Effect.Effect<A, E, R>, onWait?: (ms: number) => void) => {
      const l = lane(operation)
      const admit = l.lock.withPermits(1)(
        Effect.gen(function*() {
          const start = yield* Clock.currentTimeMillis
          let now = start
          for (;;) {
            const wait = delay(l, now)
            if (wait !== undefined && wait <= 0) break
            yield* Effect.sleep(Duration.millis(wait === undefined ? 5 : Math.ceil(wait) + 1))
            now = yield* Clock.currentTimeMillis
          }
          l.inFlight++
          if (now > start) onWait?.(now - start)
        })
      )
      const finish = Effect.flatMap(Clock.currentTimeMillis, (t) =>
        Effect.sync(() => {
          l.inFlight--
          l.done.push(t)
        }))
      return Effect.acquireUseRelease(admit, () => effect, () => finish)
    }
    return { run, limitOf: limitFor }
  })
