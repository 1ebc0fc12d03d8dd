/**
 * The environment the real AWS CLI runs in, in tests: a private home with its own config and
 * credentials files, the emulator's test key, a default Region, no instance metadata lookups.
 *
 * @since 0.0.0
 */
import * as Path from "node:path"

/** The AWS CLI's environment with `home` as its HOME, plus `extra`. */
export const environment = (home: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(process.env.PATH !== undefined ? { PATH: process.env.PATH } : {}),
  HOME: home,
  AWS_CONFIG_FILE: Path.join(home, "config"),
  AWS_SHARED_CREDENTIALS_FILE: Path.join(home, "credentials"),
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  ...extra
})
