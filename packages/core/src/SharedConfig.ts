/**
 * Client settings from the AWS environment and a profile of the shared config file, read as the
 * AWS SDK for JavaScript v3 reads them. Explicit options win, then the environment, then the
 * profile:
 * - Region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`;
 * - endpoint: `AWS_ENDPOINT_URL_LOCATION`, `AWS_ENDPOINT_URL`, the profile's `services` section's
 *   `location = endpoint_url = …`, the profile's `endpoint_url`;
 * - FIPS / dual-stack: `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, `use_fips_endpoint` /
 *   `use_dualstack_endpoint`;
 * - attempts: `AWS_MAX_ATTEMPTS`, `max_attempts` (the standard policy's `maxAttempts`);
 * - retry mode: `AWS_RETRY_MODE`, `retry_mode`: `standard`, `adaptive` or `legacy`, all run as
 *   the standard policy (`legacy` as in the JS SDK v3, which has no legacy strategy; `adaptive`
 *   without the SDK's client-side rate limiter, the retry budget bounding retries instead).
 *
 * The core reads no files: adapters read the profile (`@geojobs/node` does, in `layerConfig`) and
 * pass it here. A setting present but unusable is a `ConfigError` naming it and its source.
 *
 * @since 0.3.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as rules from "./internal/sharedSettings.js"

/** What a profile of the shared config file says, keys as the file spells them (an adapter reads it). */
export type ProfileSettings = rules.ProfileSettings

/** `standard`, `adaptive` or `legacy`; see the module doc for what each runs. */
export type RetryMode = rules.RetryMode

/** The settings found, each undefined when no source gives it. */
export type Settings = rules.Settings

/** The AWS environment variables the settings come from, read through `Config` (each optional). */
export const EnvironmentConfig: Config.Config<rules.Environment> = Config.all(
  Object.fromEntries(
    rules.environmentNames.map((name) => [name, Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))])
  ) as { [K in keyof rules.Environment]-?: Config.Config<string | undefined> }
)

/** The settings of the environment (through `Config`) and `profile`, the environment first. */
export const settings = (profile?: ProfileSettings | undefined): Effect.Effect<Settings, ConfigError.ConfigError> =>
  Effect.flatMap(EnvironmentConfig, (env) => {
    const found = rules.resolveSettings(env, profile)
    return rules.isProblem(found) ? Effect.fail(ConfigError.InvalidData([], found.problem)) : Effect.succeed(found)
  })

/** The options a client is configured with: endpoint settings and a `retry` of either client's shape. */
export type Configurable<R> = rules.Configurable<R>

/** `options` with what they leave unset taken from `settings` (explicit options win; see the module doc). */
export const apply: <R, O extends Configurable<R>>(options: O, settings: Settings) => O = rules.applySettings

/** `options` with what they leave unset filled from the environment, then from `profile`. */
export const withConfig = <R, O extends Configurable<R>>(
  options: O,
  profile?: ProfileSettings | undefined
): Effect.Effect<O, ConfigError.ConfigError> => Effect.map(settings(profile), (found) => rules.applySettings(options, found))

/** The settings of an environment given as a record (a Node program passes its environment) and `profile`, or what is wrong with one. */
export const fromEnvironment = (
  env: Readonly<Record<string, string | undefined>>,
  profile?: ProfileSettings | undefined
): Either.Either<Settings, string> => {
  const found = rules.resolveSettings(env, profile)
  return rules.isProblem(found) ? Either.left(found.problem) : Either.right(found)
}
