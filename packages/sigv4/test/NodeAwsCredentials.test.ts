import { afterEach, assert, beforeEach, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { createRequire } from "node:module"
import { join } from "node:path"
import * as AwsCredentials from "../src/AwsCredentials.js"
import * as NodeAwsCredentials from "../src/NodeAwsCredentials.js"

const AWS_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI"
]

describe("NodeAwsCredentials.layerProviderChain", () => {
  let saved: Record<string, string | undefined> = {}
  let dir = ""

  beforeEach(() => {
    saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]))
    for (const name of AWS_VARIABLES) delete process.env[name]
    process.env["AWS_EC2_METADATA_DISABLED"] = "true"
    dir = mkdtempSync(join(tmpdir(), "geojobs-sigv4-"))
    // Never read the developer's own ~/.aws files.
    process.env["AWS_SHARED_CREDENTIALS_FILE"] = join(dir, "credentials")
    process.env["AWS_CONFIG_FILE"] = join(dir, "config")
  })

  afterEach(() => {
    for (const name of AWS_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
    rmSync(dir, { recursive: true, force: true })
  })

  // First in this file: nothing here has loaded the SDK yet. The package is CommonJS, so once
  // `import()`ed it shows in require.cache.
  it.effect("loads @aws-sdk/credential-providers only when credentials are first asked for", () =>
    Effect.gen(function*() {
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("credential-providers"))
      process.env["AWS_ACCESS_KEY_ID"] = "AKIDLAZY"
      process.env["AWS_SECRET_ACCESS_KEY"] = "secret-lazy"
      const credentials = yield* Effect.provide(
        Effect.gen(function*() {
          assert.isFalse(loaded(), "loaded before the layer was used")
          const first = yield* AwsCredentials.get
          assert.isTrue(loaded(), "not loaded after first use")
          return first
        }),
        NodeAwsCredentials.layerProviderChain()
      )
      assert.strictEqual(credentials.accessKeyId, "AKIDLAZY")
    }))

  it.effect("reads credentials from the environment", () =>
    Effect.gen(function*() {
      process.env["AWS_ACCESS_KEY_ID"] = "AKIDFROMENV"
      process.env["AWS_SECRET_ACCESS_KEY"] = "secret-from-env"
      process.env["AWS_SESSION_TOKEN"] = "token-from-env"
      const credentials = yield* Effect.provide(AwsCredentials.get, NodeAwsCredentials.layerProviderChain())
      assert.strictEqual(credentials.accessKeyId, "AKIDFROMENV")
      assert.strictEqual(Redacted.value(credentials.secretAccessKey), "secret-from-env")
      assert.strictEqual(Redacted.value(credentials.sessionToken!), "token-from-env")
      assert.notInclude(JSON.stringify(credentials), "secret-from-env")
      assert.notInclude(JSON.stringify(credentials), "token-from-env")
    }))

  it.effect("reads a profile from the shared credentials and config files", () =>
    Effect.gen(function*() {
      writeFileSync(
        join(dir, "credentials"),
        [
          "[default]",
          "aws_access_key_id = AKIDDEFAULT",
          "aws_secret_access_key = secret-default",
          "",
          "[geojobs-test]",
          "aws_access_key_id = AKIDPROFILE",
          "aws_secret_access_key = secret-profile",
          "aws_session_token = token-profile",
          ""
        ].join("\n")
      )
      writeFileSync(
        join(dir, "config"),
        ["[default]", "region = us-east-1", "", "[profile geojobs-test]", "region = eu-west-1", ""].join("\n")
      )
      const layer = NodeAwsCredentials.layerProviderChain({ profile: "geojobs-test" })
      const [first, second] = yield* Effect.provide(Effect.all([AwsCredentials.get, AwsCredentials.get]), layer)
      assert.strictEqual(first.accessKeyId, "AKIDPROFILE")
      assert.strictEqual(Redacted.value(first.secretAccessKey), "secret-profile")
      assert.strictEqual(Redacted.value(first.sessionToken!), "token-profile")
      assert.strictEqual(first, second) // cached

      const fallback = yield* Effect.provide(AwsCredentials.get, NodeAwsCredentials.layerProviderChain())
      assert.strictEqual(fallback.accessKeyId, "AKIDDEFAULT")
    }))

  it.effect("a profile defined only in the config file works too", () =>
    Effect.gen(function*() {
      writeFileSync(
        join(dir, "config"),
        [
          "[profile only-config]",
          "aws_access_key_id = AKIDCONFIGFILE",
          "aws_secret_access_key = secret-config-file",
          ""
        ].join("\n")
      )
      const credentials = yield* Effect.provide(
        AwsCredentials.get,
        NodeAwsCredentials.layerProviderChain({ profile: "only-config" })
      )
      assert.strictEqual(credentials.accessKeyId, "AKIDCONFIGFILE")
    }))

  it.effect("an unknown profile: the layer builds, and get fails with NotFound naming the profile", () =>
    Effect.gen(function*() {
      const result = yield* Effect.provide(
        Effect.either(AwsCredentials.get),
        NodeAwsCredentials.layerProviderChain({ profile: "no-such-profile" })
      )
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "CredentialsError")
        assert.strictEqual(result.left.reason, "NotFound")
        assert.include(result.left.message, "no-such-profile")
      }
    }))

  it.effect("nothing anywhere: NotFound", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.provide(AwsCredentials.get, NodeAwsCredentials.layerProviderChain()))
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        assert.strictEqual(exit.cause.error.reason, "NotFound")
      } else {
        assert.fail(`expected a CredentialsError, got ${String(exit)}`)
      }
    }))
})
