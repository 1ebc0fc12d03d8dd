/**
 * The signing half of every `MicroLocationJobs` transport: sign, map a signing failure to the
 * client's error, send, and on a 401/403 whose `Date` shows clock skew correct the signer's clock
 * and resend once. The adapters (`FetchMicroLocationJobs`, `NodeMicroLocationJobs`) bring only
 * the sending.
 *
 * @internal
 */
import * as Micro from "effect/Micro"
import type { HttpRequest, HttpResponse, Transport } from "../MicroLocationJobs.js"
import { LocationJobsClientError } from "../MicroLocationJobsError.js"

/** What a signed transport needs of a signer (`MicroSigV4.make`'s `MicroSigner` is one). */
export interface RequestSigner<Signature> {
  /** The signature headers of a request, or why it could not be signed (reason `Credentials` or another). */
  readonly sign: (request: HttpRequest) => Micro.Micro<Signature, { readonly reason: string; readonly message: string }>
  /** Corrects the signing clock when a response shows skew; true when a resend may succeed. */
  readonly correctClockSkew: (status: number, headers: Readonly<Record<string, string | undefined>>) => boolean
}

/** Sends one signed request and reads the whole answer (interruption aborts it). */
export type SignedSend<Signature> = (
  request: HttpRequest,
  signature: Signature
) => Micro.Micro<HttpResponse, LocationJobsClientError>

/**
 * A `Transport` that signs each request with `signer` and sends it with `send`. A signing failure
 * is a `LocationJobsClientError` of reason `Credentials` (no usable credentials) or `Transport`; a
 * 401/403 whose `Date` shows clock skew corrects the signing clock and is sent once more (later
 * requests use the corrected time).
 */
export const signedTransport = <Signature>(
  signer: RequestSigner<Signature>,
  send: SignedSend<Signature>
): Transport => {
  const signed = (request: HttpRequest) =>
    Micro.flatMap(
      Micro.mapError(signer.sign(request), (e) =>
        new LocationJobsClientError({
          reason: e.reason === "Credentials" ? "Credentials" : "Transport",
          message: e.message,
          cause: e
        })),
      (signature) => send(request, signature)
    )
  return (request) =>
    Micro.flatMap(signed(request), (response) =>
      (response.status === 401 || response.status === 403) && signer.correctClockSkew(response.status, response.headers)
        ? signed(request)
        : Micro.succeed(response))
}

/** The message of a thrown value: an `Error`'s message, anything else as text. */
export const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** A `Transport` error for a thrown value (the request could not be sent, the connection failed). */
export const transportError = (cause: unknown): LocationJobsClientError =>
  new LocationJobsClientError({ reason: "Transport", message: messageOf(cause), cause })
