import { describe, expect, it } from "@effect/vitest"
import { replayingLast } from "../src/internal/lastAnswer.js"

describe("replayingLast", () => {
  it("computes only when the two strings differ from the last call's, and forgets a call that threw", () => {
    const calls: Array<string> = []
    const f = replayingLast((a: string, b: string) => {
      calls.push(`${a}|${b}`)
      if (b === "boom") throw new Error("boom")
      return { a, b }
    })
    const first = f("US", "CA")
    expect(f("US", "CA")).toBe(first)
    expect(f("US", "NY")).toEqual({ a: "US", b: "NY" })
    expect(f("CA", "NY")).toEqual({ a: "CA", b: "NY" })
    // the empty strings are a question like any other (no sentinel answer)
    expect(f("", "")).toEqual({ a: "", b: "" })
    expect(() => f("US", "boom")).toThrow("boom")
    expect(() => f("US", "boom")).toThrow("boom")
    expect(f("", "")).toEqual({ a: "", b: "" })
    expect(calls).toEqual(["US|CA", "US|NY", "CA|NY", "|", "US|boom", "US|boom"])
  })
})
