/** Raw signed requests to a local service, with the credential scope, headers and body a test picks. */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Http from "node:http"

export interface SignedOptions {
  readonly method?: string
  readonly body?: string | Uint8Array | undefined
  readonly headers?: Readonly<Record<string, string>>
  /** Signing region; default us-east-1. */
  readonly region?: string
  /** Signing name; default `geo` for `/metadata/…` paths, else `s3`. */
  readonly service?: string
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
}

export interface RawAnswer {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly text: string
}

const signer = (options: SignedOptions, path: string) =>
  new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? "test", secretAccessKey: options.secretAccessKey ?? "test" },
    region: options.region ?? "us-east-1",
    service: options.service ?? (path.startsWith("/metadata/") ? "geo" : "s3"),
    sha256: Hash.bind(null, "sha256"),
    // S3 signs the path as sent; every other service escapes it once more.
    uriEscapePath: (options.service ?? (path.startsWith("/metadata/") ? "geo" : "s3")) !== "s3"
  })

/** What smithy signs for `target` (a path with its query) at `baseUrl`: the host header first. */
const toSign = (baseUrl: string, target: string, options: SignedOptions) => {
  const base = new URL(baseUrl)
  const url = new URL(target, "http://x")
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  return {
    method: options.method ?? "GET",
    protocol: "http:",
    hostname: base.hostname,
    port: Number(base.port),
    path: url.pathname,
    query,
    headers: { host: base.host, ...options.headers }
  }
}

/** The signed request as node:http options (the body is sent as given; smithy hashes it). */
export const signRequest = async (baseUrl: string, target: string, options: SignedOptions = {}) => {
  const request = toSign(baseUrl, target, options)
  const signed = await signer(options, request.path).sign({ ...request, body: options.body })
  return signed.headers
}

/** Sends a raw HTTP request and reads the whole answer (never rejects on an HTTP status). */
export const rawRequest = (
  baseUrl: string,
  target: string,
  method: string,
  headers: Readonly<Record<string, string>>,
  body?: string | Uint8Array | ReadonlyArray<string | Uint8Array>
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const base = new URL(baseUrl)
    const req = Http.request({ host: base.hostname, port: base.port, path: target, method, headers }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }))
      res.on("error", reject)
    })
    req.on("error", reject)
    if (Array.isArray(body)) {
      for (const piece of body) req.write(piece)
      req.end()
    } else req.end(body as string | Uint8Array | undefined)
  })

/** Signs and sends a request (a path with its query), with the body whole. */
export const signedRequest = async (baseUrl: string, target: string, options: SignedOptions = {}): Promise<RawAnswer> => {
  const headers = await signRequest(baseUrl, target, options)
  return rawRequest(baseUrl, target, options.method ?? "GET", headers, options.body)
}

/** A presigned URL (query auth) for a GET, signed with the given scope. */
export const presignedUrl = async (baseUrl: string, target: string, options: SignedOptions = {}): Promise<string> => {
  const request = toSign(baseUrl, target, { ...options, headers: {} })
  const presigned = await signer(options, request.path).presign(request, { expiresIn: 300 })
  const search = new URLSearchParams(presigned.query as Record<string, string>).toString()
  return `${request.path}?${search}`
}
