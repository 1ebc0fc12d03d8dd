/**
 * The worker's first-run credentials rule, the CLI's own (`apps/cli/src/Session.ts`): an
 * endpoint on this machine with no keys in the environment and no profile chosen is an emulator
 * (`geojobs local`, LocalStack…), which takes the well-known test key. Anything else is left to
 * the AWS provider chain.
 */

/** The key local emulators accept. */
export const emulatorCredentials = { accessKeyId: "test", secretAccessKey: "test" } as const

/** A URL on this machine. */
export const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host)
  } catch {
    return false
  }
}

/** The keys to use for `endpoint`, or undefined for the provider chain. */
export const credentialsFor = (
  endpoint: string,
  profile: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): typeof emulatorCredentials | undefined => {
  const keysInEnv = (env.AWS_ACCESS_KEY_ID?.trim() ?? "") !== "" && (env.AWS_SECRET_ACCESS_KEY?.trim() ?? "") !== ""
  return !keysInEnv && profile === undefined && isLoopback(endpoint) ? emulatorCredentials : undefined
}
