import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Sha256 } from "@aws-crypto/sha256-js"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as AwsCredentials from "../src/AwsCredentials.js"
import * as SigV4 from "../src/SigV4.js"
import { verifyRequest } from "../src/SigV4Verify.js"
import type { FakeAnswer } from "./support.js"
import { fakeClient, nodeSha256, SECRET, sha256Hex, toIncoming } from "./support.js"

const T0 = Date.parse("2026-01-15T12:00:00Z")
const HOUR = 60 * 60 * 1000
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
const ENDPOINT = "https://metadata.geo.us-east-1.amazonaws.com"

const staticCredentials = AwsCredentials.layerStatic({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET })
const lookupSecret = (id: string) => (id === "AKIDEXAMPLE" || id === "AKIDOTHER" ? SECRET : undefined)

/** A fake service whose clock runs `skewMs` ahead of ours; it verifies every request like AWS would. */
const verifyingService = (skewMs = 0, service: "geo" | "s3" = "geo") =>
  fakeClient((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<FakeAnswer> => {
      const serverNow = new Date(now + skewMs)
      return verifyRequest(toIncoming(request, url), { lookupSecret, now: serverNow, sha256: nodeSha256 }).pipe(
        Effect.map((verified): FakeAnswer => {
          assert.strictEqual(verified.service, service)
          return { status: 200, headers: { date: serverNow.toUTCString() }, body: "{}" }
        }),
        Effect.catchAll((error) =>
          Effect.succeed<FakeAnswer>({
            status: 403,
            headers: {
              date: serverNow.toUTCString(),
              "x-amzn-errortype": "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/"
            },
            body: JSON.stringify({ message: error.message, reason: error.reason })
          })
        )
      )
    })
  )

const geo = { region: "us-east-1", service: "geo", sha256: nodeSha256 } as const

describe("SigV4 signer", () => {
  it.effect("signs a POST: host, x-amz-date, x-amz-content-sha256, authorization; the body is sent as is", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService()
      const sign = yield* SigV4.makeSigner(geo)
      const body = new TextEncoder().encode(JSON.stringify({ Action: "ValidateAddress", Name: "ünïcode job" }))
      const response = yield* sign(client).execute(
        HttpClientRequest.post(`${ENDPOINT}/metadata/v0/jobs`).pipe(HttpClientRequest.bodyUint8Array(body, "application/json"))
      )
      assert.strictEqual(response.status, 200, yield* response.text)
      assert.strictEqual(sent.length, 1)
      const request = sent[0]!.request
      assert.strictEqual(request.body._tag, "Uint8Array")
      if (request.body._tag === "Uint8Array") assert.strictEqual(request.body.body, body) // the same bytes, not a copy
      assert.strictEqual(request.headers["x-amz-date"], "20260115T120000Z")
      assert.strictEqual(request.headers["x-amz-content-sha256"], yield* Effect.promise(() => sha256Hex(body)))
      assert.isUndefined(request.headers["x-amz-security-token"])
      assert.match(
        request.headers["authorization"]!,
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260115\/us-east-1\/geo\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/
      )
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("signs a GET with a query (spaces, reserved and non-ASCII characters, repeated keys) and a session token", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService()
      const sign = yield* SigV4.makeSigner(geo)
      const response = yield* sign(client).execute(
        HttpClientRequest.get(`${ENDPOINT}/metadata/v0/jobs/job%20id%2Fwith%3Aspecial`, {
          urlParams: [["MaxResults", "5"], ["NextToken", "a+b/c= d*e~f"], ["z", "2"], ["z", "1"], ["ü", "ö"], ["empty", ""]]
        })
      )
      assert.strictEqual(response.status, 200, yield* response.text)
      const request = sent[0]!.request
      assert.strictEqual(request.headers["x-amz-security-token"], TOKEN)
      assert.strictEqual(request.headers["x-amz-content-sha256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
      assert.include(request.headers["authorization"]!, "x-amz-security-token")
    }).pipe(
      Effect.provide(
        AwsCredentials.layerStatic({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN })
      )
    ))

  it.effect("request mapping applied before or after the signer happens before signing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService()
      const sign = yield* SigV4.makeSigner(geo)
      const api = client.pipe(sign, HttpClient.mapRequest(HttpClientRequest.prependUrl(ENDPOINT)))
      const response = yield* api.get("/metadata/v0/jobs/abc")
      assert.strictEqual(response.status, 200, yield* response.text)
      assert.strictEqual(sent[0]!.url.host, "metadata.geo.us-east-1.amazonaws.com")
      // Mapping applied before the signer, and headers added after it, are signed too.
      const before = client.pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl(ENDPOINT)),
        sign,
        HttpClient.mapRequest(HttpClientRequest.setHeader("x-amz-user-agent", "geojobs/0.1.0"))
      )
      const again = yield* before.get("/metadata/v0/jobs/abc")
      assert.strictEqual(again.status, 200, yield* again.text)
      assert.include(sent[1]!.request.headers["authorization"]!, "x-amz-user-agent")
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("works with @aws-crypto/sha256-js and with S3-style paths (uriEscapePath false)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client } = verifyingService(0, "s3")
      const sign = yield* SigV4.makeSigner({ region: "us-east-1", service: "s3", sha256: Sha256, uriEscapePath: false })
      const body = new TextEncoder().encode("a,b\n1,2\n")
      const put = yield* sign(client).execute(
        HttpClientRequest.put("http://127.0.0.1:4566/bucket/in/my%20file+v1.csv").pipe(
          HttpClientRequest.bodyUint8Array(body, "text/csv")
        )
      )
      assert.strictEqual(put.status, 200, yield* put.text)
      const list = yield* sign(client).get("http://127.0.0.1:4566/bucket", {
        urlParams: { "list-type": "2", prefix: "in/my file", "max-keys": "10" }
      })
      assert.strictEqual(list.status, 200, yield* list.text)
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("a new credentials object (a refresh) is picked up", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService()
      const first = yield* AwsCredentials.makeCredentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET })
      const second = yield* AwsCredentials.makeCredentials({ accessKeyId: "AKIDOTHER", secretAccessKey: SECRET })
      let calls = 0
      const sign = SigV4.makeSigner({ ...geo, credentials: Effect.sync(() => (calls++ < 2 ? first : second)) })
      const signed = sign(client)
      for (let i = 0; i < 4; i++) {
        const response = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/j${i}`)
        assert.strictEqual(response.status, 200, yield* response.text)
      }
      const ids = sent.map((s) => /Credential=(\w+)\//.exec(s.request.headers["authorization"]!)![1])
      assert.deepStrictEqual(ids, ["AKIDEXAMPLE", "AKIDEXAMPLE", "AKIDOTHER", "AKIDOTHER"])
    }))

  it.effect("credentials that cannot be had fail the request with a RequestError carrying the CredentialsError", () =>
    Effect.gen(function*() {
      const { client, sent } = verifyingService()
      const sign = SigV4.makeSigner({
        ...geo,
        credentials: Effect.fail(new AwsCredentials.CredentialsError({ reason: "NotFound", message: "no credentials anywhere" }))
      })
      const result = yield* Effect.either(sign(client).get(`${ENDPOINT}/metadata/v0/jobs/x`))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "RequestError")
        const cause = SigV4.credentialsErrorOf(result.left)
        assert.isDefined(cause)
        assert.strictEqual(cause!.reason, "NotFound")
      }
      assert.strictEqual(sent.length, 0)
    }))

  it.effect("layer: replaces HttpClient with a signing one and redacts the session token when requests are logged", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService()
      const layer = SigV4.layer(geo).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
        Layer.provide(AwsCredentials.layerStatic({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN }))
      )
      yield* Effect.gen(function*() {
        const http = yield* HttpClient.HttpClient
        const response = yield* http.get(`${ENDPOINT}/metadata/v0/jobs/x`)
        assert.strictEqual(response.status, 200, yield* response.text)
        const lines: Array<string> = []
        yield* Effect.logError("sent", sent[0]!.request).pipe(
          Effect.provide(
            Logger.replace(Logger.defaultLogger, Logger.map(Logger.jsonLogger, (line) => void lines.push(line)))
          )
        )
        assert.strictEqual(lines.length, 1)
        assert.include(lines[0]!, "x-amz-date")
        assert.notInclude(lines[0]!, TOKEN)
        assert.notInclude(lines[0]!, "Signature=")
      }).pipe(Effect.provide(layer))
    }))
})

describe("SigV4 clock-skew correction", () => {
  it.effect("a 403 with a Date an hour ahead: corrects the clock, re-signs, resends once; later requests use the corrected time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService(HOUR)
      const signed = (yield* SigV4.makeSigner(geo))(client)
      const first = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(first.status, 200, yield* first.text)
      assert.strictEqual(sent.length, 2)
      assert.strictEqual(sent[0]!.request.headers["x-amz-date"], "20260115T120000Z")
      assert.strictEqual(sent[1]!.request.headers["x-amz-date"], "20260115T130000Z")

      const second = yield* signed.post(`${ENDPOINT}/metadata/v0/jobs/list-jobs`, {
        body: HttpBody.uint8Array(new TextEncoder().encode("{}"), "application/json")
      })
      assert.strictEqual(second.status, 200, yield* second.text)
      assert.strictEqual(sent.length, 3)
      assert.strictEqual(sent[2]!.request.headers["x-amz-date"], "20260115T130000Z")
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("a clock behind the service's is corrected too", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService(-2 * HOUR)
      const signed = (yield* SigV4.makeSigner(geo))(client)
      const response = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(response.status, 200, yield* response.text)
      assert.strictEqual(sent[1]!.request.headers["x-amz-date"], "20260115T100000Z")
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("a 403 without skew is returned as is and not resent", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = fakeClient(() =>
        Effect.succeed({
          status: 403,
          headers: { date: new Date(T0 + 3000).toUTCString(), "x-amzn-errortype": "AccessDeniedException" },
          body: "{}"
        })
      )
      const signed = (yield* SigV4.makeSigner(geo))(client)
      const response = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(response.status, 403)
      assert.strictEqual(sent.length, 1)
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("a skew error type with a smaller difference (1 minute) is corrected; with 2 seconds it is not", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const answer = (differenceMs: number) =>
        fakeClient((request) =>
          Effect.succeed(
            request.headers["x-amz-date"] === "20260115T120000Z"
              ? {
                status: 403,
                headers: { date: new Date(T0 + differenceMs).toUTCString(), "x-amzn-errortype": "RequestTimeTooSkewed" },
                body: "{}"
              }
              : { status: 200, body: "{}" }
          )
        )
      const minute = answer(60_000)
      const r1 = yield* (yield* SigV4.makeSigner(geo))(minute.client).get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(r1.status, 200)
      assert.strictEqual(minute.sent.length, 2)
      assert.strictEqual(minute.sent[1]!.request.headers["x-amz-date"], "20260115T120100Z")

      const seconds = answer(2_000)
      const r2 = yield* (yield* SigV4.makeSigner(geo))(seconds.client).get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(r2.status, 403)
      assert.strictEqual(seconds.sent.length, 1)
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("resends at most once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      // A service whose Date is always an hour past the request's signing time.
      const { client, sent } = fakeClient((request) => {
        const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(request.headers["x-amz-date"]!)!
        const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
        return Effect.succeed({ status: 401, headers: { date: new Date(signedAt + HOUR).toUTCString() }, body: "" })
      })
      const signed = (yield* SigV4.makeSigner(geo))(client)
      const response = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(response.status, 401)
      assert.strictEqual(sent.length, 2)
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("a streamed body is signed UNSIGNED-PAYLOAD and never resent", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService(HOUR)
      const signed = (yield* SigV4.makeSigner(geo))(client)
      const response = yield* signed.execute(
        HttpClientRequest.post(`${ENDPOINT}/metadata/v0/jobs`).pipe(
          HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("{}")))
        )
      )
      assert.strictEqual(response.status, 403)
      assert.strictEqual(sent.length, 1)
      assert.strictEqual(sent[0]!.request.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD")
    }).pipe(Effect.provide(staticCredentials)))

  it.effect("correctClockSkew: false turns it off", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { client, sent } = verifyingService(HOUR)
      const signed = (yield* SigV4.makeSigner({ ...geo, correctClockSkew: false }))(client)
      const response = yield* signed.get(`${ENDPOINT}/metadata/v0/jobs/a`)
      assert.strictEqual(response.status, 403)
      assert.strictEqual(sent.length, 1)
    }).pipe(Effect.provide(staticCredentials)))
})
