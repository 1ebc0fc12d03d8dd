import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

const hex = (n: number): string => n.toString(16).padStart(2, "0")

/** A random UUID v4 drawn from Effect's `Random` service (seedable in tests). */
export const uuidV4: Effect.Effect<string> = Effect.gen(function*() {
  const bytes: Array<number> = []
  for (let i = 0; i < 16; i++) bytes.push(yield* Random.nextIntBetween(0, 256))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const h = bytes.map(hex).join("")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
})

/** `n` random bytes drawn from Effect's `Random` service. */
export const randomBytes = (n: number): Effect.Effect<Uint8Array> =>
  Effect.gen(function*() {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = yield* Random.nextIntBetween(0, 256)
    return out
  })
