/**
 * The Micro signer against `@smithy/signature-v4`'s `sign` (the reference) for generated requests,
 * with WebCrypto hashing; WebCrypto's SHA-256 and HMAC against node:crypto; credentials sources
 * (checks, memoised providers, refresh before expiry, failures); clock-skew correction; and that
 * the module bundles without Effect's runtime, Schema, @effect/platform or a hashing library.
 */
import { describe, expect, it } from "@effect/vitest"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Micro from "effect/Micro"
import { build } from "esbuild"
import * as fc from "fast-check"
import { createHash, createHmac } from "node:crypto"
import { fileURLToPath } from "node:url"
import * as MicroSigV4 from "../src/MicroSigV4.js"
import { nodeSha256, SECRET } from "./support.js"

const segment = fc.oneof(
  fc.constantFrom(".", "..", "", "a b", "100%", "ü", "x+y", "a=b", "~tilde", "(x)*!'", "%2F", "jobs"),
  fc.stringMatching(/^[-._~A-Za-z0-9]{1,8}$/)
)
const headerName = fc.oneof(
  fc.constantFrom("content-type", "content-length", "x-amz-meta-a", "user-agent", "sec-fetch", "x-custom", "date", "Host"),
  fc.stringMatching(/^x-[a-z]{1,6}$/)
)
const headerValue = fc.oneof(fc.constantFrom("  padded  ", "a\tb", "multi   space", "application/json", ""), fc.stringMatching(/^[ -~]{0,12}$/))

const input = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT"),
  path: fc.array(segment, { maxLength: 4 }).map((s) => "/" + s.join("/")),
  query: fc.array(fc.tuple(fc.constantFrom("a", "b", "x y", "ü"), fc.string({ maxLength: 6 })), { maxLength: 3 }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  body: fc.oneof(fc.constant<undefined>(undefined), fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 })),
  token: fc.option(fc.constantFrom("FwoGZXIvYXdzEXAMPLE", "token/with+chars="), { nil: undefined }),
  uriEscapePath: fc.boolean(),
  time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
})

describe("MicroSigV4 vs @smithy/signature-v4", () => {
  it("adds exactly the headers smithy's sign computes (WebCrypto hashing)", async () => {
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, ...(i.token ? { sessionToken: i.token } : {}) }
        const signer = MicroSigV4.make({ region: "eu-west-1", service: "geo", credentials, uriEscapePath: i.uriEscapePath })
        const url = new URL(`https://example.com${i.path}`)
        for (const [k, v] of i.query) url.searchParams.append(k, v)
        const originalNow = Date.now
        Date.now = () => i.time
        let ours: MicroSigV4.SignatureHeaders
        try {
          ours = await Micro.runPromise(signer.sign({ method: i.method, url: url.href, headers: i.headers, body: i.body }))
        } finally {
          Date.now = originalNow
        }
        const query: Record<string, string | Array<string>> = {}
        for (const [k, v] of url.searchParams) {
          const e = query[k]
          query[k] = e === undefined ? v : Array.isArray(e) ? [...e, v] : [e, v]
        }
        const hasHost = Object.keys(i.headers).some((h) => h.toLowerCase() === "host")
        const smithy = await new SignatureV4({
          credentials,
          region: "eu-west-1",
          service: "geo",
          sha256: nodeSha256,
          uriEscapePath: i.uriEscapePath
        }).sign({
          method: i.method,
          protocol: url.protocol,
          hostname: url.hostname,
          path: url.pathname,
          query,
          headers: hasHost ? { ...i.headers } : { ...i.headers, host: url.host },
          body: i.body
        }, { signingDate: new Date(i.time) })
        for (const name of ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] as const) {
          expect(ours[name], name).toBe(smithy.headers[name])
        }
      }),
      { numRuns: 200 }
    )
  })

  // (WebCrypto refuses empty HMAC keys; SigV4's are never empty: "AWS4" + secret, then 32-byte digests.)
  it("WebCryptoSha256 is SHA-256 and HMAC-SHA-256", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.option(fc.oneof(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 40 })), { nil: undefined }), async (data, secret) => {
        const hash = secret === undefined ? new MicroSigV4.WebCryptoSha256() : new MicroSigV4.WebCryptoSha256(secret)
        hash.update(data.subarray(0, 7))
        hash.update(data.subarray(7))
        const expected = secret === undefined
          ? createHash("sha256").update(data).digest()
          : createHmac("sha256", typeof secret === "string" ? Buffer.from(secret, "utf8") : secret).update(data).digest()
        expect(Buffer.from(await hash.digest()).toString("hex")).toBe(expected.toString("hex"))
      }),
      { numRuns: 100 }
    )
  })
})

describe("MicroSigV4 credentials and clock", () => {
  const request = { method: "GET", url: "https://metadata.geo.us-east-1.amazonaws.com/metadata/v0/jobs/j", headers: {}, body: undefined }

  it("fixed credentials must have a key id and a secret", async () => {
    for (const credentials of [{ accessKeyId: "", secretAccessKey: "s" }, { accessKeyId: "a", secretAccessKey: "" }]) {
      const exit = await Micro.runPromiseExit(MicroSigV4.make({ region: "us-east-1", service: "geo", credentials }).sign(request))
      expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({ _tag: "SigningError", reason: "Credentials" })
    }
  })

  it("a provider is shared by concurrent signings, kept while fresh, fetched again 5 minutes before it expires", async () => {
    let calls = 0
    let expiresIn = 60 * 60 * 1000
    const signer = MicroSigV4.make({
      region: "us-east-1",
      service: "geo",
      credentials: async () => {
        calls++
        return { accessKeyId: `AKID${calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + expiresIn) }
      }
    })
    const [a, b] = await Micro.runPromise(Micro.all([signer.sign(request), signer.sign(request)], { concurrency: 2 }))
    expect(calls).toBe(1)
    expect(a!.authorization).toContain("Credential=AKID1/")
    expect(b!.authorization).toBe(a!.authorization)
    expiresIn = 60 * 1000 // the next ones expire within the margin: fetched on every signing
    await Micro.runPromise(signer.sign(request))
    expect(calls).toBe(1) // the first ones are still fresh
    const soon = MicroSigV4.make({
      region: "us-east-1",
      service: "geo",
      credentials: async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + 60_000) })
    })
    await Micro.runPromise(soon.sign(request))
    const second = await Micro.runPromise(soon.sign(request))
    expect(calls).toBe(3)
    expect(second.authorization).toContain("Credential=AKID3/")
  })

  it("a failing provider is a Credentials SigningError, and is tried again next time", async () => {
    let fail = true
    const signer = MicroSigV4.make({
      region: "us-east-1",
      service: "geo",
      credentials: () => (fail ? Promise.reject(new Error("no session")) : Promise.resolve({ accessKeyId: "a", secretAccessKey: "s" }))
    })
    const exit = await Micro.runPromiseExit(signer.sign(request))
    expect(exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
      reason: "Credentials",
      message: "the credentials provider failed: no session"
    })
    fail = false
    expect((await Micro.runPromise(signer.sign(request))).authorization).toContain("Credential=a/")
  })

  it("correctClockSkew: a 401/403 with a Date far from ours moves the signing clock", async () => {
    const signer = MicroSigV4.make({ region: "us-east-1", service: "geo", credentials: { accessKeyId: "a", secretAccessKey: "s" } })
    expect(signer.correctClockSkew(500, { date: new Date(Date.now() + 3_600_000).toUTCString() })).toBe(false)
    expect(signer.correctClockSkew(403, { date: new Date(Date.now() + 60_000).toUTCString() })).toBe(false)
    expect(signer.correctClockSkew(403, { date: new Date(Date.now() + 60_000).toUTCString(), "x-amzn-errortype": "RequestTimeTooSkewed:x" })).toBe(true)
    expect(Math.abs(signer.offsetMs() - 60_000)).toBeLessThan(2000)
    const headers = await Micro.runPromise(signer.sign(request))
    const d = headers["x-amz-date"]
    const signedAt = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15))
    expect(Math.abs(signedAt - (Date.now() + 60_000))).toBeLessThan(3000)
  })
})

describe("MicroSigV4 bundle", () => {
  it("bundles for the browser without Effect's runtime, Schema, @effect/platform, a hash library or node:*", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("../src/MicroSigV4.ts", import.meta.url))],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
      metafile: true
    })
    const inputs = Object.keys(result.metafile!.inputs)
    for (const banned of ["effect/dist/esm/Effect.js", "effect/dist/esm/Schema.js", "@effect/platform", "@aws-crypto", "@smithy", "node:"]) {
      expect(inputs.filter((p) => p.includes(banned)), banned).toEqual([])
    }
  })
})
