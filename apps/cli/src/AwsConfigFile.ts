/**
 * The bits of `~/.aws/config` and `~/.aws/credentials` the CLI reads itself: which profiles
 * exist, and a profile's `region`, `endpoint_url`, its `services` section's `location`
 * `endpoint_url`, `output`, `ca_bundle`, `max_attempts` and `retry_mode` (credentials are left to
 * the AWS SDK's provider chain). Honours `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"

/** Sections of an INI file: name → key → value. */
export type Ini = ReadonlyMap<string, ReadonlyMap<string, string>>

/**
 * Parses the AWS INI dialect: comments `#`/`;`, `[section]`, `key = value`, and nested blocks
 * (`location =` then indented `endpoint_url = …`) as `location.endpoint_url`.
 */
export const parseIni = (text: string): Ini => {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  let parent: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, "").trimEnd()
    if (line.trim().length === 0) continue
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (section) {
      const name = section[1]!.trim()
      current = sections.get(name) ?? new Map()
      sections.set(name, current)
      continue
    }
    const eq = line.indexOf("=")
    if (eq <= 0 || current === undefined) continue
    const key = line.slice(0, eq).trim().toLowerCase()
    const value = line.slice(eq + 1).trim()
    if (/^\s/.test(line)) {
      // a nested (indented) setting of the last key with no value of its own
      if (parent !== undefined) current.set(`${parent}.${key}`, value)
      continue
    }
    current.set(key, value)
    parent = value === "" ? key : undefined
  }
  return sections
}

const home = (env: Readonly<Record<string, string | undefined>>) => env.HOME ?? env.USERPROFILE ?? ""

const expand = (file: string, env: Readonly<Record<string, string | undefined>>) =>
  file.startsWith("~") ? Path.join(home(env), file.slice(1)) : file

const readIni = (file: string): Ini => {
  try {
    return parseIni(Fs.readFileSync(file, "utf8"))
  } catch {
    return new Map()
  }
}

/** What the shared files say about one profile. */
export interface ProfileInfo {
  /** The profile is defined in the config or the credentials file. */
  readonly exists: boolean
  readonly region: string | undefined
  readonly endpointUrl: string | undefined
  /** The `output` setting (the AWS CLI's default format for this profile). */
  readonly output: string | undefined
  /** The `ca_bundle` setting (a PEM file to verify TLS with). */
  readonly caBundle: string | undefined
  /** `endpoint_url` of `location` in the `[services …]` section the profile's `services` names. */
  readonly servicesEndpointUrl: string | undefined
  /** The `max_attempts` setting. */
  readonly maxAttempts: string | undefined
  /** The `retry_mode` setting. */
  readonly retryMode: string | undefined
}

/** Reads one profile from the shared files. */
export const profile = (name: string, env: Readonly<Record<string, string | undefined>>): ProfileInfo => {
  const configFile = expand(env.AWS_CONFIG_FILE ?? Path.join(home(env), ".aws", "config"), env)
  const credentialsFile = expand(env.AWS_SHARED_CREDENTIALS_FILE ?? Path.join(home(env), ".aws", "credentials"), env)
  const config = readIni(configFile)
  const section = config.get(name === "default" ? "default" : `profile ${name}`) ?? (name === "default" ? undefined : config.get(name))
  const credentials = readIni(credentialsFile).get(name)
  return {
    exists: section !== undefined || credentials !== undefined,
    region: section?.get("region") ?? undefined,
    endpointUrl: section?.get("endpoint_url") ?? undefined,
    output: section?.get("output") ?? undefined,
    caBundle: section?.get("ca_bundle") ?? undefined,
    servicesEndpointUrl: (() => {
      const services = section?.get("services")
      return services === undefined ? undefined : config.get(`services ${services}`)?.get("location.endpoint_url")
    })(),
    maxAttempts: section?.get("max_attempts") ?? undefined,
    retryMode: section?.get("retry_mode") ?? undefined
  }
}
