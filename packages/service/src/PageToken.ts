/**
 * ListJobs `NextToken`s: opaque to callers, tamper-evident and short-lived. A token is
 * `base64url(payload) "." base64url(HMAC-SHA-256(secret, payload))`, where the payload records
 * the cursor (the `seq` of the last job returned), the status filter it was issued for and
 * when it was issued. A token whose MAC does not verify is forged; one older than its time to
 * live, from the future, or presented with another filter is stale. Both are answered as a
 * `ValidationException` (`FieldValidationFailed` on `NextToken`) by the service.
 *
 * @since 0.1.0
 */
import type { JobStatus } from "@geojobs/core/Job"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import { constantTimeEqual, hmacSha256 } from "./internal/sha256.js"

/** What a token carries. */
export interface PageCursor {
  /** Continue with jobs whose `seq` is below this. */
  readonly beforeSeq: number
  /** The filter the listing was started with (`undefined` = all statuses). */
  readonly status: JobStatus | undefined
  /** Epoch ms when the token was issued. */
  readonly issuedAt: number
}

/** Why a token was refused. */
export type PageTokenProblem = "Forged" | "Expired" | "FilterMismatch"

const encoder = new TextEncoder()

const mac = (secret: Uint8Array, payload: string): string =>
  Encoding.encodeBase64Url(hmacSha256(secret, encoder.encode(payload)))

/** Signs a cursor into a token. */
export const encode = (secret: Uint8Array, cursor: PageCursor): string => {
  const payload = Encoding.encodeBase64Url(
    JSON.stringify({ v: 1, b: cursor.beforeSeq, s: cursor.status ?? null, t: cursor.issuedAt })
  )
  return `${payload}.${mac(secret, payload)}`
}

/**
 * Verifies a token: its MAC, its age (`now - issuedAt` within `ttlMillis`, not from the future)
 * and its filter (must equal `status`).
 */
export const decode = (
  secret: Uint8Array,
  token: string,
  options: { readonly now: number; readonly ttlMillis: number; readonly status: JobStatus | undefined }
): Either.Either<PageCursor, PageTokenProblem> => {
  const dot = token.indexOf(".")
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return Either.left("Forged")
  const payload = token.slice(0, dot)
  const given = Encoding.decodeBase64Url(token.slice(dot + 1))
  const expected = Encoding.decodeBase64Url(mac(secret, payload))
  if (Either.isLeft(given) || Either.isLeft(expected) || !constantTimeEqual(given.right, expected.right)) {
    return Either.left("Forged")
  }
  const text = Encoding.decodeBase64UrlString(payload)
  if (Either.isLeft(text)) return Either.left("Forged")
  let parsed: unknown
  try {
    parsed = JSON.parse(text.right)
  } catch {
    return Either.left("Forged")
  }
  const p = parsed as { v?: unknown; b?: unknown; s?: unknown; t?: unknown }
  if (
    typeof parsed !== "object" || parsed === null || p.v !== 1 || typeof p.b !== "number" ||
    typeof p.t !== "number" || (p.s !== null && typeof p.s !== "string")
  ) return Either.left("Forged")
  const cursor: PageCursor = { beforeSeq: p.b, status: (p.s ?? undefined) as JobStatus | undefined, issuedAt: p.t }
  if (cursor.issuedAt > options.now || options.now - cursor.issuedAt > options.ttlMillis) return Either.left("Expired")
  if (cursor.status !== options.status) return Either.left("FilterMismatch")
  return Either.right(cursor)
}
