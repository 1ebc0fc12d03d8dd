/**
 * A run's settings, decided from the flags, the environment and the selected profile alone (no
 * I/O beyond reading the config and CA files): how it prints (format, query, width), static
 * credentials, the client's endpoint and retry settings, the socket settings, and the target
 * line. Shared by
 * `Session` (the Effect layer every command runs in) and `Direct` (the AWS-style commands run
 * without the Effect runtime), so both connect alike; it imports nothing from the runtime.
 *
 * @since 0.1.0
 */
import type { EndpointOptions } from "@geojobs/core/Endpoint"
import * as Emulator from "@geojobs/node/Emulator"
import type * as NodeHttpTransport from "@geojobs/node/NodeHttpTransport"
import * as Either from "effect/Either"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as AwsConfigFile from "./AwsConfigFile.js"
import { UsageError } from "./CliError.js"
import type { Globals } from "./Globals.js"
import type { IoService } from "./Io.js"
import { isFormat, type Options as PrintOptions, type OutputFormat } from "./Output.js"
import type * as Target from "./Target.js"

/** Static keys (embedded service, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment). */
export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/** The profile a run reads its settings from: `--profile`, else `AWS_PROFILE`, else `default`. */
export const selectedProfile = (globals: Globals, io: IoService): AwsConfigFile.ProfileInfo =>
  AwsConfigFile.profile(globals.profile ?? io.env.AWS_PROFILE ?? "default", io.env)

/**
 * The output format, as the AWS CLI picks it: the flag, else `AWS_DEFAULT_OUTPUT`, else the
 * selected profile's `output` (`--profile`, `AWS_PROFILE`, else `default`), else json — table
 * on a terminal, where a person reads it.
 */
export const outputFormat = (globals: Globals, io: IoService, profile?: AwsConfigFile.ProfileInfo): OutputFormat => {
  if (globals.output !== undefined) return globals.output
  const env = io.env.AWS_DEFAULT_OUTPUT
  if (isFormat(env)) return env
  const configured = (profile ?? selectedProfile(globals, io)).output
  if (isFormat(configured)) return configured
  return io.stdoutIsTty ? "table" : "json"
}

/**
 * How a run prints an operation's result: the format, `--query`, and the table width. `profile`:
 * the selected profile when the run has read it already (else it is read if the format needs it).
 */
export const printOptions = (
  globals: Globals,
  io: IoService,
  operation: string,
  profile?: AwsConfigFile.ProfileInfo
): PrintOptions => ({
  format: outputFormat(globals, io, profile),
  operation,
  query: globals.query,
  // The AWS CLI lays tables out for 80 columns when stdout is not a terminal.
  width: io.stdoutIsTty ? io.columns ?? 80 : 80
})

/** The `--debug` line writer for an Io. */
export const debugLog = (globals: Globals, io: IoService): ((line: string) => void) | undefined =>
  globals.debug ? (line: string) => io.stderr(`geojobs: debug: ${line}\n`) : undefined

/** Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), when both are set. */
export const envCredentials = (env: IoService["env"]): StaticCredentials | undefined => {
  const id = env.AWS_ACCESS_KEY_ID?.trim()
  const secret = env.AWS_SECRET_ACCESS_KEY?.trim()
  if (!id || !secret) return undefined
  const token = env.AWS_SESSION_TOKEN?.trim()
  return { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) }
}

/**
 * Attempts per call as the AWS CLI counts them: `AWS_MAX_ATTEMPTS`, else the profile's
 * `max_attempts`, else the retry mode's default (`AWS_RETRY_MODE` / `retry_mode`: 3 for
 * `standard` and `adaptive`, 5 for `legacy`). Every mode runs as the core's standard policy.
 */
export const retryOptions = (
  profile: AwsConfigFile.ProfileInfo,
  io: IoService
): Either.Either<{ readonly maxAttempts: number }, UsageError> => {
  const [mode, modeSource] = io.env.AWS_RETRY_MODE !== undefined && io.env.AWS_RETRY_MODE !== ""
    ? [io.env.AWS_RETRY_MODE, "AWS_RETRY_MODE"]
    : [profile.retryMode ?? "standard", "retry_mode in the config file"]
  if (mode !== "standard" && mode !== "adaptive" && mode !== "legacy") {
    return Either.left(new UsageError({ message: `${modeSource}: ${JSON.stringify(mode)} is not one of standard, adaptive, legacy` }))
  }
  const [raw, source] = io.env.AWS_MAX_ATTEMPTS !== undefined && io.env.AWS_MAX_ATTEMPTS !== ""
    ? [io.env.AWS_MAX_ATTEMPTS, "AWS_MAX_ATTEMPTS"]
    : [profile.maxAttempts, "max_attempts in the config file"]
  if (raw === undefined) return Either.right({ maxAttempts: mode === "legacy" ? 5 : 3 })
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) {
    return Either.left(new UsageError({ message: `${source}: ${JSON.stringify(raw)} is not a whole number of attempts (1 or more)` }))
  }
  return Either.right({ maxAttempts: n })
}

/** The AWS CLI's default connect and read timeouts, seconds. */
const defaultSocketTimeout = 60

/**
 * The connection settings of the AWS CLI's flags: `--no-verify-ssl`; `--ca-bundle`, else
 * `AWS_CA_BUNDLE`, else the profile's `ca_bundle`; `--cli-connect-timeout` and
 * `--cli-read-timeout` in seconds (60 by default, 0 for none).
 */
export const transportOptions = (
  globals: Globals,
  profile: AwsConfigFile.ProfileInfo,
  io: IoService
): Either.Either<NodeHttpTransport.AgentOptions, UsageError> => {
  const seconds = (value: number | undefined) => {
    const s = value ?? defaultSocketTimeout
    return s === 0 ? undefined : s * 1000
  }
  const caFile = globals.caBundle ?? io.env.AWS_CA_BUNDLE ?? profile.caBundle
  let ca: Buffer | undefined
  if (caFile !== undefined) {
    try {
      ca = Fs.readFileSync(Path.resolve(io.cwd, caFile))
    } catch (e) {
      return Either.left(new UsageError({ message: `cannot read the CA bundle ${caFile}: ${(e as Error).message}` }))
    }
  }
  return Either.right({
    connectTimeout: seconds(globals.cliConnectTimeout),
    readTimeout: seconds(globals.cliReadTimeout),
    ...(globals.noVerifySsl ? { rejectUnauthorized: false } : {}),
    ...(ca !== undefined ? { ca } : {})
  })
}

/** A one-line description of the target, printed on stderr. */
export const describeTarget = (target: Target.Target, url?: string): string => {
  switch (target._tag) {
    case "Embedded":
      return `embedded local service at ${url} (data in ${target.dataDir})`
    case "Endpoint":
      return `endpoint ${target.url} (from ${target.urlSource}; region ${target.region})`
    case "Aws":
      return `AWS ${target.region} (${target.regionSource}${target.profile !== undefined ? `; profile ${target.profile}` : ""})`
  }
}

/**
 * The static keys a run against AWS or an endpoint signs with, or undefined for the SDK's chain:
 * `--profile` → the chain for that profile; else keys in the environment; else, for an emulator
 * on this machine, its usual test key; else the chain (AWS_PROFILE, files, SSO…).
 */
export const staticCredentials = (
  globals: Globals,
  target: Exclude<Target.Target, { readonly _tag: "Embedded" }>,
  env: IoService["env"]
): StaticCredentials | undefined =>
  globals.profile !== undefined
    ? undefined
    : envCredentials(env) ??
      (target._tag === "Endpoint" && target.profile === undefined ? Emulator.credentialsFor(target.url, undefined, env) : undefined)

/** The client's endpoint and retry settings for AWS or an endpoint. */
export const clientOptions = (
  target: Exclude<Target.Target, { readonly _tag: "Embedded" }>,
  env: IoService["env"],
  retry: { readonly maxAttempts: number }
): EndpointOptions & { readonly retry: { readonly maxAttempts: number } } =>
  target._tag === "Endpoint"
    ? { endpoint: target.url, region: target.region, disableHostPrefix: true, retry }
    : {
      region: target.region,
      useFips: env.AWS_USE_FIPS_ENDPOINT === "true",
      useDualstack: env.AWS_USE_DUALSTACK_ENDPOINT === "true",
      retry
    }
