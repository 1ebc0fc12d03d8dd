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
import * as Option from "effect/Option"
import type { Configurable, ProfileSettings, Settings } from "./MicroSharedConfig.js"
import * as rules from "./internal/sharedSettings.js"

export {
  /** `options` with what they leave unset taken from `settings` (explicit options win; see the module doc). */
  apply,
  /** The settings of an environment given as a record and `profile`, or what is wrong with one. */
  fromEnvironment
} from "./MicroSharedConfig.js"
export type { Configurable, ProfileSettings, RetryMode, Settings } from "./MicroSharedConfig.js"

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

/** `options` with what they leave unset filled from the environment, then from `profile`. */
export const withConfig = <R, O extends Configurable<R>>(
  options: O,
  profile?: ProfileSettings | undefined
): Effect.Effect<O, ConfigError.ConfigError> => Effect.map(settings(profile), (found) => rules.applySettings(options, found))
