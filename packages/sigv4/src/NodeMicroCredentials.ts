/**
 * Credentials sources for the Micro clients on Node (`@geojobs/node`'s `NodeMicroLocationJobs`),
 * beside the Effect ones (`NodeAwsCredentials`): this package is where Node's credential chains
 * live. Kept out of the client's module so that a program with fixed credentials bundles none of
 * this. Node only: import it as `@geojobs/sigv4/NodeMicroCredentials` (not in the index).
 *
 * - `fromEnv()`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (what Lambda sets);
 *   a few lines, nothing loaded.
 * - `providerChain()`: the AWS SDK's Node provider chain (environment, `~/.aws` profiles, SSO,
 *   `credential_process`, web identity, container/instance metadata) — about 1 MB of code,
 *   `import()`ed on the first call (a bundler that splits dynamic imports keeps it out of start-up;
 *   one that does not, esbuild without `splitting`, compiles it at start).
 *
 * @since 0.1.0
 */
import type * as MicroSigV4 from "./MicroSigV4.js"

/** A provider function, the shape `credentials` takes. */
export type Provider = () => Promise<MicroSigV4.Credentials>

/**
 * Credentials from the environment, read on the first call (the client keeps them: they carry no
 * expiry unless `AWS_CREDENTIAL_EXPIRATION` is set). Missing keys fail the call with a `Credentials` error.
 */
export const fromEnv = (): Provider => async () => {
  const env = process.env
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
  }
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration !== undefined && !Number.isNaN(expiration.getTime()) ? { expiration } : {})
  }
}

/** Options of the chain. */
export interface ProviderChainOptions {
  /** The profile in the shared config/credentials files (default: `AWS_PROFILE`, then `default`). */
  readonly profile?: string | undefined
}

/**
 * The AWS SDK's Node provider chain, loaded on the first call (`@geojobs/sigv4/NodeAwsCredentials`
 * and `@aws-sdk/credential-providers`), then reused; the client refreshes its answer 5 minutes
 * before it expires. A failed load is tried again on the next call.
 */
export const providerChain = (options: ProviderChainOptions = {}): Provider => {
  let chain: Promise<() => Promise<MicroSigV4.Credentials>> | undefined
  return () => {
    if (chain === undefined) {
      chain = import("./NodeAwsCredentials.js").then((module) => module.lazyProviderChain(options))
      chain.catch(() => {
        chain = undefined
      })
    }
    return chain.then((provider) => provider())
  }
}
