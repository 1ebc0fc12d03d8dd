/**
 * SHA-256 and HMAC-SHA-256 over node:crypto in the shape `@geojobs/sigv4`'s signers take, with the
 * synchronous one-shot (and hex) forms that let them sign without awaiting anything. Shared by
 * `NodeLocationJobs` and `NodeMicroLocationJobs`; imports nothing of Effect.
 *
 * @internal
 */
import type { Sha256, Sha256Constructor } from "@geojobs/sigv4/SigV4"
import * as crypto from "node:crypto"

/** `crypto.hash` (Node 20.12+, 21.7+): a one-shot digest without a `Hash` object. */
const oneShotHash = (crypto as { readonly hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }).hash

/**
 * node:crypto SHA-256 (HMAC-SHA-256 with a secret) in the shape the signer takes; the same results
 * as `@smithy/hash-node`'s `Hash` (an empty secret hashes, as there), without its conversions.
 */
class NodeSha256Impl implements Sha256 {
  private readonly hash: crypto.Hash | crypto.Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined || secret === ""
      ? crypto.createHash("sha256")
      : crypto.createHmac(
        "sha256",
        typeof secret === "string"
          ? secret
          : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret)
      )
  }
  update(data: Uint8Array): void {
    this.hash.update(data)
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest())
  }
  /** One-shot SHA-256, synchronous: the signer then awaits nothing. */
  static sha256Sync(data: Uint8Array): Uint8Array {
    return crypto.createHash("sha256").update(data).digest()
  }
  /** One-shot HMAC-SHA-256, synchronous. */
  static hmacSync(key: Uint8Array, data: Uint8Array): Uint8Array {
    return crypto.createHmac("sha256", key).update(data).digest()
  }
  /** One-shot SHA-256 to hex; a string is read as UTF-8 (`crypto.hash` where Node has it). */
  static sha256HexSync(data: string | Uint8Array): string {
    return oneShotHash !== undefined ? oneShotHash("sha256", data, "hex") : crypto.createHash("sha256").update(data).digest("hex")
  }
  /** One-shot HMAC-SHA-256 of a UTF-8 string, to hex. */
  static hmacHexSync(key: Uint8Array, data: string): string {
    return crypto.createHmac("sha256", key).update(data, "utf8").digest("hex")
  }
}

/** node:crypto SHA-256 in the shape the signer takes (one constructor, reused for every call). */
export const NodeSha256: Sha256Constructor = NodeSha256Impl
