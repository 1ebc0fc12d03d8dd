import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { inspect } from "node:util"
import * as AwsCredentials from "../src/AwsCredentials.js"

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"

const withConfig = (map: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map))))

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (error === undefined) throw new Error(`expected a Fail cause, got ${exit.cause._tag}`)
  return error
}

/** Everything a person or a log could see of a value. */
const renderings = (value: unknown): ReadonlyArray<string> => [
  String(value),
  `${value}`,
  JSON.stringify(value),
  Inspectable.format(value),
  Inspectable.toStringUnknown(value),
  inspect(value, { depth: 10 })
]

describe("AwsCredentials", () => {
  it.effect("layerStatic accepts plain strings and Redacted, and yields the same object every time", () =>
    Effect.gen(function*() {
      const first = yield* AwsCredentials.get
      const second = yield* AwsCredentials.get
      assert.strictEqual(first, second)
      assert.strictEqual(first.accessKeyId, "AKIDEXAMPLE")
      assert.isTrue(Redacted.isRedacted(first.secretAccessKey))
      assert.strictEqual(Redacted.value(first.secretAccessKey), SECRET)
      assert.strictEqual(Redacted.value(first.sessionToken!), TOKEN)
    }).pipe(
      Effect.provide(
        AwsCredentials.layerStatic({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: Redacted.make(TOKEN) })
      )
    ))

  it.effect("layerStatic refuses an empty key id or secret", () =>
    Effect.gen(function*() {
      const noKey = failure(
        yield* Effect.exit(
          Effect.provide(AwsCredentials.get, AwsCredentials.layerStatic({ accessKeyId: "", secretAccessKey: SECRET }))
        )
      )
      assert.strictEqual(noKey._tag, "CredentialsError")
      assert.strictEqual(noKey.reason, "Invalid")
      const noSecret = failure(
        yield* Effect.exit(
          Effect.provide(AwsCredentials.get, AwsCredentials.layerStatic({ accessKeyId: "AKID", secretAccessKey: "" }))
        )
      )
      assert.strictEqual(noSecret.reason, "Invalid")
      assert.include(noSecret.message, "AKID")
    }))

  it.effect("layerConfig reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN through Config", () =>
    Effect.gen(function*() {
      const withToken = yield* Effect.provide(
        AwsCredentials.get,
        AwsCredentials.layerConfig().pipe(
          Layer.provide(
            withConfig({ AWS_ACCESS_KEY_ID: "AKIDCONFIG", AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN })
          )
        )
      )
      assert.strictEqual(withToken.accessKeyId, "AKIDCONFIG")
      assert.strictEqual(Redacted.value(withToken.secretAccessKey), SECRET)
      assert.strictEqual(Redacted.value(withToken.sessionToken!), TOKEN)

      const withoutToken = yield* Effect.provide(
        AwsCredentials.get,
        AwsCredentials.layerConfig().pipe(
          Layer.provide(withConfig({ AWS_ACCESS_KEY_ID: "AKIDCONFIG", AWS_SECRET_ACCESS_KEY: SECRET }))
        )
      )
      assert.isUndefined(withoutToken.sessionToken)
    }))

  it.effect("layerConfig fails with NotFound when a setting is missing and Invalid when it is empty", () =>
    Effect.gen(function*() {
      const missing = failure(
        yield* Effect.exit(
          Effect.provide(
            AwsCredentials.get,
            AwsCredentials.layerConfig().pipe(Layer.provide(withConfig({ AWS_ACCESS_KEY_ID: "AKIDCONFIG" })))
          )
        )
      )
      assert.strictEqual(missing.reason, "NotFound")
      assert.include(missing.message, "AWS_SECRET_ACCESS_KEY")

      const empty = failure(
        yield* Effect.exit(
          Effect.provide(
            AwsCredentials.get,
            AwsCredentials.layerConfig().pipe(
              Layer.provide(withConfig({ AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: SECRET }))
            )
          )
        )
      )
      assert.strictEqual(empty.reason, "Invalid")
    }))

  it.effect("secrets never show in toString, JSON, Inspectable, util.inspect or logs", () =>
    Effect.gen(function*() {
      const credentials = yield* AwsCredentials.makeCredentials({
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
        expiration: new Date("2030-01-01T00:00:00Z")
      })
      const provider = AwsCredentials.make(Effect.succeed(credentials))
      const lines: Array<string> = []
      const logger = Logger.make(({ message }) => {
        lines.push(Inspectable.toStringUnknown(message))
      })
      yield* Effect.log("credentials", credentials, { nested: credentials }, provider).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      const everything = [
        ...renderings(credentials),
        ...renderings({ credentials }),
        ...renderings(provider),
        ...lines
      ]
      for (const text of everything) {
        assert.notInclude(text, SECRET)
        assert.notInclude(text, TOKEN)
      }
      // The key id and the expiry are not secret, and help when debugging.
      assert.include(JSON.stringify(credentials), "AKIDEXAMPLE")
      assert.include(JSON.stringify(credentials), "2030-01-01")
      assert.isTrue(lines.length > 0)
    }))

  it.effect("the structured and logfmt loggers do not print secrets either", () =>
    Effect.gen(function*() {
      const credentials = yield* AwsCredentials.makeCredentials({
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: SECRET,
        sessionToken: TOKEN
      })
      const bases: ReadonlyArray<Logger.Logger<unknown, unknown>> = [
        Logger.logfmtLogger,
        Logger.jsonLogger,
        Logger.structuredLogger,
        Logger.stringLogger
      ]
      for (const base of bases) {
        const out: Array<string> = []
        const logger = Logger.map(base, (line) => {
          out.push(typeof line === "string" ? line : JSON.stringify(line))
        })
        yield* Effect.logError("loaded", credentials).pipe(
          Effect.annotateLogs("credentials", credentials),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger))
        )
        assert.isTrue(out.length > 0)
        for (const line of out) {
          assert.notInclude(line, SECRET)
          assert.notInclude(line, TOKEN)
        }
      }
    }))
})

describe("AwsCredentials.cached", () => {
  const start = Date.parse("2026-01-15T12:00:00Z")

  /** A provider that hands out numbered credentials valid for 15 minutes from the test clock. */
  const counting = (failWhen: (call: number) => boolean = () => false) => {
    let calls = 0
    const get = Effect.flatMap(
      Effect.clockWith((clock) => clock.currentTimeMillis),
      (now) => {
        calls++
        if (failWhen(calls)) {
          return Effect.fail(new AwsCredentials.CredentialsError({ reason: "ProviderFailed", message: `call ${calls} failed` }))
        }
        return AwsCredentials.makeCredentials({
          accessKeyId: `AKID${calls}`,
          secretAccessKey: SECRET,
          expiration: new Date(now + 15 * 60 * 1000)
        })
      }
    )
    return { get, calls: () => calls }
  }

  it.effect("keeps credentials until refreshBefore their expiration, then fetches new ones", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(start)
      const provider = counting()
      const get = yield* AwsCredentials.cached(provider.get, { refreshBefore: "5 minutes" })
      assert.strictEqual(provider.calls(), 0) // nothing fetched before first use
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      yield* TestClock.adjust(Duration.minutes(9))
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      assert.strictEqual(provider.calls(), 1)
      yield* TestClock.adjust(Duration.seconds(61))
      assert.strictEqual((yield* get).accessKeyId, "AKID2")
      assert.strictEqual((yield* get).accessKeyId, "AKID2")
      assert.strictEqual(provider.calls(), 2)
    }))

  it.effect("concurrent callers share one fetch", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(start)
      let calls = 0
      const slow = Effect.zipRight(
        Effect.sleep(Duration.seconds(1)),
        Effect.suspend(() => {
          calls++
          return AwsCredentials.makeCredentials({ accessKeyId: "AKIDSLOW", secretAccessKey: SECRET })
        })
      )
      const get = yield* AwsCredentials.cached(slow)
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 20 }, () => get), { concurrency: "unbounded" }))
      yield* TestClock.adjust(Duration.seconds(2))
      const results = yield* Fiber.join(fiber)
      assert.strictEqual(calls, 1)
      assert.isTrue(results.every((c) => c === results[0]))
    }))

  it.effect("does not cache failures", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(start)
      const provider = counting((call) => call === 1)
      const get = yield* AwsCredentials.cached(provider.get)
      const first = failure(yield* Effect.exit(get))
      assert.strictEqual(first.reason, "ProviderFailed")
      assert.strictEqual((yield* get).accessKeyId, "AKID2")
    }))

  it.effect("a failed refresh keeps serving still-valid credentials, and fails once they expired", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(start)
      const provider = counting((call) => call > 1)
      const get = yield* AwsCredentials.cached(provider.get, { refreshBefore: "5 minutes", retryAfter: "30 seconds" })
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      yield* TestClock.adjust(Duration.minutes(11)) // inside the refresh window, not expired
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      assert.strictEqual(provider.calls(), 2)
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      assert.strictEqual(provider.calls(), 2) // no new attempt before retryAfter
      yield* TestClock.adjust(Duration.seconds(31))
      assert.strictEqual((yield* get).accessKeyId, "AKID1")
      assert.strictEqual(provider.calls(), 3)
      yield* TestClock.adjust(Duration.minutes(5)) // now past the expiration
      const error = failure(yield* Effect.exit(get))
      assert.strictEqual(error.reason, "ProviderFailed")
    }))

  it.effect("credentials without expiration are fetched once", () =>
    Effect.gen(function*() {
      let calls = 0
      const get = yield* AwsCredentials.cached(
        Effect.suspend(() => {
          calls++
          return AwsCredentials.makeCredentials({ accessKeyId: "AKIDFOREVER", secretAccessKey: SECRET })
        })
      )
      yield* get
      yield* TestClock.adjust(Duration.days(400))
      yield* get
      assert.strictEqual(calls, 1)
    }))
})

describe("AwsCredentials.fromProvider", () => {
  it.effect("calls an SDK-style provider lazily, once, and wraps its secrets", () =>
    Effect.gen(function*() {
      let calls = 0
      const layer = AwsCredentials.layerProvider(() => {
        calls++
        return Promise.resolve({ accessKeyId: "AKIDPROMISE", secretAccessKey: SECRET, sessionToken: TOKEN })
      })
      const [first, second] = yield* Effect.provide(
        Effect.gen(function*() {
          assert.strictEqual(calls, 0)
          return [yield* AwsCredentials.get, yield* AwsCredentials.get] as const
        }),
        layer
      )
      assert.strictEqual(calls, 1)
      assert.strictEqual(first, second)
      assert.strictEqual(Redacted.value(first.sessionToken!), TOKEN)
      assert.notInclude(JSON.stringify(first), SECRET)
    }))

  it.effect("maps CredentialsProviderError to NotFound and other rejections to ProviderFailed", () =>
    Effect.gen(function*() {
      const notFound = new Error("Could not load credentials from any providers")
      notFound.name = "CredentialsProviderError"
      const a = failure(
        yield* Effect.exit(Effect.provide(AwsCredentials.get, AwsCredentials.layerProvider(() => Promise.reject(notFound))))
      )
      assert.strictEqual(a.reason, "NotFound")
      assert.strictEqual(a.message, "Could not load credentials from any providers")
      const b = failure(
        yield* Effect.exit(
          Effect.provide(AwsCredentials.get, AwsCredentials.layerProvider(() => Promise.reject(new Error("socket hang up"))))
        )
      )
      assert.strictEqual(b.reason, "ProviderFailed")
      const c = failure(
        yield* Effect.exit(
          Effect.provide(
            AwsCredentials.get,
            AwsCredentials.layerProvider(() => Promise.resolve({ accessKeyId: "", secretAccessKey: SECRET }))
          )
        )
      )
      assert.strictEqual(c.reason, "Invalid")
    }))
})
