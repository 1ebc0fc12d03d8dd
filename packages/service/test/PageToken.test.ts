import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import { hmacSha256, sha256 } from "../src/internal/sha256.js"
import * as PageToken from "../src/PageToken.js"

const hex = (b: Uint8Array) => Encoding.encodeHex(b)
const utf8 = (s: string) => new TextEncoder().encode(s)

describe("sha256", () => {
  it("matches the FIPS 180-4 vectors", () => {
    expect(hex(sha256(utf8("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(hex(sha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(hex(sha256(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
    expect(hex(sha256(utf8("a".repeat(1000))))).toBe("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  })

  it("matches RFC 4231 HMAC-SHA-256 test cases 1, 2 and 6", () => {
    expect(hex(hmacSha256(new Uint8Array(20).fill(0x0b), utf8("Hi There")))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    )
    expect(hex(hmacSha256(utf8("Jefe"), utf8("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
    expect(hex(hmacSha256(new Uint8Array(131).fill(0xaa), utf8("Test Using Larger Than Block-Size Key - Hash Key First"))))
      .toBe("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  })
})

describe("PageToken", () => {
  const secret = utf8("k".repeat(32))
  const opts = { now: 10_000, ttlMillis: 5_000, status: "Running" as const }

  it("round-trips a cursor", () => {
    const token = PageToken.encode(secret, { beforeSeq: 42, status: "Running", issuedAt: 9_000 })
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(PageToken.decode(secret, token, opts)).toEqual(Either.right({ beforeSeq: 42, status: "Running", issuedAt: 9_000 }))
  })

  it("refuses a forged, tampered or foreign-key token", () => {
    const token = PageToken.encode(secret, { beforeSeq: 42, status: "Running", issuedAt: 9_000 })
    const [payload, mac] = token.split(".") as [string, string]
    const tampered = Encoding.encodeBase64Url(JSON.stringify({ v: 1, b: 1_000_000, s: "Running", t: 9_000 }))
    expect(PageToken.decode(secret, `${tampered}.${mac}`, opts)).toEqual(Either.left("Forged"))
    expect(PageToken.decode(secret, `${payload}.${mac.slice(1)}`, opts)).toEqual(Either.left("Forged"))
    expect(PageToken.decode(utf8("other"), token, opts)).toEqual(Either.left("Forged"))
    expect(PageToken.decode(secret, "garbage", opts)).toEqual(Either.left("Forged"))
    expect(PageToken.decode(secret, "a.b.c", opts)).toEqual(Either.left("Forged"))
  })

  it("refuses an expired, future or other-filter token", () => {
    const old = PageToken.encode(secret, { beforeSeq: 1, status: "Running", issuedAt: 4_999 })
    expect(PageToken.decode(secret, old, opts)).toEqual(Either.left("Expired"))
    const edge = PageToken.encode(secret, { beforeSeq: 1, status: "Running", issuedAt: 5_000 })
    expect(Either.isRight(PageToken.decode(secret, edge, opts))).toBe(true)
    const future = PageToken.encode(secret, { beforeSeq: 1, status: "Running", issuedAt: 10_001 })
    expect(PageToken.decode(secret, future, opts)).toEqual(Either.left("Expired"))
    const unfiltered = PageToken.encode(secret, { beforeSeq: 1, status: undefined, issuedAt: 9_000 })
    expect(PageToken.decode(secret, unfiltered, opts)).toEqual(Either.left("FilterMismatch"))
    expect(Either.isRight(PageToken.decode(secret, unfiltered, { ...opts, status: undefined }))).toBe(true)
  })
})
