/**
 * A small typed client of the worker's HTTP API (what `geojobs submit` and `geojobs batches`
 * call): submit a location or a file, get, list, cancel, download outputs. Uses global `fetch`,
 * with the worker's API token as a bearer token; answers are checked against the API's Schemas.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { type BatchState, BatchView, ListResponse, SubmitResponse } from "./Batch.js"
import { WorkerClientError } from "./WorkerError.js"

/** The client. */
export interface WorkerClient {
  /** Submits a location the worker can read (`s3://…` Parquet prefix, or a path on the worker's machine). */
  readonly submit: (input: { readonly location: string; readonly key?: string | undefined }) => Effect.Effect<SubmitResponse, WorkerClientError>
  /** Uploads a local file (CSV, JSONL or Parquet) as a batch. */
  readonly submitFile: (file: string, options?: { readonly key?: string | undefined }) => Effect.Effect<SubmitResponse, WorkerClientError>
  readonly get: (id: string) => Effect.Effect<BatchView, WorkerClientError>
  readonly list: (options?: { readonly status?: ReadonlyArray<BatchState>; readonly limit?: number }) => Effect.Effect<ListResponse, WorkerClientError>
  readonly cancel: (id: string) => Effect.Effect<BatchView, WorkerClientError>
  /** The output objects of a Completed batch. */
  readonly outputs: (id: string) => Effect.Effect<OutputsResponse, WorkerClientError>
  /** Writes output `n` of a batch to `file` (via a temp file, renamed when complete). */
  readonly download: (id: string, n: number, file: string) => Effect.Effect<void, WorkerClientError>
}

/** `GET /batches/:id/outputs` answer. */
export const OutputsResponse = Schema.Struct({
  outputs: Schema.Array(Schema.Struct({ n: Schema.Number, name: Schema.String, size: Schema.Number }))
})
/** @since 0.1.0 */
export type OutputsResponse = typeof OutputsResponse.Type

/** How to reach the worker. */
export interface ClientOptions {
  /** The worker's API token (see `ApiToken`). */
  readonly token?: string | undefined
}

/** The worker's default address. */
export const defaultUrl = "http://127.0.0.1:4580"

const reasonFor = (status: number): WorkerClientError["reason"] =>
  status === 401 ? "Unauthorized" : status === 404 ? "NotFound" : status >= 400 && status < 500 ? "BadRequest" : "Unavailable"

/** A client of the worker at `baseUrl` (default `GEOJOBS_WORKER_URL` is the caller's to read). */
export const make = (baseUrl: string = defaultUrl, options: ClientOptions = {}): WorkerClient => {
  const base = baseUrl.replace(/\/+$/, "")
  const send = (path: string, init?: RequestInit) =>
    Effect.tryPromise({
      try: (signal) => {
        const headers = new Headers(init?.headers)
        if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`)
        return fetch(`${base}${path}`, { ...init, headers, signal })
      },
      catch: (cause) => new WorkerClientError({ reason: "Transport", message: `cannot reach the worker at ${base}: ${String((cause as Error)?.message ?? cause)}`, cause })
    })
  const call = <A, I>(schema: Schema.Schema<A, I>, path: string, init?: RequestInit) =>
    Effect.gen(function*() {
      const response = yield* send(path, init)
      const text = yield* Effect.tryPromise({
        try: () => response.text(),
        catch: (cause) => new WorkerClientError({ reason: "Transport", message: `reading the answer failed`, cause })
      })
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        return yield* Effect.fail(new WorkerClientError({ reason: "BadResponse", status: response.status, message: `not JSON: ${text.slice(0, 200)}` }))
      }
      if (!response.ok) {
        const message = typeof body === "object" && body !== null && "error" in body ? String(body.error) : text.slice(0, 200)
        return yield* Effect.fail(new WorkerClientError({ reason: reasonFor(response.status), status: response.status, message }))
      }
      return yield* Schema.decodeUnknown(schema)(body).pipe(
        Effect.mapError((e) => new WorkerClientError({ reason: "BadResponse", status: response.status, message: e.message }))
      )
    })
  const jsonInit = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  return {
    submit: (input) => call(SubmitResponse, "/batches", jsonInit(input.key === undefined ? { location: input.location } : input)),
    submitFile: (file, options = {}) => {
      const q = new URLSearchParams({ name: Path.basename(file), ...(options.key !== undefined ? { key: options.key } : {}) })
      return call(SubmitResponse, `/batches?${q}`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: Readable.toWeb(Fs.createReadStream(file)) as unknown as BodyInit,
        duplex: "half"
      } as RequestInit)
    },
    get: (id) => call(BatchView, `/batches/${encodeURIComponent(id)}`),
    list: (options = {}) => {
      const q = new URLSearchParams()
      if (options.status !== undefined && options.status.length > 0) q.set("status", options.status.join(","))
      if (options.limit !== undefined) q.set("limit", String(options.limit))
      return call(ListResponse, `/batches${q.size > 0 ? `?${q}` : ""}`)
    },
    cancel: (id) => call(BatchView, `/batches/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
    outputs: (id) => call(OutputsResponse, `/batches/${encodeURIComponent(id)}/outputs`),
    download: (id, n, file) =>
      Effect.gen(function*() {
        const response = yield* send(`/batches/${encodeURIComponent(id)}/outputs/${n}`)
        if (!response.ok || response.body === null) {
          const text = yield* Effect.promise(() => response.text().catch(() => ""))
          let message = text.slice(0, 200)
          try {
            message = String((JSON.parse(text) as { error?: unknown }).error ?? message)
          } catch {
            // not JSON: the text as it is
          }
          return yield* Effect.fail(new WorkerClientError({ reason: reasonFor(response.status), status: response.status, message }))
        }
        const temp = `${file}.part`
        yield* Effect.tryPromise({
          try: async () => {
            await pipeline(Readable.fromWeb(response.body as never), Fs.createWriteStream(temp))
            await Fs.promises.rename(temp, file)
          },
          catch: (cause) => {
            Fs.rmSync(temp, { force: true })
            return new WorkerClientError({ reason: "Transport", message: `downloading output ${n} of ${id} to ${file} failed: ${String((cause as Error)?.message ?? cause)}`, cause })
          }
        })
      })
  }
}
