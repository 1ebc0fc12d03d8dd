/**
 * Request rate limits per operation, shared by every call an instance makes. A sliding window:
 * at most `rate` calls in any `window` (1 s plus a little slack for network jitter, so the
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
  /** The window. Default 1 s + 10% slack. */
  readonly window?: Duration.DurationInput | undefined
}

/** A limiter. */
export interface RateLimiter {
  /** Waits until `operation` may be called, and counts the call. Returns the ms waited. */
  readonly take: (operation: string) => Effect.Effect<number>
  /** The limit in force for an operation. */
  readonly limitOf: (operation: string) => { readonly rate: number; readonly burst: number; readonly windowMs: number }
}

interface Lane {
  readonly rate: number
  readonly burst: number
  /** Times of the last `rate` calls, oldest first. */
  readonly times: Array<number>
  readonly lock: Effect.Semaphore
}

/** Makes a limiter. */
export const make = (options: RateLimiterOptions = {}): Effect.Effect<RateLimiter> =>
  Effect.sync(() => {
    const windowMs = Duration.toMillis(options.window ?? Duration.millis(1100))
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
        l = { rate, burst, times: [], lock: Effect.unsafeMakeSemaphore(1) }
        lanes.set(operation, l)
      }
      return l
    }
    /** How long until a call is allowed (0 = now). */
    const delay = (l: Lane, now: number): number => {
      while (l.times.length > 0 && l.times[0]! <= now - windowMs) l.times.shift()
      let wait = 0
      if (l.times.length >= l.rate) wait = Math.max(wait, l.times[l.times.length - l.rate]! + windowMs - now)
      const recent = l.times.filter((t) => t > now - half)
      if (recent.length >= l.burst) wait = Math.max(wait, recent[recent.length - l.burst]! + half - now)
      return wait > 0 ? Math.ceil(wait) + 1 : 0
    }
    const take = (operation: string): Effect.Effect<number> => {
      const l = lane(operation)
      return l.lock.withPermits(1)(
        Effect.gen(function*() {
          const start = yield* Clock.currentTimeMillis
          let now = start
          for (;;) {
            const wait = delay(l, now)
            if (wait === 0) break
            yield* Effect.sleep(Duration.millis(wait))
            now = yield* Clock.currentTimeMillis
          }
          l.times.push(now)
          if (l.times.length > l.rate) l.times.shift()
          return now - start
        })
      )
    }
    return { take, limitOf: limitFor }
  })
