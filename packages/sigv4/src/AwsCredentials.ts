/**
 * AWS credentials as an Effect service. The service yields the *current* credentials on every
 * call, so providers with an expiry can refresh them; the secret parts are `Redacted` and never
 * show in `toString`, `JSON.stringify`, `Inspectable` output or logs.
 *
 * Browser-safe: no `node:*`, no `process`; settings are read through `Config`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/** Why credentials could not be had. */
export const CredentialsErrorReason = Schema.Literal(
  /** No source had credentials (no settings, no such profile, empty chain). */
  "NotFound",
  /** Credentials were found but are unusable (empty key, missing secret). */
  "Invalid",
  /** A provider failed while loading or refreshing them. */
  "ProviderFailed"
)
/** @since 0.1.0 */
export type CredentialsErrorReason = typeof CredentialsErrorReason.Type

/** Credentials could not be loaded. The message never contains a secret. */
export class CredentialsError extends Schema.TaggedError<CredentialsError>()("CredentialsError", {
  reason: CredentialsErrorReason,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** One set of AWS credentials. Secrets are `Redacted`; `expiration` is set by providers that refresh. */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
  readonly sessionToken?: Redacted.Redacted<string>
  readonly expiration?: Date
}

/** What `makeCredentials` and `layerStatic` accept: secrets as plain strings or `Redacted`. */
export interface CredentialsInput {
  readonly accessKeyId: string
  readonly secretAccessKey: string | Redacted.Redacted<string>
  readonly sessionToken?: string | Redacted.Redacted<string> | undefined
  readonly expiration?: Date | undefined
}

const CredentialsProto = {
  ...Inspectable.BaseProto,
  toJSON(this: Credentials): unknown {
    return {
      _id: "@geojobs/sigv4/Credentials",
      accessKeyId: this.accessKeyId,
      secretAccessKey: "<redacted>",
      ...(this.sessionToken !== undefined ? { sessionToken: "<redacted>" } : {}),
      ...(this.expiration !== undefined ? { expiration: this.expiration.toISOString() } : {})
    }
  }
}

const toRedacted = (value: string | Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

/**
 * Checks and wraps credentials: the key id and secret must be non-empty; plain-string secrets
 * are wrapped in `Redacted`. The result prints as `{ accessKeyId, secretAccessKey: "<redacted>" }`.
 */
export const makeCredentials = (input: CredentialsInput): Effect.Effect<Credentials, CredentialsError> =>
  Effect.suspend(() => {
    if (typeof input.accessKeyId !== "string" || input.accessKeyId.length === 0) {
      return Effect.fail(new CredentialsError({ reason: "Invalid", message: "the access key id is empty" }))
    }
    if (input.secretAccessKey === undefined || input.secretAccessKey === null) {
      return Effect.fail(
        new CredentialsError({ reason: "Invalid", message: `no secret access key for ${input.accessKeyId}` })
      )
    }
    const secretAccessKey = toRedacted(input.secretAccessKey)
    if (Redacted.value(secretAccessKey).length === 0) {
      return Effect.fail(
        new CredentialsError({ reason: "Invalid", message: `the secret access key of ${input.accessKeyId} is empty` })
      )
    }
    const self = Object.create(CredentialsProto)
    self.accessKeyId = input.accessKeyId
    self.secretAccessKey = secretAccessKey
    if (input.sessionToken !== undefined) {
      const token = toRedacted(input.sessionToken)
      if (Redacted.value(token).length > 0) self.sessionToken = token
    }
    if (input.expiration !== undefined) self.expiration = input.expiration
    return Effect.succeed(self as Credentials)
  })

/** The service: `get` yields the credentials to sign with now. */
export interface AwsCredentialsProvider {
  readonly get: Effect.Effect<Credentials, CredentialsError>
}

/** The credentials Tag. */
export class AwsCredentials extends Context.Tag("@geojobs/sigv4/AwsCredentials")<
  AwsCredentials,
  AwsCredentialsProvider
>() {}

/** The current credentials from the `AwsCredentials` service. */
export const get: Effect.Effect<Credentials, CredentialsError, AwsCredentials> = Effect.flatMap(
  AwsCredentials,
  (provider) => provider.get
)

const ProviderProto = {
  ...Inspectable.BaseProto,
  toJSON(): unknown {
    return { _id: "@geojobs/sigv4/AwsCredentials" }
  }
}

/** Builds the service from an effect that yields the current credentials. */
export const make = (get: Effect.Effect<Credentials, CredentialsError>): AwsCredentialsProvider => {
  const self = Object.create(ProviderProto)
  self.get = get
  return self
}

/** A layer from an effect that yields the current credentials (wrap it in `cached` if it is costly). */
export const layer = (get: Effect.Effect<Credentials, CredentialsError>): Layer.Layer<AwsCredentials> =>
  Layer.succeed(AwsCredentials, make(get))

/** Fixed credentials. Fails to build with `CredentialsError` ("Invalid") when a part is empty. */
export const layerStatic = (input: CredentialsInput): Layer.Layer<AwsCredentials, CredentialsError> =>
  Layer.effect(
    AwsCredentials,
    Effect.map(makeCredentials(input), (credentials) => make(Effect.succeed(credentials)))
  )

/**
 * The standard settings: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally
 * `AWS_SESSION_TOKEN`, read through the current `ConfigProvider` (the environment by default).
 */
export const config: Config.Config<CredentialsInput> = Config.all({
  accessKeyId: Config.string("AWS_ACCESS_KEY_ID"),
  secretAccessKey: Config.redacted("AWS_SECRET_ACCESS_KEY"),
  sessionToken: Config.option(Config.redacted("AWS_SESSION_TOKEN"))
}).pipe(
  Config.map(({ accessKeyId, secretAccessKey, sessionToken }): CredentialsInput =>
    Option.isSome(sessionToken)
      ? { accessKeyId, secretAccessKey, sessionToken: sessionToken.value }
      : { accessKeyId, secretAccessKey }
  )
)

/**
 * Credentials read once, when the layer is built, from `Config` (by default `config`: the
 * `AWS_*` environment variables). Missing settings fail with reason "NotFound", empty ones
 * with "Invalid".
 */
export const layerConfig = (
  settings: Config.Config<CredentialsInput> = config
): Layer.Layer<AwsCredentials, CredentialsError> =>
  Layer.effect(
    AwsCredentials,
    settings.pipe(
      Effect.mapError((cause) =>
        new CredentialsError({
          reason: "NotFound",
          message: `no credentials in the configuration: ${cause.toString()}`
        })
      ),
      Effect.flatMap(makeCredentials),
      Effect.map((credentials) => make(Effect.succeed(credentials)))
    )
  )

/** Options of `cached`. */
export interface CacheOptions {
  /** How long before `expiration` to fetch new credentials. Default 5 minutes. */
  readonly refreshBefore?: Duration.DurationInput | undefined
  /** After a failed refresh while the old credentials are still valid, wait this long before trying again. Default 30 seconds. */
  readonly retryAfter?: Duration.DurationInput | undefined
}

/**
 * Memoizes a credentials effect. Credentials without `expiration` are kept for good; others are
 * fetched again once `refreshBefore` (default 5 minutes) of their life is left. Concurrent callers
 * share one fetch. Failures are not cached; a failed refresh while the old credentials have not
 * yet expired keeps serving them (and tries again after `retryAfter`).
 */
export const cached = (
  get: Effect.Effect<Credentials, CredentialsError>,
  options?: CacheOptions
): Effect.Effect<Effect.Effect<Credentials, CredentialsError>> =>
  Effect.sync(() => {
    const refreshBeforeMs = Duration.toMillis(options?.refreshBefore ?? Duration.minutes(5))
    const retryAfterMs = Duration.toMillis(options?.retryAfter ?? Duration.seconds(30))
    let current: Credentials | undefined
    let currentEffect: Effect.Effect<Credentials> | undefined
    /** Time (ms) from which `current` must be refreshed; Infinity when it never expires. */
    let refreshAt = 0
    const semaphore = Effect.unsafeMakeSemaphore(1)

    const store = (credentials: Credentials, now: number): Credentials => {
      current = credentials
      currentEffect = Effect.succeed(credentials)
      refreshAt = credentials.expiration === undefined
        ? Number.POSITIVE_INFINITY
        : credentials.expiration.getTime() - refreshBeforeMs
      // Credentials that arrive already inside the refresh window are still used until they expire.
      if (refreshAt <= now) refreshAt = Math.min(now + retryAfterMs, credentials.expiration!.getTime())
      return credentials
    }

    const refresh = semaphore.withPermits(1)(
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (currentEffect !== undefined && now < refreshAt) return currentEffect // another fiber refreshed it
        return Effect.matchEffect(get, {
          onSuccess: (credentials) => Effect.succeed(store(credentials, now)),
          onFailure: (error) => {
            const old = current
            if (old?.expiration !== undefined && now < old.expiration.getTime()) {
              refreshAt = Math.min(now + retryAfterMs, old.expiration.getTime())
              return Effect.succeed(old)
            }
            current = undefined
            currentEffect = undefined
            return Effect.fail(error)
          }
        })
      })
    )

    return Effect.suspend(() => {
      if (currentEffect !== undefined) {
        if (refreshAt === Number.POSITIVE_INFINITY) return currentEffect
        return Effect.flatMap(Clock.currentTimeMillis, (now) => now < refreshAt ? currentEffect! : refresh)
      }
      return refresh
    })
  })

/** Wraps a credentials layer in `cached`. */
export const layerCached = <E, R>(
  self: Layer.Layer<AwsCredentials, E, R>,
  options?: CacheOptions
): Layer.Layer<AwsCredentials, E, R> =>
  Layer.effect(
    AwsCredentials,
    Effect.flatMap(AwsCredentials, (provider) => Effect.map(cached(provider.get, options), make))
  ).pipe(Layer.provide(self))

/**
 * An SDK-style credential provider: a function returning a promise of plain credentials
 * (the shape of `@aws-sdk/credential-providers` providers, without their types).
 */
export type PromiseProvider = () => Promise<{
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  readonly expiration?: Date | undefined
}>

const providerErrorMessage = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "the credential provider failed"

/**
 * Maps a rejection of an SDK-style provider: the SDK's `CredentialsProviderError` (nothing found
 * along the chain, unknown profile) becomes "NotFound", anything else "ProviderFailed".
 */
export const fromProviderError = (cause: unknown): CredentialsError =>
  new CredentialsError({
    reason: cause instanceof Error && cause.name === "CredentialsProviderError" ? "NotFound" : "ProviderFailed",
    message: providerErrorMessage(cause),
    cause
  })

/**
 * Credentials from an SDK-style provider, cached (see `cached`): the provider is called on the
 * first `get` only, and again when the credentials near their expiration.
 */
export const fromProvider = (
  provider: PromiseProvider,
  options?: CacheOptions
): Effect.Effect<AwsCredentialsProvider> =>
  Effect.map(
    cached(
      Effect.flatMap(
        Effect.tryPromise({ try: () => provider(), catch: fromProviderError }),
        (raw) =>
          typeof raw !== "object" || raw === null
            ? Effect.fail(new CredentialsError({ reason: "Invalid", message: "the credential provider returned nothing" }))
            : makeCredentials(raw)
      ),
      options
    ),
    make
  )

/** A layer of `fromProvider`. Nothing is loaded when the layer is built. */
export const layerProvider = (provider: PromiseProvider, options?: CacheOptions): Layer.Layer<AwsCredentials> =>
  Layer.effect(AwsCredentials, fromProvider(provider, options))
