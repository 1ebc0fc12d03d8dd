import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { MAX_REQUEST_DEPTH, nestsDeeperThan } from "../src/JsonDepth.js"
import { WireHandler } from "../src/WireHandler.js"
import * as WireHandlerModule from "../src/WireHandler.js"
import { testLayer } from "./fixtures.js"

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const enc = new TextEncoder()

describe("JsonDepth.nestsDeeperThan", () => {
  it("counts arrays and objects, in bytes and in strings alike", () => {
    for (const text of [nested(3), `{"a":{"b":[1]}}`]) {
      expect(nestsDeeperThan(text, 3)).toBe(false)
      expect(nestsDeeperThan(text, 2)).toBe(true)
      expect(nestsDeeperThan(enc.encode(text), 2)).toBe(true)
    }
  })

  it("brackets inside strings (escaped quotes included) do not count", () => {
    const text = JSON.stringify({ a: "[[[[{{{{ \" [[[[" })
    expect(nestsDeeperThan(text, 1)).toBe(false)
    expect(nestsDeeperThan(enc.encode(text), 1)).toBe(false)
  })
})

describe("the wire handler refuses deep JSON before parsing (local service and test doubles)", () => {
  it.effect("a NextToken nested 100,000 deep is a 400 CannotParse, not a stack overflow", () =>
    Effect.gen(function*() {
      const h = yield* WireHandler
      const answer = yield* h.handle({
        method: "POST",
        path: "/metadata/v0/jobs/list-jobs",
        headers: { "content-type": "application/json" },
        body: enc.encode(`{"NextToken":${nested(100_000)}}`)
      })
      expect(answer.status).toBe(400)
      const body = JSON.parse(new TextDecoder().decode(answer.body))
      expect(body.reason).toBe("CannotParse")
      expect(body.message).toContain(`JSON nested more than ${MAX_REQUEST_DEPTH} levels deep`)
    }).pipe(Effect.provide(Layer.provideMerge(WireHandlerModule.layer, testLayer()))))
})
