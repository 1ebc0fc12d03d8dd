/**
 * The first-run credentials rule of the apps: an endpoint on this machine, with no keys in the
 * environment and no profile chosen, is an emulator (`geojobs local`, LocalStack…), which takes
 * the well-known test key. Anything else is left to the AWS provider chain. The CLI and the
 * worker both follow it, so one command line works against either.
 *
 * @since 0.2.0
 */

/** The key local emulators accept. */
export const emulatorCredentials = { accessKeyId: "test", secretAccessKey: "test" } as const

/** A URL on this machine (`localhost`, `127.x.x.x`, `[::1]`); false for anything unparsable. */
export const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host)
  } catch {
    return false
  }
}

/** The emulator's key for `endpoint` when the rule applies, or undefined for the provider chain. */
export const credentialsFor = (
  endpoint: string,
  profile: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): typeof emulatorCredentials | undefined => {
  const keysInEnv = (env.AWS_ACCESS_KEY_ID?.trim() ?? "") !== "" && (env.AWS_SECRET_ACCESS_KEY?.trim() ?? "") !== ""
  return !keysInEnv && profile === undefined && isLoopback(endpoint) ? emulatorCredentials : undefined
}
