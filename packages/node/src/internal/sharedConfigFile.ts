/**
 * Reads one profile of the AWS shared config file with the AWS SDK's own loader
 * (`@smithy/core/config`, what the credential provider chain reads profiles with), as the settings
 * `SharedConfig` takes. Shared by `NodeLocationJobs.layerConfig` and `NodeMicroLocationJobs.fromConfig`.
 *
 * @internal
 */
import type * as SharedConfig from "@geojobs/core/SharedConfig"
import { loadSharedConfigFiles } from "@smithy/core/config"
import * as Os from "node:os"
import * as Path from "node:path"

/** The environment variables that say which file and which profile. */
export interface FileLocation {
  readonly AWS_CONFIG_FILE?: string | undefined
  readonly AWS_SHARED_CREDENTIALS_FILE?: string | undefined
  readonly AWS_PROFILE?: string | undefined
  readonly HOME?: string | undefined
  readonly USERPROFILE?: string | undefined
}

export const fileLocationNames = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "HOME", "USERPROFILE"] as const

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === "" ? undefined : s)

/**
 * The profile's settings: `profile`, else `AWS_PROFILE`, else `default` (a `[profile name]` section,
 * or `[default]`), from `AWS_CONFIG_FILE` or `~/.aws/config`. The loader reads the credentials file
 * too and, as the SDK, a key there counts when the config file lacks it. Missing files read as empty.
 */
export const readProfile = async (
  profile: string | undefined,
  where: FileLocation
): Promise<SharedConfig.ProfileSettings> => {
  const home = nonEmpty(where.HOME) ?? nonEmpty(where.USERPROFILE) ?? Os.homedir()
  const name = nonEmpty(profile) ?? nonEmpty(where.AWS_PROFILE) ?? "default"
  const files = await loadSharedConfigFiles({
    configFilepath: nonEmpty(where.AWS_CONFIG_FILE) ?? Path.join(home, ".aws", "config"),
    filepath: nonEmpty(where.AWS_SHARED_CREDENTIALS_FILE) ?? Path.join(home, ".aws", "credentials"),
    // Read the file as it is now: the loader otherwise keeps a file's first reading for the process.
    ignoreCache: true
  })
  const section: Record<string, string | undefined> = { ...files.credentialsFile[name], ...files.configFile[name] }
  const services = section.services === undefined ? undefined : files.configFile[`services.${section.services}`]
  return {
    region: section.region,
    endpoint_url: section.endpoint_url,
    services_location_endpoint_url: services?.["location.endpoint_url"],
    use_fips_endpoint: section.use_fips_endpoint,
    use_dualstack_endpoint: section.use_dualstack_endpoint,
    max_attempts: section.max_attempts,
    retry_mode: section.retry_mode
  }
}
