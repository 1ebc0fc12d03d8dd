/**
 * The signing middleware's own signing path against `@smithy/signature-v4`'s `sign`, the reference:
 * for generated requests (methods, paths with dot segments and characters to escape, repeated query
 * keys, headers with odd whitespace and unsignable names, string/bytes/empty/stream bodies, a preset
 * payload hash, session tokens, both `uriEscapePath` and `applyChecksum` settings; async hashes, and
 * a node:crypto one with the synchronous one-shot forms), the headers added
 * must be exactly the ones smithy computes.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Sha256 } from "@aws-crypto/sha256-js"
import { describe, expect, it } from "@effect/vitest"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { createHash, createHmac } from "node:crypto"
import * as AwsCredentials from "../src/AwsCredentials.js"
import * as SigV4 from "../src/SigV4.js"
import { fakeClient, nodeSha256, SECRET } from "./support.js"

const segment = fc.oneof(
  fc.constantFrom(".", "..", "", "a b", "100%", "ü", "x+y", "a=b", "~tilde", "(x)*!'", "%2F", "jobs"),
  fc.stringMatching(/^[-._~A-Za-z0-9]{1,8}$/)
)
const headerName = fc.oneof(
  fc.constantFrom("content-type", "x-amz-meta-a", "user-agent", "proxy-authorization", "sec-fetch", "x-custom", "date", "expect"),
  fc.stringMatching(/^x-[a-z]{1,6}$/)
)
const headerValue = fc.oneof(
  fc.constantFrom("  padded  ", "a\tb", "multi   space", "line\nbreak", "application/json", ""),
  fc.stringMatching(/^[ -~]{0,12}$/)
)
const body = fc.oneof(
  fc.constant<undefined>(undefined),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.constant("stream" as const)
)

const input = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
  path: fc.array(segment, { maxLength: 5 }).map((s) => "/" + s.join("/")),
  trailingSlash: fc.boolean(),
  query: fc.array(fc.tuple(fc.constantFrom("a", "b", "max-results", "x y", "ü"), fc.string({ maxLength: 6 })), { maxLength: 4 }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  presetHash: fc.boolean(),
  body,
  token: fc.option(fc.constantFrom("FwoGZXIvYXdzEXAMPLE", "token/with+chars="), { nil: undefined }),
  uriEscapePath: fc.boolean(),
  applyChecksum: fc.boolean(),
  time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  hash: fc.constantFrom("js", "node", "sync")
})

/** node:crypto with the synchronous one-shot forms: the signer's no-await path. */
const syncSha256: SigV4.Sha256Constructor = Object.assign(nodeSha256.bind(null), {
  sha256Sync: (data: Uint8Array) => createHash("sha256").update(data).digest(),
  hmacSync: (key: Uint8Array, data: Uint8Array) => createHmac("sha256", key).update(data).digest()
})

describe("SigV4 signing path vs @smithy/signature-v4", () => {
  it("adds exactly the headers smithy's sign computes", async () => {
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const sha256 = i.hash === "js" ? Sha256 : i.hash === "node" ? nodeSha256 : syncSha256
        const credentialsInput = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, ...(i.token ? { sessionToken: i.token } : {}) }
        const credentials = await Effect.runPromise(AwsCredentials.makeCredentials(credentialsInput))
        const { client, sent } = fakeClient(() => Effect.succeed({ status: 200, body: "{}" }))
        const sign = SigV4.make({
          region: "eu-west-1",
          service: "geo",
          sha256,
          uriEscapePath: i.uriEscapePath,
          applyChecksum: i.applyChecksum,
          credentials: Effect.succeed(credentials)
        })
        const path = i.path + (i.trailingSlash && i.path !== "/" ? "/" : "")
        let request = HttpClientRequest.make(i.method as "GET")(`https://example.com${path}`).pipe(
          HttpClientRequest.setHeaders(i.headers)
        )
        for (const [k, v] of i.query) request = HttpClientRequest.appendUrlParam(request, k, v)
        if (i.presetHash) request = HttpClientRequest.setHeader(request, "x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        if (i.body === "stream") request = HttpClientRequest.setBody(request, HttpBody.stream(Stream.make(new Uint8Array([1]))))
        else if (typeof i.body === "string") request = HttpClientRequest.setBody(request, HttpBody.text(i.body))
        else if (i.body instanceof Uint8Array) request = HttpClientRequest.setBody(request, HttpBody.uint8Array(i.body))

        const originalTime = Date.now
        Date.now = () => i.time
        try {
          await Effect.runPromise(Effect.scoped(HttpClient.execute(request)).pipe(Effect.provideService(HttpClient.HttpClient, sign(client))))
        } finally {
          Date.now = originalTime
        }
        const ours = sent[0]!.request
        const url = sent[0]!.url

        // The reference: smithy over the same request as the middleware sees it (host added).
        const query: Record<string, string | Array<string>> = {}
        for (const [k, v] of url.searchParams) {
          const e = query[k]
          query[k] = e === undefined ? v : Array.isArray(e) ? [...e, v] : [e, v]
        }
        const reqBody = request.body
        const smithyBody = reqBody._tag === "Uint8Array" ? reqBody.body : reqBody._tag === "Empty" ? undefined : {}
        const smithy = await new SignatureV4({
          credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, ...(i.token ? { sessionToken: i.token } : {}) },
          region: "eu-west-1",
          service: "geo",
          sha256: i.hash === "js" ? Sha256 : nodeSha256,
          uriEscapePath: i.uriEscapePath,
          applyChecksum: i.applyChecksum
        }).sign({
          method: request.method,
          protocol: url.protocol,
          hostname: url.hostname,
          path: url.pathname,
          query,
          headers: { ...request.headers, host: url.host },
          body: smithyBody
        }, { signingDate: new Date(i.time) })
        for (const name of ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]) {
          expect(ours.headers[name], name).toBe(name === "x-amz-content-sha256" && i.presetHash ? "UNSIGNED-PAYLOAD" : smithy.headers[name])
        }
      }),
      { numRuns: 300 }
    )
  })
})
