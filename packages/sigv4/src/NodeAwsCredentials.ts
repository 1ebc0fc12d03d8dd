/**
 * The AWS SDK's Node credential chain (environment, SSO, shared `~/.aws` files, `credential_process`,
 * web identity, ECS/EC2 metadata) as an `AwsCredentials` layer.
 *
 * Node only: import it as `@geojobs/sigv4/NodeAwsCredentials`; it is not re-exported from the
 * package root, so browser bundles never see it. `@aws-sdk/credential-providers` is `import()`ed on
 * the first `get`, so a program that never signs never loads it.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as AwsCredentials from "./AwsCredentials.js"

/** Options of the chain. */
export interface ProviderChainOptions extends AwsCredentials.CacheOptions {
  /** The profile in the shared config/credentials files (default: `AWS_PROFILE`, then `default`). */
  readonly profile?: string | undefined
}

/** The SDK's "nothing found" message does not say which profile was asked for; ours does. */
const namingProfile = (error: unknown, profile: string): unknown => {
  if (!(error instanceof Error) || error.message.includes(profile)) return error
  const named = new Error(`${error.message} (profile '${profile}')`, { cause: error })
  named.name = error.name
  return named
}

/**
 * An SDK-style provider that loads `@aws-sdk/credential-providers` and builds
 * `fromNodeProviderChain` on its first call, then reuses that chain.
 */
export const lazyProviderChain = (options?: ProviderChainOptions): AwsCredentials.PromiseProvider => {
  let chain: Promise<AwsCredentials.PromiseProvider> | undefined
  return () => {
    if (chain === undefined) {
      chain = import("@aws-sdk/credential-providers").then((module) =>
        module.fromNodeProviderChain(options?.profile !== undefined ? { profile: options.profile } : {})
      )
      // A failed import is not kept: the next call tries again.
      chain.catch(() => {
        chain = undefined
      })
    }
    const profile = options?.profile
    const loaded = chain.then((provider) => provider())
    return profile === undefined ? loaded : loaded.catch((error: unknown) => {
      throw namingProfile(error, profile)
    })
  }
}

/** The chain as a cached `AwsCredentials` service (refreshed `refreshBefore` its expiration). */
export const makeProviderChain = (options?: ProviderChainOptions): Effect.Effect<AwsCredentials.AwsCredentialsProvider> =>
  AwsCredentials.fromProvider(lazyProviderChain(options), options)

/**
 * `AwsCredentials` from the SDK's Node provider chain, loaded lazily on first use, cached, and
 * refreshed before expiry. Failures become `CredentialsError`: nothing found → "NotFound",
 * any other provider failure → "ProviderFailed".
 */
export const layerProviderChain = (options?: ProviderChainOptions): Layer.Layer<AwsCredentials.AwsCredentials> =>
  AwsCredentials.layerProvider(lazyProviderChain(options), options)
