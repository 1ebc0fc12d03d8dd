/**
 * The shared-config rules of `SharedConfig` for programs without the Effect runtime (the Micro
 * client's adapters): the settings of an environment given as a record and a profile, and
 * options filled from them. The same rules, read from a plain record instead of `Config`; this
 * module imports nothing of Effect but `Either`. See `SharedConfig` for what is read, from
 * where, and in which order.
 *
 * @since 0.4.0
 */
import * as Either from "effect/Either"
import * as rules from "./internal/sharedSettings.js"

/** What a profile of the shared config file says, keys as the file spells them (an adapter reads it). */
export type ProfileSettings = rules.ProfileSettings

/** `standard`, `adaptive` or `legacy`; see `SharedConfig` for what each runs. */
export type RetryMode = rules.RetryMode

/** The settings found, each undefined when no source gives it. */
export type Settings = rules.Settings

/** The options a client is configured with: endpoint settings and a `retry` of either client's shape. */
export type Configurable<R> = rules.Configurable<R>

/** `options` with what they leave unset taken from `settings` (explicit options win). */
export const apply: <R, O extends Configurable<R>>(options: O, settings: Settings) => O = rules.applySettings

/** The settings of an environment given as a record (a Node program passes its environment) and `profile`, or what is wrong with one. */
export const fromEnvironment = (
  env: Readonly<Record<string, string | undefined>>,
  profile?: ProfileSettings | undefined
): Either.Either<Settings, string> => {
  const found = rules.resolveSettings(env, profile)
  return rules.isProblem(found) ? Either.left(found.problem) : Either.right(found)
}
