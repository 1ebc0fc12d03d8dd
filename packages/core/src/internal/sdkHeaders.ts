/**
 * The headers the AWS SDKs add to every request, in their formats, with our own identity: the user
 * agent (`User-Agent`, and `x-amz-user-agent`, which browsers let a page set and which is signed),
 * `amz-sdk-invocation-id` (one UUID per operation call, the same on each of its attempts) and
 * `amz-sdk-request: attempt=N; max=M`. Shared by `LocationJobsClient` and `MicroLocationJobs`.
 *
 * @internal
 */

/** This library's version, as its user agent names it (a test holds it equal to package.json). */
export const libraryVersion = "0.1.0"

/** The service model's API version, as the SDK's `api/location#…` names the client's. */
const apiName = "location"

/** What the user agent says besides our identity. */
export interface UserAgentOptions {
  /** An application id (the SDK's `userAgentAppId`): `app/<id>`. */
  readonly appId?: string | undefined
  /** `name/value` tokens the adapter adds (`md/nodejs#20.19.0`, `os/linux`). */
  readonly platform?: ReadonlyArray<string> | undefined
}

/** The SDK's escape for user-agent values: anything outside its token characters becomes `-`. */
const escapeValue = (value: string): string => value.replace(/[^!$%&'*+\-.^_`|~\w#]/g, "-")

/**
 * The user agent in the SDK's shape (`<id>/<version> ua/2.1 [platform…] lang/js api/<api>#<version>
 * [app/<appId>]`), e.g. `geojobs/0.1.0 ua/2.1 lang/js api/location#0.1.0 app/my-app`.
 */
export const userAgent = (options: UserAgentOptions = {}): string => {
  const parts = [`geojobs/${libraryVersion}`, "ua/2.1", ...(options.platform ?? []), "lang/js", `api/${apiName}#${libraryVersion}`]
  if (options.appId !== undefined && options.appId !== "") parts.push(`app/${escapeValue(options.appId)}`)
  return parts.join(" ")
}

/** The longest app id the SDK takes without a warning. */
export const maxAppIdLength = 50

/** The headers of one attempt: the user agent twice, the call's id, and the attempt's place. */
export const attemptHeaders = (
  agent: string,
  invocationId: string,
  attempt: number,
  maxAttempts: number | undefined
): Record<string, string> => ({
  "user-agent": agent,
  "x-amz-user-agent": agent,
  "amz-sdk-invocation-id": invocationId,
  "amz-sdk-request": maxAttempts === undefined ? `attempt=${attempt}` : `attempt=${attempt}; max=${maxAttempts}`
})
